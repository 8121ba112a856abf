#pragma once

#include "socketgrouper.h"
#include "tcpstate.h"

#include "socket.h"

#include <QList>
#include <QSet>
#include <QSortFilterProxyModel>

#include <cstdint>
#include <optional>

namespace twbench {

class ConnectionTableModel;
struct ConnectionRow;

// Sorts and filters a ConnectionTableModel (or any model giving its roles): sorting by
// ConnectionTableModel::SortRole, so endpoints sort numerically (10.0.0.9 before 10.0.0.10,
// IPv4 before IPv6) and numbers as numbers; filtering by independent filters that all must
// pass:
//  - a set of states (empty: every state),
//  - a text, matched case-insensitively as a substring of either endpoint as displayed,
//  - a group (drill-down from the grouped table: only the sockets of one SocketGroup),
//  - a set of sockets (drill-down from the topology graph: the sockets of a node or an edge),
//  - an owner (ConnectionTableModel::OwnerIdRole: one container, or the host's own sockets).
class ConnectionFilterProxy final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionFilterProxy)

public:
    explicit ConnectionFilterProxy(QObject *parent = nullptr);
    ~ConnectionFilterProxy() override;

    void setStateFilter(const QList<TcpState> &states);
    QList<TcpState> stateFilter() const;

    void setTextFilter(const QString &text);
    QString textFilter() const { return m_text; }

    // Only the sockets that groupSockets(…, grouping) puts under `key`.
    void setGroupFilter(Grouping grouping, const GroupKey &key);
    void clearGroupFilter();
    bool hasGroupFilter() const { return m_group.has_value(); }

    // Only these sockets (by SocketKeyRole). An empty set shows nothing: an edge without
    // sockets has none to show.
    void setSocketFilter(QSet<SocketKey> keys);
    void clearSocketFilter();
    bool hasSocketFilter() const { return m_sockets.has_value(); }

    // Only the sockets whose OwnerIdRole is `ownerId` (empty: the host's own); nullopt: all.
    void setOwnerFilter(std::optional<QString> ownerId);
    std::optional<QString> ownerFilter() const { return m_owner; }

    void setSourceModel(QAbstractItemModel *model) override;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    struct GroupFilter
    {
        Grouping grouping;
        GroupKey key;
    };

    // Applies a changed filter.
    void refilter();
    // filterAcceptsRow() on a ConnectionTableModel's row, read in place.
    bool acceptsTableRow(const ConnectionRow &row, int sourceRow) const;
    // Whether groupSockets() puts the socket under the group filter's key.
    bool inGroup(const SocketKey &key, TcpState state) const;

    // The source when it is a ConnectionTableModel (not owned): filters and sorting read its
    // rows in place rather than through QVariants, once per row of every new table.
    const ConnectionTableModel *m_table = nullptr;
    std::uint32_t m_stateMask = 0; // bit stateIndex(state); 0: every state
    QString m_text;
    // m_text as ConnectionTableModel::textNeedle() spells it, made once per filter.
    std::optional<QByteArray> m_textNeedle;
    std::optional<GroupFilter> m_group;
    std::optional<QSet<SocketKey>> m_sockets;
    std::optional<QString> m_owner;
};

} // namespace twbench
