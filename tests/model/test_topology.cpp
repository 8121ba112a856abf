#include "hostfixture.h"
#include "socketbuilders.h"

#include "model/topologybuilder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

using namespace twbench;
using twbench::test::ep;
using twbench::test::ip;
using twbench::test::sock;

namespace {

Container container(const char *id, const char *name, const char *address, const char *gateway)
{
    Container c;
    c.id = QLatin1String(id);
    c.name = QLatin1String(name);
    c.running = true;
    c.networkMode = QStringLiteral("appnet");
    ContainerNetwork network;
    network.name = QStringLiteral("appnet");
    network.ipAddress = ip(address);
    network.gateway = ip(gateway);
    c.networks.append(network);
    return c;
}

std::vector<QString> idsOf(const Topology &topology)
{
    std::vector<QString> ids;
    for (const TopologyNode &node : topology.nodes)
        ids.push_back(node.id);
    for (const TopologyEdge &edge : topology.edges)
        ids.push_back(edge.id);
    return ids;
}

} // namespace

// SCENARIO.md: containers → nginx (a container) → the API on the host, TIME_WAIT on the API's
// side. The graph must read gateway → nginx → API with the fixture's counts.
TEST(Topology, ScenarioReadsGatewayToNginxToApi)
{
    const auto host = test::scenarioHost(QStringLiteral("web01"));
    const Topology topology = buildTopology(*host->attribution);

    const QString gateway =
        topologyid::gateway(QStringLiteral("web01"), QStringLiteral("web_default"));
    const QString nginx = topologyid::composeService(QStringLiteral("web01"), QStringLiteral("web"),
                                                     QStringLiteral("nginx"));
    const QString api = topologyid::hostService(QStringLiteral("web01"), 6601);
    EXPECT_EQ(gateway, QStringLiteral("web01/gateway/web_default"));
    EXPECT_EQ(nginx, QStringLiteral("web01/compose/web/nginx"));
    EXPECT_EQ(api, QStringLiteral("web01/port/6601"));

    ASSERT_NE(topology.node(gateway), nullptr);
    EXPECT_EQ(topology.node(gateway)->kind, NodeKind::Gateway);
    EXPECT_EQ(topology.node(gateway)->label,
              QStringLiteral("containers on this host via the web_default gateway"));
    EXPECT_EQ(topology.node(gateway)->addresses, QList<IpAddress>{ip("192.168.42.1")});
    ASSERT_NE(topology.node(nginx), nullptr);
    EXPECT_EQ(topology.node(nginx)->kind, NodeKind::ComposeService);
    EXPECT_EQ(topology.node(nginx)->label, QStringLiteral("web/nginx"));
    EXPECT_EQ(topology.node(nginx)->servicePorts, (std::vector<std::uint16_t>{80, 443}));
    ASSERT_NE(topology.node(api), nullptr);
    EXPECT_EQ(topology.node(api)->kind, NodeKind::HostService);
    EXPECT_EQ(topology.node(api)->label, QStringLiteral("web01 port 6601"));

    // gateway → nginx: the callers behind the bridge; nginx holds their TIME_WAIT.
    const TopologyEdge *front = topology.edge(gateway, nginx);
    ASSERT_NE(front, nullptr);
    EXPECT_EQ(front->connections, 24u);
    EXPECT_EQ(front->count(TcpState::TimeWait), 23u);
    EXPECT_EQ(front->count(TcpState::Established), 1u);
    EXPECT_EQ(front->timeWaitServer, 23u);
    EXPECT_EQ(front->timeWaitClient, 0u);
    EXPECT_EQ(front->closer, Closer::Server);
    EXPECT_EQ(front->bothEndsSeen, 0u);
    EXPECT_EQ(front->clientEndsObserved, 0u); // what is behind the gateway cannot be read
    EXPECT_EQ(front->serverEndsObserved, 24u);
    EXPECT_EQ(front->servicePorts, std::vector<std::uint16_t>{443});

    // nginx → API: the API closes. 37 TIME_WAIT on the API's side, 2 where nginx lost the race,
    // 2 live upstream connections and one half-closed one seen from both ends.
    const TopologyEdge *upstream = topology.edge(nginx, api);
    ASSERT_NE(upstream, nullptr);
    EXPECT_EQ(upstream->connections, 42u);
    EXPECT_EQ(upstream->count(TcpState::TimeWait), 39u);
    EXPECT_EQ(upstream->count(TcpState::Established), 2u);
    EXPECT_EQ(upstream->count(TcpState::CloseWait), 1u);
    EXPECT_EQ(upstream->timeWaitServer, 37u);
    EXPECT_EQ(upstream->timeWaitClient, 2u);
    EXPECT_EQ(upstream->bothEndsSeen, 3u);
    EXPECT_EQ(upstream->serverEnd[stateIndex(TcpState::FinWait2)], 1u);
    EXPECT_EQ(upstream->clientEnd[stateIndex(TcpState::CloseWait)], 1u);
    EXPECT_EQ(upstream->closer, Closer::Server);
    EXPECT_EQ(closerName(upstream->closer), QStringLiteral("server closes"));
    EXPECT_EQ(upstream->rateBasis, RateBasis::TimeWaitSteadyState);
    ASSERT_TRUE(upstream->newConnectionsPerSecond.has_value());
    EXPECT_DOUBLE_EQ(*upstream->newConnectionsPerSecond, 39.0 / 60.0);
    EXPECT_EQ(
        upstream->label(),
        QStringLiteral("TIME_WAIT 39 · ESTABLISHED 2 · CLOSE_WAIT 1 · server closes · ≈0.7 new/s"));

    // Nothing else reaches nginx or the API, and nothing runs the other way.
    for (const TopologyEdge *edge : topology.edgesOf(nginx))
        EXPECT_TRUE(edge == front || edge == upstream) << edge->id.toStdString();
    EXPECT_EQ(topology.edge(api, nginx), nullptr);
    EXPECT_EQ(topology.edge(nginx, gateway), nullptr);

    // The rest: the operator's ssh session and one outgoing connection of the host.
    const QString operatorPeer = topologyid::external(QStringLiteral("web01"), ip("203.0.113.45"));
    const QString hostNode = topologyid::host(QStringLiteral("web01"));
    const QString ssh = topologyid::hostService(QStringLiteral("web01"), 22);
    ASSERT_NE(topology.edge(operatorPeer, ssh), nullptr);
    EXPECT_EQ(topology.edge(operatorPeer, ssh)->closer, Closer::Unknown);
    EXPECT_FALSE(topology.edge(operatorPeer, ssh)->newConnectionsPerSecond.has_value());
    const QString outside = topologyid::external(QStringLiteral("web01"), ip("198.51.100.20"));
    ASSERT_NE(topology.edge(hostNode, outside), nullptr);
    EXPECT_EQ(topology.edge(hostNode, outside)->servicePorts, std::vector<std::uint16_t>{443});
    EXPECT_EQ(topology.edges.size(), 4u);
    // host, :22, :6601, web/nginx, shop/php (running, idle here), the gateway, two peers.
    EXPECT_EQ(topology.nodes.size(), 8u);
    EXPECT_NE(topology.node(topologyid::composeService(
                  QStringLiteral("web01"), QStringLiteral("shop"), QStringLiteral("php"))),
              nullptr);
}

