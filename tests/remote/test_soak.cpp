// Fault soaks (issue 9): the SSH path against a real sshd on 127.0.0.1 (tests/lab/sshdfixture),
// broken over and over: sessions killed mid-stream, the server frozen, a thousand connects and
// disconnects, floods on stdout and stderr, sshd down for a minute.
//
// Each soak has two scales: the normal run (what CI runs, all soaks together under a minute:
// 46 s in a release build) and the full figures of the README with TWBENCH_SOAK_FULL=1 (about
// eleven minutes; run the binary directly, `test_remote --gtest_filter='Soak.*'`: ctest's 300 s per
// test is too short for it). Every loop is bounded in count and in time. Timing assertions only
// where the issue names a deadline; every figure is printed and recorded as a test property.
#include "remotetestutil.h"
#include "sshtestutil.h"
#include "timergapprobe.h"

#include "model/timeline.h"
#include "remote/fleet.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QTimer>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <set>

#if defined(__SANITIZE_ADDRESS__)
#define TWBENCH_SOAK_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TWBENCH_SOAK_ASAN 1
#endif
#endif
#ifdef TWBENCH_SOAK_ASAN
// GCC ships no <sanitizer/allocator_interface.h>; both its ASan runtime and clang's export this.
extern "C" size_t __sanitizer_get_current_allocated_bytes();
#endif

using namespace twbench;
using namespace twbench::test;

namespace {

bool fullScale()
{
    return qEnvironmentVariableIntValue("TWBENCH_SOAK_FULL") != 0;
}

int scaled(int normal, int full)
{
    return fullScale() ? full : normal;
}

// Runs the event loop until `done()` holds or `timeoutMs` passes, blocked while nothing happens.
// Not remotetestutil's waitUntil(): processEvents(flags, maxtime) drops WaitForMoreEvents, so
// that one spins a core, which on two cores slows the very reconnects a soak times.
template<typename Predicate>
bool waitFor(Predicate done, qint64 timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    QTimer wake; // conditions on other processes (sshd's sessions) are not events: look often
    wake.start(20);
    while (!done()) {
        if (deadline.hasExpired())
            return done();
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    return true;
}

// Waits without a condition: the event loop runs (samples arrive), nothing spins.
void pause(int ms)
{
    waitFor([] { return false; }, ms);
}

// A figure for the README: printed, and kept in the test's XML output.
void figure(const char *key, qint64 value, const char *unit = "")
{
    ::testing::Test::RecordProperty(key, std::to_string(value));
    std::printf("[soak] %s = %lld%s%s\n", key, static_cast<long long>(value), *unit ? " " : "",
                unit);
    std::fflush(stdout);
}

int openFileDescriptors()
{
    return int(QDir(QStringLiteral("/proc/self/fd"))
                   .entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot)
                   .size());
}

// A field of /proc/self/status in kB ("VmRSS", "VmHWM").
qint64 statusKb(const QByteArray &field)
{
    QFile file(QStringLiteral("/proc/self/status"));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray prefix = field + ':';
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.startsWith(prefix))
            return line.mid(field.size() + 1).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

// How much memory the process holds beyond a baseline, at its peak. Without ASan: resident
// memory (VmHWM, reset by /proc/self/clear_refs; sampled as VmRSS as well where that is not
// allowed). With ASan, resident memory holds the allocator's quarantine of freed blocks (up to
// 256 MB), so the live heap is measured instead, sampled every 5 ms.
class PeakMemory
{
public:
    PeakMemory()
    {
#ifndef TWBENCH_SOAK_ASAN
        QFile clear(QStringLiteral("/proc/self/clear_refs"));
        m_hwmReset = clear.open(QIODevice::WriteOnly) && clear.write("5") == 1;
#endif
        m_baseline = current();
        m_peak = m_baseline;
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(5);
        QObject::connect(&m_timer, &QTimer::timeout,
                         [this] { m_peak = std::max(m_peak, current()); });
        m_timer.start();
    }
    static const char *what()
    {
#ifdef TWBENCH_SOAK_ASAN
        return "live heap (ASan allocator)";
#else
        return "resident memory (VmHWM)";
#endif
    }
    qint64 baselineBytes() const
    {
        return m_baseline;
    }
    qint64 peakBytes()
    {
        m_peak = std::max(m_peak, current());
#ifndef TWBENCH_SOAK_ASAN
        if (m_hwmReset)
            m_peak = std::max(m_peak, statusKb("VmHWM") * 1024);
#endif
        return m_peak;
    }
    qint64 growthBytes()
    {
        return peakBytes() - m_baseline;
    }

private:
    static qint64 current()
    {
#ifdef TWBENCH_SOAK_ASAN
        return qint64(__sanitizer_get_current_allocated_bytes());
#else
        return statusKb("VmRSS") * 1024;
#endif
    }

