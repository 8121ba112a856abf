// What the GUI thread does when a host's 100k-socket table arrives, through the real window
// (MainWindow on the offscreen platform, every view shown as on a desktop):
//   ViewsTableArrives/<case>  one sample carrying the next table (5 % of its sockets replaced)
//       handed to Workbench::onSample as the fleet hands it, until every view shows it: the
//       connection table's diff and its proxy, the Endpoints grouping and the topology built
//       and laid out on the pool then swapped in, the findings prepared on the pool and their
//       rules run, the charts' next redraw (their 200 ms timer: the window runs at least 250 ms
//       after the sample), and the repaint. Time: CPU time of the GUI thread
//       (what it could not spend on anything else; waiting for the pool is not counted).
//       Counters: sync_ms, the wall time of onSample() itself (the signal handlers that run
//       at once); settle_ms, the wall time until every view shows the table; first_gui_ms and
//       first_frame_ms, the GUI-thread CPU time of the first table (a load) and of its longest
//       frame (CPU time between two ticks of a 5 ms timer, as ViewsEventLoopStall measures);
//       max_frame_ms, the longest frame of the tables after it.
//       Cases: 0 the window as first opened; 1 the connection table sorted by its Remote
//       column; 2 Endpoints grouped by remote endpoint (one group per socket: 100k rows).
//   ViewsEventLoopStall  a live session through the same window for 20 s: a counters sample
//       every second, a new 100k table every 2 s (the probe reads a table this size every 10 s
//       or so), recording on. A 5 ms timer on the GUI thread records the longest gap between its
//       ticks: the longest frame the operator could have seen frozen. Time: that gap (wall).
//       max_gap_cpu_ms: the most CPU time the GUI thread spent within one gap, the frame's own
//       work, which is what the wall gap comes to on a machine with a core to spare (on one
//       shared with other builds the wall gap also holds the time the thread waited for a core).
//
// Made from benchTables()'s real TIME_WAIT sockets (bench/run.sh; TWBENCH_BENCH_SOCKETS).

#include "viewsbench.h"

#include "gui/chartsview.h"
#include "gui/connectionsview.h"
#include "gui/endpointsview.h"
#include "gui/findingsrunner.h"
#include "gui/mainwindow.h"
#include "gui/topologyview.h"
#include "gui/workbench.h"
#include "model/connectiontablemodel.h"
#include "remote/hostspec.h"

#include <QApplication>
#include <QComboBox>
#include <QDateTime>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>
#include <QTimer>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <vector>

namespace {

using namespace twbench;
using bench::guiApplication;
using bench::runUntil;
using bench::threadCpuMs;

const QString hostId = QStringLiteral("bench");

// A host the fleet cannot reach: it only gets the samples the benchmark feeds, as in the tests.
HostSpec quietHost()
{
    HostSpec spec;
    spec.id = hostId;
    spec.displayName = QStringLiteral("bench-host");
    spec.kind = HostSpec::Kind::Replay;
    return spec;
}

// The live window of one host, as twbench opens it, with the host's last ten minutes already
// in its timeline (the charts draw something) and its tables about to come.
struct Session
{
    explicit Session(int viewCase)
    {
        guiApplication();
        QSettings().clear();
        // Case 2: the operator had grouped Endpoints by remote endpoint (a setting it reads).
        if (viewCase == 2)
            QSettings().setValue(QStringLiteral("endpoints/groupBy"),
                                 int(Grouping::RemoteEndpoint));
        workbench = std::make_unique<Workbench>();
        workbench->addHost(quietHost());
        workbench->setCurrentHost(hostId);
        window = std::make_unique<MainWindow>(workbench.get());
        window->resize(1600, 1000);
        window->show();
        if (!QTest::qWaitForWindowExposed(window.get()))
            std::fprintf(stderr, "bench: the window was not exposed\n");
        if (viewCase == 1)
            window->connectionsView()->table()->sortByColumn(ConnectionTableModel::RemoteColumn,
                                                             Qt::AscendingOrder);
        QObject::connect(window->topologyView(), &TopologyView::frameShown,
                         [this] { ++framesShown; });
        QObject::connect(window->endpointsView(), &EndpointsView::groupsApplied,
                         [this] { ++groupingsShown; });
        const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
        std::vector<HostSamplePtr> history;
        for (int second = 0; second < 600; ++second)
            history.push_back(
                bench::sampleAt(hostId, std::uint64_t(second + 1), now - 1000LL * (600 - second)));
        workbench->loadHistory(hostId, history);
        sequence = 601;
    }
    ~Session()
    {
        window.reset();
        workbench.reset();
    }

