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
};

QList<int> rolesOf(unsigned bits)
{
    QList<int> roles{Qt::DisplayRole, ConnectionTableModel::SortRole};
    if (bits & StateBits)
        roles.append(ConnectionTableModel::StateRole);
    if (bits & SideBits)
        roles.append(ConnectionTableModel::SideRole);
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

// Rows with at most this many unchanged rows between them share one dataChanged range: a few
// needless repaints cost less than many signals.
constexpr int MergeGap = 4;

} // namespace

ConnectionTableModel::ConnectionTableModel(QObject *parent)
    : QAbstractTableModel(parent)
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
    return names;
}

int ConnectionTableModel::rowOf(const SocketKey &key) const
{
    const auto it = m_index.constFind(key);
    return it == m_index.constEnd() || *it < 0 ? -1 : *it;
}

void ConnectionTableModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_index.clear();
    m_snapshot.reset();
    m_hostId.clear();
    endResetModel();
}

void ConnectionTableModel::applySnapshot(SnapshotPtr snapshot)
{
    if (!snapshot) {
        clear();
        return;
    }
    if (!m_rows.empty() && snapshot->hostId != m_hostId)
        clear(); // another host: a diff between two hosts' tables means nothing
    m_hostId = snapshot->hostId;
    m_snapshot = snapshot;

    const ListenerIndex listeners(*snapshot);
    std::vector<char> keep(m_rows.size(), 0);
    std::vector<Row> added;
    std::vector<std::pair<int, unsigned>> changed; // row, ChangedRole bits
    if (m_index.capacity() < qsizetype(snapshot->sockets.size()))
        m_index.reserve(qsizetype(snapshot->sockets.size()));

    for (const Socket &socket : snapshot->sockets) {
        const SocketKey key = SocketKey::of(socket);
        const SocketSide side = listeners.sideOf(socket);
        // New sockets get a provisional negative entry, -(position in `added` + 1), so a
        // repeated 4-tuple in the same table (which a parser should not give) is dropped here
        // rather than shown twice.
        // One lookup: operator[] inserts a missing key, which the size change tells.
        const qsizetype sizeBefore = m_index.size();
        int &slot = m_index[key];
        if (m_index.size() != sizeBefore) {
            slot = -int(added.size()) - 1;
            added.push_back({socket, side});
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
        if (current.socket.receiveQueue != socket.receiveQueue ||
            current.socket.sendQueue != socket.sendQueue || current.socket.uid != socket.uid ||
            current.socket.inode != socket.inode)
            bits |= DisplayBits;
        if (bits) {
            // dataChanged follows the change: the new values are in place when it is emitted.
            current = {socket, side};
            changed.emplace_back(row, bits);
        }
    }

    // 1. Changed rows, on the old row numbers (no row has moved yet).
    if (!changed.empty()) {
        std::sort(changed.begin(), changed.end());
        struct Range
        {
            int first, last;
            unsigned bits;
        };
        std::vector<Range> ranges;
        unsigned allBits = 0;
        for (const auto &[row, bits] : changed) {
            allBits |= bits;
            if (!ranges.empty() && row - ranges.back().last <= MergeGap + 1) {
                ranges.back().last = row;
                ranges.back().bits |= bits;
            } else {
                ranges.push_back({row, row, bits});
            }
        }
        if (ranges.size() > size_t(MaxChangedRanges)) {
            emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1),
                             rolesOf(allBits));
        } else {
            for (const Range &range : ranges)
                emit dataChanged(index(range.first, 0), index(range.last, ColumnCount - 1),
                                 rolesOf(range.bits));
        }
    }

    // 2. Gone rows.
    dropRows(keep);

    // 3. New rows, in one batch at the end.
    appendNew(std::move(added));
}

void ConnectionTableModel::dropRows(const std::vector<char> &keep)
{
    struct Range
    {
        size_t first, last; // inclusive
    };
    std::vector<Range> ranges;
    for (size_t row = 0; row < keep.size(); ++row) {
        if (keep[row])
            continue;
        m_index.remove(SocketKey::of(m_rows[row].socket));
        if (!ranges.empty() && ranges.back().last + 1 == row)
            ranges.back().last = row;
        else
            ranges.push_back({row, row});
    }
    if (ranges.empty())
        return;

    // Rows moved by erasing range after range from the bottom up: each range moves the rows
    // that were below it and have not been removed.
    qsizetype moves = 0;
    size_t removedBelow = 0;
    for (auto it = ranges.rbegin(); it != ranges.rend(); ++it) {
        moves += qsizetype(keep.size() - it->last - 1 - removedBelow);
        removedBelow += it->last - it->first + 1;
    }

    if (moves <= MaxRemovalRowMoves) {
        for (auto it = ranges.rbegin(); it != ranges.rend(); ++it) {
            beginRemoveRows({}, int(it->first), int(it->last));
            m_rows.erase(m_rows.begin() + std::ptrdiff_t(it->first),
                         m_rows.begin() + std::ptrdiff_t(it->last) + 1);
            endRemoveRows();
        }
    } else {
        emit layoutAboutToBeChanged({}, QAbstractItemModel::NoLayoutChangeHint);
        std::vector<int> newRow(keep.size(), -1);
        size_t out = 0;
        for (size_t row = 0; row < keep.size(); ++row) {
            if (!keep[row])
                continue;
            newRow[row] = int(out);
            if (out != row)
                m_rows[out] = std::move(m_rows[row]);
            ++out;
        }
        m_rows.resize(out);
        const QModelIndexList from = persistentIndexList();
        QModelIndexList to;
        to.reserve(from.size());
        for (const QModelIndex &index : from) {
            const int row = newRow[size_t(index.row())];
            to.append(row < 0 ? QModelIndex() : createIndex(row, index.column()));
        }
        changePersistentIndexList(from, to);
        emit layoutChanged({}, QAbstractItemModel::NoLayoutChangeHint);
    }
    reindexFrom(ranges.front().first);
}

void ConnectionTableModel::appendNew(std::vector<Row> &&rows)
{
    if (rows.empty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(rows.size()) - 1);
    m_rows.reserve(m_rows.size() + rows.size());
    for (Row &row : rows) {
        m_index.insert(SocketKey::of(row.socket), int(m_rows.size()));
        m_rows.push_back(std::move(row));
    }
    endInsertRows();
}

void ConnectionTableModel::reindexFrom(size_t first)
{
    for (size_t row = first; row < m_rows.size(); ++row)
        m_index.insert(SocketKey::of(m_rows[row].socket), int(row));
}

} // namespace twbench