// The probe as root (ss -p): the API's listener names its process, and the host's port node
// says so. Its TIME_WAIT ends have no process; the graph is otherwise the same.
TEST(Topology, HostServiceNamedByItsListenersProcess)
{
    const auto host = test::scenarioHost(QStringLiteral("web01"));
    const Topology before = buildTopology(*host->attribution);
    int named = 0;
    for (Socket &socket : host->snapshot.sockets) {
        if (socket.netns != 0 || socket.local.port != 6601)
            continue;
        if (socket.state == TcpState::Listen || socket.state == TcpState::Established) {
            socket.pid = socket.state == TcpState::Listen ? 4242 : 4243;
            ++named;
        }
    }
    ASSERT_GE(named, 1);
    for (Socket &socket : host->snapshot.sockets) {
        if (socket.netns == 0 && socket.state == TcpState::Listen && socket.local.port == 22)
            socket.pid = 666;
    }
    host->snapshot.processNames.insert(4242, QStringLiteral("php-fpm"));
    host->snapshot.processNames.insert(4243, QStringLiteral("php-fpm"));
    host->snapshot.processNames.insert(666, QString(QStringLiteral("sshd") + QChar(0x202e)));
    host->attribute();
    const Topology topology = buildTopology(*host->attribution);

    const QString api = topologyid::hostService(QStringLiteral("web01"), 6601);
    ASSERT_NE(topology.node(api), nullptr);
    EXPECT_EQ(topology.node(api)->kind, NodeKind::HostService);
    EXPECT_EQ(topology.node(api)->label, QStringLiteral("web01 port 6601 · php-fpm"));
    const TopologyNode *ssh = topology.node(topologyid::hostService(QStringLiteral("web01"), 22));
    ASSERT_NE(ssh, nullptr);
    EXPECT_EQ(ssh->label, QStringLiteral("web01 port 22 · sshd\\u{202e}")); // remote data

    // Same ids, same edges, same counts: a process only names a node.
    EXPECT_EQ(idsOf(topology), idsOf(before));
    const QString nginx = topologyid::composeService(QStringLiteral("web01"), QStringLiteral("web"),
                                                     QStringLiteral("nginx"));
    const TopologyEdge *upstream = topology.edge(nginx, api);
    ASSERT_NE(upstream, nullptr);
    EXPECT_EQ(upstream->connections, 42u);
    EXPECT_EQ(upstream->timeWaitServer, 37u);
    EXPECT_EQ(upstream->closer, Closer::Server);
    // A client-side host process stays the host node: callers are not split by process.
    EXPECT_NE(topology.node(topologyid::host(QStringLiteral("web01"))), nullptr);
}

