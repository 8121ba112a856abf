#include "model/snapshot.h"
#include "model/socketgrouper.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

using namespace twbench;

namespace {

Endpoint ep(const char *address, std::uint16_t port)
{
    const auto parsed = IpAddress::parse(address);
    EXPECT_TRUE(parsed.has_value()) << address;
    return {parsed.value_or(IpAddress()), port};
}

Socket sock(Endpoint local, Endpoint remote, TcpState state)
{
    Socket socket;
    socket.local = local;
    socket.remote = remote;
    socket.state = state;
    return socket;
}

Socket listener(const char *address, std::uint16_t port)
{
    return sock(ep(address, port), ep(address, 0), TcpState::Listen);
}

Snapshot finalized(std::vector<Socket> sockets)
{
    Snapshot snapshot;
    snapshot.hostId = QStringLiteral("h1");
    snapshot.sockets = std::move(sockets);
    snapshot.finalize();
    return snapshot;
}

const SocketGroup *findGroup(const QList<SocketGroup> &groups, const QString &display)
{
    for (const SocketGroup &group : groups) {
        if (group.display == display)
            return &group;
    }
    return nullptr;
}

// The incident: 500 TIME_WAIT on the API's port (the server closes), a few client connections.
Snapshot incident()
{
    std::vector<Socket> sockets;
    sockets.push_back(listener("0.0.0.0", 6601));
    sockets.push_back(listener("0.0.0.0", 22));
    for (int i = 0; i < 500; ++i)
        sockets.push_back(sock(ep("10.25.20.251", 6601), ep("172.17.0.3", std::uint16_t(40000 + i)),
                               TcpState::TimeWait));
    for (int i = 0; i < 3; ++i)
        sockets.push_back(sock(ep("10.25.20.251", 6601), ep("172.17.0.4", std::uint16_t(50000 + i)),
                               TcpState::Established));
    // This host as a client of a database: ephemeral local ports, one group each.
    for (int i = 0; i < 40; ++i)
        sockets.push_back(sock(ep("10.25.20.251", std::uint16_t(33000 + i)), ep("10.25.20.9", 3306),
                               TcpState::TimeWait));
    sockets.push_back(sock(ep("10.25.20.251", 22), ep("192.0.2.7", 61000), TcpState::Established));
    return finalized(std::move(sockets));
}

} // namespace

TEST(Grouping, ListeningEndpointWithTimeWaitIsOnTopAsService)
{
    const Snapshot snapshot = incident();
    const QList<SocketGroup> groups = groupSockets(snapshot, Grouping::LocalEndpoint);
    ASSERT_FALSE(groups.isEmpty());
    const SocketGroup &top = groups.front();
    EXPECT_EQ(top.display, QStringLiteral("10.25.20.251:6601"));
    EXPECT_EQ(top.total, 503u);
    EXPECT_EQ(top.count(TcpState::TimeWait), 500u);
    EXPECT_EQ(top.count(TcpState::Established), 3u);
    EXPECT_EQ(top.role, GroupRole::Service);
    EXPECT_EQ(top.serverSide, 503u);
    EXPECT_EQ(top.clientSide, 0u);

    const SocketGroup *client = findGroup(groups, QStringLiteral("10.25.20.251:33000"));
    ASSERT_NE(client, nullptr);
    EXPECT_EQ(client->role, GroupRole::Client);
    EXPECT_EQ(client->total, 1u);
    EXPECT_EQ(client->clientSide, 1u);
}

TEST(Grouping, ListenersDoNotInflateConnectionCounts)
{
    const Snapshot snapshot = finalized({
        listener("10.0.0.1", 80),
        sock(ep("10.0.0.1", 80), ep("10.0.0.7", 5000), TcpState::Established),
        sock(ep("10.0.0.1", 80), ep("10.0.0.7", 5001), TcpState::TimeWait),
        listener("0.0.0.0", 8080), // no connections: an idle service
    });
    const QList<SocketGroup> groups = groupSockets(snapshot, Grouping::LocalEndpoint);
    ASSERT_EQ(groups.size(), 2);
    EXPECT_EQ(groups[0].display, QStringLiteral("10.0.0.1:80"));
    EXPECT_EQ(groups[0].total, 2u);
    EXPECT_EQ(groups[0].count(TcpState::Listen), 1u);
    EXPECT_EQ(groups[1].display, QStringLiteral("0.0.0.0:8080"));
    EXPECT_EQ(groups[1].total, 0u);
    EXPECT_EQ(groups[1].count(TcpState::Listen), 1u);
    EXPECT_EQ(groups[1].role, GroupRole::Service);

    // Remote groupings leave listeners out: their "peer" is *:*.
    const QList<SocketGroup> remote = groupSockets(snapshot, Grouping::RemoteAddress);
    ASSERT_EQ(remote.size(), 1);
    EXPECT_EQ(remote[0].display, QStringLiteral("10.0.0.7"));
    EXPECT_EQ(remote[0].total, 2u);
    EXPECT_EQ(remote[0].count(TcpState::Listen), 0u);
}