    QTimer m_timer;
    qint64 m_baseline = 0;
    qint64 m_peak = 0;
    bool m_hwmReset = false;
};

struct TimedStatus
{
    qint64 atMs = 0;
    HostStatus status;
};

struct TimedSample
{
    qint64 atMs = 0;
    int run = 0; // index in Recorder::runs
    HostSamplePtr sample;
};

// What one host of a fleet said, with this test's clock.
struct Recorder
{
    Recorder(Fleet &fleet, const QString &hostId)
        : id(hostId)
    {
        clock.start();
        QObject::connect(&fleet, &Fleet::statusChanged, &fleet,
                         [this](const QString &host, const HostStatus &status) {
                             if (host == id)
                                 statuses.append({clock.elapsed(), status});
                         });
        QObject::connect(&fleet, &Fleet::runStarted, &fleet,
                         [this](const QString &host, const QString &run) {
                             if (host == id) {
                                 runs.append(run);
                                 runTimes.append(clock.elapsed());
                             }
                         });
        QObject::connect(&fleet, &Fleet::sampleReady, &fleet,
                         [this](const QString &host, const HostSamplePtr &sample) {
                             if (host == id)
                                 samples.append({clock.elapsed(), int(runs.size()) - 1, sample});
                         });
    }
    HostState state() const
    {
        return statuses.isEmpty() ? HostState::Idle : statuses.last().status.state;
    }
    // The first status of `state` at or after `fromMs`.
    const TimedStatus *statusAfter(HostState state, qint64 fromMs) const
    {
        for (const TimedStatus &s : statuses) {
            if (s.atMs >= fromMs && s.status.state == state)
                return &s;
        }
        return nullptr;
    }
    qsizetype count(HostState state, qint64 fromMs = 0, qint64 toMs = -1) const
    {
        return std::count_if(statuses.begin(), statuses.end(), [&](const TimedStatus &s) {
            return s.status.state == state && s.atMs >= fromMs && (toMs < 0 || s.atMs <= toMs);
        });
    }
    qsizetype samplesOfRun(int run) const
    {
        return std::count_if(samples.begin(), samples.end(),
                             [run](const TimedSample &s) { return s.run == run; });
    }

    QString id;
    QElapsedTimer clock;
    QList<TimedStatus> statuses;
    QStringList runs;
    QList<qint64> runTimes; // when each run's hello came
    QList<TimedSample> samples;
};

// No sample lost or counted twice: in each run the sequence climbs by one from 1, no (run,
// sequence) twice, the samples' times strictly increase across runs (no duplicate time in the
// timeline), and the Timeline takes every one of them. Returns the number of samples checked.
qsizetype expectNoSampleLostOrTwice(const Recorder &recorder)
{
    Timeline timeline;
    std::set<std::pair<int, std::uint64_t>> seen;
    std::int64_t lastTime = 0;
    int run = -2;
    std::uint64_t previous = 0;
    for (const TimedSample &s : recorder.samples) {
        if (s.run != run) {
            EXPECT_GT(s.run, run) << "a run came back";
            run = s.run;
            previous = 0;
        }
        EXPECT_EQ(s.sample->sequence, previous + 1) << "run " << run;
        previous = s.sample->sequence;
        EXPECT_TRUE(seen.insert({s.run, s.sample->sequence}).second)
            << "run " << run << " sample " << s.sample->sequence << " twice";
        EXPECT_GT(s.sample->epochMs, lastTime) << "run " << run << " sample " << previous;
        lastTime = s.sample->epochMs;
        EXPECT_TRUE(timeline.add(*s.sample)) << "run " << run << " sample " << previous;
    }
    const QList<Timeline::Point> points = timeline.points(Timeline::Metric::TimeWait);
    for (qsizetype i = 1; i < points.size(); ++i)
        EXPECT_LT(points[i - 1].epochMs, points[i].epochMs);
    return recorder.samples.size();
}

class Soak : public ::testing::Test
{
protected:
    void SetUp() override
    {
        if (const QString why = SshdFixture::unavailableReason(); !why.isEmpty())
            GTEST_SKIP() << why.toStdString();
        QString error;
        ASSERT_TRUE(sshd.start(&error)) << error.toStdString();
        QFile file(sshd.knownHostsPath());
        ASSERT_TRUE(file.open(QIODevice::WriteOnly));
        file.write(sshd.knownHostsLine() + '\n');
        std::printf("[soak] scale: %s\n", fullScale() ? "full (TWBENCH_SOAK_FULL=1)" : "normal");
    }

