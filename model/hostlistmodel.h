#pragma once

#include "hostsample.h"
#include "hoststate.h"

#include <QAbstractListModel>
#include <QString>

#include <cstdint>
#include <vector>

namespace twbench {

// The hosts under watch, one row each, in the order they were added. DisplayRole is the display
// name; everything else is in the custom roles below, for a delegate or a proxy. Updates change
// one row and emit dataChanged for it with the roles that changed; only addHost() and
// removeHost() change the rows.
class HostListModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HostListModel)

public:
    enum Role : int {
        HostIdRole = Qt::UserRole + 1, // QString: the id samples and statuses carry
        DisplayNameRole,               // QString: as given to addHost(), same as DisplayRole
        StateRole,                     // int: HostState
        StateTextRole,                 // QString: hostStateText(), translated
        StatusDetailRole,              // QString: why, on Failed/Retrying; else empty
        RetryInMsRole,                 // qint64: ms left before the next attempt, at read time
        LastSampleMsRole,              // qint64: the last sample's remote epoch ms; 0: none yet
        // qint64: sockets in the last socket table (every namespace the probe read, listeners
        // included); -1 until a sample carried a table.
        SocketCountRole,
        // qint64: TIME_WAIT now: sockstat.TCP.tw of the last sample that had it (updated every
        // second), else the TIME_WAIT rows of the last table; -1 while unknown.
        TimeWaitRole,
        IssueCountRole, // int: SourceIssues in the last sample ("ss: command not found", …)
    };

    explicit HostListModel(QObject *parent = nullptr);
    ~HostListModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // False (and nothing changes) for an id already listed.
    bool addHost(const QString &id, const QString &displayName);
    bool removeHost(const QString &id);
    // False for an id not listed.
    bool setStatus(const QString &id, const HostStatus &status);
    bool applySample(const HostSample &sample);

    int rowOf(const QString &id) const; // -1 when not listed
    QString hostIdAt(int row) const;

private:
    struct Host
    {
        QString id;
        QString name;
        HostStatus status;
        std::int64_t lastSampleMs = 0;
        std::int64_t socketCount = -1;
        std::int64_t timeWait = -1;
        int issueCount = 0;
    };

    std::vector<Host> m_hosts; // a handful: found by a linear scan
};

} // namespace twbench