TEST(Grouping, RemoteGroupsKnowWhichSideWeAre)
{
    const Snapshot snapshot = finalized({
        listener("0.0.0.0", 443),
        // 10.0.0.9 calls our :443 twice, and we call its database once.
        sock(ep("10.0.0.1", 443), ep("10.0.0.9", 40001), TcpState::TimeWait),
        sock(ep("10.0.0.1", 443), ep("10.0.0.9", 40002), TcpState::Established),
        sock(ep("10.0.0.1", 51000), ep("10.0.0.9", 5432), TcpState::Established),
        // Only clients of ours: a pure Service remote.
        sock(ep("10.0.0.1", 443), ep("10.0.0.8", 40003), TcpState::Established),
    });
    const QList<SocketGroup> byAddress = groupSockets(snapshot, Grouping::RemoteAddress);
    const SocketGroup *mixed = findGroup(byAddress, QStringLiteral("10.0.0.9"));
    ASSERT_NE(mixed, nullptr);
    EXPECT_EQ(mixed->role, GroupRole::Mixed);
    EXPECT_EQ(mixed->serverSide, 2u);
    EXPECT_EQ(mixed->clientSide, 1u);
    const SocketGroup *pure = findGroup(byAddress, QStringLiteral("10.0.0.8"));
    ASSERT_NE(pure, nullptr);
    EXPECT_EQ(pure->role, GroupRole::Service);

    const QList<SocketGroup> byEndpoint = groupSockets(snapshot, Grouping::RemoteEndpoint);
    const SocketGroup *database = findGroup(byEndpoint, QStringLiteral("10.0.0.9:5432"));
    ASSERT_NE(database, nullptr);
    EXPECT_EQ(database->role, GroupRole::Client);
}

TEST(Grouping, MappedIpv4GroupsWithIpv4AndIpv6StaysApart)
{
    const Snapshot snapshot = finalized({
        listener("::", 80), // dual-stack: serves IPv4 too
        sock(ep("10.0.0.1", 80), ep("10.0.0.2", 1000), TcpState::TimeWait),
        sock(ep("::ffff:10.0.0.1", 80), ep("::ffff:10.0.0.2", 1001), TcpState::TimeWait),
        sock(ep("2001:db8::1", 80), ep("2001:db8::2", 1002), TcpState::Established),
    });
    const QList<SocketGroup> groups = groupSockets(snapshot, Grouping::LocalEndpoint);
    const SocketGroup *v4 = findGroup(groups, QStringLiteral("10.0.0.1:80"));
    ASSERT_NE(v4, nullptr);
    EXPECT_EQ(v4->total, 2u);
    EXPECT_EQ(v4->role, GroupRole::Service);
    const SocketGroup *v6 = findGroup(groups, QStringLiteral("[2001:db8::1]:80"));
    ASSERT_NE(v6, nullptr);
    EXPECT_EQ(v6->total, 1u);
    EXPECT_EQ(v6->role, GroupRole::Service);
    EXPECT_EQ(findGroup(groups, QStringLiteral("[::ffff:10.0.0.1]:80")), nullptr);

    const QList<SocketGroup> remote = groupSockets(snapshot, Grouping::RemoteAddress);
    const SocketGroup *peer = findGroup(remote, QStringLiteral("10.0.0.2"));
    ASSERT_NE(peer, nullptr);
    EXPECT_EQ(peer->total, 2u);
}

