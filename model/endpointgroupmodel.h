#pragma once

#include "rowdiffmodel.h"
#include "socketgrouper.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

#include <vector>

namespace twbench {

// The grouped connection table (the incident's `… | sort | uniq -c | sort -nr`): one row per
// SocketGroup, in the order applyGroups() is given them — groupSockets() gives the largest
// total first, so without a proxy the row on top is the pile to look at. A view that lets the
// operator sort by another column puts a QSortFilterProxyModel with SortRole on top; sorting it
// by column -1 brings back this order.
//
// applyGroups() is a diff keyed by GroupKey, as ConnectionTableModel::applySnapshot: changed
// rows in merged dataChanged ranges, gone rows removed range by range, new rows appended in one
// batch, then — only when the order changed — one layout change that moves the rows into the
// given order and carries persistent indexes (the selection) along. Only a change of grouping
// (or clear()) resets the model.
// One row of EndpointGroupModel.
struct GroupRow
{
    SocketGroup group;
    int order = 0; // position in the last applyGroups() input; scratch during an update

    GroupKey key() const { return group.key; }
};

class EndpointGroupModel final : public RowDiffModel<GroupRow, GroupKey>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EndpointGroupModel)

public:
    enum Column : int {
        KeyColumn,         // the endpoint, address or state; header says which (groupingName)
        RoleColumn,        // service / client / mixed
        TotalColumn,       // connections (listeners excluded, see SocketGroup::total)
        TimeWaitColumn,    // TIME_WAIT
        EstablishedColumn, // ESTABLISHED
        CloseWaitColumn,   // CLOSE_WAIT: the application has not closed its end
        SynRecvColumn,     // SYN_RECV + NEW_SYN_RECV: handshakes not yet accepted
        FinWaitColumn,     // FIN_WAIT1 + FIN_WAIT2: we closed, the peer has not
        OtherColumn,       // SYN_SENT, LAST_ACK, CLOSING, CLOSE, unknown
        ListenColumn,      // listening sockets in the group (not counted in Total)
        ColumnCount
    };

    enum Role : int {
        // The unformatted value: Endpoint (endpoint groupings) or IpAddress (address
        // groupings), both ordered numerically, or the TcpState as int, for KeyColumn; the
        // GroupRole as int for RoleColumn; quint32 counts for the others.
        SortRole = Qt::UserRole + 1,
        // Same on every column: the row's GroupKey (QVariant::fromValue), for drilling down with
        // ConnectionFilterProxy::setGroupFilter(grouping(), key).
        GroupKeyRole,
        // Same on every column: the GroupRole as int.
        GroupRoleRole,
        // Same on every column: connections on the server side / on the client side (quint32).
        ServerSideRole,
        ClientSideRole,
    };

    explicit EndpointGroupModel(QObject *parent = nullptr);
    ~EndpointGroupModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Shows `groups` (as groupSockets(snapshot, grouping) returns them) in their order. A
    // grouping other than the one shown resets the model.
    void applyGroups(Grouping grouping, const QList<SocketGroup> &groups);
    void clear();

    Grouping grouping() const { return m_grouping; }
    const SocketGroup &groupAt(int row) const { return m_rows[size_t(row)].group; }

private:
    using Row = GroupRow;

    Grouping m_grouping = Grouping::LocalEndpoint;
};

} // namespace twbench
