#pragma once

#include "attribution.h"
#include "docker/dockerinventory.h"
#include "rowdiffmodel.h"
#include "snapshot.h"
#include "socket.h"
#include "socketgrouper.h"

#include <QAbstractTableModel>
#include <QHash>

#include <memory>
#include <optional>
#include <vector>

namespace twbench {

// The sockets of one host, one row per socket, as `netstat -tn` shows them plus the side of
// each connection. Rows stay in the order they first appeared; a view sorts and filters through
// ConnectionFilterProxy.
//
// applySnapshot() applies a new table as a diff keyed by SocketKey (libksysguard's
// handleChangedProcesses): changed rows are announced in a few merged dataChanged ranges with
// explicit roles, gone rows are removed range by range from the bottom up, new rows are appended
// in one batch. The model is never reset by an update, so a view keeps its selection, current
// index and scroll position. Only clear() (switching hosts) resets.
// One row of ConnectionTableModel.
struct ConnectionRow
{
    Socket socket;
    SocketSide side = SocketSide::Client;
    // Who owns the local end (Attribution::ownerOfLocal): a container's id, "netns:<inode>" for
    // a namespace the inventory does not explain, empty for the host itself.
    QString ownerId;
    // The container's name, or for a host socket with a known process "process nginx (1234)";
    // already through safeDisplayText(). Empty: the host, process unknown.
    QString ownerName;

    SocketKey key() const { return SocketKey::of(socket); }
};

// A table made ready for ConnectionTableModel off the GUI thread (ConnectionTableModel::prepare):
// every socket's row with its side and owner worked out, how the table differs from the one
// prepared before it, and the rows in the order the model holds them once both are applied in
// turn. A model that shows the table before applies this one with work in proportion to what
// changed (applyPrepared()), not to the table's size. Immutable once made; share it.
struct PreparedTable
{
    std::uint64_t id = 0;     // unique per prepare() call
    std::uint64_t baseId = 0; // the table diffed against; 0: none (a first table)
    SnapshotPtr table;
    std::shared_ptr<const DockerInventory> inventory;
    std::shared_ptr<const NamespaceMap> namespaces;
    std::vector<ConnectionRow> rows; // one per distinct socket, in table order
    // What the model shows, in its row order: positions into `rows` (the rows of the base that
    // stay, in their order, then the new ones), and each key's row.
    std::vector<int> modelOrder;
    QHash<SocketKey, int> modelRow;
    // Against the base: positions into `rows` of the new sockets (in table order) and of the
    // changed ones with ConnectionTableModel's role bits, and the keys that are gone.
    std::vector<int> added;
    std::vector<std::pair<int, unsigned>> changed;
    std::vector<SocketKey> gone;
};
using PreparedTablePtr = std::shared_ptr<const PreparedTable>;

class ConnectionTableModel final : public RowDiffModel<ConnectionRow, SocketKey>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionTableModel)

