#include "hostfixture.h"
#include "socketbuilders.h"

#include "model/attribution.h"

#include <gtest/gtest.h>

using namespace twbench;
using twbench::test::ep;
using twbench::test::HostFixture;
using twbench::test::ip;
using twbench::test::sock;

namespace {

int indexOf(const DockerInventory &inventory, const char *name)
{
    for (std::size_t i = 0; i < inventory.containers.size(); ++i) {
        if (inventory.containers[i].name == QLatin1String(name))
            return int(i);
    }
    return -1;
}

} // namespace

TEST(Attribution, ContainerByItsNamespace)
{
    const auto host = test::scenarioHost();
    const Attribution &a = *host->attribution;
    const std::uint64_t nginxNetns = host->netnsOf(QStringLiteral("web-nginx-1"));
    const int nginx = indexOf(host->inventory, "web-nginx-1");
    EXPECT_EQ(a.ownerOfNamespace(nginxNetns),
              (EndpointOwner{OwnerKind::Container, nginx, {}, 0, 0, {}}));
    EXPECT_EQ(a.containerOfNamespace(nginxNetns), nginx);
    EXPECT_TRUE(a.isObserved(nginxNetns));
    EXPECT_FALSE(a.isObserved(host->netnsOf(QStringLiteral("shop-php-1")))); // unreadable
    EXPECT_EQ(a.ownerOfNamespace(0).kind, OwnerKind::Host);
    const EndpointOwner stranger = a.ownerOfNamespace(4026599999u);
    EXPECT_EQ(stranger.kind, OwnerKind::Unknown);
    EXPECT_EQ(stranger.netns, 4026599999u);
    EXPECT_FALSE(a.isObserved(4026599999u));
    EXPECT_EQ(a.describe(a.ownerOfNamespace(nginxNetns)), QStringLiteral("container web-nginx-1"));
}

TEST(Attribution, ContainerByItsAddressGatewayHostAndExternal)
{
    const auto host = test::scenarioHost();
    const Attribution &a = *host->attribution;
    const std::uint64_t nginxNetns = host->netnsOf(QStringLiteral("web-nginx-1"));
    const int nginx = indexOf(host->inventory, "web-nginx-1");
    const int php = indexOf(host->inventory, "shop-php-1");

    // Seen from the host: the upstream's callers are nginx, by its address on web_default.
    EXPECT_EQ(a.ownerOfAddress(ip("192.168.42.32"), 0).kind, OwnerKind::Container);
    EXPECT_EQ(a.ownerOfAddress(ip("192.168.42.32"), 0).container, nginx);
    EXPECT_EQ(a.ownerOfAddress(ip("172.19.0.5"), 0).container, php);
    // Seen from nginx: its callers come from web_default's gateway.
    const EndpointOwner gateway = a.ownerOfAddress(ip("192.168.42.1"), nginxNetns);
    EXPECT_EQ(gateway.kind, OwnerKind::Gateway);
    EXPECT_EQ(gateway.network, QStringLiteral("web_default"));
    EXPECT_EQ(a.describe(gateway),
              QStringLiteral("containers on this host via the web_default gateway"));
    EXPECT_EQ(a.gatewayNetwork(ip("172.19.0.1")), QStringLiteral("shop_default"));
    EXPECT_EQ(a.gatewayNetwork(ip("172.17.0.1")), QStringLiteral("bridge")); // from IPAM alone
    // The host's own address, derived from its sockets; loopback always.
    EXPECT_EQ(a.ownerOfAddress(ip("10.25.20.251"), nginxNetns).kind, OwnerKind::Host);
    EXPECT_TRUE(a.isHostAddress(ip("10.25.20.251")));
    EXPECT_TRUE(a.hostAddresses().contains(ip("127.0.0.1")));
    EXPECT_FALSE(a.hostAddresses().contains(ip("0.0.0.0")));
    // Loopback stays in the namespace that sees it.
    EXPECT_EQ(a.ownerOfAddress(ip("127.0.0.1"), 0).kind, OwnerKind::Host);
    EXPECT_EQ(a.ownerOfAddress(ip("127.0.0.1"), nginxNetns).container, nginx);
    EXPECT_EQ(a.ownerOfAddress(ip("::1"), nginxNetns).container, nginx);
    // Everything else is outside.
    EXPECT_EQ(a.ownerOfAddress(ip("203.0.113.45"), 0).kind, OwnerKind::External);
    EXPECT_EQ(a.describe(a.ownerOfAddress(ip("203.0.113.45"), 0), ip("203.0.113.45")),
              QStringLiteral("external peer 203.0.113.45"));
    // An address in a docker subnet that no container has (one that went away).
    const EndpointOwner gone = a.ownerOfAddress(ip("192.168.42.77"), 0);
    EXPECT_EQ(gone.kind, OwnerKind::NetworkPeer);
    EXPECT_EQ(gone.network, QStringLiteral("web_default"));
    // The published port.
    EXPECT_EQ(a.containerPublishing(443), nginx);
    EXPECT_EQ(a.containerPublishing(6601), -1);
}

