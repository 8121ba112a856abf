#include "hostfixture.h"
#include "socketbuilders.h"

#include "model/attribution.h"
#include "model/redactor.h"

#include <gtest/gtest.h>

using namespace twbench;
using twbench::test::ep;
using twbench::test::ip;

namespace {

// The fixture host as one probe sample would carry it.
HostSamplePtr sampleOf(const test::HostFixture &host)
{
    auto sample = std::make_shared<HostSample>();
    sample->hostId = host.snapshot.hostId;
    sample->table = std::make_shared<Snapshot>(host.snapshot);
    sample->docker = std::make_shared<DockerInventory>(host.inventory);
    sample->namespaces = std::make_shared<NamespaceMap>(host.namespaces);
    LogWindow window;
    window.sourceId = QStringLiteral("/var/log/nginx/access.log");
    window.keys.append(
        {{QStringLiteral("192.168.42.1"), QStringLiteral("GET"), QStringLiteral("/token"), 200},
         120});
    window.keys.append(
        {{QStringLiteral("crawler.example.org"), QStringLiteral("GET"), QStringLiteral("/"), 200},
         3});
    sample->logs.append(window);
    sample->issues.append({QStringLiteral("ss"), QStringLiteral("no answer from 10.25.20.251")});
    return sample;
}

// Every address a sample holds, kept ones included.
QSet<IpAddress> addressesOf(const HostSample &sample)
{
    QSet<IpAddress> result;
    for (const Socket &socket : sample.table->sockets) {
        result.insert(socket.local.address);
        result.insert(socket.remote.address);
    }
    for (const Container &container : sample.docker->containers) {
        for (const IpAddress &address : container.addresses())
            result.insert(address);
        for (const ContainerNetwork &network : container.networks) {
            if (network.gateway)
                result.insert(*network.gateway);
        }
    }
    for (const DockerNetwork &network : sample.docker->networks) {
        for (const IpSubnet &subnet : network.subnets)
            result.insert(subnet.address);
        for (const IpAddress &gateway : network.gateways)
            result.insert(gateway);
    }
    return result;
}

bool isKeptAddress(const IpAddress &address)
{
    return address.isUnspecified() || address.isLoopback();
}

std::vector<OwnerKind> ownerKinds(const Attribution &attribution)
{
    std::vector<OwnerKind> kinds;
    for (const Socket &socket : attribution.snapshot().sockets) {
        kinds.push_back(attribution.ownerOfLocal(socket).kind);
        kinds.push_back(attribution.ownerOfRemote(socket).kind);
    }
    return kinds;
}

} // namespace

TEST(Redactor, SameOriginalSameAliasEverywhere)
{
    const auto host = test::scenarioHost();
    const HostSamplePtr original = sampleOf(*host);
    Redactor redactor;
    redactor.reserve(*original);
    const HostSamplePtr redacted = redactor.sample(*original);

    const IpAddress api = ip("10.25.20.251");
    const IpAddress alias = redactor.address(api);
    EXPECT_NE(alias, api);
    EXPECT_TRUE(alias.isV4());
    EXPECT_EQ(redactor.address(api), alias); // stable across calls
    EXPECT_EQ(redactor.endpoint(ep("10.25.20.251", 6601)), (Endpoint{alias, 6601}));
    // The same alias in the sample's table and in its texts.
    bool seenInTable = false;
    for (std::size_t i = 0; i < original->table->sockets.size(); ++i) {
        if (original->table->sockets[i].local.address == api) {
            EXPECT_EQ(redacted->table->sockets[i].local.address, alias);
            seenInTable = true;
        }
    }
    EXPECT_TRUE(seenInTable);
    EXPECT_EQ(redacted->issues.value(0).message,
              QStringLiteral("no answer from ") + alias.toString());
    EXPECT_EQ(redactor.text(QStringLiteral("netstat -ant | grep 10.25.20.251:6601")),
              QStringLiteral("netstat -ant | grep ") + alias.toString() + QStringLiteral(":6601"));
    // Log clients: an address through address(), a name left to text() (no host name known).
    EXPECT_EQ(redacted->logs.value(0).keys.value(0).key.client,
              redactor.address(ip("192.168.42.1")).toString());
    EXPECT_EQ(redacted->logs.value(0).keys.value(1).key.client,
              QStringLiteral("crawler.example.org"));
    // The host id and the process names are not redacted.
    EXPECT_EQ(redacted->hostId, original->hostId);
    EXPECT_EQ(redacted->table->processNames, original->table->processNames);
    // Same /16, same alias prefix; last two octets kept.
    EXPECT_EQ(redactor.address(ip("10.25.1.2")).v4() >> 16, alias.v4() >> 16);
    EXPECT_EQ(redactor.address(ip("10.25.1.2")).v4() & 0xffff, 0x0102u);
    EXPECT_NE(redactor.address(ip("10.26.1.2")).v4() >> 16, alias.v4() >> 16);
    EXPECT_GT(redactor.addressCount(), 3);
}

