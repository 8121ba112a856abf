#include "model/connectionfilterproxy.h"
#include "model/connectiontablemodel.h"
#include "model/endpointgroupmodel.h"
#include "model/hostlistmodel.h"
#include "model/socketgrouper.h"
#include "model/variantsortproxy.h"

#include <QAbstractItemModelTester>
#include <QItemSelectionModel>
#include <QSignalSpy>
#include <QSortFilterProxyModel>

#include <gtest/gtest.h>

#include <memory>
#include <set>

using namespace twbench;

namespace {

using Tester = QAbstractItemModelTester;
constexpr auto Fatal = QAbstractItemModelTester::FailureReportingMode::Fatal;

Endpoint v4(std::uint32_t address, std::uint16_t port)
{
    return {IpAddress::fromV4(address), port};
}

// Socket number `n`: a distinct connection from peer 10.1.x.y to this host's :80.
Socket conn(int n, TcpState state = TcpState::Established, std::uint32_t recvQ = 0)
{
    Socket socket;
    socket.local = v4(0x0a000001, 80);
    socket.remote = v4(0x0a010000u + std::uint32_t(n / 1000), std::uint16_t(10000 + n % 1000));
    socket.state = state;
    socket.receiveQueue = recvQ;
    return socket;
}

Socket listen80()
{
    Socket socket;
    socket.local = v4(0, 80);
    socket.remote = v4(0, 0);
    socket.state = TcpState::Listen;
    return socket;
}

SnapshotPtr snap(std::vector<Socket> sockets, const QString &host = QStringLiteral("h1"))
{
    auto snapshot = std::make_shared<Snapshot>();
    snapshot->hostId = host;
    snapshot->sockets = std::move(sockets);
    snapshot->finalize();
    return snapshot;
}

std::vector<Socket> range(int from, int to, TcpState state = TcpState::Established)
{
    std::vector<Socket> sockets;
    for (int n = from; n < to; ++n)
        sockets.push_back(conn(n, state));
    return sockets;
}

// The model shows exactly the snapshot's sockets, each once, with their current values.
void expectShows(const ConnectionTableModel &model, const Snapshot &snapshot)
{
    std::set<SocketKey> expected;
    for (const Socket &socket : snapshot.sockets)
        expected.insert(SocketKey::of(socket));
    ASSERT_EQ(size_t(model.rowCount()), expected.size());
    std::set<SocketKey> shown;
    for (int row = 0; row < model.rowCount(); ++row) {
        shown.insert(SocketKey::of(model.socketAt(row)));
        EXPECT_EQ(model.rowOf(SocketKey::of(model.socketAt(row))), row);
    }
    EXPECT_EQ(shown, expected);
    for (const Socket &socket : snapshot.sockets) {
        const int row = model.rowOf(SocketKey::of(socket));
        ASSERT_GE(row, 0);
        EXPECT_EQ(model.socketAt(row).state, socket.state);
        EXPECT_EQ(model.socketAt(row).receiveQueue, socket.receiveQueue);
    }
}

std::vector<SnapshotPtr> churn()
{
    std::vector<SnapshotPtr> sequence;
    std::vector<Socket> s = range(0, 40);
    s.push_back(listen80());
    sequence.push_back(snap(s));
    // Remove 5..9 and 20, 22; add 100..104; 30..34 go to TIME_WAIT; 35 gets a queue.
    std::vector<Socket> t;
    for (const Socket &socket : s) {
        const int n = socket.state == TcpState::Listen ? -1 : socket.remote.port - 10000;
        if ((n >= 5 && n < 10) || n == 20 || n == 22)
            continue;
        Socket copy = socket;
        if (n >= 30 && n < 35)
            copy.state = TcpState::TimeWait;
        if (n == 35)
            copy.receiveQueue = 512;
        t.push_back(copy);
    }
    for (Socket socket : range(100, 105))
        t.push_back(socket);
    sequence.push_back(snap(t));
    // Everything but the listener and 100..104 goes; new ones come.
    std::vector<Socket> u = range(100, 105, TcpState::CloseWait);
    u.push_back(listen80());
    for (Socket socket : range(200, 260))
        u.push_back(socket);
    sequence.push_back(snap(u));
    sequence.push_back(snap({}));
    sequence.push_back(snap(range(0, 10)));
    return sequence;
}

} // namespace

TEST(ConnectionTableModel, PassesModelTesterAcrossChurn)
{
    ConnectionTableModel model;
    Tester tester(&model, Fatal);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    for (const SnapshotPtr &snapshot : churn()) {
        model.applySnapshot(snapshot);
        expectShows(model, *snapshot);
    }
    EXPECT_EQ(resets.count(), 0);
}

TEST(ConnectionTableModel, ProxyPassesModelTesterWhileSortedAndFiltered)
{
    ConnectionTableModel model;
    ConnectionFilterProxy proxy;
    proxy.setSourceModel(&model);
    Tester sourceTester(&model, Fatal);
    Tester proxyTester(&proxy, Fatal);
    proxy.sort(ConnectionTableModel::RemoteColumn, Qt::DescendingOrder);
    proxy.setStateFilter({TcpState::Established, TcpState::TimeWait});
    for (const SnapshotPtr &snapshot : churn()) {
        model.applySnapshot(snapshot);
        const auto expected = std::count_if(
            snapshot->sockets.begin(), snapshot->sockets.end(), [](const Socket &socket) {
                return socket.state == TcpState::Established || socket.state == TcpState::TimeWait;
            });
        EXPECT_EQ(proxy.rowCount(), int(expected));
    }
    proxy.setTextFilter(QStringLiteral("10.1.0.0:10003"));
    EXPECT_EQ(proxy.rowCount(), 1);
}