// The same rules on another layout: the client closes, replicas merge, no name in common.
TEST(Topology, WorkersLayoutClientCloses)
{
    const auto host = test::workersHost(QStringLiteral("app02"));
    const Topology topology = buildTopology(*host->attribution);
    const QString h = QStringLiteral("app02");
    const QString workers =
        topologyid::composeService(h, QStringLiteral("shop"), QStringLiteral("worker"));
    const QString inventory =
        topologyid::composeService(h, QStringLiteral("shop"), QStringLiteral("inventory"));

    const TopologyNode *workerNode = topology.node(workers);
    ASSERT_NE(workerNode, nullptr);
    EXPECT_EQ(workerNode->containerNames,
              (QStringList{QStringLiteral("shop-worker-1"), QStringLiteral("shop-worker-2")}));
    EXPECT_EQ(workerNode->addresses, (QList<IpAddress>{ip("172.28.0.3"), ip("172.28.0.4")}));

    const TopologyEdge *edge = topology.edge(workers, inventory);
    ASSERT_NE(edge, nullptr);
    EXPECT_EQ(edge->connections, 30u);
    EXPECT_EQ(edge->count(TcpState::TimeWait), 27u);
    EXPECT_EQ(edge->count(TcpState::Established), 3u);
    EXPECT_EQ(edge->timeWaitClient, 27u);
    EXPECT_EQ(edge->timeWaitServer, 0u);
    EXPECT_EQ(edge->bothEndsSeen, 3u); // the live ones, seen in a worker's and in inventory's table
    EXPECT_EQ(edge->serverEndsObserved, 30u);
    EXPECT_EQ(edge->clientEndsObserved, 30u);
    EXPECT_EQ(edge->closer, Closer::Client);
    EXPECT_EQ(edge->servicePorts, std::vector<std::uint16_t>{9000});
    EXPECT_DOUBLE_EQ(edge->newConnectionsPerSecond.value_or(-1), 27.0 / 60.0);
    EXPECT_EQ(topology.edge(inventory, workers), nullptr);

    // An external client on a port the container without compose labels publishes.
    const QString admin = topologyid::container(h, QStringLiteral("legacy-admin"));
    const TopologyEdge *published = topology.edge(topologyid::external(h, ip("192.0.2.77")), admin);
    ASSERT_NE(published, nullptr);
    EXPECT_EQ(published->count(TcpState::Established), 2u);
    EXPECT_EQ(published->closer, Closer::Unknown);
    EXPECT_EQ(topology.node(admin)->kind, NodeKind::Container);

    // IPv4-mapped peers are IPv4 nodes; the host closes their connections to :8080.
    const TopologyEdge *mapped =
        topology.edge(topologyid::external(h, ip("10.8.0.99")), topologyid::hostService(h, 8080));
    ASSERT_NE(mapped, nullptr);
    EXPECT_EQ(mapped->count(TcpState::TimeWait), 7u);
    EXPECT_EQ(mapped->closer, Closer::Server);
    // A real IPv6 peer, and the host-mode exporter's port (a host port: no address to tell).
    EXPECT_NE(
        topology.edge(topologyid::external(h, ip("2001:db8::77")), topologyid::hostService(h, 22)),
        nullptr);
    EXPECT_NE(
        topology.edge(topologyid::external(h, ip("192.0.2.50")), topologyid::hostService(h, 9100)),
        nullptr);
    EXPECT_EQ(topology.edges.size(), 5u);
}

