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

    SnapshotPtr snapshot() const { return m_snapshot; }
    const Socket &socketAt(int row) const { return m_rows[size_t(row)].socket; }
    SocketSide sideAt(int row) const { return m_rows[size_t(row)].side; }
    const ConnectionRow &rowAt(int row) const { return m_rows[size_t(row)]; }

private:
    using Row = ConnectionRow;

    SnapshotPtr m_snapshot;
    QString m_hostId;
};

} // namespace twbench