    SshdFixture sshd;
};

} // namespace

// 1. The session killed mid-stream (SIGKILL to the sshd process serving it and the probe below
//    it: the connection dies as when a server's sshd is killed or the OOM killer strikes), over
//    and over: no sample lost or counted twice across the reconnects, each reconnect within its
//    backoff delay + 1 s.
TEST_F(Soak, KilledSessionsLoseNoSampleAndReconnectWithinTheirBackoff)
{
    const int kills = scaled(12, 100);
    Fleet fleet;
    fleet.setSshOptions(sshOptions(sshd));
    // 200 ms doubling to 500 ms: the schedule's shape (doubling, jitter, cap) at a pace a soak
    // can afford. The default (1 s → 60 s) is test 5's.
    fleet.setBackoff({200, 500, 60000, 0.2});
    const QString id = QStringLiteral("kill");
    Recorder recorder(fleet, id);
    ASSERT_TRUE(fleet.addHost(sshSpec(sshd, id)));

    QElapsedTimer total;
    total.start();
    const qint64 budgetMs = qint64(kills) * 8000 + 30000;
    qint64 worstOverMs = std::numeric_limits<qint64>::min(); // reconnect - delay, at worst
    qint64 worstReconnectMs = 0;
    qint64 worstDetectMs = 0;
    qint64 worstFirstSampleMs = 0;
    qint64 sumReconnectMs = 0;
    int late = 0; // reconnects later than their delay + 1 s
    int done = 0;
    for (; done < kills && total.elapsed() < budgetMs; ++done) {
        const int run = int(recorder.runs.size()) - 1;
        ASSERT_TRUE(waitFor(
            [&] {
                return recorder.state() == HostState::Streaming &&
                       recorder.samplesOfRun(int(recorder.runs.size()) - 1) >= 1;
            },
            20000))
            << "kill " << done << ": no sample";
        // Somewhere in the stream: right after a sample, between two, or inside one.
        pause(int(QRandomGenerator::global()->bounded(1200)));
        const qint64 killedAt = recorder.clock.elapsed();
        ASSERT_GT(sshd.killSessions(), 0) << "kill " << done;
        ASSERT_TRUE(
            waitFor([&] { return recorder.statusAfter(HostState::Retrying, killedAt); }, 15000))
            << "kill " << done << ": not detected";
        const TimedStatus retrying = *recorder.statusAfter(HostState::Retrying, killedAt);
        ASSERT_TRUE(waitFor(
            [&] {
                return recorder.statusAfter(HostState::Streaming, retrying.atMs) &&
                       int(recorder.runs.size()) - 1 > run;
            },
            retrying.status.retryInMs + 20000))
            << "kill " << done << ": did not reconnect";
        // Reconnected: the new run's probe said hello over the new session. Its first sample
        // comes when the probe has read the counters and the table (figure only).
        const qint64 reconnectMs = recorder.runTimes.last() - retrying.atMs;
        worstFirstSampleMs = std::max(
            worstFirstSampleMs,
            recorder.statusAfter(HostState::Streaming, retrying.atMs)->atMs - retrying.atMs);
        worstDetectMs = std::max(worstDetectMs, retrying.atMs - killedAt);
        worstReconnectMs = std::max(worstReconnectMs, reconnectMs);
        worstOverMs = std::max(worstOverMs, reconnectMs - retrying.status.retryInMs);
        sumReconnectMs += reconnectMs;
        if (reconnectMs > retrying.status.retryInMs + 1000) {
            ++late;
            std::printf("[soak] kill %d: reconnected %lld ms after a delay of %lld ms\n", done,
                        static_cast<long long>(reconnectMs),
                        static_cast<long long>(retrying.status.retryInMs));
        }
        // None far beyond, whatever the load.
        EXPECT_LE(reconnectMs, retrying.status.retryInMs + 3000)
            << "kill " << done << ": delay " << retrying.status.retryInMs << " ms, "
            << retrying.status.detail.toStdString();
    }
    ASSERT_TRUE(
        waitFor([&] { return recorder.samplesOfRun(int(recorder.runs.size()) - 1) >= 1; }, 15000));
    fleet.removeAll();
    EXPECT_EQ(done, kills) << "the soak ran out of time";

    const qsizetype checked = expectNoSampleLostOrTwice(recorder);
    // Frames cut by a kill are lost with the connection, not silently: the next run's first
    // sample says so ("Sample N was cut short and is lost").
    qsizetype cutShort = 0;
    for (const TimedSample &s : std::as_const(recorder.samples))
        cutShort += std::count_if(s.sample->issues.begin(), s.sample->issues.end(),
                                  [](const SourceIssue &i) { return i.source == u"probe"; });
    figure("kills", done);
    figure("runs", recorder.runs.size());
    figure("samples_checked", checked);
    figure("frames_cut_by_a_kill_and_reported", cutShort);
    figure("worst_detection_ms", worstDetectMs, "ms");
    figure("mean_reconnect_ms", done ? sumReconnectMs / done : 0, "ms");
    figure("worst_reconnect_ms", worstReconnectMs, "ms");
    figure("worst_reconnect_beyond_backoff_ms", worstOverMs, "ms");
    figure("worst_retry_to_first_sample_ms", worstFirstSampleMs, "ms");
    figure("reconnects_beyond_backoff_plus_1s", late);
    // Each reconnect within its delay + 1 s; on two shared cores (other builds, ASan) a login
    // now and then waits for a core: one in 50 may be late (1 of 100 was, by 0.46 s, in the
    // README's run), never by more than 3 s (above).
    EXPECT_LE(late, (done + 49) / 50);
    EXPECT_EQ(recorder.runs.size(), done + 1);
}

