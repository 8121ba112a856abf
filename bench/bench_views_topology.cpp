// The topology graph of a 100k-socket table with many distinct peers, through the real
// TopologyView (offscreen, the size of its dock):
//   TopologyManyPeers/0  benchTables()'s real TIME_WAITs with their listener left out: what a
//       session saw once the benchmark that made them had ended. Each TIME_WAIT's local port then
//       listens no more, so each names another ephemeral port of the host as the service: the
//       1,203-node graph that drew blank, here with tens of thousands of ports.
//   TopologyManyPeers/<N>  100,000 TIME_WAITs held by the host's :443 for N distinct external
//       clients (a public server), and the host calling 300 distinct external services.
//   TopologyUncapped/<N>  the public server's graph as it was drawn before the peer cap: the
//       topology built without it and handed to the view whole (no cap applies to a ready
//       topology). For the figure before the fix; one iteration.
// Time: from showData() to the frame on screen (attribution, topology, the peer cap, text
// measures and dot on the pool; the swap into the scene on the GUI thread). Counters: nodes
// and edges drawn, peers folded, build_ms and layout_ms (pool), gui_ms (the GUI thread's CPU).

#include "viewsbench.h"

#include "gui/topologyview.h"
#include "model/topologybuilder.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QTest>

#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>

namespace {

using namespace twbench;

SnapshotPtr listenerGone()
{
    auto table = std::make_shared<Snapshot>(*bench::realTable(QStringLiteral("bench")));
    std::erase_if(table->sockets,
                  [](const Socket &socket) { return socket.state == TcpState::Listen; });
    table->finalize();
    return table;
}

SnapshotPtr publicServer(int peers)
{
    auto table = std::make_shared<Snapshot>();
    table->hostId = QStringLiteral("bench");
    const IpAddress self = IpAddress::fromV4((10u << 24) | 5u);
    Socket listener;
    listener.local = {self, 443};
    listener.state = TcpState::Listen;
    table->sockets.push_back(listener);
    for (int i = 0; i < 100000; ++i) {
        // Uneven, as real clients are: peer k holds about 1/(k+1) of the connections.
        const int k = int(double(peers) * (double(i) / 100000.0) * (double(i) / 100000.0));
        Socket socket;
        socket.local = {self, 443};
        socket.remote = {IpAddress::fromV4((100u << 24) | std::uint32_t(k)),
                         std::uint16_t(20000 + i % 40000)};
        socket.state = TcpState::TimeWait;
        table->sockets.push_back(socket);
    }
    for (int i = 0; i < 300; ++i) {
        Socket socket;
        socket.local = {self, std::uint16_t(40000 + i)};
        socket.remote = {IpAddress::fromV4((198u << 24) | (51u << 16) | std::uint32_t(i)), 443};
        socket.state = TcpState::Established;
        table->sockets.push_back(socket);
    }
    table->finalize();
    return table;
}

void TopologyManyPeers(benchmark::State &state)
{
    bench::guiApplication();
    const SnapshotPtr table =
        state.range(0) == 0 ? listenerGone() : publicServer(int(state.range(0)));
    TopologyView view(nullptr);
    view.resize(620, 700);
    view.show();
    if (!QTest::qWaitForWindowExposed(&view))
        std::fprintf(stderr, "bench: the window was not exposed\n");
    double guiMs = 0;
    for (auto _ : state) {
        // A host switch between iterations: every frame is laid out afresh.
        view.showTopology(Topology());
        bench::runUntil([&view] { return !view.isBusy(); });
        QElapsedTimer clock;
        const double cpuBefore = bench::threadCpuMs();
        clock.start();
        view.showData(table, nullptr, nullptr);
        if (!bench::runUntil([&view] { return !view.isBusy(); })) {
            state.SkipWithError("no frame within a minute");
            return;
        }
        state.SetIterationTime(double(clock.nsecsElapsed()) / 1e9);
        guiMs += bench::threadCpuMs() - cpuBefore;
    }
    const TopologyFramePtr frame = view.frame();
    int folded = 0;
    for (const TopologyNode &node : frame->topology.nodes)
        folded += node.foldedPeers;
    state.counters["nodes"] = double(frame->topology.nodes.size());
    state.counters["edges"] = double(frame->topology.edges.size());
    state.counters["folded"] = folded;
    state.counters["build_ms"] = frame->buildMs;
    state.counters["layout_ms"] = frame->layout.elapsedMs;
    state.counters["gui_ms"] = guiMs / double(state.iterations());
    state.counters["sockets"] = double(table->sockets.size());
    const QString directory = qEnvironmentVariable("TWBENCH_BENCH_SCREENSHOT_DIR");
    if (!directory.isEmpty()) {
        bench::runUntil([] { return false; }, 100); // the layout after the new status text
        view.grab().save(directory + QStringLiteral("/topology-peers-%1.png").arg(state.range(0)));
    }
}
void TopologyUncapped(benchmark::State &state)
{
    bench::guiApplication();
    const SnapshotPtr table = publicServer(int(state.range(0)));
    const DockerInventory none;
    const Topology topology = buildTopology(Attribution(*table, none, NamespaceMap()));
    TopologyView view(nullptr);
    view.resize(620, 700);
    view.show();
    if (!QTest::qWaitForWindowExposed(&view))
        std::fprintf(stderr, "bench: the window was not exposed\n");
    for (auto _ : state) {
        QElapsedTimer clock;
        clock.start();
        view.showTopology(topology);
        if (!bench::runUntil([&view] { return !view.isBusy(); }, 600000)) {
            state.SkipWithError("no frame within ten minutes");
            return;
        }
        state.SetIterationTime(double(clock.nsecsElapsed()) / 1e9);
    }
    state.counters["nodes"] = double(topology.nodes.size());
    state.counters["layout_ms"] = view.frame() ? view.frame()->layout.elapsedMs : -1;
    const QString directory = qEnvironmentVariable("TWBENCH_BENCH_SCREENSHOT_DIR");
    if (!directory.isEmpty()) {
        bench::runUntil([] { return false; }, 100);
        view.grab().save(directory +
                         QStringLiteral("/topology-uncapped-%1.png").arg(state.range(0)));
    }
}
BENCHMARK(TopologyUncapped)
    ->Arg(1200)
    ->UseManualTime()
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

BENCHMARK(TopologyManyPeers)
    ->Arg(0)
    ->Arg(1000)
    ->Arg(20000)
    ->UseManualTime()
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond);

} // namespace