TEST(ConnectionTableModel, PersistentIndexFollowsItsSocketAndNothingResets)
{
    ConnectionTableModel model;
    Tester tester(&model, Fatal);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy layouts(&model, &QAbstractItemModel::layoutChanged);

    model.applySnapshot(snap(range(0, 50)));
    const SocketKey watched = SocketKey::of(conn(30));
    const QPersistentModelIndex selected(
        model.index(model.rowOf(watched), ConnectionTableModel::StateColumn));
    ASSERT_EQ(selected.row(), 30);

    // Rows above it go, rows come, its own state changes.
    std::vector<Socket> next = range(10, 50);
    next[20].state = TcpState::TimeWait; // socket 30
    for (Socket socket : range(500, 520))
        next.push_back(socket);
    model.applySnapshot(snap(next));
    ASSERT_TRUE(selected.isValid());
    EXPECT_EQ(selected.row(), 20);
    EXPECT_EQ(SocketKey::of(model.socketAt(selected.row())), watched);
    EXPECT_EQ(selected.data().toString(), QStringLiteral("TIME_WAIT"));

    std::vector<Socket> third = range(25, 31);
    third.back().state = TcpState::TimeWait;
    model.applySnapshot(snap(third));
    ASSERT_TRUE(selected.isValid());
    EXPECT_EQ(SocketKey::of(model.socketAt(selected.row())), watched);
    EXPECT_EQ(selected.data(ConnectionTableModel::SocketKeyRole).value<SocketKey>(), watched);

    model.applySnapshot(snap(range(0, 5))); // now it is gone
    EXPECT_FALSE(selected.isValid());
    EXPECT_EQ(resets.count(), 0);
    EXPECT_EQ(layouts.count(), 0);
}

TEST(ConnectionTableModel, ContiguousChangesGiveFewRanges)
{
    ConnectionTableModel model;
    model.applySnapshot(snap(range(0, 100)));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);

    std::vector<Socket> next;
    for (int n = 0; n < 100; ++n) {
        if ((n >= 30 && n < 40) || (n >= 60 && n < 65))
            continue; // two gone ranges
        next.push_back(conn(n, n >= 10 && n < 20 ? TcpState::TimeWait : TcpState::Established));
    }
    for (Socket socket : range(1000, 1007))
        next.push_back(socket);
    model.applySnapshot(snap(next));

    ASSERT_EQ(changed.count(), 1);
    EXPECT_EQ(changed[0][0].value<QModelIndex>().row(), 10);
    EXPECT_EQ(changed[0][1].value<QModelIndex>().row(), 19);
    EXPECT_EQ(changed[0][1].value<QModelIndex>().column(), ConnectionTableModel::ColumnCount - 1);
    const auto roles = changed[0][2].value<QList<int>>();
    EXPECT_TRUE(roles.contains(ConnectionTableModel::StateRole));
    EXPECT_TRUE(roles.contains(Qt::DisplayRole));

    ASSERT_EQ(removed.count(), 2);
    // Bottom up, so the first removal does not shift the second.
    EXPECT_EQ(removed[0][1].toInt(), 60);
    EXPECT_EQ(removed[0][2].toInt(), 64);
    EXPECT_EQ(removed[1][1].toInt(), 30);
    EXPECT_EQ(removed[1][2].toInt(), 39);

    ASSERT_EQ(inserted.count(), 1);
    EXPECT_EQ(inserted[0][1].toInt(), 85);
    EXPECT_EQ(inserted[0][2].toInt(), 91);
}

TEST(ConnectionTableModel, ScatteredChangesFallBackToOneDataChanged)
{
    ConnectionTableModel model;
    const int count = 2000;
    model.applySnapshot(snap(range(0, count)));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    std::vector<Socket> next = range(0, count);
    for (int n = 0; n < count; n += 20) // 100 isolated changes > MaxChangedRanges
        next[size_t(n)].receiveQueue = 1;
    model.applySnapshot(snap(next));
    ASSERT_EQ(changed.count(), 1);
    EXPECT_EQ(changed[0][0].value<QModelIndex>().row(), 0);
    EXPECT_EQ(changed[0][1].value<QModelIndex>().row(), count - 1);
    expectShows(model, *snap(next));
}

TEST(ConnectionTableModel, ManyScatteredRemovalsKeepSelectionUnderOneLayoutChange)
{
    ConnectionTableModel model;
    Tester tester(&model, Fatal);
    const int count = 6000;
    model.applySnapshot(snap(range(0, count)));
    const SocketKey watched = SocketKey::of(conn(5001));
    const QPersistentModelIndex selected(model.index(model.rowOf(watched), 0));
    const QPersistentModelIndex doomed(model.index(model.rowOf(SocketKey::of(conn(5000))), 0));
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy layouts(&model, &QAbstractItemModel::layoutChanged);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);

    std::vector<Socket> odd;
    for (int n = 1; n < count; n += 2) // every other row goes: 3000 ranges
        odd.push_back(conn(n));
    model.applySnapshot(snap(odd));

    EXPECT_EQ(removed.count(), 0);
    EXPECT_EQ(layouts.count(), 1);
    EXPECT_EQ(resets.count(), 0);
    ASSERT_TRUE(selected.isValid());
    EXPECT_EQ(SocketKey::of(model.socketAt(selected.row())), watched);
    EXPECT_FALSE(doomed.isValid());
    expectShows(model, *snap(odd));
}

TEST(ConnectionTableModel, RepeatedSocketIsShownOnceAndOtherHostResets)
{
    ConnectionTableModel model;
    Tester tester(&model, Fatal);
    std::vector<Socket> sockets = range(0, 3);
    sockets.push_back(conn(1));
    model.applySnapshot(snap(sockets));
    EXPECT_EQ(model.rowCount(), 3);

    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    model.applySnapshot(snap(range(0, 2), QStringLiteral("h2")));
    EXPECT_EQ(resets.count(), 1);
    EXPECT_EQ(model.rowCount(), 2);
    model.clear();
    EXPECT_EQ(resets.count(), 2);
    EXPECT_EQ(model.rowCount(), 0);
}