// 2. A frozen server (SIGSTOP to sshd and everything below it) is detected within its deadline
//    (3 silent counter intervals of 1 s, + 1.5 s for the last frame in flight), while a 10 ms
//    timer on this thread, where the Fleet's signals land, never waits 100 ms.
TEST_F(Soak, FrozenServerIsDetectedInTimeAndTheEventLoopStaysResponsive)
{
    const int freezes = scaled(2, 10);
    Fleet fleet;
    SshOptions options = sshOptions(sshd);
    options.timeoutSec = 2; // an attempt against the frozen server ends quickly
    fleet.setSshOptions(options);
    fleet.setBackoff({200, 1000, 60000, 0.2});
    const QString id = QStringLiteral("freeze");
    Recorder recorder(fleet, id);
    test::TimerGapProbe gaps(false);
    ASSERT_TRUE(fleet.addHost(sshSpec(sshd, id)));
    const qint64 deadlineMs = 3 * 1000 + 1500;
    qint64 worstDetectMs = 0;
    qint64 worstGapMs = 0;
    for (int i = 0; i < freezes; ++i) {
        ASSERT_TRUE(waitFor(
            [&] {
                return recorder.state() == HostState::Streaming &&
                       recorder.samplesOfRun(int(recorder.runs.size()) - 1) >= 2;
            },
            20000))
            << "freeze " << i << ": no samples";
        pause(int(QRandomGenerator::global()->bounded(1000)));
        const qint64 frozenAt = recorder.clock.elapsed();
        gaps.excluding([&] { sshd.freeze(); });
        gaps.arm(true);
        const bool detected =
            waitFor([&] { return recorder.statusAfter(HostState::Retrying, frozenAt); }, 15000);
        gaps.arm(false);
        gaps.excluding([&] { sshd.thaw(); });
        ASSERT_TRUE(detected) << "freeze " << i;
        const TimedStatus *retrying = recorder.statusAfter(HostState::Retrying, frozenAt);
        const qint64 detectMs = retrying->atMs - frozenAt;
        EXPECT_LE(detectMs, deadlineMs)
            << "freeze " << i << ": " << retrying->status.detail.toStdString();
        worstDetectMs = std::max(worstDetectMs, detectMs);
        worstGapMs = std::max(worstGapMs, gaps.maxGapMs());
    }
    // The last freeze's run is over; the stream resumes under a new one.
    ASSERT_TRUE(waitFor(
        [&] {
            return int(recorder.runs.size()) > freezes &&
                   recorder.samplesOfRun(int(recorder.runs.size()) - 1) >= 1;
        },
        20000));
    fleet.removeAll();
    expectNoSampleLostOrTwice(recorder);
    figure("freezes", freezes);
    figure("worst_detection_ms", worstDetectMs, "ms");
    figure("detection_deadline_ms", deadlineMs, "ms");
    figure("worst_event_loop_gap_while_frozen_ms", worstGapMs, "ms");
    EXPECT_LT(worstGapMs, 100);
}

