#include "connectiontablemodel.h"

#include <QLocale>

#include <arpa/inet.h>

#include <algorithm>
#include <atomic>
#include <string_view>

namespace twbench {

namespace {

// Which roles a change touches, as bits, so changed rows can be merged and announced with the
// union of their roles.
enum ChangedRole : unsigned {
    DisplayBits = 1u << 0, // DisplayRole and SortRole
    StateBits = 1u << 1,
    SideBits = 1u << 2,
    OwnerBits = 1u << 3,
};

QList<int> rolesOf(unsigned bits)
{
    QList<int> roles{Qt::DisplayRole, ConnectionTableModel::SortRole};
    // ConnectionFilterProxy re-filters on changes of StateRole, its filter role: an owner
    // change must re-run the container filter too.
    if (bits & (StateBits | OwnerBits))
        roles.append(ConnectionTableModel::StateRole);
    if (bits & SideBits)
        roles.append(ConnectionTableModel::SideRole);
    if (bits & OwnerBits)
        roles.append(ConnectionTableModel::OwnerIdRole);
    return roles;
}

// Writes `value` in decimal at `out`; returns the end.
char *writeNumber(char *out, unsigned value)
{
    char digits[10];
    int count = 0;
    do {
        digits[count++] = char('0' + value % 10);
        value /= 10;
    } while (value != 0);
    while (count > 0)
        *out++ = digits[--count];
    return out;
}

// Writes the endpoint as Endpoint::toString() spells it (latin-1); returns the end. `out` has
// room for EndpointTextMax characters.
constexpr int EndpointTextMax = INET6_ADDRSTRLEN + 2 + 1 + 5;
char *writeEndpoint(char *out, const Endpoint &endpoint)
{
    const IpAddress &address = endpoint.address;
    if (address.isV4()) {
        const std::uint32_t value = address.v4();
        out = writeNumber(out, value >> 24);
        *out++ = '.';
        out = writeNumber(out, (value >> 16) & 0xff);
        *out++ = '.';
        out = writeNumber(out, (value >> 8) & 0xff);
        *out++ = '.';
        out = writeNumber(out, value & 0xff);
    } else {
        *out++ = '[';
        char buffer[INET6_ADDRSTRLEN] = {};
        const char *text = inet_ntop(AF_INET6, address.bytes().data(), buffer, sizeof buffer);
        for (const char *c = text ? text : "?"; *c; ++c)
            *out++ = *c;
        *out++ = ']';
    }
    *out++ = ':';
    if (endpoint.port == 0)
        *out++ = '*';
    else
        out = writeNumber(out, endpoint.port);
    return out;
}

bool isNumeric(int column)
{
    return column == ConnectionTableModel::ReceiveQueueColumn ||
           column == ConnectionTableModel::SendQueueColumn ||
           column == ConnectionTableModel::UidColumn ||
           column == ConnectionTableModel::InodeColumn ||
           column == ConnectionTableModel::NamespaceColumn;
}

} // namespace

ConnectionTableModel::ConnectionTableModel(QObject *parent)
    : RowDiffModel(parent)
{
    // Connected before any proxy can connect, so the keys are current when a proxy sorts on
    // the same signal.
    const auto forgetSortKeys = [this] {
        m_sortKeyColumn = -1;
        m_sortKeys.clear();
    };
    connect(this, &QAbstractItemModel::rowsInserted, this, forgetSortKeys);
    connect(this, &QAbstractItemModel::rowsRemoved, this, forgetSortKeys);
    connect(this, &QAbstractItemModel::rowsMoved, this, forgetSortKeys);
    connect(this, &QAbstractItemModel::layoutChanged, this, forgetSortKeys);
    connect(this, &QAbstractItemModel::modelReset, this, forgetSortKeys);
    connect(this, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                updateSortKeys(topLeft.row(), bottomRight.row());
            });
}

ConnectionTableModel::~ConnectionTableModel() = default;

int ConnectionTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ConnectionTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ConnectionTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[size_t(index.row())];
    const Socket &socket = row.socket;
    const int column = index.column();

    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case LocalColumn:
            return socket.local.toString();
        case RemoteColumn:
            return socket.remote.toString();
        case StateColumn:
            return tcpStateName(socket.state);
        case SideColumn:
            return socketSideName(row.side);
        case ContainerColumn:
            return row.ownerName;
        case ReceiveQueueColumn:
            return QLocale().toString(socket.receiveQueue);
        case SendQueueColumn:
            return QLocale().toString(socket.sendQueue);
        case UidColumn:
            return socket.uid < 0 ? QVariant() : QVariant(qint64(socket.uid));
        case InodeColumn:
            return socket.inode == 0 ? QVariant() : QVariant(quint64(socket.inode));
        case NamespaceColumn:
            return socket.netns == 0 ? QVariant() : QVariant(quint64(socket.netns));
        }
        return {};
    case SortRole:
        switch (column) {
        case LocalColumn:
            return QVariant::fromValue(socket.local);
        case RemoteColumn:
            return QVariant::fromValue(socket.remote);
        case StateColumn:
            return int(socket.state);
        case SideColumn:
            return int(row.side);
        case ContainerColumn:
            return row.ownerName;
        case ReceiveQueueColumn:
            return socket.receiveQueue;
        case SendQueueColumn:
            return socket.sendQueue;
        case UidColumn:
            return qint64(socket.uid);
        case InodeColumn:
            return quint64(socket.inode);
        case NamespaceColumn:
            return quint64(socket.netns);
        }
        return {};
    case Qt::TextAlignmentRole:
        if (isNumeric(column))
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return {};
    case StateRole:
        return int(socket.state);
    case SideRole:
        return int(row.side);
    case FilterTextRole:
        return QString(socket.local.toString() % u' ' % socket.remote.toString());
    case SocketKeyRole:
        return QVariant::fromValue(SocketKey::of(socket));
    case OwnerIdRole:
        return row.ownerId;
    default:
        return {};
    }
}

namespace {

std::uint64_t bigEndian64(const std::uint8_t *bytes)
{
    std::uint64_t value = 0;
    for (int i = 0; i < 8; ++i)
        value = (value << 8) | bytes[i];
    return value;
}

} // namespace

ConnectionTableModel::SortKey ConnectionTableModel::sortKeyOf(const Row &row, int column)
{
    const Socket &socket = row.socket;
    const auto endpointKey = [](const Endpoint &endpoint) {
        // The address bytes in order, then the port: Endpoint's own ordering.
        const std::uint8_t *bytes = endpoint.address.bytes().data();
        return SortKey{bigEndian64(bytes), bigEndian64(bytes + 8), endpoint.port};
    };
    switch (column) {
    case LocalColumn:
        return endpointKey(socket.local);
    case RemoteColumn:
        return endpointKey(socket.remote);
    case StateColumn:
        return {std::uint64_t(socket.state), 0, 0};
    case SideColumn:
        return {std::uint64_t(row.side), 0, 0};
    case ReceiveQueueColumn:
        return {socket.receiveQueue, 0, 0};
    case SendQueueColumn:
        return {socket.sendQueue, 0, 0};
    case UidColumn:
        // Signed (-1: unknown, first): the sign bit flipped keeps the order as unsigned.
        return {std::uint64_t(qint64(socket.uid)) ^ (std::uint64_t(1) << 63), 0, 0};
    case InodeColumn:
        return {quint64(socket.inode), 0, 0};
    case NamespaceColumn:
        return {quint64(socket.netns), 0, 0};
    }
    return {};
}

void ConnectionTableModel::buildSortKeys(int column) const
{
    m_sortKeys.resize(m_rows.size());
    for (std::size_t row = 0; row < m_rows.size(); ++row)
        m_sortKeys[row] = sortKeyOf(m_rows[row], column);
    m_sortKeyColumn = column;
}