TEST(Topology, BothEndsOfOneConnectionMakeOneEdge)
{
    Snapshot snapshot;
    snapshot.hostId = QStringLiteral("h");
    // app (netns 10) → db (netns 11) on 5432, and app → a host service on 6379; each seen in
    // both namespaces.
    snapshot.sockets = {
        sock(ep("0.0.0.0", 5432), ep("0.0.0.0", 0), TcpState::Listen, 11),
        sock(ep("0.0.0.0", 6379), ep("0.0.0.0", 0), TcpState::Listen, 0),
        sock(ep("172.30.0.2", 40000), ep("172.30.0.3", 5432), TcpState::Established, 10),
        sock(ep("172.30.0.3", 5432), ep("172.30.0.2", 40000), TcpState::Established, 11),
        sock(ep("172.30.0.2", 40001), ep("10.0.0.1", 6379), TcpState::Established, 10),
        sock(ep("10.0.0.1", 6379), ep("172.30.0.2", 40001), TcpState::Established, 0),
        // Loopback inside app: both ends in one namespace.
        sock(ep("127.0.0.1", 9000), ep("127.0.0.1", 50000), TcpState::Established, 10),
        sock(ep("127.0.0.1", 50000), ep("127.0.0.1", 9000), TcpState::Established, 10),
        sock(ep("0.0.0.0", 9000), ep("0.0.0.0", 0), TcpState::Listen, 10),
        // The same loopback tuple in db's namespace is another connection.
        sock(ep("127.0.0.1", 50000), ep("127.0.0.1", 9000), TcpState::TimeWait, 11),
    };
    snapshot.finalize();
    DockerInventory inventory;
    inventory.containers = {container("a1", "app", "172.30.0.2", "172.30.0.1"),
                            container("d1", "db", "172.30.0.3", "172.30.0.1")};
    NamespaceMap map;
    map.containerNetns = {{QStringLiteral("a1"), 10}, {QStringLiteral("d1"), 11}};
    const Attribution attribution(snapshot, inventory, map);
    const Topology topology = buildTopology(attribution);

    const QString app = topologyid::container(QStringLiteral("h"), QStringLiteral("app"));
    const QString db = topologyid::container(QStringLiteral("h"), QStringLiteral("db"));
    const TopologyEdge *toDb = topology.edge(app, db);
    ASSERT_NE(toDb, nullptr);
    EXPECT_EQ(toDb->connections, 1u);
    EXPECT_EQ(toDb->bothEndsSeen, 1u);
    EXPECT_EQ(toDb->count(TcpState::Established), 1u);
    EXPECT_EQ(toDb->serverEnd[stateIndex(TcpState::Established)], 1u);
    EXPECT_EQ(toDb->clientEnd[stateIndex(TcpState::Established)], 1u);
    EXPECT_EQ(topology.edge(db, app), nullptr);

    const TopologyEdge *toHost =
        topology.edge(app, topologyid::hostService(QStringLiteral("h"), 6379));
    ASSERT_NE(toHost, nullptr);
    EXPECT_EQ(toHost->connections, 1u);
    EXPECT_EQ(toHost->bothEndsSeen, 1u);

    const TopologyEdge *self = topology.edge(app, app);
    ASSERT_NE(self, nullptr);
    EXPECT_EQ(self->connections, 1u);
    EXPECT_EQ(self->bothEndsSeen, 1u);
    const TopologyEdge *dbSelf = topology.edge(db, db);
    ASSERT_NE(dbSelf, nullptr);
    EXPECT_EQ(dbSelf->count(TcpState::TimeWait), 1u);
    EXPECT_EQ(dbSelf->closer, Closer::Client); // db's local port 50000 does not listen in db
    EXPECT_EQ(topology.edges.size(), 4u);
}

TEST(Topology, CloserBothAndMajority)
{
    const auto build = [](int serverTimeWait, int clientTimeWait) {
        Snapshot snapshot;
        snapshot.hostId = QStringLiteral("h");
        snapshot.sockets.push_back(
            sock(ep("0.0.0.0", 8000), ep("0.0.0.0", 0), TcpState::Listen, 0));
        for (int i = 0; i < serverTimeWait; ++i)
            snapshot.sockets.push_back(sock(ep("10.0.0.1", 8000),
                                            ep("10.0.0.9", std::uint16_t(30000 + i)),
                                            TcpState::TimeWait, 0));
        for (int i = 0; i < clientTimeWait; ++i)
            snapshot.sockets.push_back(sock(ep("10.0.0.1", std::uint16_t(40000 + i)),
                                            ep("10.0.0.9", 8000), TcpState::TimeWait, 0));
        snapshot.finalize();
        static const DockerInventory none;
        const Attribution attribution(snapshot, none, {});
        return buildTopology(attribution);
    };
    // 10.0.0.9 is a peer: two edges (it calls us, we call it). Same peer both ways: one each.
    const Topology even = build(5, 5);
    ASSERT_EQ(even.edges.size(), 2u);
    for (const TopologyEdge &edge : even.edges)
        EXPECT_NE(edge.closer, Closer::Both); // each edge has one side only

    // Both sides on one edge: a connection pair seen in two namespaces with TIME_WAIT on each.
    Snapshot snapshot;
    snapshot.hostId = QStringLiteral("h");
    snapshot.sockets.push_back(sock(ep("0.0.0.0", 8000), ep("0.0.0.0", 0), TcpState::Listen, 0));
    for (int i = 0; i < 20; ++i) {
        const bool serverHolds = i < 6; // 6 of 20 on the server: 30 % — both
        snapshot.sockets.push_back(sock(ep("172.30.0.2", std::uint16_t(40000 + i)),
                                        ep("10.0.0.1", 8000),
                                        serverHolds ? TcpState::Close : TcpState::TimeWait, 10));
        if (serverHolds)
            snapshot.sockets.push_back(sock(ep("10.0.0.1", 8000),
                                            ep("172.30.0.2", std::uint16_t(40000 + i)),
                                            TcpState::TimeWait, 0));
    }
    snapshot.finalize();
    DockerInventory inventory;
    inventory.containers = {container("a1", "app", "172.30.0.2", "172.30.0.1")};
    NamespaceMap map;
    map.containerNetns = {{QStringLiteral("a1"), 10}};
    const Attribution attribution(snapshot, inventory, map);
    const Topology both = buildTopology(attribution);
    ASSERT_EQ(both.edges.size(), 1u);
    EXPECT_EQ(both.edges[0].timeWaitServer, 6u);
    EXPECT_EQ(both.edges[0].timeWaitClient, 14u);
    EXPECT_EQ(both.edges[0].timeWaitConnections, 20u);
    EXPECT_EQ(both.edges[0].closer, Closer::Both);

    TopologyBuilder::Options strict;
    strict.bothMinorityShare = 0.5;
    TopologyBuilder builder(strict);
    builder.addHost(attribution);
    EXPECT_EQ(builder.take().edges[0].closer, Closer::Client);
}