TEST(Grouping, TiesAreBrokenByTimeWaitThenKeyWhateverTheInputOrder)
{
    std::vector<Socket> sockets = {
        // Three groups of two; 10.0.0.10 has a TIME_WAIT, the other two tie completely.
        sock(ep("10.0.0.10", 80), ep("10.1.0.1", 1), TcpState::TimeWait),
        sock(ep("10.0.0.10", 80), ep("10.1.0.1", 2), TcpState::Established),
        sock(ep("10.0.0.9", 80), ep("10.1.0.1", 3), TcpState::Established),
        sock(ep("10.0.0.9", 80), ep("10.1.0.1", 4), TcpState::Established),
        sock(ep("10.0.0.11", 80), ep("10.1.0.1", 5), TcpState::Established),
        sock(ep("10.0.0.11", 80), ep("10.1.0.1", 6), TcpState::Established),
        sock(ep("10.0.0.12", 80), ep("10.1.0.1", 7), TcpState::Established), // smallest
    };
    const QStringList expected = {QStringLiteral("10.0.0.10:80"), QStringLiteral("10.0.0.9:80"),
                                  QStringLiteral("10.0.0.11:80"), QStringLiteral("10.0.0.12:80")};
    std::mt19937 random(7);
    for (int round = 0; round < 10; ++round) {
        std::shuffle(sockets.begin(), sockets.end(), random);
        const QList<SocketGroup> groups = groupSockets(finalized(sockets), Grouping::LocalEndpoint);
        QStringList order;
        for (const SocketGroup &group : groups)
            order.append(group.display);
        // 10.0.0.9 before 10.0.0.11: numeric, not text, order of the key.
        EXPECT_EQ(order, expected) << "round " << round;
    }
}

TEST(Grouping, StateGroupingCountsEveryStateAndListeners)
{
    const Snapshot snapshot = incident();
    const QList<SocketGroup> groups = groupSockets(snapshot, Grouping::State);
    ASSERT_EQ(groups.size(), 3);
    EXPECT_EQ(groups[0].display, QStringLiteral("TIME_WAIT"));
    EXPECT_EQ(groups[0].total, 540u);
    EXPECT_EQ(groups[1].display, QStringLiteral("ESTABLISHED"));
    EXPECT_EQ(groups[1].total, 4u);
    EXPECT_EQ(groups[1].serverSide, 4u);
    EXPECT_EQ(groups[2].display, QStringLiteral("LISTEN"));
    EXPECT_EQ(groups[2].total, 2u);
    // TIME_WAIT split by side: who closed first.
    EXPECT_EQ(groups[0].serverSide, 500u);
    EXPECT_EQ(groups[0].clientSide, 40u);
}

TEST(Grouping, EveryConnectionIsCountedOnceInEveryGrouping)
{
    const Snapshot snapshot = incident();
    const std::uint32_t connections = std::uint32_t(
        std::count_if(snapshot.sockets.begin(), snapshot.sockets.end(),
                      [](const Socket &socket) { return socket.state != TcpState::Listen; }));
    for (int g = 0; g < GroupingCount; ++g) {
        const auto grouping = static_cast<Grouping>(g);
        const QList<SocketGroup> groups = groupSockets(snapshot, grouping);
        std::uint32_t sum = 0;
        std::set<GroupKey> keys;
        for (const SocketGroup &group : groups) {
            sum += group.total - (grouping == Grouping::State ? group.count(TcpState::Listen) : 0);
            EXPECT_EQ(group.serverSide + group.clientSide,
                      group.total -
                          (grouping == Grouping::State ? group.count(TcpState::Listen) : 0));
            keys.insert(group.key);
        }
        EXPECT_EQ(sum, connections) << int(g);
        EXPECT_EQ(keys.size(), size_t(groups.size())) << "keys are unique";
        for (qsizetype i = 1; i < groups.size(); ++i)
            EXPECT_GE(groups[i - 1].total, groups[i].total);
    }
}

TEST(Grouping, GroupKeyOfMatchesTheGroups)
{
    const Snapshot snapshot = incident();
    const QList<SocketGroup> groups = groupSockets(snapshot, Grouping::RemoteAddress);
    const SocketGroup *peer = findGroup(groups, QStringLiteral("172.17.0.3"));
    ASSERT_NE(peer, nullptr);
    const auto matching =
        std::count_if(snapshot.sockets.begin(), snapshot.sockets.end(), [&](const Socket &socket) {
            return groupKeyOf(Grouping::RemoteAddress, socket) == peer->key;
        });
    EXPECT_EQ(std::uint32_t(matching), peer->total);
}

