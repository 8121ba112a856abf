#include "remotetestutil.h"
#include "scriptedtransport.h"

#include "remote/fleet.h"
#include "remote/hostworker.h"
#include "remote/localtransport.h"

#include <QElapsedTimer>
#include <QThread>
#include <QTimer>

#include <gtest/gtest.h>

#include <functional>

using namespace twbench;
using twbench::test::ScriptedTransport;
using twbench::test::waitUntil;

namespace {

const QByteArray hello = "@@twbench hello 1 endian=little netns=1 ss=1\n";
const QByteArray oneFrame = "@@twbench sample 1 1000\n@@section sockstat\n"
                            "TCP: inuse 1 orphan 0 tw 4 alloc 1 mem 1\n@@end 1\n";

struct Recorder
{
    QList<HostStatus> statuses;
    QList<qint64> statusTimes;
    QList<HostSamplePtr> samples;
    QElapsedTimer clock;

    explicit Recorder(HostWorker &worker)
    {
        clock.start();
        QObject::connect(&worker, &HostWorker::statusChanged, &worker,
                         [this](const HostStatus &status) {
                             statuses.append(status);
                             statusTimes.append(clock.elapsed());
                         });
        QObject::connect(&worker, &HostWorker::sampleReady, &worker,
                         [this](const HostSamplePtr &sample) { samples.append(sample); });
    }
    qsizetype count(HostState state) const
    {
        return std::count_if(statuses.begin(), statuses.end(),
                             [state](const HostStatus &s) { return s.state == state; });
    }
};

HostSpec localSpec(const QString &id)
{
    HostSpec spec = HostSpec::localWorkstation();
    spec.id = id;
    spec.counterIntervalSec = 1;
    spec.tableIntervalSec = 1;
    return spec;
}

} // namespace

TEST(HostWorker, DeadProbeIsRestartedWithDoublingBackoff)
{
    ScriptedTransport *fake = nullptr;
    HostWorker worker(localSpec(QStringLiteral("h")), [&fake](const HostSpec &) {
        auto transport = std::make_unique<ScriptedTransport>();
        fake = transport.get();
        // Each run: a hello and one frame, then the probe dies, from the event loop as a real
        // process would.
        transport->onStart = [](ScriptedTransport &t) {
            QTimer::singleShot(0, &t, [&t] {
                t.send(hello + oneFrame);
                t.die(QStringLiteral("probe died"));
            });
        };
        return transport;
    });
    worker.setBackoff({20, 80, 60000, 0.0});
    Recorder recorder(worker);
    worker.start();
    ASSERT_TRUE(waitUntil([&] { return recorder.count(HostState::Retrying) >= 4; }, 5000));
    worker.stop();

    QList<std::int64_t> delays;
    for (const HostStatus &status : recorder.statuses) {
        if (status.state == HostState::Retrying) {
            delays.append(status.retryInMs);
            EXPECT_EQ(status.detail, QStringLiteral("probe died"));
        }
    }
    EXPECT_EQ(delays.mid(0, 4), (QList<std::int64_t>{20, 40, 80, 80}));
    // Each retry really waited its delay before connecting again.
    for (qsizetype i = 0; i + 1 < recorder.statuses.size(); ++i) {
        if (recorder.statuses[i].state == HostState::Retrying &&
            recorder.statuses[i + 1].state == HostState::Connecting) {
            EXPECT_GE(recorder.statusTimes[i + 1] - recorder.statusTimes[i],
                      recorder.statuses[i].retryInMs * 9 / 10);
        }
    }
    EXPECT_EQ(recorder.statuses.first().state, HostState::Connecting);
    EXPECT_EQ(recorder.statuses.at(1).state, HostState::Streaming);
    EXPECT_EQ(recorder.statuses.last().state, HostState::Stopped);
    ASSERT_NE(fake, nullptr);
    EXPECT_GE(fake->starts, 4);
    EXPECT_FALSE(fake->running);
    EXPECT_GE(recorder.samples.size(), 4);
    EXPECT_EQ(recorder.samples.first()->counters.value(counter::TimeWait),
              std::optional<std::int64_t>(4));
    EXPECT_EQ(recorder.samples.first()->hostId, QStringLiteral("h"));
}

TEST(HostWorker, BackoffResetsAfterAStableRun)
{
    HostWorker worker(localSpec(QStringLiteral("h")), [](const HostSpec &) {
        auto transport = std::make_unique<ScriptedTransport>();
        transport->onStart = [](ScriptedTransport &t) {
            QTimer::singleShot(0, &t, [&t] {
                t.send(hello + oneFrame);
                t.die(QStringLiteral("probe died"));
            });
        };
        return transport;
    });
    worker.setBackoff({20, 80, 0, 0.0}); // any run that streamed counts as stable
    Recorder recorder(worker);
    worker.start();
    ASSERT_TRUE(waitUntil([&] { return recorder.count(HostState::Retrying) >= 3; }, 5000));
    worker.stop();
    for (const HostStatus &status : recorder.statuses) {
        if (status.state == HostState::Retrying) {
            EXPECT_EQ(status.retryInMs, 20);
        }
    }
}