TEST(Topology, SeveralHostsSideBySide)
{
    const auto web = test::scenarioHost(QStringLiteral("web01"));
    const auto app = test::workersHost(QStringLiteral("app02"));
    const auto twin = test::scenarioHost(QStringLiteral("web02")); // the same layout elsewhere
    TopologyBuilder builder;
    builder.addHost(*web->attribution);
    builder.addHost(*app->attribution);
    builder.addHost(*twin->attribution);
    const Topology topology = builder.take();
    EXPECT_EQ(topology.nodes.size(), 8u + 12u + 8u);
    EXPECT_EQ(topology.edges.size(), 4u + 5u + 4u);
    EXPECT_TRUE(std::is_sorted(topology.nodes.begin(), topology.nodes.end(),
                               [](const auto &a, const auto &b) { return a.id < b.id; }));
    for (const TopologyNode &node : topology.nodes)
        EXPECT_TRUE(node.id.startsWith(node.hostId + u'/')) << node.id.toStdString();
    for (const TopologyEdge &edge : topology.edges) {
        EXPECT_EQ(topology.nodes[std::size_t(edge.from)].id, edge.fromId);
        EXPECT_EQ(topology.nodes[std::size_t(edge.to)].id, edge.toId);
        EXPECT_EQ(topology.nodes[std::size_t(edge.from)].hostId,
                  topology.nodes[std::size_t(edge.to)].hostId);
    }
    const QString nginx1 = topologyid::composeService(
        QStringLiteral("web01"), QStringLiteral("web"), QStringLiteral("nginx"));
    const QString nginx2 = topologyid::composeService(
        QStringLiteral("web02"), QStringLiteral("web"), QStringLiteral("nginx"));
    EXPECT_EQ(topology.edge(nginx1, topologyid::hostService(QStringLiteral("web01"), 6601))
                  ->timeWaitServer,
              37u);
    EXPECT_EQ(topology.edge(nginx2, topologyid::hostService(QStringLiteral("web02"), 6601))
                  ->timeWaitServer,
              37u);
}

TEST(Topology, IdsAreStableAcrossReorderedSnapshots)
{
    const auto host = test::scenarioHost();
    const Topology first = buildTopology(*host->attribution);

    auto shuffled = test::scenarioHost();
    std::mt19937 random(7);
    std::shuffle(shuffled->snapshot.sockets.begin(), shuffled->snapshot.sockets.end(), random);
    shuffled->attribute();
    const Topology second = buildTopology(*shuffled->attribution);
    EXPECT_EQ(idsOf(first), idsOf(second));
    for (std::size_t i = 0; i < first.edges.size(); ++i) {
        EXPECT_EQ(first.edges[i].counts, second.edges[i].counts);
        EXPECT_EQ(first.edges[i].closer, second.edges[i].closer);
    }
}

TEST(Topology, HostileNamesCannotForgeIds)
{
    Snapshot snapshot;
    snapshot.hostId = QStringLiteral("h/x");
    snapshot.finalize();
    DockerInventory inventory;
    inventory.containers = {container("e1", "a/b c>d\x1b[0m", "172.30.0.9", "172.30.0.1")};
    inventory.containers[0].composeProject = QStringLiteral("p/q");
    inventory.containers[0].composeService = QString(QStringLiteral("s") + QChar(0x202e));
    const Attribution attribution(snapshot, inventory, {});
    const Topology topology = buildTopology(attribution);
    ASSERT_EQ(topology.nodes.size(), 2u); // the host and the container
    const TopologyNode *node =
        topology.node(topologyid::composeService(QStringLiteral("h/x"), QStringLiteral("p/q"),
                                                 QString(QStringLiteral("s") + QChar(0x202e))));
    ASSERT_NE(node, nullptr);
    EXPECT_EQ(node->id, QStringLiteral("h%2Fx/compose/p%2Fq/s%E2%80%AE"));
    EXPECT_EQ(node->label, QStringLiteral("p/q/s\\u{202e}"));
    EXPECT_EQ(node->containerNames, QStringList{QStringLiteral("a/b c>d\x1b[0m")});
}