TEST(Redactor, AliasesNeverEqualAReservedOriginal)
{
    // Originals inside the alias ranges themselves: their prefixes must be skipped.
    Redactor redactor;
    HostSample sample;
    auto table = std::make_shared<Snapshot>();
    table->sockets.push_back(
        test::sock(ep("198.18.0.1", 80), ep("198.19.7.7", 50000), TcpState::TimeWait, 0));
    table->sockets.push_back(
        test::sock(ep("10.0.7.7", 80), ep("2001:db8:0:1::1", 50000), TcpState::TimeWait, 0));
    table->sockets.push_back(
        test::sock(ep("172.17.0.1", 80), ep("2001:db8:0:2::1", 50000), TcpState::Established, 0));
    sample.table = table;
    const auto host = test::workersHost();
    const HostSamplePtr workers = sampleOf(*host);
    redactor.reserve(sample);
    redactor.reserve(*workers);

    QSet<IpAddress> originals = addressesOf(*workers);
    for (const Socket &socket : table->sockets) {
        originals.insert(socket.local.address);
        originals.insert(socket.remote.address);
    }
    for (const IpAddress &original : std::as_const(originals)) {
        const IpAddress alias = redactor.address(original);
        if (isKeptAddress(original)) {
            EXPECT_EQ(alias, original) << original.toString().toStdString();
            continue;
        }
        EXPECT_FALSE(originals.contains(alias))
            << original.toString().toStdString() << " -> " << alias.toString().toStdString();
        EXPECT_EQ(alias.isV4(), original.isV4()) << original.toString().toStdString();
    }
    // Two distinct originals never share an alias.
    QSet<IpAddress> aliases;
    for (const IpAddress &original : std::as_const(originals))
        aliases.insert(redactor.address(original));
    EXPECT_EQ(aliases.size(), originals.size());
}

TEST(Redactor, LoopbackAndWildcardsStay)
{
    Redactor redactor;
    for (const char *kept : {"0.0.0.0", "::", "127.0.0.1", "::1", "127.0.0.53"})
        EXPECT_EQ(redactor.address(ip(kept)), ip(kept)) << kept;
    EXPECT_EQ(redactor.addressCount(), 0);
    // Any other loopback address (a lab, a service bound to 127.A.B.C) is aliased, and stays
    // loopback, with the /16 shared: 127.210.96.0/24 stays one subnet.
    const IpAddress gateway = redactor.address(ip("127.210.96.1"));
    const IpAddress proxy = redactor.address(ip("127.210.96.10"));
    EXPECT_TRUE(gateway.isLoopback());
    EXPECT_NE(gateway, ip("127.210.96.1"));
    EXPECT_NE(gateway.toString().section(u'.', 0, 1), QStringLiteral("127.0"));
    EXPECT_EQ(gateway.toString().section(u'.', 0, 2), proxy.toString().section(u'.', 0, 2));
    EXPECT_EQ(redactor.addressCount(), 2);
    // IPv6 goes to the documentation prefix, with the /64 shared by one prefix's addresses.
    const IpAddress a = redactor.address(ip("fd00:1:2:3::10"));
    const IpAddress b = redactor.address(ip("fd00:1:2:3::11"));
    EXPECT_FALSE(a.isV4());
    EXPECT_TRUE(a.toString().startsWith(QStringLiteral("2001:db8:"))) << a.toString().toStdString();
    EXPECT_TRUE(std::equal(a.bytes().begin(), a.bytes().begin() + 8, b.bytes().begin()));
    EXPECT_NE(a, b);
    // Link-local stays link-local.
    EXPECT_TRUE(redactor.address(ip("fe80::42:acff:fe11:2"))
                    .toString()
                    .startsWith(QStringLiteral("fe80:")));
}

TEST(Redactor, ContainersStayInTheirDockerSubnets)
{
    const auto host = test::scenarioHost();
    const HostSamplePtr original = sampleOf(*host);
    Redactor redactor;
    redactor.reserve(*original);
    const HostSamplePtr redacted = redactor.sample(*original);

    int checked = 0;
    for (std::size_t c = 0; c < original->docker->containers.size(); ++c) {
        const Container &before = original->docker->containers[c];
        const Container &after = redacted->docker->containers[c];
        EXPECT_EQ(after.name, before.name);
        for (qsizetype n = 0; n < before.networks.size(); ++n) {
            const ContainerNetwork &network = before.networks[n];
            const DockerNetwork *netBefore = original->docker->networkByName(network.name);
            const DockerNetwork *netAfter = redacted->docker->networkByName(network.name);
            if (!netBefore || !network.ipAddress)
                continue;
            ASSERT_TRUE(netAfter);
            for (qsizetype s = 0; s < netBefore->subnets.size(); ++s) {
                if (!netBefore->subnets[s].contains(*network.ipAddress) ||
                    netBefore->subnets[s].prefixLength < 16)
                    continue;
                EXPECT_TRUE(netAfter->subnets[s].contains(*after.networks[n].ipAddress))
                    << after.networks[n].ipAddress->toString().toStdString() << " not in "
                    << netAfter->subnets[s].toString().toStdString();
                EXPECT_NE(after.networks[n].ipAddress, network.ipAddress);
                ++checked;
            }
        }
    }
    EXPECT_GT(checked, 0);
}

