#include "endpointgroupmodel.h"

#include <QLocale>

#include <algorithm>
#include <numeric>

namespace twbench {

namespace {

std::uint32_t countOf(const SocketGroup &group, int column)
{
    using C = EndpointGroupModel;
    switch (column) {
    case C::TotalColumn:
        return group.total;
    case C::TimeWaitColumn:
        return group.count(TcpState::TimeWait);
    case C::EstablishedColumn:
        return group.count(TcpState::Established);
    case C::CloseWaitColumn:
        return group.count(TcpState::CloseWait);
    case C::SynRecvColumn:
        return group.count(TcpState::SynRecv) + group.count(TcpState::NewSynRecv);
    case C::FinWaitColumn:
        return group.count(TcpState::FinWait1) + group.count(TcpState::FinWait2);
    case C::OtherColumn:
        return group.count(TcpState::SynSent) + group.count(TcpState::LastAck) +
               group.count(TcpState::Closing) + group.count(TcpState::Close) +
               group.count(TcpState::Unknown);
    case C::ListenColumn:
        return group.count(TcpState::Listen);
    }
    return 0;
}

bool sameValues(const SocketGroup &a, const SocketGroup &b)
{
    return a.counts == b.counts && a.total == b.total && a.role == b.role &&
           a.serverSide == b.serverSide && a.clientSide == b.clientSide && a.display == b.display;
}

QList<int> changedRoles()
{
    return {Qt::DisplayRole,
            Qt::ToolTipRole,
            EndpointGroupModel::SortRole,
            EndpointGroupModel::GroupRoleRole,
            EndpointGroupModel::ServerSideRole,
            EndpointGroupModel::ClientSideRole};
}

} // namespace

EndpointGroupModel::EndpointGroupModel(QObject *parent)
    : RowDiffModel(parent)
{}

EndpointGroupModel::~EndpointGroupModel() = default;

int EndpointGroupModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EndpointGroupModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EndpointGroupModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SocketGroup &group = m_rows[size_t(index.row())].group;
    const int column = index.column();

    switch (role) {
    case Qt::DisplayRole:
        if (column == KeyColumn)
            return group.display;
        if (column == RoleColumn)
            return groupRoleName(group.role);
        // Grouped digits (102,001; 102 001 in other locales): counts are read at a glance.
        return QLocale().toString(qulonglong(countOf(group, column)));
    case SortRole:
        if (column == KeyColumn) {
            switch (m_grouping) {
            case Grouping::LocalEndpoint:
            case Grouping::RemoteEndpoint:
                return QVariant::fromValue(group.key.endpoint);
            case Grouping::LocalAddress:
            case Grouping::RemoteAddress:
                return QVariant::fromValue(group.key.endpoint.address);
            case Grouping::State:
                return int(group.key.state);
            }
            return {};
        }
        if (column == RoleColumn)
            return int(group.role);
        return countOf(group, column);
    case Qt::TextAlignmentRole:
        if (column >= TotalColumn)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return {};
    case Qt::ToolTipRole:
        if (column == RoleColumn && group.role != GroupRole::None)
            return tr("%1 connections on the server side, %2 on the client side")
                .arg(group.serverSide)
                .arg(group.clientSide);
        return {};
    case GroupKeyRole:
        return QVariant::fromValue(group.key);
    case GroupRoleRole:
        return int(group.role);
    case ServerSideRole:
        return group.serverSide;
    case ClientSideRole:
        return group.clientSide;
    default:
        return {};
    }
}

QVariant EndpointGroupModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::TextAlignmentRole && section >= TotalColumn)
        return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case TotalColumn:
            return tr("Connections in the group; listening sockets are not counted");
        case RoleColumn:
            return tr("service: a listening endpoint of this host; client: ephemeral local ports. "
                      "The side that holds TIME_WAIT closed the connections.");
        case OtherColumn:
            return tr("SYN_SENT, LAST_ACK, CLOSING, CLOSE");
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case KeyColumn:
        return groupingName(m_grouping);
    case RoleColumn:
        return tr("Role");
    case TotalColumn:
        return tr("Total");
    // Kernel spellings: operators grep for these, they are not translated.
    case TimeWaitColumn:
        return QStringLiteral("TIME_WAIT");
    case EstablishedColumn:
        return QStringLiteral("ESTABLISHED");
    case CloseWaitColumn:
        return QStringLiteral("CLOSE_WAIT");
    case SynRecvColumn:
        return QStringLiteral("SYN_RECV");
    case FinWaitColumn:
        return QStringLiteral("FIN_WAIT");
    case OtherColumn:
        return tr("Other");
    case ListenColumn:
        return QStringLiteral("LISTEN");
    }
    return {};
}

QHash<int, QByteArray> EndpointGroupModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(SortRole, "sortValue");
    names.insert(GroupKeyRole, "groupKey");
    names.insert(GroupRoleRole, "groupRole");
    names.insert(ServerSideRole, "serverSide");
    names.insert(ClientSideRole, "clientSide");
    return names;
}

void EndpointGroupModel::clear()
{
    resetRows();
}

void EndpointGroupModel::applyGroups(Grouping grouping, const QList<SocketGroup> &groups)
{
    if (grouping != m_grouping) {
        // Another grouping is another table: reset, with the new header.
        m_grouping = grouping;
        resetRows();
        emit headerDataChanged(Qt::Horizontal, KeyColumn, KeyColumn);
    }

    std::vector<char> keep(m_rows.size(), 0);
    std::vector<Row> added;
    std::vector<ChangedRow> changed;
    for (qsizetype i = 0; i < groups.size(); ++i) {
        const SocketGroup &group = groups.at(i);
        const qsizetype sizeBefore = m_index.size();
        int &slot = m_index[group.key];
        if (m_index.size() != sizeBefore) {
            slot = -int(added.size()) - 1; // provisional, as in ConnectionTableModel
            added.push_back({group, int(i)});
            continue;
        }
        const int row = slot;
        if (row < 0 || keep[size_t(row)])
            continue; // a repeated key: groupSockets never gives one
        keep[size_t(row)] = 1;
        Row &current = m_rows[size_t(row)];
        current.order = int(i);
        if (!sameValues(current.group, group)) {
            current.group = group;
            changed.push_back({row, 0});
        }
    }

    // Every changed group changes the same roles: its counts and role.
    announceChanged(std::move(changed), [](unsigned) { return changedRoles(); });

    dropRows(keep);
    appendRows(std::move(added));
    sortToOrder();
}

} // namespace twbench
