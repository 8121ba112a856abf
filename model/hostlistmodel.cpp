#include "hostlistmodel.h"

#include <QDateTime>

#include <algorithm>

namespace twbench {

HostListModel::HostListModel(QObject *parent)
    : QAbstractListModel(parent)
{}

HostListModel::~HostListModel() = default;

int HostListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_hosts.size());
}

QVariant HostListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Host &host = m_hosts[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case DisplayNameRole:
        return host.name;
    case Qt::ToolTipRole:
        if (host.status.detail.isEmpty())
            return tr("%1 (%2): %3").arg(host.name, host.id, hostStateText(host.status.state));
        return tr("%1 (%2): %3 — %4")
            .arg(host.name, host.id, hostStateText(host.status.state), host.status.detail);
    case HostIdRole:
        return host.id;
    case StateRole:
        return int(host.status.state);
    case StateTextRole:
        return hostStateText(host.status.state);
    case StatusDetailRole:
        return host.status.detail;
    case RetryInMsRole:
        // Counted down at read time, so a view repainted every second shows a true countdown.
        return qint64(host.status.retryRemainingMs(QDateTime::currentMSecsSinceEpoch()));
    case LastSampleMsRole:
        return qint64(host.lastSampleMs);
    case SocketCountRole:
        return qint64(host.socketCount);
    case TimeWaitRole:
        return qint64(host.timeWait);
    case IssueCountRole:
        return host.issueCount;
    default:
        return {};
    }
}

QHash<int, QByteArray> HostListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(HostIdRole, "hostId");
    names.insert(DisplayNameRole, "displayName");
    names.insert(StateRole, "state");
    names.insert(StateTextRole, "stateText");
    names.insert(StatusDetailRole, "statusDetail");
    names.insert(RetryInMsRole, "retryInMs");
    names.insert(LastSampleMsRole, "lastSampleMs");
    names.insert(SocketCountRole, "socketCount");
    names.insert(TimeWaitRole, "timeWait");
    names.insert(IssueCountRole, "issueCount");
    return names;
}

int HostListModel::rowOf(const QString &id) const
{
    const auto it = std::find_if(m_hosts.begin(), m_hosts.end(),
                                 [&id](const Host &host) { return host.id == id; });
    return it == m_hosts.end() ? -1 : int(it - m_hosts.begin());
}

QString HostListModel::hostIdAt(int row) const
{
    return row >= 0 && size_t(row) < m_hosts.size() ? m_hosts[size_t(row)].id : QString();
}

bool HostListModel::addHost(const QString &id, const QString &displayName)
{
    if (rowOf(id) >= 0)
        return false;
    const int row = int(m_hosts.size());
    beginInsertRows({}, row, row);
    m_hosts.push_back({id, displayName.isEmpty() ? id : displayName, {}, 0, -1, -1, 0});
    endInsertRows();
    return true;
}

bool HostListModel::removeHost(const QString &id)
{
    const int row = rowOf(id);
    if (row < 0)
        return false;
    beginRemoveRows({}, row, row);
    m_hosts.erase(m_hosts.begin() + row);
    endRemoveRows();
    return true;
}

bool HostListModel::setStatus(const QString &id, const HostStatus &status)
{
    const int row = rowOf(id);
    if (row < 0)
        return false;
    Host &host = m_hosts[size_t(row)];
    QList<int> roles;
    if (host.status.state != status.state)
        roles << StateRole << StateTextRole;
    if (host.status.detail != status.detail)
        roles << StatusDetailRole;
    if (host.status.retryInMs != status.retryInMs)
        roles << RetryInMsRole;
    if (roles.isEmpty())
        return true;
    if (roles.contains(StateRole) || roles.contains(StatusDetailRole))
        roles << Qt::ToolTipRole;
    host.status = status;
    const QModelIndex changed = index(row);
    emit dataChanged(changed, changed, roles);
    return true;
}

bool HostListModel::applySample(const HostSample &sample)
{
    const int row = rowOf(sample.hostId);
    if (row < 0)
        return false;
    Host &host = m_hosts[size_t(row)];

    std::int64_t socketCount = host.socketCount;
    std::int64_t timeWait = host.timeWait;
    if (sample.table) {
        socketCount = std::int64_t(sample.table->sockets.size());
        timeWait =
            std::count_if(sample.table->sockets.begin(), sample.table->sockets.end(),
                          [](const Socket &socket) { return socket.state == TcpState::TimeWait; });
    }
    // The kernel's counter wins: it comes every second, the table only every few.
    if (const auto counted = sample.counters.value(counter::TimeWait))
        timeWait = *counted;
    const int issueCount = int(sample.issues.size());

    QList<int> roles;
    if (host.lastSampleMs != sample.epochMs)
        roles << LastSampleMsRole;
    if (host.socketCount != socketCount)
        roles << SocketCountRole;
    if (host.timeWait != timeWait)
        roles << TimeWaitRole;
    if (host.issueCount != issueCount)
        roles << IssueCountRole;
    host.lastSampleMs = sample.epochMs;
    host.socketCount = socketCount;
    host.timeWait = timeWait;
    host.issueCount = issueCount;
    if (!roles.isEmpty()) {
        const QModelIndex changed = index(row);
        emit dataChanged(changed, changed, roles);
    }
    return true;
}

} // namespace twbench