    // Every view has what was delivered: the pool is idle and the topology and the groups
    // shown are of the last table.
    bool settled(int tables) const
    {
        return framesShown >= tables && groupingsShown >= tables &&
               !window->topologyView()->isBusy() &&
               QThreadPool::globalInstance()->activeThreadCount() == 0;
    }

    std::unique_ptr<Workbench> workbench;
    std::unique_ptr<MainWindow> window;
    int framesShown = 0;
    int groupingsShown = 0;
    std::uint64_t sequence = 0;
};

// The tables a run goes through, made once: the real table, then each next with 5 % churn.
const std::vector<SnapshotPtr> &tables()
{
    static const std::vector<SnapshotPtr> made =
        bench::churnedTables(bench::realTable(hostId), 12, 5);
    return made;
}

// The gaps between ticks of a 5 ms timer on the thread it lives on: each gap's wall time, and
// the thread's own CPU time within it. On a machine shared with other work the wall time also
// holds the time the thread waited for a core; the CPU time is the frame's own work.
class GapProbe
{
public:
    GapProbe()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(5);
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            const double cpu = threadCpuMs();
            m_gaps.push_back(double(now - m_last) / 1e6);
            m_cpu.push_back(cpu - m_lastCpu);
            m_last = now;
            m_lastCpu = cpu;
        });
        m_clock.start();
        m_last = m_clock.nsecsElapsed();
        m_lastCpu = threadCpuMs();
        m_timer.start();
    }
    double maxMs() const { return maxOf(m_gaps); }
    double maxCpuMs() const { return maxOf(m_cpu); }
    int countOver(double ms) const
    {
        return int(std::count_if(m_gaps.begin(), m_gaps.end(), [ms](double g) { return g > ms; }));
    }
    int cpuCountOver(double ms) const
    {
        return int(std::count_if(m_cpu.begin(), m_cpu.end(), [ms](double g) { return g > ms; }));
    }

private:
    static double maxOf(const std::vector<double> &values)
    {
        return values.empty() ? 0 : *std::max_element(values.begin(), values.end());
    }

    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    double m_lastCpu = 0;
    std::vector<double> m_gaps;
    std::vector<double> m_cpu;
};

void ViewsTableArrives(benchmark::State &state)
{
    const int viewCase = int(state.range(0));
    const std::vector<SnapshotPtr> &series = tables();
    Session session(viewCase);
    // Every table, every time: the rules' 5 s rate limit would skip most of them.
    session.window->findingsRunner()->setInterval(0);
    std::int64_t epochMs = QDateTime::currentMSecsSinceEpoch();
    std::vector<HostSamplePtr> samples;
    for (std::size_t i = 0; i < series.size(); ++i)
        samples.push_back(
            bench::sampleAt(hostId, session.sequence + i, epochMs + 1000 * qint64(i), series[i]));

    // The first table fills the views (a load, not the steady diff): measured on its own.
    int delivered = 0;
    std::optional<GapProbe> firstProbe(std::in_place);
    const double firstCpu = threadCpuMs();
    session.workbench->onSample(hostId, samples[0]);
    ++delivered;
    if (!runUntil([&] { return session.settled(delivered); })) {
        state.SkipWithError("the views did not settle on the first table");
        return;
    }
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    state.counters["first_gui_ms"] = threadCpuMs() - firstCpu;
    // Its longest frame: the most GUI-thread CPU time between two ticks of a 5 ms timer.
    state.counters["first_frame_ms"] = firstProbe->maxCpuMs();
    firstProbe.reset();
    state.counters["first_rules_ms"] = double(session.window->findingsRunner()->lastRulesMs());

    double syncMs = 0;
    double settleMs = 0;
    double worstCpuMs = 0;
    double rulesMs = 0;
    std::size_t next = 1;
    GapProbe probe;
    for (auto _ : state) {
        const HostSamplePtr &sample = samples[next];
        next = next + 1 < samples.size() ? next + 1 : 1;
        QElapsedTimer wall;
        const double cpuBefore = threadCpuMs();
        wall.start();
        session.workbench->onSample(hostId, sample);
        syncMs += double(wall.nsecsElapsed()) / 1e6;
        ++delivered;
        if (!runUntil([&] { return session.settled(delivered); })) {
            state.SkipWithError("the views did not settle");
            return;
        }
        // The charts redraw on their own timer (every 200 ms when a sample came): the redraw
        // this sample causes belongs to it, so the window runs at least that long. So does the
        // repaint of what changed.
        runUntil([&wall] { return wall.hasExpired(250); });
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
        settleMs += double(wall.nsecsElapsed()) / 1e6;
        const double cpuMs = threadCpuMs() - cpuBefore;
        worstCpuMs = std::max(worstCpuMs, cpuMs);
        rulesMs += double(session.window->findingsRunner()->lastRulesMs());
        state.SetIterationTime(cpuMs / 1e3);
    }
    const auto n = double(state.iterations());
    state.counters["sync_ms"] = syncMs / n;
    state.counters["settle_ms"] = settleMs / n;
    state.counters["worst_gui_ms"] = worstCpuMs;
    state.counters["max_frame_ms"] = probe.maxCpuMs(); // the longest frame of the later tables
    state.counters["rules_ms"] = rulesMs / n; // wall time of the diagnosis rules (GUI thread)
    state.counters["sockets"] = double(series.front()->sockets.size());
    state.counters["rows"] = double(session.window->connectionsView()->model()->rowCount());
    static const char *const labels[] = {"as opened", "connections sorted by Remote",
                                         "endpoints by remote endpoint"};
    state.SetLabel(labels[viewCase]);
}
BENCHMARK(ViewsTableArrives)
    ->Arg(0)
    ->Arg(1)
    ->Arg(2)
    ->UseManualTime()
    ->Iterations(8)
    ->Unit(benchmark::kMillisecond);