void ConnectionTableModel::updateSortKeys(int first, int last) const
{
    if (m_sortKeyColumn < 0)
        return;
    if (m_sortKeys.size() != m_rows.size() || first < 0 || size_t(last) >= m_rows.size()) {
        m_sortKeyColumn = -1; // should not happen: built again when next asked
        return;
    }
    for (int row = first; row <= last; ++row)
        m_sortKeys[size_t(row)] = sortKeyOf(m_rows[size_t(row)], m_sortKeyColumn);
}

bool ConnectionTableModel::lessThan(int a, int b, int column) const
{
    if (column == ContainerColumn)
        return m_rows[size_t(a)].ownerName < m_rows[size_t(b)].ownerName;
    if (column < 0 || column >= ColumnCount)
        return false;
    if (m_sortKeyColumn != column || m_sortKeys.size() != m_rows.size())
        buildSortKeys(column);
    return m_sortKeys[size_t(a)] < m_sortKeys[size_t(b)];
}

bool ConnectionTableModel::rowContainsText(int row, QByteArrayView needle) const
{
    const Socket &socket = m_rows[size_t(row)].socket;
    char buffer[2 * EndpointTextMax + 1];
    char *end = writeEndpoint(buffer, socket.local);
    *end++ = ' ';
    end = writeEndpoint(end, socket.remote);
    // Already lower case, as the needle: a plain search. (QLatin1String::contains(…,
    // CaseInsensitive) converted the row's text to UTF-16 on the heap, row after row.)
    return std::string_view(buffer, size_t(end - buffer))
               .find(std::string_view(needle.data(), size_t(needle.size()))) !=
           std::string_view::npos;
}

std::optional<QByteArray> ConnectionTableModel::textNeedle(QStringView text)
{
    QByteArray needle;
    needle.reserve(text.size());
    for (const QChar c : text) {
        const char16_t unit = c.unicode();
        if (unit >= 0x80)
            return std::nullopt;
        needle.append(char(unit >= u'A' && unit <= u'Z' ? unit - u'A' + u'a' : unit));
    }
    return needle;
}

QVariant ConnectionTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::TextAlignmentRole && isNumeric(section))
        return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
    if (role == Qt::ToolTipRole && section == ContainerColumn)
        return tr("The container whose network namespace holds the socket. For the host's own "
                  "sockets: the process holding it, where known (the probe runs as root), else "
                  "empty.");
    if (role == Qt::ToolTipRole && section == SideColumn)
        return tr("server: the local endpoint is a listening port; client: the local port is "
                  "ephemeral. The side that holds TIME_WAIT closed the connection first.");
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case LocalColumn:
        return tr("Local");
    case RemoteColumn:
        return tr("Remote");
    case StateColumn:
        return tr("State");
    case SideColumn:
        return tr("Side");
    case ContainerColumn:
        return tr("Container");
    case ReceiveQueueColumn:
        return tr("Recv-Q");
    case SendQueueColumn:
        return tr("Send-Q");
    case UidColumn:
        return tr("UID");
    case InodeColumn:
        return tr("Inode");
    case NamespaceColumn:
        return tr("Network namespace");
    }
    return {};
}

QHash<int, QByteArray> ConnectionTableModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(SortRole, "sortValue");
    names.insert(StateRole, "tcpState");
    names.insert(SideRole, "side");
    names.insert(FilterTextRole, "filterText");
    names.insert(SocketKeyRole, "socketKey");
    names.insert(OwnerIdRole, "ownerId");
    return names;
}

void ConnectionTableModel::clear()
{
    m_snapshot.reset();
    m_hostId.clear();
    m_preparedId = 0;
    resetRows();
}

namespace {

// The rows of one table: each socket's side and owner, with the owners worked out once per
// namespace and per process (a table has few of those and many sockets, and the strings are
// then shared by every row of a namespace).
class RowMaker final
{
public:
    RowMaker(const Snapshot &snapshot, const DockerInventory *inventory,
             const NamespaceMap *namespaces)
        : m_attribution(snapshot, inventory ? *inventory : noInventory(),
                        namespaces ? *namespaces : NamespaceMap())
    {}