TEST(Attribution, Ipv6AndMappedAddresses)
{
    const auto workers = test::workersHost();
    const Attribution &a = *workers->attribution;
    // The host's sockets list its address as ::ffff:10.8.0.5 and 2001:db8:0:1::5.
    EXPECT_TRUE(a.isHostAddress(ip("10.8.0.5")));
    EXPECT_TRUE(a.isHostAddress(ip("::ffff:10.8.0.5")));
    EXPECT_TRUE(a.isHostAddress(ip("2001:db8:0:1::5")));
    EXPECT_EQ(a.ownerOfAddress(ip("::ffff:10.8.0.99"), 0).kind, OwnerKind::External);
    EXPECT_EQ(a.ownerOfAddress(ip("2001:db8::77"), 0).kind, OwnerKind::External);
    EXPECT_EQ(a.ownerOfAddress(ip("::ffff:172.28.0.9"), 0).kind, OwnerKind::Container);

    // A dual-stack container on its IPv6 network.
    Snapshot snapshot;
    snapshot.finalize();
    DockerInventory inventory;
    Container c;
    c.id = QStringLiteral("aa");
    c.name = QStringLiteral("v6");
    c.running = true;
    ContainerNetwork network;
    network.name = QStringLiteral("frontend");
    network.ipAddress = ip("172.20.0.5");
    network.ipv6Address = ip("fd00:20::5");
    network.gateway = ip("172.20.0.1");
    network.ipv6Gateway = ip("fd00:20::1");
    c.networks.append(network);
    inventory.containers.push_back(c);
    const Attribution v6(snapshot, inventory, {});
    EXPECT_EQ(v6.ownerOfAddress(ip("fd00:20::5"), 0).kind, OwnerKind::Container);
    EXPECT_EQ(v6.ownerOfAddress(ip("fd00:20::1"), 0).kind, OwnerKind::Gateway);
    EXPECT_EQ(v6.ownerOfAddress(ip("fd00:20::1"), 0).network, QStringLiteral("frontend"));
}

TEST(Attribution, HostModeContainerIsTheHostsNamespace)
{
    const auto workers = test::workersHost();
    const Attribution &a = *workers->attribution;
    // node-exporter maps to the host's inode: its sockets are the host's.
    EXPECT_EQ(workers->netnsOf(QStringLiteral("node-exporter")), test::workersHostNetns);
    EXPECT_TRUE(a.isHostNamespace(test::workersHostNetns));
    EXPECT_EQ(a.ownerOfNamespace(test::workersHostNetns).kind, OwnerKind::Host);
    EXPECT_EQ(a.netnsOfContainer(indexOf(workers->inventory, "node-exporter")), 0u);
    EXPECT_TRUE(a.isListening(test::workersHostNetns, ep("10.8.0.5", 9100)));
    EXPECT_TRUE(a.isListening(0, ep("10.8.0.5", 9100)));
}

TEST(Attribution, ListeningIsPerNamespace)
{
    // nginx listens on 80 and 443 in its namespace; the host on 22 and (docker-proxy) 443.
    const auto host = test::scenarioHost();
    const Attribution &a = *host->attribution;
    const std::uint64_t nginxNetns = host->netnsOf(QStringLiteral("web-nginx-1"));
    EXPECT_TRUE(a.isListening(nginxNetns, ep("192.168.42.32", 80)));
    EXPECT_FALSE(a.isListening(0, ep("10.25.20.251", 80)));
    EXPECT_FALSE(a.isListening(nginxNetns, ep("192.168.42.32", 6601)));
    EXPECT_TRUE(a.isListening(0, ep("10.25.20.251", 6601)));
    EXPECT_EQ(a.listeners().ports(0), (std::vector<std::uint16_t>{22, 443, 3306, 6601}));
    EXPECT_EQ(a.listeners().ports(nginxNetns), (std::vector<std::uint16_t>{80, 443}));

    // A host client that happens to use port 80 as its local port is a client on the host, even
    // though port 80 listens in nginx's namespace — Snapshot's namespace-blind index says
    // otherwise, which is why attribution keeps its own.
    const Socket client =
        sock(ep("10.25.20.251", 80), ep("198.51.100.9", 443), TcpState::Established, 0);
    EXPECT_EQ(a.sideOf(client), SocketSide::Client);
    EXPECT_TRUE(host->snapshot.isListeningEndpoint(client.local));
    const Socket server =
        sock(ep("192.168.42.32", 443), ep("192.168.42.1", 40000), TcpState::TimeWait, nginxNetns);
    EXPECT_EQ(a.sideOf(server), SocketSide::Server);
    const Socket upstream = sock(ep("192.168.42.32", 40000), ep("10.25.20.251", 6601),
                                 TcpState::Established, nginxNetns);
    EXPECT_EQ(a.sideOf(upstream), SocketSide::Client);
}