// Containers whose inventory addresses live in the host's own namespace (a runtime that puts
// them on 127.x.y.z; the lab stands in for one): the addresses name the containers, not the
// host, and both ends of each connection, all in the host's table, make one connection.
TEST(Topology, ContainersOnLoopbackAddressesOfTheHostNamespace)
{
    Snapshot snapshot;
    snapshot.hostId = QStringLiteral("lab");
    const Endpoint proxy = ep("127.9.8.10", 8081);
    const Endpoint api = ep("127.9.8.20", 9091);
    snapshot.sockets.push_back(sock(proxy, ep("0.0.0.0", 0), TcpState::Listen, 0));
    snapshot.sockets.push_back(sock(api, ep("0.0.0.0", 0), TcpState::Listen, 0));
    for (int i = 0; i < 40; ++i) {
        const auto port = std::uint16_t(41000 + i);
        // The poller (from the gateway's address) → proxy: the poller closed first.
        snapshot.sockets.push_back(sock(ep("127.9.8.1", port), proxy, TcpState::TimeWait, 0));
        // proxy → API: the API closed first; the proxy's end is gone (FIN_WAIT done, CLOSED).
        snapshot.sockets.push_back(
            sock(api, ep("127.9.8.10", std::uint16_t(52000 + i)), TcpState::TimeWait, 0));
    }
    // One proxy → API connection still open: both ends in the host's table.
    snapshot.sockets.push_back(sock(ep("127.9.8.10", 53000), api, TcpState::Established, 0));
    snapshot.sockets.push_back(sock(api, ep("127.9.8.10", 53000), TcpState::Established, 0));
    snapshot.finalize();

    DockerInventory inventory;
    inventory.containers.push_back(container("aa11", "edge-proxy", "127.9.8.10", "127.9.8.1"));
    inventory.containers.push_back(container("bb22", "token-api", "127.9.8.20", "127.9.8.1"));
    DockerNetwork network;
    network.name = QStringLiteral("appnet");
    network.gateways.append(ip("127.9.8.1"));
    inventory.networks.push_back(network);
    NamespaceMap namespaces;
    const Attribution attribution(snapshot, inventory, namespaces);
    const Topology topology =
        buildTopology(attribution, TopologyBuilder::Options(), QStringLiteral("lab"));

    const TopologyEdge *front = nullptr;
    const TopologyEdge *back = nullptr;
    for (const TopologyEdge &edge : topology.edges) {
        const TopologyNode &from = topology.nodes[std::size_t(edge.from)];
        const TopologyNode &to = topology.nodes[std::size_t(edge.to)];
        if (from.kind == NodeKind::Gateway && to.label.contains(u"edge-proxy"))
            front = &edge;
        if (from.label.contains(u"edge-proxy") && to.label.contains(u"token-api"))
            back = &edge;
        EXPECT_NE(from.kind, NodeKind::Host) << edge.id.toStdString();
    }
    ASSERT_NE(front, nullptr);
    ASSERT_NE(back, nullptr);
    EXPECT_EQ(front->count(TcpState::TimeWait), 40u);
    EXPECT_EQ(front->closer, Closer::Client);
    EXPECT_EQ(back->count(TcpState::TimeWait), 40u);
    EXPECT_EQ(back->closer, Closer::Server);
    EXPECT_EQ(back->count(TcpState::Established), 1u); // one connection, seen from both ends
    EXPECT_EQ(back->bothEndsSeen, 1u);
}