TEST(Grouping, NamesAreDistinctAndNotEmpty)
{
    std::set<QString> names;
    for (int g = 0; g < GroupingCount; ++g) {
        const QString name = groupingName(static_cast<Grouping>(g));
        EXPECT_FALSE(name.isEmpty());
        names.insert(name);
    }
    EXPECT_EQ(names.size(), size_t(GroupingCount));
    EXPECT_TRUE(groupRoleName(GroupRole::None).isEmpty());
    EXPECT_FALSE(groupRoleName(GroupRole::Service).isEmpty());
}

TEST(Grouping, HundredThousandSocketsGroupQuickly)
{
    std::vector<Socket> sockets;
    sockets.reserve(100000);
    sockets.push_back(listener("0.0.0.0", 6601));
    for (int i = 0; i < 99999; ++i) {
        const auto peer = IpAddress::fromV4(0x0a000000u + std::uint32_t(i % 5000));
        sockets.push_back(sock(ep("10.25.20.251", i % 3 ? 6601 : std::uint16_t(32768 + i % 28000)),
                               {peer, std::uint16_t(1024 + i % 60000)}, TcpState::TimeWait));
    }
    const Snapshot snapshot = finalized(std::move(sockets));
    const QList<SocketGroup> groups = groupSockets(snapshot, Grouping::LocalEndpoint);
    ASSERT_FALSE(groups.isEmpty());
    EXPECT_EQ(groups.front().display, QStringLiteral("10.25.20.251:6601"));
    EXPECT_EQ(groups.front().total, 66666u);
}

// A container's listener decides nothing about the host's sockets: the same endpoint text in
// two namespaces is two endpoints, and each side is judged by its own namespace's listeners.
TEST(Grouping, NamespacesAreKeptApartAndJudgedByTheirOwnListeners)
{
    constexpr std::uint64_t containerNs = 4026532608;
    constexpr std::uint64_t hostNs = 4026531833;
    std::vector<Socket> sockets;
    Socket containerListener = listener("127.0.0.1", 8080);
    containerListener.netns = containerNs;
    sockets.push_back(containerListener);
    for (std::uint16_t i = 0; i < 3; ++i) {
        Socket served = sock(ep("127.0.0.1", 8080), ep("127.0.0.1", std::uint16_t(50000 + i)),
                             TcpState::TimeWait);
        served.netns = containerNs;
        sockets.push_back(served);
    }
    // On the host, 8080 is an ephemeral port of an outgoing connection.
    Socket hostClient = sock(ep("127.0.0.1", 8080), ep("127.0.0.1", 9000), TcpState::TimeWait);
    hostClient.netns = hostNs;
    sockets.push_back(hostClient);
    const Snapshot snapshot = finalized(std::move(sockets));

    const QList<SocketGroup> groups =
        groupSockets(snapshot, Grouping::LocalEndpoint, {{containerNs, QStringLiteral("nginx")}});
    ASSERT_EQ(groups.size(), 2);
    EXPECT_EQ(groups[0].key.netns, containerNs);
    EXPECT_EQ(groups[0].total, 3u);
    EXPECT_EQ(groups[0].role, GroupRole::Service);
    EXPECT_EQ(groups[0].display, QStringLiteral("127.0.0.1:8080 · nginx"));
    EXPECT_EQ(groups[1].key.netns, hostNs);
    EXPECT_EQ(groups[1].total, 1u);
    EXPECT_EQ(groups[1].role, GroupRole::Client) << "judged by the container's listener";
    EXPECT_EQ(groups[1].display, QStringLiteral("127.0.0.1:8080"));

    // Towards a peer, connections count together from wherever they are seen.
    const QList<SocketGroup> byRemote = groupSockets(snapshot, Grouping::RemoteAddress);
    ASSERT_EQ(byRemote.size(), 1);
    EXPECT_EQ(byRemote[0].total, 4u);
    EXPECT_EQ(byRemote[0].serverSide, 3u);
    EXPECT_EQ(byRemote[0].clientSide, 1u);
}