    ConnectionRow row(const Socket &socket)
    {
        // Per namespace: Snapshot::isListeningEndpoint mixes every namespace of the table.
        const Owner &owner = ownerOfSocket(socket);
        return {socket, m_attribution.sideOf(socket), owner.id, owner.name};
    }

private:
    struct Owner
    {
        QString id;
        QString name;
    };

    static const DockerInventory &noInventory()
    {
        static const DockerInventory none;
        return none;
    }

    const Owner &ownerOf(std::uint64_t netns)
    {
        const std::uint64_t canonical = m_attribution.canonicalNetns(netns);
        auto it = m_owners.find(canonical);
        if (it != m_owners.end())
            return *it;
        Owner owner;
        const EndpointOwner endpointOwner = m_attribution.ownerOfNamespace(netns);
        if (endpointOwner.kind == OwnerKind::Container) {
            const Container &container =
                m_attribution.inventory().containers[size_t(endpointOwner.container)];
            owner.id = container.id;
            owner.name = safeDisplayText(container.name);
        } else if (endpointOwner.kind == OwnerKind::Unknown) {
            owner.id = QStringLiteral("netns:") + QString::number(canonical);
            owner.name = ConnectionTableModel::tr("namespace %1").arg(canonical);
        }
        return *m_owners.insert(canonical, owner);
    }

    // A host socket with a known process (ss -p as root): the process, once per pid. Its id
    // stays the host's (empty), so the container filter's "host" still takes it.
    const Owner &ownerOfSocket(const Socket &socket)
    {
        if (socket.pid == 0 || !m_attribution.isHostNamespace(socket.netns))
            return ownerOf(socket.netns);
        auto it = m_processOwners.find(socket.pid);
        if (it != m_processOwners.end())
            return *it;
        const EndpointOwner endpointOwner = m_attribution.ownerOfLocal(socket);
        if (endpointOwner.kind != OwnerKind::HostProcess)
            return ownerOf(socket.netns);
        return *m_processOwners.insert(socket.pid,
                                       Owner{QString(), m_attribution.describe(endpointOwner)});
    }

    const Attribution m_attribution;
    QHash<std::uint64_t, Owner> m_owners;
    QHash<std::uint32_t, Owner> m_processOwners;
};

// The role bits of what differs between a row as shown and as it is now; 0: nothing.
unsigned changeBits(const ConnectionRow &current, const ConnectionRow &next)
{
    unsigned bits = 0;
    if (current.socket.state != next.socket.state)
        bits |= DisplayBits | StateBits;
    if (current.side != next.side)
        bits |= DisplayBits | SideBits;
    if (current.ownerId != next.ownerId || current.ownerName != next.ownerName)
        bits |= DisplayBits | OwnerBits;
    if (current.socket.receiveQueue != next.socket.receiveQueue ||
        current.socket.sendQueue != next.socket.sendQueue ||
        current.socket.uid != next.socket.uid || current.socket.inode != next.socket.inode ||
        current.socket.pid != next.socket.pid)
        bits |= DisplayBits;
    return bits;
}

std::atomic<std::uint64_t> lastPreparedId{0};

} // namespace