// 3. Connect, stream, disconnect, a thousand times (every tenth cycle the host is removed and
//    added again: its thread is joined and a new one made). Open file descriptors and threads
//    stay flat; sshd keeps no session behind. Leaks of memory are LeakSanitizer's, at exit.
TEST_F(Soak, ConnectStreamDisconnectCyclesLeakNoDescriptorOrThread)
{
    const int cycles = scaled(40, 1000);
    const int warmUp = std::max(20, cycles / 10);
    Fleet fleet;
    fleet.setSshOptions(sshOptions(sshd));
    fleet.setBackoff({200, 1000, 60000, 0.2});
    const QString id = QStringLiteral("cycle");
    Recorder recorder(fleet, id);

    QElapsedTimer total;
    total.start();
    const qint64 budgetMs = qint64(cycles) * 2000 + 30000;
    int fdsAfterWarmUp = -1;
    int threadsAfterWarmUp = -1;
    qint64 rssAfterWarmUpKb = -1;
    int done = 0;
    for (; done < cycles && total.elapsed() < budgetMs; ++done) {
        recorder.samples.clear(); // the test's own hold on samples is not the product's memory
        const qsizetype samplesBefore = 0;
        const qint64 startedAt = recorder.clock.elapsed();
        if (fleet.contains(id))
            ASSERT_TRUE(fleet.connectHost(id));
        else
            ASSERT_TRUE(fleet.addHost(sshSpec(sshd, id)));
        // Streaming: the probe's hello came over the channel; every fifth cycle a whole sample
        // too (the probe's first sample takes it ~0.4 s more, which a thousand cycles cannot
        // afford each time).
        const qsizetype runsBefore = recorder.runs.size();
        ASSERT_TRUE(waitFor(
            [&] {
                return recorder.runs.size() > runsBefore &&
                       (done % 5 != 4 || recorder.samples.size() > samplesBefore);
            },
            20000))
            << "cycle " << done << ": no stream";
        if (done % 10 == 9) {
            ASSERT_TRUE(fleet.removeHost(id)); // joins the worker's thread
        } else {
            ASSERT_TRUE(fleet.disconnectHost(id));
            ASSERT_TRUE(
                waitFor([&] { return recorder.statusAfter(HostState::Stopped, startedAt); }, 10000))
                << "cycle " << done << ": not stopped";
        }
        if (done + 1 == warmUp) {
            ASSERT_FALSE(fleet.contains(id)); // measured where the host is gone, as at the end
            pause(300);
            fdsAfterWarmUp = openFileDescriptors();
            threadsAfterWarmUp = threadCount();
            rssAfterWarmUpKb = statusKb("VmRSS");
        }
    }
    fleet.removeAll();
    const qint64 elapsedMs = total.elapsed();
    EXPECT_EQ(done, cycles) << "the soak ran out of time";
    // sshd's side of each connection ends once we close it.
    EXPECT_TRUE(waitFor([&] { return sshd.sessionProcesses().isEmpty(); }, 10000))
        << sshd.sessionProcesses().size() << " sshd sessions left";
    pause(300);
    const int fdsAtEnd = openFileDescriptors();
    const int threadsAtEnd = threadCount();
    const qint64 rssAtEndKb = statusKb("VmRSS");
    figure("cycles", done);
    figure("mean_cycle_ms", done ? elapsedMs / done : 0, "ms");
    figure("fds_after_warm_up", fdsAfterWarmUp);
    figure("fds_at_end", fdsAtEnd);
    figure("threads_after_warm_up", threadsAfterWarmUp);
    figure("threads_at_end", threadsAtEnd);
    figure("rss_after_warm_up_kb", rssAfterWarmUpKb, "kB");
    figure("rss_at_end_kb", rssAtEndKb, "kB");
    EXPECT_LE(fdsAtEnd, fdsAfterWarmUp + 2);
    EXPECT_LE(threadsAtEnd, threadsAfterWarmUp + 1);
    QList<int> children = childProcesses();
    children.removeAll(int(sshd.pid()));
    EXPECT_TRUE(children.isEmpty()) << children.size() << " child processes left";
}

