#pragma once

#include "model/hostsample.h"
#include "model/hoststate.h"
#include "remote/hostspec.h"

#include <QObject>

#include <map>
#include <memory>

namespace twbench {

class Fleet;
class HostListModel;
class Timeline;

// The GUI-side owner of what the hosts report: the fleet of workers, the hosts list model, one
// timeline and the latest socket table per host. Views read from here and listen to its
// signals; it holds no widgets, so views stay thin and replaceable.
class Workbench final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Workbench)

public:
    explicit Workbench(QObject *parent = nullptr);
    ~Workbench() override;

    void addHost(const HostSpec &spec);
    void removeHost(const QString &hostId);
    QStringList hostIds() const;

    HostListModel *hostListModel() const { return m_hosts; }
    // nullptr for an unknown host. Owned by the workbench.
    const Timeline *timeline(const QString &hostId) const;
    SnapshotPtr latestTable(const QString &hostId) const;
    HostSamplePtr latestSample(const QString &hostId) const;
    HostStatus status(const QString &hostId) const;

    QString currentHost() const { return m_currentHost; }
    void setCurrentHost(const QString &hostId);

signals:
    void currentHostChanged(const QString &hostId);
    void sampleArrived(const QString &hostId, const twbench::HostSamplePtr &sample);
    // Emitted only for samples that carry a socket table.
    void tableArrived(const QString &hostId, const twbench::SnapshotPtr &table);
    void statusChanged(const QString &hostId, const twbench::HostStatus &status);

private:
    void onSample(const QString &hostId, const HostSamplePtr &sample);
    void onStatus(const QString &hostId, const HostStatus &status);

    struct HostData
    {
        std::unique_ptr<Timeline> timeline;
        HostSamplePtr latestSample;
        SnapshotPtr latestTable;
        HostStatus status;
    };

    Fleet *m_fleet = nullptr;               // Owned (child).
    HostListModel *m_hosts = nullptr;       // Owned (child).
    std::map<QString, HostData> m_hostData; // few hosts; std::map takes move-only values
    QString m_currentHost;
};

} // namespace twbench