TEST(HostWorker, FrameCutByTheDeathIsReportedWithTheNextSample)
{
    HostWorker worker(localSpec(QStringLiteral("h")), [](const HostSpec &) {
        auto transport = std::make_unique<ScriptedTransport>();
        transport->onStart = [](ScriptedTransport &t) {
            QTimer::singleShot(0, &t, [&t] {
                t.send(hello + oneFrame + "@@twbench sample 2 2000\n@@section sockstat\nTCP: ");
                t.die(QStringLiteral("connection lost"));
            });
        };
        return transport;
    });
    worker.setBackoff({10, 10, 60000});
    Recorder recorder(worker);
    worker.start();
    ASSERT_TRUE(waitUntil([&] { return recorder.samples.size() >= 2; }, 5000));
    worker.stop();
    EXPECT_TRUE(recorder.samples[0]->issues.isEmpty());
    ASSERT_EQ(recorder.samples[1]->issues.size(), 1);
    EXPECT_EQ(recorder.samples[1]->issues[0].source, QStringLiteral("probe"));
    EXPECT_TRUE(recorder.samples[1]->issues[0].message.contains(QStringLiteral("2")));
}

TEST(HostWorker, UnknownProtocolFailsWithoutRetrying)
{
    ScriptedTransport *fake = nullptr;
    HostWorker worker(localSpec(QStringLiteral("h")), [&fake](const HostSpec &) {
        auto transport = std::make_unique<ScriptedTransport>();
        fake = transport.get();
        transport->onStart = [](ScriptedTransport &t) {
            QTimer::singleShot(0, &t, [&t] {
                t.send("@@twbench hello 99 endian=little\n" + oneFrame);
                if (t.running)
                    t.die(QStringLiteral("should not matter"));
            });
        };
        return transport;
    });
    worker.setBackoff({10, 10, 60000});
    Recorder recorder(worker);
    worker.start();
    ASSERT_TRUE(waitUntil([&] { return recorder.count(HostState::Failed) == 1; }, 5000));
    EXPECT_EQ(recorder.statuses.last().state, HostState::Failed);
    EXPECT_TRUE(recorder.statuses.last().detail.contains(QStringLiteral("99")));
    EXPECT_EQ(recorder.count(HostState::Retrying), 0);
    EXPECT_TRUE(recorder.samples.isEmpty());
    ASSERT_NE(fake, nullptr);
    EXPECT_EQ(fake->starts, 1);
    EXPECT_FALSE(fake->running);
}

TEST(HostWorker, GivingUpInsideTheProbesOutputIsSafe)
{
    // The worker stops the transport from within the QProcess's own readyRead: the process
    // must survive until that signal returns (ASan watches), and the probe must still end.
    HostWorker worker(localSpec(QStringLiteral("h")), [](const HostSpec &spec) {
        auto transport = std::make_unique<LocalTransport>(ProbeParameters::fromSpec(spec));
        transport->setScript("echo '@@twbench hello 99 endian=little'; sleep 30");
        return transport;
    });
    Recorder recorder(worker);
    worker.start();
    ASSERT_TRUE(waitUntil([&] { return recorder.count(HostState::Failed) == 1; }, 5000));
    EXPECT_TRUE(recorder.statuses.last().detail.contains(QStringLiteral("99")));
    // Let the deferred deletion of the QProcess run.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    EXPECT_TRUE(test::childProcesses().isEmpty());
}

TEST(HostWorker, HostWithoutTransportFails)
{
    HostSpec spec = localSpec(QStringLiteral("remote"));
    // The default factory has no transport for replay hosts until capture files exist (issue 7).
    spec.kind = HostSpec::Kind::Replay;
    HostWorker worker(spec);
    Recorder recorder(worker);
    worker.start();
    ASSERT_EQ(recorder.statuses.size(), 1);
    EXPECT_EQ(recorder.statuses[0].state, HostState::Failed);
    EXPECT_FALSE(recorder.statuses[0].detail.isEmpty());
}

TEST(HostWorker, RealProbeThatExitsIsRestarted)
{
    // A probe limited to one sample exits after it; the worker must start it again.
    HostWorker worker(localSpec(QStringLiteral("local")), [](const HostSpec &spec) {
        ProbeParameters parameters = ProbeParameters::fromSpec(spec);
        parameters.maxSamples = 1;
        return std::make_unique<LocalTransport>(parameters);
    });
    worker.setBackoff({50, 50, 60000});
    Recorder recorder(worker);
    worker.start();
    ASSERT_TRUE(waitUntil([&] { return recorder.samples.size() >= 2; }, 10000));
    worker.stop();
    EXPECT_GE(recorder.count(HostState::Retrying), 1);
    EXPECT_EQ(recorder.samples[0]->sequence, 1u);
    EXPECT_EQ(recorder.samples[1]->sequence, 1u); // a new run counts from 1
    EXPECT_TRUE(recorder.samples[0]->table);
    EXPECT_TRUE(test::childProcesses().isEmpty());
}