namespace {

// A probe stand-in for the floods: the script on the channel's stdin (SshTransport::setScript(),
// the seam the transport offers tests), run by the same `exec /bin/sh -s -- ARGS`.
struct FloodRun
{
    FloodRun(SshdFixture &sshd, const QByteArray &script)
        : fleet([&sshd, script](const HostSpec &spec) {
            auto transport = std::make_unique<SshTransport>(spec, ProbeParameters::fromSpec(spec),
                                                            sshOptions(sshd));
            transport->setScript(script);
            return transport;
        })
        , recorder(fleet, QStringLiteral("flood"))
    {
        // One run: no retry floods again inside the test.
        fleet.setBackoff({600000, 600000, 600000, 0.0});
    }

    Fleet fleet;
    Recorder recorder;
};

// The probe's framing, as resources/probe.sh prints it: a hello, then small valid frames.
QByteArray floodPrelude()
{
    return QByteArrayLiteral(
        "ms() { echo $(( $(date +%s%N) / 1000000 )); }\n"
        "printf '@@twbench hello 1 endian=little netns=0 ss=0 hostname=flood kernel=x "
        "run=%s-%s\\n' $$ $(date +%s)\n"
        "frame() { printf '@@twbench sample %s %s\\n@@section sockstat\\n"
        "TCP: inuse 1 orphan 0 tw 7 alloc 1 mem 0\\n@@end %s\\n' $1 $(ms) $1; }\n");
}

} // namespace

// 4a. 100 MB on stdout inside one sample (a socket table far beyond any real one): the frame is
//     dropped at FrameReader's cap (64 MiB), memory stays under that cap + 20 MB, the stream
//     goes on, and the next sample says that sample was dropped.
TEST_F(Soak, StdoutFloodStaysUnderTheFrameCapAndIsReported)
{
    const qint64 floodBytes = 100LL * 1000 * 1000;
    const qint64 capBytes = FrameReader::Limits{}.maxFrameBytes;
    // 1,000-byte lines of a socket table that never ends.
    const QByteArray script =
        floodPrelude() +
        QByteArrayLiteral("frame 1\n"
                          "printf '@@twbench sample 2 %s\\n@@section proc_tcp\\n' $(ms)\n"
                          "line=$(printf '%0999d' 0)\n"
                          "yes \"$line\" | head -c ") +
        QByteArray::number(floodBytes) +
        QByteArrayLiteral("\n"
                          "printf '@@end 2\\n'\n"
                          "frame 3\n"
                          "sleep 1\n"
                          "echo 'flood over' >&2\n"
                          "exit 3\n");
    FloodRun run(sshd, script);
    PeakMemory memory;
    QElapsedTimer clock;
    clock.start();
    ASSERT_TRUE(run.fleet.addHost(sshSpec(sshd, QStringLiteral("flood"))));
    ASSERT_TRUE(waitFor([&] { return run.recorder.state() == HostState::Retrying; }, 120000))
        << "state " << int(run.recorder.state());
    const qint64 elapsedMs = clock.elapsed();
    const qint64 growth = memory.growthBytes();
    const HostStatus status = run.recorder.statuses.last().status;
    run.fleet.removeAll();

    std::printf("[soak] memory measured: %s\n", PeakMemory::what());
    figure("flood_bytes", floodBytes);
    figure("flood_ms", elapsedMs, "ms");
    figure("memory_baseline_kb", memory.baselineBytes() / 1024, "kB");
    figure("memory_growth_at_peak_kb", growth / 1024, "kB");
    figure("frame_cap_kb", capBytes / 1024, "kB");
    std::printf("[soak] status: %s\n", qPrintable(status.detail));
#ifdef TWBENCH_SOAK_ASAN
    // ASan's realloc never grows a block in place: the frame buffer, growing towards the cap,
    // briefly exists twice. Measured: 64.5 MB without ASan, 98.9 MB with it.
    constexpr qint64 copiesWhileGrowing = 2;
#else
    constexpr qint64 copiesWhileGrowing = 1;
#endif
    EXPECT_LE(growth, copiesWhileGrowing * capBytes + 20 * 1000 * 1000);

    ASSERT_EQ(run.recorder.samples.size(), 2);
    EXPECT_EQ(run.recorder.samples[0].sample->sequence, 1u);
    EXPECT_EQ(run.recorder.samples[1].sample->sequence, 3u);
    QStringList issues;
    for (const SourceIssue &issue : std::as_const(run.recorder.samples[1].sample->issues))
        issues.append(issue.message);
    std::printf("[soak] sample 3 says: %s\n", qPrintable(issues.join(u" | ")));
    EXPECT_TRUE(issues.join(u' ').contains(QStringLiteral("Sample 2 was larger than 64 MiB")))
        << issues.join(u' ').toStdString();
    EXPECT_EQ(status.state, HostState::Retrying);
    // The exit is named, not left to the silence watchdog (Ssh.ExitStatusLongAfterTheEofIsSeen).
    EXPECT_TRUE(status.detail.contains(QStringLiteral("exited with status 3")) &&
                status.detail.contains(QStringLiteral("flood over")))
        << status.detail.toStdString();
}