TEST(Redactor, AttributionOfARedactedSampleGivesTheSameOwners)
{
    for (const auto &host : {test::scenarioHost(), test::workersHost()}) {
        const HostSamplePtr original = sampleOf(*host);
        Redactor redactor;
        redactor.reserve(*original);
        const HostSamplePtr redacted = redactor.sample(*original);
        const Attribution before(*original->table, *original->docker, *original->namespaces);
        const Attribution after(*redacted->table, *redacted->docker, *redacted->namespaces);
        EXPECT_EQ(ownerKinds(after), ownerKinds(before)) << host->snapshot.hostId.toStdString();
        // Who is the server side is kept too (listening endpoints were recomputed).
        for (std::size_t i = 0; i < original->table->sockets.size(); ++i) {
            EXPECT_EQ(after.sideOf(redacted->table->sockets[i]),
                      before.sideOf(original->table->sockets[i]));
        }
    }
}

TEST(Redactor, TextReplacesAddressesOnly)
{
    Redactor redactor;
    const QString v4 = redactor.address(ip("10.1.2.3")).toString();
    const QString v6 = redactor.address(ip("2001:db8::1")).toString();
    EXPECT_NE(v6, QStringLiteral("2001:db8::1"));
    EXPECT_EQ(redactor.text(QStringLiteral("10.1.2.3:80")), v4 + QStringLiteral(":80"));
    EXPECT_EQ(redactor.text(QStringLiteral("[2001:db8::1]:443")),
              u'[' + v6 + QStringLiteral("]:443"));
    EXPECT_EQ(redactor.text(QStringLiteral("peer 10.1.2.3, then 2001:db8::1.")),
              QStringLiteral("peer ") + v4 + QStringLiteral(", then ") + v6 + u'.');
    EXPECT_EQ(redactor.text(QStringLiteral("peer:10.1.2.3")), QStringLiteral("peer:") + v4);
    for (const char *kept : {"12:30:45", "version 1.2.3", "0.0.0.0:80", "[::]:443",
                             "127.0.0.1:8080", "[::1]:22", "std::map", "02:42:ac:11:00:02",
                             "v1.2.3.4", "2024-11-26 10:02:03.123", "deadbeef", "1.2.3.4abc"}) {
        EXPECT_EQ(redactor.text(QString::fromLatin1(kept)), QString::fromLatin1(kept)) << kept;
    }
}

TEST(Redactor, HostNamesBecomeNumberedAliases)
{
    Redactor redactor;
    CaptureHost host;
    host.id = QStringLiteral("h1");
    host.displayName = QStringLiteral("web-01");
    host.kind = QStringLiteral("ssh");
    host.address = QStringLiteral("web-01.prod.example.com");
    host.user = QStringLiteral("deploy");
    host.port = 22;
    CaptureHost second = host;
    second.id = QStringLiteral("h2");
    second.displayName = QStringLiteral("db");
    second.address = QStringLiteral("10.9.8.7");
    redactor.reserve(host);
    redactor.reserve(second);

    const CaptureHost a = redactor.host(host);
    const CaptureHost b = redactor.host(second);
    EXPECT_EQ(a.id, host.id);
    EXPECT_EQ(a.displayName, QStringLiteral("host-1"));
    EXPECT_TRUE(a.address.startsWith(QStringLiteral("host-")));
    EXPECT_NE(a.user, host.user);
    EXPECT_EQ(b.address, redactor.address(ip("10.9.8.7")).toString());
    EXPECT_EQ(redactor.hostName(QStringLiteral("WEB-01")), QStringLiteral("host-1"));
    EXPECT_EQ(redactor.host(host), a); // stable

    // Whole words only, the longest name first.
    const QString text = redactor.text(
        QStringLiteral("web-01 (web-01.prod.example.com) talks to db; web-010 and dbx do not"));
    EXPECT_EQ(text, QStringLiteral("host-1 (") + a.address +
                        QStringLiteral(") talks to host-3; web-010 and dbx do not"));
}