namespace {

struct Totals
{
    std::uint64_t connections = 0;
    std::uint64_t timeWaitServer = 0;
    std::uint64_t timeWaitClient = 0;
    std::uint64_t sockets = 0;
    StateCounts counts{};
    friend bool operator==(const Totals &, const Totals &) = default;
};

Totals totalsOf(const Topology &topology)
{
    Totals totals;
    for (const TopologyEdge &edge : topology.edges) {
        totals.connections += edge.connections;
        totals.timeWaitServer += edge.timeWaitServer;
        totals.timeWaitClient += edge.timeWaitClient;
        totals.sockets += edge.sockets.size();
        for (std::size_t i = 0; i < totals.counts.size(); ++i)
            totals.counts[i] += edge.counts[i];
    }
    return totals;
}

// A host with many distinct peers in both roles, as a busy public server has them:
//  - 1,000 external clients of the host's :443, each holding 1 to 7 TIME_WAITs (the server
//    closes), and one client far busier than the rest (500);
//  - the host calling 300 distinct external services (one ESTABLISHED connection each);
//  - 400 loopback TIME_WAITs whose listener is gone (the incident of 1,203 nodes): each names
//    another ephemeral "port" of the host as the service.
Snapshot manyPeers()
{
    Snapshot snapshot;
    snapshot.hostId = QStringLiteral("edge");
    const Endpoint https = ep("10.0.0.5", 443);
    snapshot.sockets.push_back(sock(https, ep("0.0.0.0", 0), TcpState::Listen, 0));
    std::uint16_t port = 1024;
    const auto client = [](int i) {
        return IpAddress::fromV4((203u << 24) | (std::uint32_t(i / 250) << 8) | (1u + i % 250));
    };
    for (int i = 0; i < 1000; ++i) {
        const int held = i == 617 ? 500 : 1 + i % 7;
        for (int k = 0; k < held; ++k)
            snapshot.sockets.push_back(sock(https, {client(i), port++}, TcpState::TimeWait, 0));
    }
    for (int i = 0; i < 300; ++i) {
        const IpAddress service = IpAddress::fromV4((198u << 24) | (51u << 16) | std::uint32_t(i));
        snapshot.sockets.push_back(sock(ep("10.0.0.5", std::uint16_t(40000 + i)), {service, 443},
                                        TcpState::Established, 0));
    }
    for (int i = 0; i < 400; ++i)
        snapshot.sockets.push_back(sock(ep("127.7.7.1", 9000),
                                        ep("127.7.7.2", std::uint16_t(50000 + i)),
                                        TcpState::TimeWait, 0));
    snapshot.finalize();
    return snapshot;
}

} // namespace

// The defect: a topology of 1,203 nodes drew blank. With the cap, each role keeps its busiest
// peers and one fold node; every count the edges carry adds up to the same totals.
TEST(Topology, ManyDistinctPeersFoldIntoOneNodePerRoleWithExactTotals)
{
    const Snapshot snapshot = manyPeers();
    // Named: an Attribution refers to its inventory and namespaces, it does not copy them.
    const DockerInventory inventory;
    const NamespaceMap namespaces;
    const Attribution attribution(snapshot, inventory, namespaces);
    const Topology all = buildTopology(attribution);
    TopologyBuilder::Options options;
    options.maxPeersPerRole = 40;
    const Topology capped = buildTopology(attribution, options);

    // Without the cap: the host, its :443 and :9000 ports... every peer a node of its own.
    EXPECT_EQ(all.nodes.size(), 1u + 1u + 1000u + 300u + 400u);
    // With it: the host, :443 (a service that is not only called: kept as a peer of the
    // services' role) and 40 peers per role, each role's fold included.
    EXPECT_EQ(capped.nodes.size(), 1u + 40u + 40u);
    EXPECT_EQ(totalsOf(capped), totalsOf(all));
    // 1,000 clients holding 1 + i % 7 each (3,997), the busiest 500 instead of 2; then the
    // host's 300 calls and the 400 loopback TIME_WAITs.
    EXPECT_EQ(totalsOf(all).connections, 3997u - 2u + 500u + 300u + 400u);

    const TopologyNode *callers = capped.node(topologyid::otherPeers(QStringLiteral("edge"), true));
    const TopologyNode *services =
        capped.node(topologyid::otherPeers(QStringLiteral("edge"), false));
    ASSERT_NE(callers, nullptr);
    ASSERT_NE(services, nullptr);
    EXPECT_EQ(callers->id, QStringLiteral("edge/others/callers"));
    EXPECT_EQ(callers->foldedPeers, 1000 - 39);
    EXPECT_TRUE(callers->foldedCallers);
    EXPECT_EQ(callers->kind, NodeKind::External);
    EXPECT_EQ(callers->label, QStringLiteral("961 other peers"));
    // 300 external services and 400 host ports, less the 39 busiest (host ports, with their
    // TIME_WAIT, before the ESTABLISHED services); :443 is a service too.
    EXPECT_EQ(services->foldedPeers, 300 + 400 + 1 - 39);
    EXPECT_FALSE(services->foldedCallers);
    EXPECT_EQ(services->foldedLabels.size(), 5);

    // The busiest client stays itself, with its own counts.
    const QString busiest = topologyid::external(QStringLiteral("edge"), ip("203.0.2.118"));
    const QString httpsNode = topologyid::hostService(QStringLiteral("edge"), 443);
    ASSERT_NE(capped.edge(busiest, httpsNode), nullptr);
    EXPECT_EQ(capped.edge(busiest, httpsNode)->count(TcpState::TimeWait), 500u);
    // The fold's edge into :443 carries every TIME_WAIT of the clients it holds, and who closes.
    const TopologyEdge *foldedIn = capped.edge(callers->id, httpsNode);
    ASSERT_NE(foldedIn, nullptr);
    std::uint32_t keptTimeWait = 0;
    for (const TopologyEdge &edge : capped.edges) {
        if (edge.toId == httpsNode && edge.fromId != callers->id)
            keptTimeWait += edge.count(TcpState::TimeWait);
    }
    EXPECT_EQ(foldedIn->count(TcpState::TimeWait) + keptTimeWait, 3997u - 2u + 500u);
    EXPECT_EQ(foldedIn->connections, foldedIn->sockets.size());
    EXPECT_EQ(foldedIn->closer, Closer::Server);
    ASSERT_TRUE(foldedIn->newConnectionsPerSecond.has_value());
    EXPECT_DOUBLE_EQ(*foldedIn->newConnectionsPerSecond, foldedIn->timeWaitConnections / 60.0);
    for (const TopologyEdge &edge : capped.edges) {
        EXPECT_EQ(capped.nodes[std::size_t(edge.from)].id, edge.fromId);
        EXPECT_EQ(capped.nodes[std::size_t(edge.to)].id, edge.toId);
    }
    EXPECT_TRUE(std::is_sorted(capped.nodes.begin(), capped.nodes.end(),
                               [](const auto &a, const auto &b) { return a.id < b.id; }));
}