// 4b. 4 MB on stderr between two samples: stdout is not stalled behind it, the transport keeps
//     only a bounded tail, and the host's status names the last error line when the probe ends.
TEST_F(Soak, StderrFloodStaysBoundedAndItsLastLineIsTheHostsError)
{
    const qint64 floodBytes = 4LL * 1000 * 1000;
    const QByteArray script = floodPrelude() +
                              QByteArrayLiteral("frame 1\n"
                                                "line=$(printf '%0199d' 0)\n"
                                                "yes \"stderr noise $line\" | head -c ") +
                              QByteArray::number(floodBytes) +
                              QByteArrayLiteral(" >&2\n"
                                                "frame 2\n"
                                                "echo 'probe: the last complaint' >&2\n"
                                                "frame 3\n"
                                                "sleep 1\n"
                                                "exit 4\n");
    FloodRun run(sshd, script);
    PeakMemory memory;
    QElapsedTimer clock;
    clock.start();
    ASSERT_TRUE(run.fleet.addHost(sshSpec(sshd, QStringLiteral("flood"))));
    ASSERT_TRUE(waitFor([&] { return run.recorder.state() == HostState::Retrying; }, 60000))
        << "state " << int(run.recorder.state());
    const qint64 elapsedMs = clock.elapsed();
    const qint64 growth = memory.growthBytes();
    const HostStatus status = run.recorder.statuses.last().status;
    run.fleet.removeAll();

    figure("flood_bytes", floodBytes);
    figure("flood_ms", elapsedMs, "ms");
    figure("memory_growth_at_peak_kb", growth / 1024, "kB");
    std::printf("[soak] status: %s\n", qPrintable(status.detail));
    EXPECT_LE(growth, 20 * 1000 * 1000);
    ASSERT_EQ(run.recorder.samples.size(), 3);
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(run.recorder.samples[i].sample->sequence, std::uint64_t(i + 1));
    EXPECT_EQ(status.state, HostState::Retrying);
    EXPECT_TRUE(status.detail.contains(QStringLiteral("exited with status 4")) &&
                status.detail.contains(QStringLiteral("probe: the last complaint")))
        << status.detail.toStdString();
    EXPECT_LE(status.detail.size(), 1000);
}

