// Building the topology graph of a busy docker host (synthetic, ~300 nodes):
//   TopologyBuild/<sockets per caller>  Attribution + TopologyBuilder on one snapshot: 120
//       compose services of 2 replicas, 100 containers without labels, 75 external peers, the
//       host; each replica calls the next service and holds ESTABLISHED connections seen from
//       both namespaces, the services hold the TIME_WAIT; the peers call a published port.
// The graph view rebuilds this on every table sample, so it must stay far below the sample
// interval (seconds) at the socket counts the probe reads.

#include "model/attribution.h"
#include "model/topologybuilder.h"

#include <benchmark/benchmark.h>

#include <memory>

namespace {

using namespace twbench;

struct SyntheticHost
{
    Snapshot snapshot;
    DockerInventory inventory;
    NamespaceMap namespaces;
};

IpAddress v4(std::uint32_t a, std::uint32_t b, std::uint32_t c, std::uint32_t d)
{
    return IpAddress::fromV4((a << 24) | (b << 16) | (c << 8) | d);
}

Socket socket(Endpoint local, Endpoint remote, TcpState state, std::uint64_t netns)
{
    Socket s;
    s.local = local;
    s.remote = remote;
    s.state = state;
    s.netns = netns;
    return s;
}

std::unique_ptr<SyntheticHost> makeHost(int socketsPerCaller)
{
    constexpr int composeServices = 120;
    constexpr int replicas = 2;
    constexpr int standalone = 100;
    constexpr int externals = 75;
    auto host = std::make_unique<SyntheticHost>();
    host->snapshot.hostId = QStringLiteral("bench");
    const IpAddress hostAddress = v4(10, 0, 0, 5);
    const IpAddress gateway = v4(172, 18, 0, 1);

    DockerNetwork network;
    network.name = QStringLiteral("app_default");
    network.id = QStringLiteral("n0");
    network.driver = QStringLiteral("bridge");
    network.subnets.append({v4(172, 18, 0, 0), 16});
    network.gateways.append(gateway);
    host->inventory.networks.push_back(network);

    const int containers = composeServices * replicas + standalone;
    for (int i = 0; i < containers; ++i) {
        Container c;
        c.id = QStringLiteral("%1").arg(i, 64, 16, QLatin1Char('0'));
        c.name = QStringLiteral("c%1").arg(i);
        c.running = true;
        c.pid = 1000 + i;
        c.networkMode = network.name;
        if (i < composeServices * replicas) {
            c.composeProject = QStringLiteral("app");
            c.composeService = QStringLiteral("svc%1").arg(i / replicas);
        }
        ContainerNetwork entry;
        entry.name = network.name;
        entry.ipAddress = v4(172, 18, std::uint32_t(i / 250), std::uint32_t(2 + i % 250));
        entry.gateway = gateway;
        c.networks.append(entry);
        if (i == 0)
            c.ports.append({443, QStringLiteral("tcp"), {{std::nullopt, 443}}});
        host->inventory.containers.push_back(c);
        host->namespaces.containerNetns.insert(c.id, 4026532000u + std::uint64_t(i));
    }

    std::vector<Socket> &sockets = host->snapshot.sockets;
    sockets.push_back(socket({hostAddress, 22}, {}, TcpState::Listen, 0));
    sockets.push_back(socket({IpAddress::fromV4(0), 443}, {}, TcpState::Listen, 0));
    for (int i = 0; i < containers; ++i) {
        const auto netns = 4026532000u + std::uint64_t(i);
        const IpAddress self = *host->inventory.containers[std::size_t(i)].networks[0].ipAddress;
        sockets.push_back(socket({IpAddress::fromV4(0), 8080}, {}, TcpState::Listen, netns));
        // Each container calls the next one's service.
        const int target = (i + replicas) % containers;
        const IpAddress peer =
            *host->inventory.containers[std::size_t(target)].networks[0].ipAddress;
        const auto peerNetns = 4026532000u + std::uint64_t(target);
        for (int k = 0; k < socketsPerCaller; ++k) {
            const auto port = std::uint16_t(32768 + k);
            if (k % 10 == 0) { // live: both ends
                sockets.push_back(socket({self, port}, {peer, 8080}, TcpState::Established, netns));
                sockets.push_back(
                    socket({peer, 8080}, {self, port}, TcpState::Established, peerNetns));
            } else { // closed by the service
                sockets.push_back(
                    socket({peer, 8080}, {self, port}, TcpState::TimeWait, peerNetns));
            }
        }
    }
    for (int e = 0; e < externals; ++e) {
        const IpAddress peer = v4(203, 0, 113, std::uint32_t(1 + e));
        for (int k = 0; k < socketsPerCaller; ++k)
            sockets.push_back(socket({v4(172, 18, 0, 2), 8080}, {peer, std::uint16_t(40000 + k)},
                                     TcpState::TimeWait, 4026532000u));
    }
    host->snapshot.finalize();
    return host;
}

void BM_TopologyBuild(benchmark::State &state)
{
    const auto host = makeHost(int(state.range(0)));
    std::size_t nodes = 0;
    std::size_t edges = 0;
    for (auto _ : state) {
        const Attribution attribution(host->snapshot, host->inventory, host->namespaces);
        const Topology topology = buildTopology(attribution);
        nodes = topology.nodes.size();
        edges = topology.edges.size();
        benchmark::DoNotOptimize(topology.edges.data());
    }
    state.SetItemsProcessed(std::int64_t(state.iterations()) *
                            std::int64_t(host->snapshot.sockets.size()));
    state.counters["nodes"] = double(nodes);
    state.counters["edges"] = double(edges);
    state.counters["sockets"] = double(host->snapshot.sockets.size());
}
BENCHMARK(BM_TopologyBuild)->Arg(10)->Arg(100)->Arg(300)->Unit(benchmark::kMillisecond);

} // namespace