TEST(Attribution, SharedNamespaceBelongsToItsOwner)
{
    // A sidecar in "container:<id>" mode shares the main container's namespace.
    Snapshot snapshot;
    snapshot.finalize();
    DockerInventory inventory;
    Container sidecar;
    sidecar.id = QStringLiteral("s1");
    sidecar.name = QStringLiteral("sidecar");
    sidecar.networkMode = QStringLiteral("container:m1");
    Container main;
    main.id = QStringLiteral("m1");
    main.name = QStringLiteral("main");
    main.networkMode = QStringLiteral("bridge");
    inventory.containers = {sidecar, main};
    NamespaceMap map;
    map.containerNetns.insert(QStringLiteral("s1"), 77);
    map.containerNetns.insert(QStringLiteral("m1"), 77);
    const Attribution a(snapshot, inventory, map);
    EXPECT_EQ(a.containerOfNamespace(77), 1);
}

// ss -p as root: a host socket whose pid has a name belongs to that process; containers' sockets
// (read from /proc/<pid>/net/tcp, without processes) stay their containers'.
TEST(Attribution, HostProcessWhereKnown)
{
    HostFixture host;
    host.snapshot.hostId = QStringLiteral("web01");
    Container nginx;
    nginx.id = QStringLiteral("c1");
    nginx.name = QStringLiteral("web-nginx-1");
    nginx.running = true;
    host.inventory.containers.push_back(nginx);
    host.namespaces.containerNetns.insert(QStringLiteral("c1"), 4026532001u);

    Socket api = sock(ep("0.0.0.0", 6601), ep("0.0.0.0", 0), TcpState::Listen, 0);
    api.pid = 1234;
    Socket served = sock(ep("10.0.0.1", 6601), ep("10.0.0.9", 40000), TcpState::Established, 0);
    served.pid = 1234;
    Socket unnamed = sock(ep("10.0.0.1", 22), ep("10.0.0.9", 40001), TcpState::Established, 0);
    unnamed.pid = 99; // a pid without a name: the host
    const Socket timeWait =
        sock(ep("10.0.0.1", 6601), ep("10.0.0.9", 40002), TcpState::TimeWait, 0);
    Socket inContainer =
        sock(ep("172.17.0.2", 80), ep("172.17.0.1", 40003), TcpState::Established, 4026532001u);
    inContainer.pid = 1234; // not the host's namespace: the pid says nothing here
    Socket hostile = sock(ep("10.0.0.1", 9000), ep("10.0.0.9", 40004), TcpState::Established, 0);
    hostile.pid = 666;
    host.snapshot.sockets = {api, served, unnamed, timeWait, inContainer, hostile};
    host.snapshot.processNames.insert(1234, QStringLiteral("nginx"));
    host.snapshot.processNames.insert(666, QStringLiteral("evil\x1b[2J\u202e"));
    host.attribute();
    const Attribution &a = *host.attribution;

    const EndpointOwner owner = a.ownerOfLocal(served);
    EXPECT_EQ(owner,
              (EndpointOwner{OwnerKind::HostProcess, -1, {}, 0, 1234, QStringLiteral("nginx")}));
    EXPECT_EQ(a.describe(owner), QStringLiteral("process nginx (1234)"));
    EXPECT_EQ(a.ownerOfLocal(api).kind, OwnerKind::HostProcess);
    EXPECT_EQ(a.ownerOfLocal(unnamed).kind, OwnerKind::Host);
    EXPECT_EQ(a.ownerOfLocal(timeWait).kind, OwnerKind::Host);
    EXPECT_EQ(a.ownerOfLocal(inContainer).kind, OwnerKind::Container);
    EXPECT_EQ(a.processName(1234), QStringLiteral("nginx"));
    EXPECT_TRUE(a.processName(0).isEmpty());
    // The namespace's owner is still the host, and the side rules do not change.
    EXPECT_EQ(a.ownerOfNamespace(0).kind, OwnerKind::Host);
    EXPECT_EQ(a.sideOf(served), SocketSide::Server);
    // Remote data: control characters and bidi overrides are escaped for display.
    EXPECT_EQ(a.describe(a.ownerOfLocal(hostile)),
              QStringLiteral("process evil\\x1b[2J\\u{202e} (666)"));
}