void ViewsEventLoopStall(benchmark::State &state)
{
    const std::vector<SnapshotPtr> &series = tables();
    Session session(0);
    QTemporaryDir directory;
    QString error;
    // Live windows record what they receive (on the recorder's own thread).
    if (!session.window->startRecording(directory.filePath(QStringLiteral("session.twbench")),
                                        &error)) {
        state.SkipWithError(qPrintable(error));
        return;
    }
    constexpr int seconds = 20;
    std::vector<HostSamplePtr> samples;
    const std::int64_t start = QDateTime::currentMSecsSinceEpoch();
    for (int second = 0; second < seconds; ++second) {
        const SnapshotPtr table =
            second % 2 == 0 ? series[std::size_t(second / 2) % series.size()] : SnapshotPtr();
        samples.push_back(bench::sampleAt(hostId, session.sequence + std::uint64_t(second),
                                          start + 1000LL * second, table));
    }

    double maxGap = 0;
    double maxBusy = 0;
    int over50 = 0;
    int over100 = 0;
    int busyOver50 = 0;
    for (auto _ : state) {
        GapProbe probe;
        int fed = 0;
        QTimer feeder;
        feeder.setInterval(1000);
        QObject::connect(&feeder, &QTimer::timeout, [&] {
            if (fed < int(samples.size()))
                session.workbench->onSample(hostId, samples[std::size_t(fed++)]);
        });
        feeder.start();
        // Tables that came while the topology of the one before was still being laid out are
        // coalesced (only the newest is laid out next): wait for the pool, not for a count.
        runUntil(
            [&] {
                return fed == int(samples.size()) && !session.window->topologyView()->isBusy() &&
                       QThreadPool::globalInstance()->activeThreadCount() == 0;
            },
            (seconds + 60) * 1000);
        // One more second of the live window after the last table: its redraws count too.
        runUntil([] { return false; }, 1000);
        maxGap = probe.maxMs();
        maxBusy = probe.maxCpuMs();
        over50 = probe.countOver(50);
        over100 = probe.countOver(100);
        busyOver50 = probe.cpuCountOver(50);
        state.SetIterationTime(maxGap / 1e3);
    }
    session.window->stopRecording();
    state.counters["max_gap_ms"] = maxGap;
    state.counters["gaps_over_50ms"] = over50;
    state.counters["gaps_over_100ms"] = over100;
    state.counters["max_gap_cpu_ms"] = maxBusy;
    state.counters["cpu_gaps_over_50ms"] = busyOver50;
    state.counters["sockets"] = double(series.front()->sockets.size());
}
BENCHMARK(ViewsEventLoopStall)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);

} // namespace