// The same table in another order folds the same peers: the graph does not reshuffle between
// two samples of an unchanged host. Under the cap, nothing changes at all.
TEST(Topology, PeerCapIsDeterministicAndIdleBelowIt)
{
    Snapshot snapshot = manyPeers();
    const DockerInventory none;
    TopologyBuilder::Options options;
    options.maxPeersPerRole = 40;
    const Topology first = buildTopology(Attribution(snapshot, none, NamespaceMap()), options);
    std::mt19937 random(11);
    std::shuffle(snapshot.sockets.begin(), snapshot.sockets.end(), random);
    snapshot.finalize();
    const Topology second = buildTopology(Attribution(snapshot, none, NamespaceMap()), options);
    EXPECT_EQ(idsOf(first), idsOf(second));
    EXPECT_EQ(totalsOf(first), totalsOf(second));

    // The scenario's services that are peers: :22, :6601 and one external service.
    const auto host = test::scenarioHost(QStringLiteral("web01"));
    options.maxPeersPerRole = 3;
    EXPECT_EQ(idsOf(buildTopology(*host->attribution, options)),
              idsOf(buildTopology(*host->attribution)));
    options.maxPeersPerRole = 2;
    const Topology folded = buildTopology(*host->attribution, options);
    EXPECT_EQ(folded.nodes.size(), buildTopology(*host->attribution).nodes.size() - 1);
    ASSERT_NE(folded.node(topologyid::otherPeers(QStringLiteral("web01"), false)), nullptr);
    EXPECT_EQ(folded.node(topologyid::otherPeers(QStringLiteral("web01"), false))->foldedPeers, 2);
    // :6601, the API holding 39 TIME_WAIT, is the busiest: it stays.
    EXPECT_NE(folded.node(topologyid::hostService(QStringLiteral("web01"), 6601)), nullptr);
}

// Only host ports folded (loopback TIME_WAITs whose listener is gone): the fold says so.
TEST(Topology, FoldedHostPortsAreNamedAfterTheirHost)
{
    Snapshot snapshot;
    snapshot.hostId = QStringLiteral("id-1");
    for (int i = 0; i < 100; ++i)
        snapshot.sockets.push_back(sock(ep("127.7.7.1", 9000),
                                        ep("127.7.7.2", std::uint16_t(50000 + i)),
                                        TcpState::TimeWait, 0));
    snapshot.finalize();
    TopologyBuilder::Options options;
    options.maxPeersPerRole = 10;
    const DockerInventory none;
    const Topology topology = buildTopology(Attribution(snapshot, none, NamespaceMap()), options,
                                            QStringLiteral("web01"));
    ASSERT_EQ(topology.nodes.size(), 1u + 10u);
    const TopologyNode *fold = topology.node(topologyid::otherPeers(QStringLiteral("id-1"), false));
    ASSERT_NE(fold, nullptr);
    EXPECT_EQ(fold->kind, NodeKind::HostService);
    EXPECT_EQ(fold->label, QStringLiteral("91 other ports of web01"));
    const TopologyEdge *edge = topology.edge(topologyid::host(QStringLiteral("id-1")), fold->id);
    ASSERT_NE(edge, nullptr);
    EXPECT_EQ(edge->connections, 91u);
    EXPECT_EQ(edge->servicePorts.size(), 91u);
    EXPECT_EQ(edge->closer, Closer::Client);
}