void ConnectionTableModel::applySnapshot(SnapshotPtr snapshot,
                                         std::shared_ptr<const DockerInventory> inventory,
                                         std::shared_ptr<const NamespaceMap> namespaces)
{
    if (!snapshot) {
        clear();
        return;
    }
    if (!m_rows.empty() && snapshot->hostId != m_hostId)
        clear(); // another host: a diff between two hosts' tables means nothing
    m_hostId = snapshot->hostId;
    m_snapshot = snapshot;
    m_preparedId = 0;

    RowMaker maker(*snapshot, inventory.get(), namespaces.get());
    std::vector<char> keep(m_rows.size(), 0);
    std::vector<Row> added;
    std::vector<ChangedRow> changed;
    if (m_index.capacity() < qsizetype(snapshot->sockets.size()))
        m_index.reserve(qsizetype(snapshot->sockets.size()));

    for (const Socket &socket : snapshot->sockets) {
        const SocketKey key = SocketKey::of(socket);
        // New sockets get a provisional negative entry, -(position in `added` + 1), so a
        // repeated 4-tuple in the same table (which a parser should not give) is dropped here
        // rather than shown twice.
        // One lookup: operator[] inserts a missing key, which the size change tells.
        const qsizetype sizeBefore = m_index.size();
        int &slot = m_index[key];
        if (m_index.size() != sizeBefore) {
            slot = -int(added.size()) - 1;
            added.push_back(maker.row(socket));
            continue;
        }
        const int row = slot;
        if (row < 0 || keep[size_t(row)])
            continue; // duplicate
        keep[size_t(row)] = 1;
        Row &current = m_rows[size_t(row)];
        Row next = maker.row(socket);
        if (const unsigned bits = changeBits(current, next)) {
            // dataChanged follows the change: the new values are in place when it is emitted.
            current = std::move(next);
            changed.push_back({row, bits});
        }
    }

    // 1. Changed rows, on the old row numbers (no row has moved yet).
    announceChanged(std::move(changed), rolesOf);

    // 2. Gone rows.
    dropRows(keep);

    // 3. New rows, in one batch at the end.
    appendRows(std::move(added));
}

void ConnectionTableModel::adoptOrder(const PreparedTable &prepared)
{
    if (m_rows.size() != prepared.modelOrder.size())
        return; // not the same sockets: leave it to the next full diff
    std::vector<int> newRowOf(m_rows.size());
    bool moved = false;
    for (std::size_t row = 0; row < m_rows.size(); ++row) {
        const int target = prepared.modelRow.value(m_rows[row].key(), -1);
        if (target < 0)
            return;
        newRowOf[row] = target;
        moved = moved || target != int(row);
    }
    if (moved) {
        emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
        std::vector<Row> reordered(m_rows.size());
        for (std::size_t row = 0; row < m_rows.size(); ++row)
            reordered[size_t(newRowOf[row])] = std::move(m_rows[row]);
        m_rows = std::move(reordered);
        const QModelIndexList from = persistentIndexList();
        QModelIndexList to;
        to.reserve(from.size());
        for (const QModelIndex &index : from)
            to.append(createIndex(newRowOf[size_t(index.row())], index.column()));
        changePersistentIndexList(from, to);
        emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
    }
    m_index = prepared.modelRow;
    m_preparedId = prepared.id;
}

PreparedTablePtr ConnectionTableModel::prepare(SnapshotPtr snapshot,
                                               std::shared_ptr<const DockerInventory> inventory,
                                               std::shared_ptr<const NamespaceMap> namespaces,
                                               const PreparedTablePtr &previous)
{
    auto prepared = std::make_shared<PreparedTable>();
    prepared->id = ++lastPreparedId;
    if (!snapshot)
        return prepared;
    RowMaker maker(*snapshot, inventory.get(), namespaces.get());
    std::vector<ConnectionRow> &rows = prepared->rows;
    rows.reserve(snapshot->sockets.size());
    QHash<SocketKey, int> position;
    position.reserve(qsizetype(snapshot->sockets.size()));
    for (const Socket &socket : snapshot->sockets) {
        // One lookup, as in applySnapshot(); a repeated 4-tuple keeps its first row.
        const qsizetype sizeBefore = position.size();
        int &slot = position[SocketKey::of(socket)];
        if (position.size() == sizeBefore)
            continue;
        slot = int(rows.size());
        rows.push_back(maker.row(socket));
    }

    std::vector<int> &order = prepared->modelOrder;
    order.reserve(rows.size());
    if (previous && previous->table && previous->table->hostId == snapshot->hostId) {
        prepared->baseId = previous->id;
        std::vector<char> matched(rows.size(), 0);
        for (const int before : previous->modelOrder) {
            const ConnectionRow &old = previous->rows[size_t(before)];
            const auto it = position.constFind(old.key());
            if (it == position.cend()) {
                prepared->gone.push_back(old.key());
                continue;
            }
            matched[size_t(*it)] = 1;
            order.push_back(*it);
            if (const unsigned bits = changeBits(old, rows[size_t(*it)]))
                prepared->changed.emplace_back(*it, bits);
        }
        for (std::size_t i = 0; i < rows.size(); ++i) {
            if (!matched[i]) {
                prepared->added.push_back(int(i));
                order.push_back(int(i));
            }
        }
    } else {
        for (std::size_t i = 0; i < rows.size(); ++i) {
            prepared->added.push_back(int(i));
            order.push_back(int(i));
        }
    }
    prepared->modelRow.reserve(qsizetype(order.size()));
    for (std::size_t row = 0; row < order.size(); ++row)
        prepared->modelRow.insert(rows[size_t(order[row])].key(), int(row));
    prepared->table = std::move(snapshot);
    prepared->inventory = std::move(inventory);
    prepared->namespaces = std::move(namespaces);
    return prepared;
}

