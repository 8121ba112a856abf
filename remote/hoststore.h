#pragma once

#include "hostspec.h"

#include <QList>
#include <QString>

#include <memory>

class QSettings;

namespace twbench {

// Keeps the host list in QSettings (group "hosts", an array), every HostSpec field and nothing
// else: a HostSpec holds no secret, so neither does the store. The local workstation is always
// the first host of what load() returns, whatever the file says, and save() keeps it first.
class HostStore final
{
    Q_DISABLE_COPY_MOVE(HostStore)

public:
    // The application's settings (QSettings()).
    HostStore();
    // An INI file of its own, for tests and for `--settings FILE`.
    explicit HostStore(const QString &iniFile);
    ~HostStore();

    // Hosts without an id, with an id seen before or of an unknown kind are dropped; at most
    // maxHosts are read. Never empty: the local workstation comes first.
    QList<HostSpec> load() const;
    // Writes the whole list (the local workstation first, whatever its position in `hosts`)
    // and syncs, so a crash right after a change loses nothing.
    void save(const QList<HostSpec> &hosts);

    QString fileName() const;

    // A fresh id for a new host: a QUuid without braces.
    static QString newId();

    static constexpr int maxHosts = 10000;

private:
    std::unique_ptr<QSettings> m_settings;
};

} // namespace twbench