TEST(Fleet, AddsAndRemovesHostsAndJoinsTheirThreads)
{
    const int baselineThreads = test::threadCount();
    {
        Fleet fleet;
        QHash<QString, int> samples;
        QHash<QString, HostState> states;
        bool onGuiThread = true;
        QObject::connect(&fleet, &Fleet::sampleReady, &fleet,
                         [&](const QString &id, const HostSamplePtr &sample) {
                             onGuiThread &= QThread::currentThread() == qApp->thread();
                             EXPECT_EQ(sample->hostId, id);
                             EXPECT_TRUE(sample->counters.value(counter::TimeWait));
                             ++samples[id];
                         });
        QObject::connect(
            &fleet, &Fleet::statusChanged, &fleet,
            [&](const QString &id, const HostStatus &status) { states[id] = status.state; });

        EXPECT_TRUE(fleet.addHost(localSpec(QStringLiteral("a"))));
        EXPECT_TRUE(fleet.addHost(localSpec(QStringLiteral("b"))));
        EXPECT_FALSE(fleet.addHost(localSpec(QStringLiteral("a"))));
        EXPECT_FALSE(fleet.addHost(localSpec(QString())));
        EXPECT_EQ(fleet.hostIds(), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
        EXPECT_GE(test::threadCount(), baselineThreads + 2);

        ASSERT_TRUE(waitUntil(
            [&] {
                return samples.value(QStringLiteral("a")) >= 1 &&
                       samples.value(QStringLiteral("b")) >= 1;
            },
            10000));
        EXPECT_TRUE(onGuiThread);
        EXPECT_EQ(states.value(QStringLiteral("a")), HostState::Streaming);
        EXPECT_EQ(fleet.status(QStringLiteral("b")).state, HostState::Streaming);

        EXPECT_TRUE(fleet.removeHost(QStringLiteral("a")));
        EXPECT_FALSE(fleet.removeHost(QStringLiteral("a")));
        EXPECT_FALSE(fleet.contains(QStringLiteral("a")));
        EXPECT_EQ(fleet.hostIds(), QStringList{QStringLiteral("b")});
        // Whatever "a" had queued is not forwarded once it is gone; "b" streams on.
        const int aSamples = samples.value(QStringLiteral("a"));
        const int bSamples = samples.value(QStringLiteral("b"));
        ASSERT_TRUE(waitUntil([&] { return samples.value(QStringLiteral("b")) > bSamples; }, 5000));
        EXPECT_EQ(samples.value(QStringLiteral("a")), aSamples);
        // One probe left: b's.
        EXPECT_EQ(test::childProcesses().size(), 1);
    } // the fleet's destructor stops b and joins its thread

    EXPECT_TRUE(test::childProcesses().isEmpty());
    // Joined threads leave the process a moment after wait() returns (they are detached).
    EXPECT_TRUE(waitUntil([&] { return test::threadCount() <= baselineThreads; }, 2000))
        << test::threadCount() << " threads, " << baselineThreads << " before";
}

TEST(Fleet, ReAddedIdGetsOnlyItsOwnEvents)
{
    Fleet fleet([](const HostSpec &spec) {
        auto transport = std::make_unique<ScriptedTransport>();
        const bool first = spec.displayName == QStringLiteral("first");
        transport->onStart = [first](ScriptedTransport &t) {
            // The first host keeps sending as fast as the loop runs; the second sends once.
            QTimer::singleShot(0, &t, [&t, first] {
                t.send(hello);
                if (first) {
                    auto *timer = new QTimer(&t);
                    QObject::connect(timer, &QTimer::timeout, &t, [&t] { t.send(oneFrame); });
                    timer->start(0);
                } else {
                    t.send(QByteArray(oneFrame).replace("tw 4", "tw 9"));
                }
            });
        };
        return std::unique_ptr<Transport>(std::move(transport));
    });
    QList<HostSamplePtr> samples;
    QObject::connect(&fleet, &Fleet::sampleReady, &fleet,
                     [&](const QString &, const HostSamplePtr &sample) { samples.append(sample); });
    HostSpec spec = localSpec(QStringLiteral("x"));
    spec.displayName = QStringLiteral("first");
    ASSERT_TRUE(fleet.addHost(spec));
    ASSERT_TRUE(waitUntil([&] { return samples.size() >= 3; }, 5000));
    ASSERT_TRUE(fleet.removeHost(QStringLiteral("x")));
    samples.clear();
    spec.displayName = QStringLiteral("second");
    ASSERT_TRUE(fleet.addHost(spec));
    ASSERT_TRUE(waitUntil([&] { return !samples.isEmpty(); }, 5000));
    // Let anything still queued from the first "x" arrive: none of it may be forwarded.
    QCoreApplication::processEvents();
    for (const HostSamplePtr &sample : samples)
        EXPECT_EQ(sample->counters.value(counter::TimeWait), std::optional<std::int64_t>(9));
}
