// HostWorker's retry policy beyond the plain backoff: jitter, refusals that must not be
// retried, interrupting a blocked connect, and the timeline's gap where a new run starts.
#include "remotetestutil.h"
#include "scriptedtransport.h"

#include "model/timeline.h"
#include "remote/hostworker.h"

#include <QTimer>

#include <gtest/gtest.h>

using namespace twbench;
using twbench::test::ScriptedTransport;
using twbench::test::waitUntil;

namespace {

HostSpec spec()
{
    HostSpec s = HostSpec::localWorkstation();
    s.id = QStringLiteral("h");
    return s;
}

struct Statuses
{
    explicit Statuses(HostWorker &worker)
    {
        QObject::connect(&worker, &HostWorker::statusChanged, &worker,
                         [this](const HostStatus &status) { list.append(status); });
    }
    qsizetype count(HostState state) const
    {
        return std::count_if(list.begin(), list.end(),
                             [state](const HostStatus &s) { return s.state == state; });
    }
    QList<HostStatus> list;
};

} // namespace

TEST(HostWorkerRetry, DelaysAreJitteredBelowTheDoubledDelay)
{
    HostWorker worker(spec(), [](const HostSpec &) {
        auto t = std::make_unique<ScriptedTransport>();
        t->onStart = [](ScriptedTransport &self) {
            QTimer::singleShot(0, &self, [&self] {
                self.running = false;
                Q_EMIT self.failed(QStringLiteral("down"));
            });
        };
        return t;
    });
    worker.setBackoff({10, 40, 60000, 0.5});
    Statuses statuses(worker);
    worker.start();
    ASSERT_TRUE(waitUntil([&] { return statuses.count(HostState::Retrying) >= 12; }, 10000));
    worker.stop();
    QList<std::int64_t> delays;
    for (const HostStatus &status : statuses.list) {
        if (status.state == HostState::Retrying)
            delays.append(status.retryInMs);
    }
    const QList<std::int64_t> bases{10, 20, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40};
    bool anyBelow = false;
    for (qsizetype i = 0; i < bases.size(); ++i) {
        EXPECT_LE(delays[i], bases[i]);
        EXPECT_GE(delays[i], bases[i] / 2);
        anyBelow = anyBelow || delays[i] < bases[i];
    }
    EXPECT_TRUE(anyBelow); // 12 draws all at the top would mean no jitter at all
}

TEST(HostWorkerRetry, RefusalFailsWithoutRetriesUntilStartedAgain)
{
    ScriptedTransport *transport = nullptr;
    HostWorker worker(spec(), [&transport](const HostSpec &) {
        auto t = std::make_unique<ScriptedTransport>();
        transport = t.get();
        t->onStart = [](ScriptedTransport &self) {
            QTimer::singleShot(0, &self, [&self] {
                Q_EMIT self.phaseChanged(HostState::VerifyingHostKey);
                HostKeyQuestion question;
                question.id = 7;
                Q_EMIT self.hostKeyQuestion(question);
            });
        };
        return t;
    });
    worker.setBackoff({10, 10, 60000, 0.0});
    Statuses statuses(worker);
    QList<HostKeyQuestion> questions;
    QObject::connect(&worker, &HostWorker::hostKeyQuestion, &worker,
                     [&questions](const HostKeyQuestion &q) { questions.append(q); });
    worker.start();
    ASSERT_TRUE(waitUntil([&] { return questions.size() == 1; }, 5000));
    EXPECT_EQ(statuses.list.last().state, HostState::VerifyingHostKey);
    worker.answerHostKey(7, HostKeyDecision::Cancel);
    ASSERT_EQ(transport->answers.size(), 1);
    Q_EMIT transport->refused(QStringLiteral("not accepted"));
    EXPECT_EQ(statuses.list.last().state, HostState::Failed);
    EXPECT_EQ(statuses.list.last().detail, QStringLiteral("not accepted"));
    waitUntil([] { return false; }, 100);
    EXPECT_EQ(transport->starts, 1);
    worker.start(); // "connect" by hand
    EXPECT_EQ(transport->starts, 2);
    EXPECT_EQ(statuses.list.last().state, HostState::Connecting);
    worker.stop();
}

TEST(HostWorkerRetry, InterruptAbortsTheTransportAndSkipsTheRetry)
{
    ScriptedTransport *transport = nullptr;
    HostWorker worker(spec(), [&transport](const HostSpec &) {
        auto t = std::make_unique<ScriptedTransport>();
        transport = t.get();
        return t;
    });
    Statuses statuses(worker);
    worker.start();
    ASSERT_NE(transport, nullptr);
    worker.interrupt();
    EXPECT_EQ(transport->aborts.load(), 1);
    Q_EMIT transport->failed(QStringLiteral("cancelled"));
    EXPECT_EQ(statuses.count(HostState::Retrying), 0);
    worker.stop();
    EXPECT_EQ(statuses.list.last().state, HostState::Stopped);
}

TEST(HostWorkerRetry, TimelineBreaksWhereANewRunStartsAtOne)
{
    Timeline timeline;
    const auto sample = [](std::uint64_t sequence, std::int64_t epochMs) {
        HostSample s;
        s.hostId = QStringLiteral("h");
        s.sequence = sequence;
        s.epochMs = epochMs;
        s.counters.values.insert(QByteArray(counter::TimeWait), 5);
        return s;
    };
    for (std::uint64_t i = 1; i <= 3; ++i)
        ASSERT_TRUE(timeline.add(sample(i, std::int64_t(i) * 1000)));
    // The probe restarted after a reconnect: its count starts again at 1, later in time.
    ASSERT_TRUE(timeline.add(sample(1, 9000)));
    ASSERT_TRUE(timeline.add(sample(2, 10000)));
    const QList<Timeline::Point> points = timeline.points(Timeline::Metric::TimeWait);
    ASSERT_EQ(points.size(), 5);
    EXPECT_EQ(points[2].segment, points[0].segment);
    EXPECT_NE(points[3].segment, points[2].segment);
    EXPECT_EQ(points[4].segment, points[3].segment);
}