public:
    enum Column : int {
        LocalColumn,        // local endpoint, 10.25.20.251:6601
        RemoteColumn,       // remote endpoint
        StateColumn,        // kernel spelling: TIME_WAIT
        SideColumn,         // server / client / listening
        ContainerColumn,    // owner of the local end: container name; for the host, the
                            // process where known ("process nginx (1234)"), else empty
        ReceiveQueueColumn, // Recv-Q, bytes
        SendQueueColumn,    // Send-Q, bytes
        UidColumn,          // empty when the source does not give it (ss, netstat)
        InodeColumn,        // empty when unknown (always for TIME_WAIT)
        NamespaceColumn,    // network namespace inode; empty for the host's own
        ColumnCount
    };

    enum Role : int {
        // The unformatted value of the cell, for sorting: Endpoint (ordered by address bytes,
        // then port: numeric, IPv4 before IPv6), int (TcpState's kernel number, SocketSide),
        // quint32 (queues), qint64 (uid, -1 unknown), quint64 (inode, namespace).
        SortRole = Qt::UserRole + 1,
        // Same on every column of a row: the TcpState as int, for state filters.
        StateRole,
        // Same on every column: the SocketSide as int.
        SideRole,
        // Same on every column: "local remote" as displayed, which the text filter searches.
        FilterTextRole,
        // Same on every column: the row's SocketKey (QVariant::fromValue), to find a row again
        // or to drill down from it.
        SocketKeyRole,
        // Same on every column: ConnectionRow::ownerId (the container's id, empty for the
        // host), for the container filter.
        OwnerIdRole,
    };

    explicit ConnectionTableModel(QObject *parent = nullptr);
    ~ConnectionTableModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Shows `snapshot` as a diff against what is shown. A snapshot of another host than the one
    // shown resets the model (as clear() then a full load); a null snapshot clears.
    // With the host's docker inventory and namespace map, sockets are attributed to their
    // containers and sides are judged per namespace (a port that listens in a container says
    // nothing about the host's port of that number); without, every socket is the host's.
    void applySnapshot(SnapshotPtr snapshot, std::shared_ptr<const DockerInventory> inventory = {},
                       std::shared_ptr<const NamespaceMap> namespaces = {});
    // Empties the model with a reset: for switching hosts.
    void clear();

    // The work of applySnapshot() that does not touch the model, for a worker thread: rows,
    // sides, owners, and the difference from `previous` (the table prepared before, of the same
    // host; null for none). Thread-safe: reads only its arguments.
    static PreparedTablePtr prepare(SnapshotPtr snapshot,
                                    std::shared_ptr<const DockerInventory> inventory,
                                    std::shared_ptr<const NamespaceMap> namespaces,
                                    const PreparedTablePtr &previous);
    // Shows a prepared table. When the model shows the table it was diffed against (applied
    // through here) or nothing, the change costs the GUI thread what changed plus moving rows;
    // otherwise it falls back to applySnapshot() of its table. Same signals either way.
    void applyPrepared(const PreparedTablePtr &prepared);

    SnapshotPtr snapshot() const { return m_snapshot; }
    const Socket &socketAt(int row) const { return m_rows[size_t(row)].socket; }
    SocketSide sideAt(int row) const { return m_rows[size_t(row)].side; }
    const ConnectionRow &rowAt(int row) const { return m_rows[size_t(row)]; }
    // Row a before row b in `column`, as their SortRole values order them.
    bool lessThan(int a, int b, int column) const;
    // Whether the row's FilterTextRole text contains `text`, case-insensitively, without making
    // that string: a text filter asks this of every row whenever a new table is laid out, and
    // two QStrings a row cost more than the match. `text` as textNeedle() makes it.
    bool rowContainsText(int row, QByteArrayView needle) const;
    // `text` spelled as rowContainsText() looks for it: ASCII in lower case, which is how every
    // endpoint is written (digits, '.', ':', brackets, lower-case hex). Nullopt: a character no
    // endpoint has a case-insensitive match for, so no row contains it.
    static std::optional<QByteArray> textNeedle(QStringView text);

private:
    using Row = ConnectionRow;

    // A row's value in one column as integers compared in order, so that a sort compares two
    // of these, side by side in one array, rather than reaching into two rows scattered over
    // the table (at 100k rows each comparison was two cache misses). Not for ContainerColumn.
    struct SortKey
    {
        std::uint64_t high = 0;
        std::uint64_t low = 0;
        std::uint32_t tail = 0;
        friend auto operator<=>(const SortKey &, const SortKey &) = default;
    };
    static SortKey sortKeyOf(const Row &row, int column);
    void buildSortKeys(int column) const;
    void updateSortKeys(int first, int last) const;

    // After a full diff of `prepared`'s table: puts the rows in its order (one layout change,
    // persistent indexes carried along) and takes its index, so that the next prepared table,
    // diffed against this one, applies as a diff again.
    void adoptOrder(const PreparedTable &prepared);

    SnapshotPtr m_snapshot;
    QString m_hostId;
    std::uint64_t m_preparedId = 0; // the PreparedTable shown; 0: none (applySnapshot, clear)
    // Every row's SortKey in m_sortKeyColumn, made when a sort first asks and kept while the
    // rows stay (changed rows are updated in place); -1: none.
    mutable std::vector<SortKey> m_sortKeys;
    mutable int m_sortKeyColumn = -1;
};

} // namespace twbench