// 5. sshd down (its listener and sessions stopped, the port closed) for a while: the attempts
//    follow the backoff schedule (no retry storm, no giving up), and once sshd is back the host
//    streams again within one cap interval (+ 1 s for the login).
TEST_F(Soak, SshdDownRetriesOnTheBackoffScheduleAndRecoversWithinACapInterval)
{
    const qint64 downMs = scaled(8, 60) * 1000;
    // Full scale: the product's schedule (1 s doubling to 60 s). Normal: the same shape at a
    // quarter of the pace, so 8 s down still climbs to the cap.
    const HostWorker::Backoff backoff =
        fullScale() ? HostWorker::Backoff{} : HostWorker::Backoff{250, 2000, 60000, 0.2};
    Fleet fleet;
    fleet.setSshOptions(sshOptions(sshd));
    fleet.setBackoff(backoff);
    const QString id = QStringLiteral("down");
    Recorder recorder(fleet, id);
    ASSERT_TRUE(fleet.addHost(sshSpec(sshd, id)));
    ASSERT_TRUE(waitFor([&] { return recorder.samples.size() >= 2; }, 20000));

    const qint64 downAt = recorder.clock.elapsed();
    sshd.stop();
    pause(int(downMs));
    const qint64 upAt = recorder.clock.elapsed();
    QString error;
    ASSERT_TRUE(sshd.start(&error)) << error.toStdString();
    const int runsBefore = int(recorder.runs.size());
    const bool recovered = waitFor(
        [&] {
            return int(recorder.runs.size()) > runsBefore &&
                   recorder.samplesOfRun(int(recorder.runs.size()) - 1) >= 1;
        },
        backoff.maxMs + 20000);
    const qint64 recoveredMs = recorder.clock.elapsed() - upAt;
    fleet.removeAll();
    ASSERT_TRUE(recovered);

    // The attempts while down: each Connecting status is one.
    const qsizetype attempts = recorder.count(HostState::Connecting, downAt, upAt);
    // The schedule: delays initialMs, doubling to maxMs, each drawn from [d (1 - jitter), d].
    // The most attempts that fit take every delay at its shortest, the fewest at its longest.
    const auto attemptsFitting = [&](double factor) {
        qint64 at = 0;
        qint64 delay = backoff.initialMs;
        int n = 0;
        while (true) {
            at += qint64(double(delay) * factor);
            if (at > downMs)
                return n;
            ++n;
            delay = std::min<qint64>(delay * 2, backoff.maxMs);
        }
    };
    const int most = attemptsFitting(1.0 - backoff.jitter) + 1; // + the one the drop itself made
    const int fewest = attemptsFitting(1.0) - 1;
    // Each wait as long as its status said (a coarse timer may fire 5 % early).
    qint64 shortestRatioPermille = 1000000;
    for (qsizetype i = 0; i + 1 < recorder.statuses.size(); ++i) {
        const TimedStatus &s = recorder.statuses[i];
        if (s.status.state != HostState::Retrying || s.atMs < downAt || s.atMs > upAt)
            continue;
        const TimedStatus *next = nullptr;
        for (qsizetype j = i + 1; j < recorder.statuses.size() && !next; ++j) {
            if (recorder.statuses[j].status.state == HostState::Connecting)
                next = &recorder.statuses[j];
        }
        if (!next || s.status.retryInMs <= 0)
            continue;
        const qint64 waited = next->atMs - s.atMs;
        shortestRatioPermille = std::min(shortestRatioPermille, waited * 1000 / s.status.retryInMs);
        EXPECT_GE(waited, s.status.retryInMs * 94 / 100 - 20) << "retry " << i;
    }
    QStringList delays;
    for (const TimedStatus &s : std::as_const(recorder.statuses)) {
        if (s.status.state == HostState::Retrying && s.atMs >= downAt)
            delays.append(QString::number(s.status.retryInMs));
    }
    std::printf("[soak] delays while down (ms): %s\n", qPrintable(delays.join(u", ")));
    figure("down_ms", downMs, "ms");
    figure("attempts_while_down", attempts);
    figure("attempts_the_schedule_allows_at_most", most);
    figure("attempts_the_schedule_makes_at_least", fewest);
    figure("shortest_wait_over_its_delay_permille", shortestRatioPermille);
    figure("cap_ms", backoff.maxMs, "ms");
    figure("recovered_after_sshd_returned_ms", recoveredMs, "ms");
    EXPECT_LE(attempts, most);
    EXPECT_GE(attempts, fewest);
    EXPECT_LE(recoveredMs, backoff.maxMs + 1000);
    expectNoSampleLostOrTwice(recorder);
}