void ConnectionTableModel::applyPrepared(const PreparedTablePtr &prepared)
{
    if (!prepared || !prepared->table) {
        clear();
        return;
    }
    if (!m_rows.empty() && prepared->table->hostId != m_hostId)
        clear();
    const auto adopt = [this, &prepared] {
        m_hostId = prepared->table->hostId;
        m_snapshot = prepared->table;
        m_index = prepared->modelRow;
        m_preparedId = prepared->id;
    };
    if (m_rows.empty()) {
        // A load, in the prepared row order, so that the next table's diff fits.
        std::vector<Row> rows;
        rows.reserve(prepared->modelOrder.size());
        for (const int position : prepared->modelOrder)
            rows.push_back(prepared->rows[size_t(position)]);
        appendRows(std::move(rows), IndexUpkeep::Replaced);
        adopt();
        return;
    }
    if (m_preparedId == 0 || m_preparedId != prepared->baseId) {
        // Not what the diff was made against (a table applied directly, a skipped one): the
        // full diff here, then the prepared row order, so that the next diff fits again.
        applySnapshot(prepared->table, prepared->inventory, prepared->namespaces);
        adoptOrder(*prepared);
        return;
    }

    // A big change goes under one layout change (replaceRows()), which makes every proxy and
    // view read every row again: changed values need no dataChanged of their own then.
    const bool relayout = prepared->gone.size() + prepared->added.size() > MaxSignalledRows;

    // What changed, looked up on the old row numbers (no row has moved yet).
    std::vector<ChangedRow> changed;
    changed.reserve(prepared->changed.size());
    for (const auto &[position, bits] : prepared->changed) {
        const Row &next = prepared->rows[size_t(position)];
        const int row = m_index.value(next.key(), -1);
        if (row < 0)
            continue;
        m_rows[size_t(row)] = next;
        changed.push_back({row, bits});
    }
    if (!relayout)
        announceChanged(std::move(changed), rolesOf);

    std::vector<char> keep(m_rows.size(), 1);
    for (const SocketKey &key : prepared->gone) {
        const int row = m_index.value(key, -1);
        if (row >= 0)
            keep[size_t(row)] = 0;
    }
    std::vector<Row> added;
    added.reserve(prepared->added.size());
    for (const int position : prepared->added)
        added.push_back(prepared->rows[size_t(position)]);
    // The index is the prepared one, set at the end: kept up row by row it would be rebuilt
    // here (a rehash of every key below the first gone row) on the GUI thread.
    if (relayout) {
        replaceRows(keep, std::move(added), IndexUpkeep::Replaced);
    } else {
        dropRows(keep, IndexUpkeep::Replaced);
        appendRows(std::move(added), IndexUpkeep::Replaced);
    }
    adopt();
    if (m_rows.size() != prepared->modelOrder.size()) {
        // Should not happen: the diff was made against what is shown. Recover by a reload.
        qWarning("ConnectionTableModel: a prepared table did not fit the rows shown");
        clear();
        applyPrepared(prepared);
    }
}

} // namespace twbench
