#include "connectionfilterproxy.h"

#include "connectiontablemodel.h"

namespace twbench {

static_assert(TcpStateCount <= 32, "the state filter keeps one bit per state");

ConnectionFilterProxy::ConnectionFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(ConnectionTableModel::SortRole);
    // The filters read their own roles; dataChanged with StateRole must re-run them.
    setFilterRole(ConnectionTableModel::StateRole);
    setDynamicSortFilter(true);
}

ConnectionFilterProxy::~ConnectionFilterProxy() = default;

void ConnectionFilterProxy::refilter()
{
    // One layout change, not invalidateRowsFilter(): that removes and inserts the rows whose
    // verdict changed range by range, and a filter that keeps a few scattered rows of 100k
    // (a finding's endpoint) gives tens of thousands of ranges, each costing the view work in
    // proportion to all its rows: seconds. The selection and the current index follow their
    // rows through the layout change; those of rows filtered out go, as they would anyway.
    invalidate();
}

void ConnectionFilterProxy::setStateFilter(const QList<TcpState> &states)
{
    std::uint32_t mask = 0;
    for (TcpState state : states)
        mask |= 1u << stateIndex(state);
    if (mask == m_stateMask)
        return;
    m_stateMask = mask;
    refilter();
}

QList<TcpState> ConnectionFilterProxy::stateFilter() const
{
    QList<TcpState> states;
    for (int i = 0; i < TcpStateCount; ++i) {
        if (m_stateMask & (1u << i))
            states.append(static_cast<TcpState>(i));
    }
    return states;
}

void ConnectionFilterProxy::setTextFilter(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_text)
        return;
    m_text = trimmed;
    m_textNeedle = ConnectionTableModel::textNeedle(m_text);
    refilter();
}

void ConnectionFilterProxy::setGroupFilter(Grouping grouping, const GroupKey &key)
{
    m_group = GroupFilter{grouping, key};
    refilter();
}

void ConnectionFilterProxy::clearGroupFilter()
{
    if (!m_group)
        return;
    m_group.reset();
    refilter();
}

void ConnectionFilterProxy::setSocketFilter(QSet<SocketKey> keys)
{
    m_sockets = std::move(keys);
    refilter();
}

void ConnectionFilterProxy::clearSocketFilter()
{
    if (!m_sockets)
        return;
    m_sockets.reset();
    refilter();
}

void ConnectionFilterProxy::setOwnerFilter(std::optional<QString> ownerId)
{
    if (ownerId == m_owner)
        return;
    m_owner = std::move(ownerId);
    refilter();
}

void ConnectionFilterProxy::setSourceModel(QAbstractItemModel *model)
{
    m_table = qobject_cast<const ConnectionTableModel *>(model);
    QSortFilterProxyModel::setSourceModel(model);
}

bool ConnectionFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *source = sourceModel();
    if (!source)
        return false;
    // No filter at all (the table as opened): every row, without reading any. A new table's
    // scattered removals re-filter all 100k rows at once.
    if (m_stateMask == 0 && !m_owner && !m_sockets && !m_group && m_text.isEmpty())
        return true;
    if (m_table && source == m_table && !sourceParent.isValid())
        return acceptsTableRow(m_table->rowAt(sourceRow), sourceRow);
    const QModelIndex index = source->index(sourceRow, 0, sourceParent);
    // Cheapest first: the state is an int, the text needs two endpoints formatted.
    const auto state = static_cast<TcpState>(index.data(ConnectionTableModel::StateRole).toInt());
    if (m_stateMask != 0 && !(m_stateMask & (1u << stateIndex(state))))
        return false;
    if (m_owner && index.data(ConnectionTableModel::OwnerIdRole).toString() != *m_owner)
        return false;
    const auto key = index.data(ConnectionTableModel::SocketKeyRole).value<SocketKey>();
    if (m_sockets && !m_sockets->contains(key))
        return false;
    if (m_group && !inGroup(key, state))
        return false;
    if (!m_text.isEmpty()) {
        const QString text = index.data(ConnectionTableModel::FilterTextRole).toString();
        if (!text.contains(m_text, Qt::CaseInsensitive))
            return false;
    }
    return true;
}

bool ConnectionFilterProxy::acceptsTableRow(const ConnectionRow &row, int sourceRow) const
{
    const Socket &socket = row.socket;
    if (m_stateMask != 0 && !(m_stateMask & (1u << stateIndex(socket.state))))
        return false;
    if (m_owner && row.ownerId != *m_owner)
        return false;
    if (m_sockets && !m_sockets->contains(SocketKey::of(socket)))
        return false;
    if (m_group && !inGroup(SocketKey::of(socket), socket.state))
        return false;
    return m_text.isEmpty() || (m_textNeedle && m_table->rowContainsText(sourceRow, *m_textNeedle));
}

bool ConnectionFilterProxy::inGroup(const SocketKey &key, TcpState state) const
{
    Socket socket;
    socket.local = key.local;
    socket.remote = key.remote;
    socket.netns = key.netns;
    socket.state = state;
    if (groupKeyOf(m_group->grouping, socket) != m_group->key)
        return false;
    // The grouper leaves listeners out of the remote groupings; so does the drill-down.
    const bool remote = m_group->grouping == Grouping::RemoteEndpoint ||
                        m_group->grouping == Grouping::RemoteAddress;
    return !(remote && state == TcpState::Listen);
}

bool ConnectionFilterProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    // The connection table's own values, compared in place: a sort of 100k rows makes millions
    // of comparisons, and two QVariants each cost more than the comparison.
    if (m_table && sortRole() == ConnectionTableModel::SortRole &&
        left.column() == right.column() && left.model() == m_table)
        return m_table->lessThan(left.row(), right.row(), left.column());
    const QVariant a = left.data(sortRole());
    const QVariant b = right.data(sortRole());
    // Endpoints by their own ordering (address bytes, then port): numeric, not textual.
    const QMetaType endpointType = QMetaType::fromType<Endpoint>();
    if (a.metaType() == endpointType && b.metaType() == endpointType)
        return *static_cast<const Endpoint *>(a.constData()) <
               *static_cast<const Endpoint *>(b.constData());
    return QVariant::compare(a, b) == QPartialOrdering::Less;
}

} // namespace twbench
