#include "connectiontablemodel.h"

#include <QLocale>

#include <algorithm>

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
{}

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
    resetRows();
}

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

    static const DockerInventory noInventory;
    const Attribution attribution(*snapshot, inventory ? *inventory : noInventory,
                                  namespaces ? *namespaces : NamespaceMap());
    // One owner per namespace, worked out once: a table has few namespaces and many sockets,
    // and the strings are then shared by every row of a namespace.
    struct Owner
    {
        QString id;
        QString name;
    };
    QHash<std::uint64_t, Owner> owners;
    const auto ownerOf = [&](std::uint64_t netns) -> const Owner & {
        const std::uint64_t canonical = attribution.canonicalNetns(netns);
        auto it = owners.find(canonical);
        if (it != owners.end())
            return *it;
        Owner owner;
        const EndpointOwner endpointOwner = attribution.ownerOfNamespace(netns);
        if (endpointOwner.kind == OwnerKind::Container) {
            const Container &container =
                attribution.inventory().containers[size_t(endpointOwner.container)];
            owner.id = container.id;
            owner.name = safeDisplayText(container.name);
        } else if (endpointOwner.kind == OwnerKind::Unknown) {
            owner.id = QStringLiteral("netns:") + QString::number(canonical);
            owner.name = tr("namespace %1").arg(canonical);
        }
        return *owners.insert(canonical, owner);
    };
    // A host socket with a known process (ss -p as root): the process, once per pid. Its id
    // stays the host's (empty), so the container filter's "host" still takes it.
    QHash<std::uint32_t, Owner> processOwners;
    const auto ownerOfSocket = [&](const Socket &socket) -> const Owner & {
        if (socket.pid == 0 || !attribution.isHostNamespace(socket.netns))
            return ownerOf(socket.netns);
        auto it = processOwners.find(socket.pid);
        if (it != processOwners.end())
            return *it;
        const EndpointOwner endpointOwner = attribution.ownerOfLocal(socket);
        if (endpointOwner.kind != OwnerKind::HostProcess)
            return ownerOf(socket.netns);
        return *processOwners.insert(socket.pid,
                                     Owner{QString(), attribution.describe(endpointOwner)});
    };

    std::vector<char> keep(m_rows.size(), 0);
    std::vector<Row> added;
    std::vector<ChangedRow> changed;
    if (m_index.capacity() < qsizetype(snapshot->sockets.size()))
        m_index.reserve(qsizetype(snapshot->sockets.size()));

    for (const Socket &socket : snapshot->sockets) {
        const SocketKey key = SocketKey::of(socket);
        // Per namespace: Snapshot::isListeningEndpoint mixes every namespace of the table.
        const SocketSide side = attribution.sideOf(socket);
        const Owner &owner = ownerOfSocket(socket);
        // New sockets get a provisional negative entry, -(position in `added` + 1), so a
        // repeated 4-tuple in the same table (which a parser should not give) is dropped here
        // rather than shown twice.
        // One lookup: operator[] inserts a missing key, which the size change tells.
        const qsizetype sizeBefore = m_index.size();
        int &slot = m_index[key];
        if (m_index.size() != sizeBefore) {
            slot = -int(added.size()) - 1;
            added.push_back({socket, side, owner.id, owner.name});
            continue;
        }
        const int row = slot;
        if (row < 0 || keep[size_t(row)])
            continue; // duplicate
        keep[size_t(row)] = 1;
        Row &current = m_rows[size_t(row)];
        unsigned bits = 0;
        if (current.socket.state != socket.state)
            bits |= DisplayBits | StateBits;
        if (current.side != side)
            bits |= DisplayBits | SideBits;
        if (current.ownerId != owner.id || current.ownerName != owner.name)
            bits |= DisplayBits | OwnerBits;
        if (current.socket.receiveQueue != socket.receiveQueue ||
            current.socket.sendQueue != socket.sendQueue || current.socket.uid != socket.uid ||
            current.socket.inode != socket.inode || current.socket.pid != socket.pid)
            bits |= DisplayBits;
        if (bits) {
            // dataChanged follows the change: the new values are in place when it is emitted.
            current = {socket, side, owner.id, owner.name};
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

} // namespace twbench