// Tables prepared off the GUI thread (ConnectionTableModel::prepare, each against the one before)
// show what a full diff shows, as diffs: the selection survives, nothing resets, and each row's
// index stays right although the model takes it ready-made. A chain broken by a table applied
// directly, or a model that starts empty (a host switch), still shows the right rows, and the
// next prepared table fits again.
TEST(ConnectionTableModel, PreparedTablesShowWhatTheFullDiffShows)
{
    std::vector<SnapshotPtr> tables;
    std::vector<Socket> current = range(0, 300);
    current.push_back(listen80());
    tables.push_back(snap(current));
    for (int step = 1; step <= 4; ++step) {
        std::vector<Socket> next;
        for (const Socket &socket : current) {
            const int n = socket.state == TcpState::Listen ? -1 : socket.remote.port - 10000;
            if (n >= 0 && n % (step + 2) == 0 && n != 151)
                continue; // scattered removals: more ranges than MaxRemovalRanges
            Socket copy = socket;
            if (n >= 100 + 10 * step && n < 110 + 10 * step)
                copy.state = TcpState::TimeWait;
            if (n == 200 + step)
                copy.receiveQueue = 7;
            if (n % 5 == step % 5) // scattered: more ranges than MaxChangedRanges
                copy.sendQueue = std::uint32_t(step);
            next.push_back(copy);
        }
        for (Socket socket : range(1000 * step, 1000 * step + 60))
            next.push_back(socket);
        next.push_back(next.front()); // a repeated 4-tuple, shown once
        current = next;
        tables.push_back(snap(current));
    }

    ConnectionTableModel prepared;
    Tester tester(&prepared, Fatal);
    std::vector<PreparedTablePtr> ready;
    ready.push_back(ConnectionTableModel::prepare(tables[0], {}, {}, nullptr));
    prepared.applyPrepared(ready[0]);
    expectShows(prepared, *tables[0]);
    const SocketKey watched = SocketKey::of(conn(151));
    const QPersistentModelIndex selected(prepared.index(prepared.rowOf(watched), 0));
    // As the connections view has it: a filter proxy above, the selection on the proxy.
    ConnectionFilterProxy proxy;
    proxy.setSourceModel(&prepared);
    proxy.setTextFilter(SocketKey::of(conn(151)).remote.toString());
    ASSERT_EQ(proxy.rowCount(), 1);
    const QPersistentModelIndex selectedInProxy(proxy.index(0, 0));
    QItemSelectionModel selection(&proxy);
    selection.setCurrentIndex(proxy.index(0, 0),
                              QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QSignalSpy resets(&prepared, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&prepared, &QAbstractItemModel::dataChanged);

    for (std::size_t i = 1; i < tables.size(); ++i) {
        ready.push_back(ConnectionTableModel::prepare(tables[i], {}, {}, ready[i - 1]));
        EXPECT_EQ(ready[i]->baseId, ready[i - 1]->id);
        if (i == 3)
            prepared.applySnapshot(tables[2]); // the chain broken: table 2 applied directly
        prepared.applyPrepared(ready[i]);
        expectShows(prepared, *tables[i]);
        ConnectionTableModel full;
        full.applySnapshot(tables[i]);
        for (int row = 0; row < full.rowCount(); ++row) {
            const int other = prepared.rowOf(full.rowAt(row).key());
            ASSERT_GE(other, 0);
            EXPECT_EQ(prepared.sideAt(other), full.sideAt(row));
            EXPECT_EQ(prepared.rowAt(other).ownerId, full.rowAt(row).ownerId);
        }
        ASSERT_TRUE(selected.isValid()) << "step " << i;
        EXPECT_EQ(prepared.rowAt(selected.row()).key(), watched);
        ASSERT_TRUE(selectedInProxy.isValid()) << "step " << i;
        ASSERT_TRUE(selection.currentIndex().isValid()) << "step " << i;
        EXPECT_EQ(
            selection.currentIndex().data(ConnectionTableModel::SocketKeyRole).value<SocketKey>(),
            watched);
        EXPECT_EQ(selectedInProxy.data(ConnectionTableModel::SocketKeyRole).value<SocketKey>(),
                  watched);
    }
    EXPECT_EQ(resets.count(), 0);
    EXPECT_FALSE(changed.isEmpty()); // the sockets that went to TIME_WAIT

    // A model that starts empty takes a prepared table whole; the next one fits it.
    ConnectionTableModel fresh;
    fresh.applyPrepared(ready[3]);
    expectShows(fresh, *tables[3]);
    fresh.applyPrepared(ready[4]);
    expectShows(fresh, *tables[4]);
}

TEST(ConnectionTableModel, SidesColumnsAndAlignment)
{
    ConnectionTableModel model;
    Socket client;
    client.local = v4(0x0a000001, 43000);
    client.remote = v4(0x0a000009, 3306);
    client.state = TcpState::TimeWait;
    model.applySnapshot(snap({listen80(), conn(1, TcpState::TimeWait, 7), client}));
    ASSERT_EQ(model.rowCount(), 3);
    EXPECT_EQ(model.columnCount(), ConnectionTableModel::ColumnCount);
    EXPECT_EQ(model.sideAt(0), SocketSide::Listener);
    EXPECT_EQ(model.sideAt(1), SocketSide::Server);
    EXPECT_EQ(model.sideAt(2), SocketSide::Client);
    EXPECT_EQ(model.index(1, ConnectionTableModel::LocalColumn).data().toString(),
              QStringLiteral("10.0.0.1:80"));
    EXPECT_EQ(model.index(1, ConnectionTableModel::ReceiveQueueColumn).data().toUInt(), 7u);
    const auto alignment = model.index(1, ConnectionTableModel::ReceiveQueueColumn)
                               .data(Qt::TextAlignmentRole)
                               .value<Qt::Alignment>();
    EXPECT_TRUE(alignment & Qt::AlignRight);
    EXPECT_FALSE(
        model.index(1, ConnectionTableModel::LocalColumn).data(Qt::TextAlignmentRole).isValid());
    EXPECT_EQ(model.index(2, 0).data(ConnectionTableModel::SideRole).toInt(),
              int(SocketSide::Client));
    EXPECT_FALSE(model.index(1, ConnectionTableModel::UidColumn).data().isValid());
    for (int column = 0; column < ConnectionTableModel::ColumnCount; ++column)
        EXPECT_FALSE(model.headerData(column, Qt::Horizontal).toString().isEmpty()) << column;

    // The side follows the listening set: without the listener, :80 is no service.
    model.applySnapshot(snap({conn(1, TcpState::TimeWait, 7), client}));
    EXPECT_EQ(model.sideAt(model.rowOf(SocketKey::of(conn(1)))), SocketSide::Client);
}

// As root the probe reads processes (ss -p): the Container column names a host socket's process;
// its owner id stays the host's, so the owner filter's "host" still takes it.
TEST(ConnectionTableModel, ContainerColumnNamesTheHostProcess)
{
    ConnectionTableModel model;
    Tester tester(&model, Fatal);
    Socket listener = listen80();
    listener.pid = 1234;
    Socket served = conn(1);
    served.pid = 1234;
    const Socket unnamed = conn(2, TcpState::TimeWait);
    auto snapshot = std::make_shared<Snapshot>();
    snapshot->hostId = QStringLiteral("h1");
    snapshot->sockets = {listener, served, unnamed};
    snapshot->processNames.insert(1234, QStringLiteral("nginx\x1b"));
    snapshot->finalize();
    model.applySnapshot(snapshot);
    ASSERT_EQ(model.rowCount(), 3);
    const auto owner = [&model](const Socket &socket) {
        return model
            .index(model.rowOf(SocketKey::of(socket)), ConnectionTableModel::ContainerColumn)
            .data()
            .toString();
    };
    EXPECT_EQ(owner(listener), QStringLiteral("process nginx\\x1b (1234)"));
    EXPECT_EQ(owner(served), QStringLiteral("process nginx\\x1b (1234)"));
    EXPECT_TRUE(owner(unnamed).isEmpty());
    EXPECT_TRUE(model.rowAt(model.rowOf(SocketKey::of(served))).ownerId.isEmpty());

    // The next table without processes (the probe lost root): the cell follows, announced.
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.applySnapshot(snap({listen80(), conn(1), conn(2, TcpState::TimeWait)}));
    EXPECT_TRUE(owner(served).isEmpty());
    EXPECT_FALSE(changed.isEmpty());
}

TEST(ConnectionTableModel, ProxySortsAddressesAndNumbersNumerically)
{
    ConnectionTableModel model;
    ConnectionFilterProxy proxy;
    proxy.setSourceModel(&model);
    Tester tester(&proxy, Fatal);
    const auto make = [](const char *local, std::uint32_t recvQ) {
        Socket socket;
        socket.local = {*IpAddress::parse(local), 80};
        socket.remote = {*IpAddress::parse(local), std::uint16_t(1000 + recvQ)};
        socket.state = TcpState::Established;
        socket.receiveQueue = recvQ;
        return socket;
    };
    model.applySnapshot(snap({make("2001:db8::1", 10), make("10.0.0.10", 9), make("10.0.0.9", 100),
                              make("10.0.0.1", 2)}));
    proxy.sort(ConnectionTableModel::LocalColumn, Qt::AscendingOrder);
    QStringList order;
    for (int row = 0; row < proxy.rowCount(); ++row)
        order << proxy.index(row, ConnectionTableModel::LocalColumn).data().toString();
    // Text order would put 10.0.0.10 before 10.0.0.9, and [2001…] first.
    EXPECT_EQ(order,
              (QStringList{QStringLiteral("10.0.0.1:80"), QStringLiteral("10.0.0.9:80"),
                           QStringLiteral("10.0.0.10:80"), QStringLiteral("[2001:db8::1]:80")}));

    proxy.sort(ConnectionTableModel::ReceiveQueueColumn, Qt::AscendingOrder);
    QList<uint> queues;
    for (int row = 0; row < proxy.rowCount(); ++row)
        queues << proxy.index(row, ConnectionTableModel::ReceiveQueueColumn).data().toUInt();
    EXPECT_EQ(queues, (QList<uint>{2, 9, 10, 100}));

    // VariantSortProxy (QVariant::compare, which knows Endpoint's operator<) sorts endpoints
    // numerically too; Qt 6.4's plain QSortFilterProxyModel would compare them as text.
    VariantSortProxy generic;
    generic.setSourceModel(&model);
    generic.setSortRole(ConnectionTableModel::SortRole);
    generic.sort(ConnectionTableModel::LocalColumn, Qt::DescendingOrder);
    EXPECT_EQ(generic.index(0, 0).data().toString(), QStringLiteral("[2001:db8::1]:80"));
    EXPECT_EQ(generic.index(2, 0).data().toString(), QStringLiteral("10.0.0.9:80"));
}

TEST(ConnectionTableModel, ProxyFiltersByStateTextAndGroupAndFollowsChanges)
{
    ConnectionTableModel model;
    ConnectionFilterProxy proxy;
    proxy.setSourceModel(&model);
    Tester tester(&proxy, Fatal);
    std::vector<Socket> sockets = range(0, 20);
    for (int n = 0; n < 5; ++n)
        sockets[size_t(n)].state = TcpState::TimeWait;
    Socket v6;
    v6.local = {*IpAddress::parse("2001:db8::1"), 443};
    v6.remote = {*IpAddress::parse("2001:db8::abcd"), 5555};
    v6.state = TcpState::Established;
    sockets.push_back(v6);
    model.applySnapshot(snap(sockets));

    proxy.setStateFilter({TcpState::TimeWait});
    EXPECT_EQ(proxy.rowCount(), 5);
    EXPECT_EQ(proxy.stateFilter(), QList<TcpState>{TcpState::TimeWait});
    // A socket that changes into TIME_WAIT shows up without a reset.
    sockets[10].state = TcpState::TimeWait;
    model.applySnapshot(snap(sockets));
    EXPECT_EQ(proxy.rowCount(), 6);

    proxy.setStateFilter({});
    proxy.setTextFilter(QStringLiteral("DB8::ABC")); // case-insensitive, IPv6 hex
    EXPECT_EQ(proxy.rowCount(), 1);
    proxy.setTextFilter(QStringLiteral("10.1.0.0:1001"));
    EXPECT_EQ(proxy.rowCount(), 10); // :10010 … :10019
    proxy.setTextFilter({});
    EXPECT_EQ(proxy.rowCount(), 21);

    // Drill-down from a group.
    const QList<SocketGroup> groups = groupSockets(*snap(sockets), Grouping::LocalEndpoint);
    ASSERT_EQ(groups.front().display, QStringLiteral("10.0.0.1:80"));
    proxy.setGroupFilter(Grouping::LocalEndpoint, groups.front().key);
    EXPECT_EQ(proxy.rowCount(), int(groups.front().total));
    proxy.clearGroupFilter();
    EXPECT_FALSE(proxy.hasGroupFilter());
    EXPECT_EQ(proxy.rowCount(), 21);
}

// The proxy's rows are in order for `column`, as the model's SortRole values order them.
void expectSortedBy(const ConnectionFilterProxy &proxy, int column)
{
    const auto *model = qobject_cast<const ConnectionTableModel *>(proxy.sourceModel());
    ASSERT_NE(model, nullptr);
    for (int row = 1; row < proxy.rowCount(); ++row) {
        const int before = proxy.mapToSource(proxy.index(row - 1, column)).row();
        const int here = proxy.mapToSource(proxy.index(row, column)).row();
        const Socket &a = model->socketAt(before);
        const Socket &b = model->socketAt(here);
        switch (column) {
        case ConnectionTableModel::RemoteColumn:
            ASSERT_FALSE(b.remote < a.remote) << "row " << row;
            break;
        case ConnectionTableModel::ReceiveQueueColumn:
            ASSERT_LE(a.receiveQueue, b.receiveQueue) << "row " << row;
            break;
        default:
            FAIL() << "no check for column " << column;
        }
    }
}

TEST(ConnectionTableModel, TextMatchIsTheFilterTextsMatch)
{
    // The proxy matches the text in place (ConnectionTableModel::rowContainsText): it must
    // accept exactly the rows whose FilterTextRole text contains it, for every address form.
    std::vector<Socket> sockets = range(0, 30);
    const auto add = [&sockets](const char *local, std::uint16_t localPort, const char *remote,
                                std::uint16_t remotePort, TcpState state) {
        Socket socket;
        socket.local = {*IpAddress::parse(local), localPort};
        socket.remote = {*IpAddress::parse(remote), remotePort};
        socket.state = state;
        sockets.push_back(socket);
    };
    add("2001:db8::1", 443, "2001:db8::abcd", 5555, TcpState::Established);
    add("::", 22, "::", 0, TcpState::Listen);                            // [::]:22 [::]:*
    add("::ffff:10.9.8.7", 8080, "10.9.8.6", 40000, TcpState::TimeWait); // mapped: dotted
    add("fe80::1:2:3:4", 9, "255.255.255.255", 65535, TcpState::CloseWait);
    add("0.0.0.0", 80, "0.0.0.0", 0, TcpState::Listen);
    ConnectionTableModel model;
    model.applySnapshot(snap(sockets));
    ConnectionFilterProxy proxy;
    proxy.setSourceModel(&model);
    Tester tester(&proxy, Fatal);

    const QStringList needles = {
        QStringLiteral("DB8::ABC"),
        QStringLiteral("[2001:db8::1]:443 [2001"),
        QStringLiteral("]:*"),
        QStringLiteral("[::]:22"),
        QStringLiteral("10.9.8.7:8080 10.9.8.6:40000"),
        QStringLiteral("FE80::1:2"),
        QStringLiteral("255.255.255.255:65535"),
        QStringLiteral("0.0.0.0:*"),
        QStringLiteral(":80 10."),
        QStringLiteral("10.1.0.0:1001"),
        QStringLiteral("10.0.0.1:80 10.1.0.0:10029"),
        QStringLiteral("ffff"),
        QStringLiteral("nothing"),
        QStringLiteral("10.0.0.1:8\u00e4"),
    };
    for (const QString &needle : needles) {
        int expected = 0;
        for (int row = 0; row < model.rowCount(); ++row) {
            const QString text =
                model.index(row, 0).data(ConnectionTableModel::FilterTextRole).toString();
            const bool contains = text.contains(needle, Qt::CaseInsensitive);
            const std::optional<QByteArray> spelled = ConnectionTableModel::textNeedle(needle);
            EXPECT_EQ(spelled && model.rowContainsText(row, *spelled), contains)
                << needle.toStdString() << " in " << text.toStdString();
            expected += contains ? 1 : 0;
        }
        proxy.setTextFilter(needle);
        EXPECT_EQ(proxy.rowCount(), expected) << needle.toStdString();
    }
    proxy.setTextFilter(QStringLiteral("FE80::1:2"));
    EXPECT_EQ(proxy.rowCount(), 1);
    proxy.setTextFilter(QStringLiteral("ffff"));
    EXPECT_EQ(proxy.rowCount(), 0) << "a mapped address is shown dotted, so it never matches";
}

TEST(ConnectionTableModel, ScatteredFilterMatchesAreOneLayoutChangeAndKeepTheCurrentRow)
{
    // A finding's endpoint as the text filter keeps a few rows scattered over a big table:
    // one layout change, not a removal signal for each gap (each costs the view all its rows).
    ConnectionTableModel model;
    model.applySnapshot(snap(range(0, 3000)));
    ConnectionFilterProxy proxy;
    proxy.setSourceModel(&model);
    Tester tester(&proxy, Fatal);
    QItemSelectionModel selection(&proxy);
    const SocketKey watched = SocketKey::of(conn(2009));
    selection.setCurrentIndex(proxy.mapFromSource(model.index(model.rowOf(watched), 0)),
                              QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QSignalSpy removed(&proxy, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(&proxy, &QAbstractItemModel::rowsInserted);
    QSignalSpy layouts(&proxy, &QAbstractItemModel::layoutChanged);

    proxy.setTextFilter(QStringLiteral("9"));
    // The rows whose remote port (10000-10999) has a 9: nothing else in "10.0.0.1:80 10.1.0.x:…".
    int expected = 0;
    for (int n = 0; n < 3000; ++n)
        expected += QString::number(10000 + n % 1000).contains(u'9') ? 1 : 0;
    EXPECT_EQ(proxy.rowCount(), expected);
    EXPECT_EQ(removed.count(), 0);
    EXPECT_EQ(inserted.count(), 0);
    EXPECT_EQ(layouts.count(), 1);
    ASSERT_TRUE(selection.currentIndex().isValid());
    EXPECT_EQ(selection.currentIndex().data(ConnectionTableModel::SocketKeyRole).value<SocketKey>(),
              watched);
    EXPECT_TRUE(selection.isRowSelected(selection.currentIndex().row(), {}));

    proxy.setTextFilter({});
    EXPECT_EQ(proxy.rowCount(), 3000);
    EXPECT_EQ(selection.currentIndex().data(ConnectionTableModel::SocketKeyRole).value<SocketKey>(),
              watched);
}

TEST(ConnectionTableModel, BigPreparedChangeIsOneLayoutChangeUnderASortedProxy)
{
    // 5 % of 12,000 sockets replaced: the model applies it under one layout change (a sorted
    // proxy would otherwise signal every replaced row on its own), rows, index, selection and
    // sort order as the row-by-row path leaves them.
    const int count = 12000;
    std::vector<Socket> first = range(0, count);
    std::vector<Socket> second;
    for (int n = 0; n < count; ++n) {
        if (n % 20 == 7)
            continue; // 600 scattered removals
        Socket socket = conn(n);
        if (n % 500 == 3)
            socket.receiveQueue = std::uint32_t(n); // a few changes
        second.push_back(socket);
    }
    for (Socket socket : range(50000, 50600))
        second.push_back(socket);
    const auto tables = std::vector<SnapshotPtr>{snap(first), snap(second)};

    ConnectionTableModel model;
    Tester modelTester(&model, Fatal);
    const PreparedTablePtr one = ConnectionTableModel::prepare(tables[0], {}, {}, nullptr);
    const PreparedTablePtr two = ConnectionTableModel::prepare(tables[1], {}, {}, one);
    ASSERT_GT(two->gone.size() + two->added.size(), ConnectionTableModel::MaxSignalledRows);
    model.applyPrepared(one);
    ConnectionFilterProxy proxy;
    proxy.setSourceModel(&model);
    Tester proxyTester(&proxy, Fatal);
    proxy.sort(ConnectionTableModel::RemoteColumn, Qt::AscendingOrder);
    expectSortedBy(proxy, ConnectionTableModel::RemoteColumn);
    QItemSelectionModel selection(&proxy);
    const SocketKey watched = SocketKey::of(conn(8003)); // stays, and its queue changes
    selection.setCurrentIndex(proxy.mapFromSource(model.index(model.rowOf(watched), 0)),
                              QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    const QPersistentModelIndex doomed(model.index(model.rowOf(SocketKey::of(conn(7))), 0));
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy layouts(&model, &QAbstractItemModel::layoutChanged);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);

    model.applyPrepared(two);

    EXPECT_EQ(removed.count(), 0);
    EXPECT_EQ(inserted.count(), 0);
    EXPECT_EQ(layouts.count(), 1);
    EXPECT_EQ(resets.count(), 0);
    expectShows(model, *tables[1]);
    EXPECT_FALSE(doomed.isValid());
    ASSERT_TRUE(selection.currentIndex().isValid());
    EXPECT_EQ(selection.currentIndex().data(ConnectionTableModel::SocketKeyRole).value<SocketKey>(),
              watched);
    EXPECT_EQ(proxy.rowCount(), model.rowCount());
    expectSortedBy(proxy, ConnectionTableModel::RemoteColumn);

    // The next table diffs against this one: a small change goes row by row again.
    std::vector<Socket> third = second;
    third.erase(third.begin() + 100);
    const PreparedTablePtr three = ConnectionTableModel::prepare(snap(third), {}, {}, two);
    layouts.clear();
    model.applyPrepared(three);
    EXPECT_EQ(removed.count(), 1);
    EXPECT_EQ(layouts.count(), 0);
    expectShows(model, *snap(third));
    expectSortedBy(proxy, ConnectionTableModel::RemoteColumn);
}

TEST(ConnectionTableModel, SortedProxyFollowsChangedValuesOfItsColumn)
{
    // The sort compares keys the model keeps per row; a value that changes in place must move
    // its row, here by a few dataChanged ranges and then by one for the whole table.
    std::vector<Socket> sockets = range(0, 400);
    for (int n = 0; n < 400; ++n)
        sockets[size_t(n)].receiveQueue = std::uint32_t(n * 10);
    ConnectionTableModel model;
    model.applySnapshot(snap(sockets));
    ConnectionFilterProxy proxy;
    proxy.setSourceModel(&model);
    Tester tester(&proxy, Fatal);
    proxy.sort(ConnectionTableModel::ReceiveQueueColumn, Qt::AscendingOrder);
    expectSortedBy(proxy, ConnectionTableModel::ReceiveQueueColumn);

    sockets[5].receiveQueue = 100000; // to the bottom
    sockets[390].receiveQueue = 1;    // near the top
    model.applySnapshot(snap(sockets));
    expectSortedBy(proxy, ConnectionTableModel::ReceiveQueueColumn);
    EXPECT_EQ(proxy.index(proxy.rowCount() - 1, 0)
                  .data(ConnectionTableModel::SocketKeyRole)
                  .value<SocketKey>(),
              SocketKey::of(conn(5)));

    for (int n = 0; n < 400; n += 3) // scattered: one dataChanged for the whole table
        sockets[size_t(n)].receiveQueue = std::uint32_t(4000 - n);
    model.applySnapshot(snap(sockets));
    expectSortedBy(proxy, ConnectionTableModel::ReceiveQueueColumn);
}

TEST(EndpointGroupModel, PassesModelTesterKeepsGivenOrderAndSelection)
{
    EndpointGroupModel model;
    VariantSortProxy proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(EndpointGroupModel::SortRole);
    proxy.sort(EndpointGroupModel::KeyColumn);
    Tester tester(&model, Fatal);
    Tester proxyTester(&proxy, Fatal);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);

    // Three local endpoints; their totals change order between snapshots.
    const auto at = [](std::uint16_t port, int n, int first) {
        std::vector<Socket> sockets;
        for (int i = 0; i < n; ++i) {
            Socket socket;
            socket.local = v4(0x0a000001, port);
            socket.remote = v4(0x0a010001, std::uint16_t(first + i));
            socket.state = i % 2 ? TcpState::TimeWait : TcpState::Established;
            sockets.push_back(socket);
        }
        return sockets;
    };
    const auto snapshotOf = [&](std::initializer_list<std::pair<std::uint16_t, int>> sizes) {
        std::vector<Socket> sockets;
        int first = 1000;
        for (const auto &[port, n] : sizes) {
            const auto part = at(port, n, first);
            sockets.insert(sockets.end(), part.begin(), part.end());
            first += n;
        }
        return snap(sockets);
    };

    model.applyGroups(
        Grouping::LocalEndpoint,
        groupSockets(*snapshotOf({{80, 10}, {443, 5}, {8080, 2}}), Grouping::LocalEndpoint));
    ASSERT_EQ(model.rowCount(), 3);
    EXPECT_EQ(model.index(0, EndpointGroupModel::KeyColumn).data().toString(),
              QStringLiteral("10.0.0.1:80"));
    // The proxy sorts by key, numerically: :80, :443, :8080 (text would give :443 first).
    EXPECT_EQ(proxy.index(0, 0).data().toString(), QStringLiteral("10.0.0.1:80"));
    EXPECT_EQ(proxy.index(1, 0).data().toString(), QStringLiteral("10.0.0.1:443"));
    EXPECT_EQ(proxy.index(2, 0).data().toString(), QStringLiteral("10.0.0.1:8080"));
    const QPersistentModelIndex selected(model.index(1, EndpointGroupModel::TotalColumn)); // :443
    const GroupKey selectedKey = model.groupAt(1).key;

    // :443 grows to the top, :8080 goes, :9000 comes.
    const QList<SocketGroup> second =
        groupSockets(*snapshotOf({{80, 10}, {443, 30}, {9000, 1}}), Grouping::LocalEndpoint);
    model.applyGroups(Grouping::LocalEndpoint, second);
    ASSERT_EQ(model.rowCount(), 3);
    for (int row = 0; row < model.rowCount(); ++row)
        EXPECT_EQ(model.groupAt(row).display, second[row].display) << row;
    ASSERT_TRUE(selected.isValid());
    EXPECT_EQ(selected.row(), 0);
    EXPECT_EQ(model.groupAt(selected.row()).key, selectedKey);
    EXPECT_EQ(selected.data().toUInt(), 30u);
    EXPECT_EQ(model.index(0, EndpointGroupModel::TimeWaitColumn).data().toUInt(), 15u);
    EXPECT_EQ(model.rowOf(selectedKey), 0);

    model.applyGroups(Grouping::LocalEndpoint, {});
    EXPECT_EQ(model.rowCount(), 0);
    EXPECT_EQ(resets.count(), 0);

    model.applyGroups(Grouping::State, groupSockets(*snapshotOf({{80, 4}}), Grouping::State));
    EXPECT_EQ(resets.count(), 1);
    EXPECT_EQ(model.headerData(EndpointGroupModel::KeyColumn, Qt::Horizontal).toString(),
              groupingName(Grouping::State));
    EXPECT_EQ(model.rowCount(), 2);
}

TEST(EndpointGroupModel, ColumnsSumStatesAndRolesAreExposed)
{
    EndpointGroupModel model;
    Tester tester(&model, Fatal);
    SocketGroup group;
    group.key.endpoint = v4(0x0a000001, 80);
    group.display = QStringLiteral("10.0.0.1:80");
    group.role = GroupRole::Service;
    group.counts[stateIndex(TcpState::FinWait1)] = 2;
    group.counts[stateIndex(TcpState::FinWait2)] = 3;
    group.counts[stateIndex(TcpState::SynRecv)] = 1;
    group.counts[stateIndex(TcpState::NewSynRecv)] = 1;
    group.counts[stateIndex(TcpState::LastAck)] = 4;
    group.counts[stateIndex(TcpState::Listen)] = 1;
    group.total = 11;
    group.serverSide = 11;
    model.applyGroups(Grouping::LocalEndpoint, {group});
    const auto cell = [&](int column) {
        return model.index(0, column).data().toUInt();
    };
    EXPECT_EQ(cell(EndpointGroupModel::FinWaitColumn), 5u);
    EXPECT_EQ(cell(EndpointGroupModel::SynRecvColumn), 2u);
    EXPECT_EQ(cell(EndpointGroupModel::OtherColumn), 4u);
    EXPECT_EQ(cell(EndpointGroupModel::ListenColumn), 1u);
    EXPECT_EQ(cell(EndpointGroupModel::TotalColumn), 11u);
    EXPECT_EQ(model.index(0, EndpointGroupModel::RoleColumn).data().toString(),
              groupRoleName(GroupRole::Service));
    EXPECT_EQ(model.index(0, 0).data(EndpointGroupModel::GroupKeyRole).value<GroupKey>(),
              group.key);
    EXPECT_EQ(model.index(0, 0).data(EndpointGroupModel::SortRole).value<Endpoint>(),
              group.key.endpoint);

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.applyGroups(Grouping::LocalEndpoint, {group});
    EXPECT_EQ(changed.count(), 0); // nothing changed, nothing said
    group.total = 12;
    model.applyGroups(Grouping::LocalEndpoint, {group});
    EXPECT_EQ(changed.count(), 1);
}

TEST(HostListModel, PassesModelTesterAndUpdatesOneRow)
{
    HostListModel model;
    Tester tester(&model, Fatal);
    EXPECT_TRUE(model.addHost(QStringLiteral("a"), QStringLiteral("web-1")));
    EXPECT_TRUE(model.addHost(QStringLiteral("b"), QStringLiteral("api-1")));
    EXPECT_FALSE(model.addHost(QStringLiteral("a"), QStringLiteral("again")));
    ASSERT_EQ(model.rowCount(), 2);
    EXPECT_EQ(model.index(1).data().toString(), QStringLiteral("api-1"));
    EXPECT_EQ(model.index(1).data(HostListModel::HostIdRole).toString(), QStringLiteral("b"));
    EXPECT_EQ(model.index(1).data(HostListModel::TimeWaitRole).toLongLong(), -1);

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    HostStatus status;
    status.state = HostState::Failed;
    status.detail = QStringLiteral("host key changed");
    EXPECT_TRUE(model.setStatus(QStringLiteral("b"), status));
    ASSERT_EQ(changed.count(), 1);
    EXPECT_EQ(changed[0][0].value<QModelIndex>().row(), 1);
    EXPECT_TRUE(changed[0][2].value<QList<int>>().contains(HostListModel::StateRole));
    EXPECT_EQ(model.index(1).data(HostListModel::StateRole).toInt(), int(HostState::Failed));
    EXPECT_EQ(model.index(1).data(HostListModel::StateTextRole).toString(),
              hostStateText(HostState::Failed));
    EXPECT_EQ(model.index(1).data(HostListModel::StatusDetailRole).toString(), status.detail);
    EXPECT_TRUE(model.setStatus(QStringLiteral("b"), status));
    EXPECT_EQ(changed.count(), 1); // same status: no signal
    EXPECT_FALSE(model.setStatus(QStringLiteral("zzz"), status));

    HostSample sample;
    sample.hostId = QStringLiteral("a");
    sample.epochMs = 1'700'000'000'000;
    sample.counters.values.insert(counter::TimeWait, 2000);
    sample.table = snap(range(0, 7, TcpState::TimeWait), QStringLiteral("a"));
    sample.issues.append({QStringLiteral("ss"), QStringLiteral("ss: command not found")});
    EXPECT_TRUE(model.applySample(sample));
    ASSERT_EQ(changed.count(), 2);
    EXPECT_EQ(changed[1][0].value<QModelIndex>().row(), 0);
    EXPECT_FALSE(changed[1][2].value<QList<int>>().contains(HostListModel::StateRole));
    const QModelIndex a = model.index(0);
    EXPECT_EQ(a.data(HostListModel::TimeWaitRole).toLongLong(), 2000); // the counter wins
    EXPECT_EQ(a.data(HostListModel::SocketCountRole).toLongLong(), 7);
    EXPECT_EQ(a.data(HostListModel::IssueCountRole).toInt(), 1);
    EXPECT_EQ(a.data(HostListModel::LastSampleMsRole).toLongLong(), sample.epochMs);

    // A sample without the counter falls back to the table's TIME_WAIT rows.
    sample.counters.values.clear();
    sample.epochMs += 1000;
    EXPECT_TRUE(model.applySample(sample));
    EXPECT_EQ(a.data(HostListModel::TimeWaitRole).toLongLong(), 7);

    EXPECT_TRUE(model.removeHost(QStringLiteral("a")));
    EXPECT_FALSE(model.removeHost(QStringLiteral("a")));
    EXPECT_EQ(model.rowCount(), 1);
    EXPECT_EQ(model.rowOf(QStringLiteral("b")), 0);
    EXPECT_EQ(model.hostIdAt(0), QStringLiteral("b"));
    EXPECT_FALSE(model.roleNames().value(HostListModel::TimeWaitRole).isEmpty());
}
