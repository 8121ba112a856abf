#include "model/timeline.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>

using namespace twbench;
using Metric = Timeline::Metric;

namespace {

constexpr std::int64_t T0 = 1'700'000'000'000;

struct Counters
{
    std::int64_t active = 0, passive = 0, twEnded = 0, tw = 0, estab = 0;
    std::uint64_t busyTicks = 0, idleTicks = 0;
};

HostSample sample(std::uint64_t sequence, std::int64_t epochMs, const Counters &c,
                  const QString &host = QStringLiteral("h1"))
{
    HostSample s;
    s.hostId = host;
    s.sequence = sequence;
    s.epochMs = epochMs;
    s.counters.values.insert(counter::ActiveOpens, c.active);
    s.counters.values.insert(counter::PassiveOpens, c.passive);
    s.counters.values.insert(counter::TwCreated, c.twEnded);
    s.counters.values.insert(counter::TimeWait, c.tw);
    s.counters.values.insert(counter::CurrEstab, c.estab);
    s.procStat.valid = true;
    s.procStat.all.user = c.busyTicks;
    s.procStat.all.idle = c.idleTicks;
    return s;
}

// One sample a second: 33 new connections a second (as in the incident), 12 TIME_WAITs ending
// a second, CPU 40 % busy (40 of 100 ticks).
Counters steady(int second)
{
    Counters c;
    c.active = 1000 + 20 * second;
    c.passive = 5000 + 13 * second;
    c.twEnded = 700 + 12 * second;
    c.tw = 2000 + second;
    c.estab = 8;
    c.busyTicks = 100000 + 40u * std::uint64_t(second);
    c.idleTicks = 900000 + 60u * std::uint64_t(second);
    return c;
}

void expectNoNegativeOrHuge(const Timeline &timeline)
{
    for (int m = 0; m < Timeline::MetricCount; ++m) {
        for (const Timeline::Point &point : timeline.points(static_cast<Metric>(m))) {
            EXPECT_TRUE(std::isfinite(point.value));
            EXPECT_GE(point.value, 0.0) << m;
            EXPECT_LT(point.value, 1e6) << m;
        }
    }
}

} // namespace

TEST(Timeline, RatesAndGaugesFromSteadySamples)
{
    Timeline timeline;
    for (int second = 0; second < 5; ++second)
        ASSERT_TRUE(
            timeline.add(sample(std::uint64_t(second + 1), T0 + 1000 * second, steady(second))));
    EXPECT_EQ(timeline.size(Metric::TimeWait), 5);
    EXPECT_EQ(timeline.latest(Metric::TimeWait)->value, 2004.0);
    EXPECT_EQ(timeline.latest(Metric::Established)->value, 8.0);
    // Rates need two samples: one point fewer.
    const auto opens = timeline.points(Metric::NewConnectionsPerSec);
    ASSERT_EQ(opens.size(), 4);
    for (const Timeline::Point &point : opens) {
        EXPECT_DOUBLE_EQ(point.value, 33.0);
        EXPECT_EQ(point.segment, 0u);
    }
    EXPECT_EQ(opens.front().epochMs, T0 + 1000);
    EXPECT_DOUBLE_EQ(timeline.latest(Metric::TimeWaitPerSec)->value, 12.0);
    EXPECT_NEAR(timeline.latest(Metric::CpuTotal)->value, 40.0, 1e-4);
    EXPECT_NEAR(timeline.latest(Metric::CpuUser)->value, 40.0, 1e-4);
    EXPECT_NEAR(timeline.latest(Metric::CpuSystem)->value, 0.0, 1e-6);
    EXPECT_EQ(timeline.firstMs(), T0);
    EXPECT_EQ(timeline.lastMs(), T0 + 4000);
}

TEST(Timeline, RateUsesElapsedTimeNotSampleCount)
{
    Timeline timeline;
    Counters c = steady(0);
    timeline.add(sample(1, T0, c));
    c.active += 100;
    timeline.add(sample(2, T0 + 2500, c)); // a late sample: 100 over 2.5 s
    EXPECT_DOUBLE_EQ(timeline.latest(Metric::NewConnectionsPerSec)->value, 40.0);
}

TEST(Timeline, CounterResetStartsNewSegmentWithoutNegativeRate)
{
    Timeline timeline;
    for (int second = 0; second < 3; ++second)
        timeline.add(sample(std::uint64_t(second + 1), T0 + 1000 * second, steady(second)));
    // Reboot: counters and CPU ticks start again from small values; the probe keeps counting.
    Counters reset;
    reset.active = 5;
    reset.passive = 2;
    reset.twEnded = 1;
    reset.tw = 3;
    reset.busyTicks = 50;
    reset.idleTicks = 100;
    timeline.add(sample(4, T0 + 3000, reset));
    Counters after = reset;
    after.active += 10;
    after.twEnded += 4;
    after.busyTicks += 10;
    after.idleTicks += 90;
    timeline.add(sample(5, T0 + 4000, after));

    const auto opens = timeline.points(Metric::NewConnectionsPerSec);
    ASSERT_EQ(opens.size(), 3); // 1 s, 2 s, then none for the reset interval, then 4 s
    EXPECT_EQ(opens[1].segment, 0u);
    EXPECT_EQ(opens[2].epochMs, T0 + 4000);
    EXPECT_EQ(opens[2].segment, 1u);
    EXPECT_DOUBLE_EQ(opens[2].value, 10.0);
    const auto cpu = timeline.points(Metric::CpuTotal);
    ASSERT_EQ(cpu.size(), 3);
    EXPECT_EQ(cpu[2].segment, 1u);
    EXPECT_NEAR(cpu[2].value, 10.0, 1e-4);
    // The gauge did not break: a reset counter is no gap in TIME_WAIT.
    const auto tw = timeline.points(Metric::TimeWait);
    ASSERT_EQ(tw.size(), 5);
    EXPECT_EQ(tw.back().segment, 0u);
    expectNoNegativeOrHuge(timeline);
}

TEST(Timeline, SequenceGapBreaksEverySeries)
{
    Timeline timeline;
    timeline.add(sample(1, T0, steady(0)));
    timeline.add(sample(2, T0 + 1000, steady(1)));
    // Samples 3..9 were lost; 10 s of counters arrive at once.
    timeline.add(sample(10, T0 + 9000, steady(9)));
    timeline.add(sample(11, T0 + 10000, steady(10)));

    const auto tw = timeline.points(Metric::TimeWait);
    ASSERT_EQ(tw.size(), 4);
    EXPECT_EQ(tw[1].segment, 0u);
    EXPECT_EQ(tw[2].segment, 1u);
    const auto opens = timeline.points(Metric::NewConnectionsPerSec);
    ASSERT_EQ(opens.size(), 2); // none across the gap
    EXPECT_EQ(opens[0].segment, 0u);
    EXPECT_EQ(opens[1].segment, 1u);
    EXPECT_EQ(opens[1].epochMs, T0 + 10000);

    // A probe restart (sequence back to 1) is a gap too.
    timeline.add(sample(1, T0 + 11000, steady(11)));
    EXPECT_EQ(timeline.latest(Metric::TimeWait)->segment, 2u);
    EXPECT_EQ(timeline.points(Metric::NewConnectionsPerSec).size(), 2);
    expectNoNegativeOrHuge(timeline);
}

TEST(Timeline, ClockSteppingBackDropsLaterPointsAndKeepsOrder)
{
    Timeline timeline;
    for (int second = 0; second < 6; ++second)
        timeline.add(sample(std::uint64_t(second + 1), T0 + 1000 * second, steady(second)));
    timeline.add(sample(7, T0 + 2500, steady(6)));
    const auto tw = timeline.points(Metric::TimeWait);
    ASSERT_EQ(tw.size(), 4); // 0, 1, 2 s and the new 2.5 s
    for (qsizetype i = 1; i < tw.size(); ++i)
        EXPECT_LT(tw[i - 1].epochMs, tw[i].epochMs);
    EXPECT_EQ(tw.back().epochMs, T0 + 2500);
    EXPECT_EQ(tw.back().segment, 1u);
    EXPECT_EQ(timeline.lastMs(), T0 + 2500);
    expectNoNegativeOrHuge(timeline);
}

// The ring grows as points come (an hour's host costs an hour of points) but never allocates
// past its capacity, which is not a power of two (24 h of 1 s points is 86,400).
// A window inside a long archive reads exactly the archive's points in it: the reads enter the
// archive by binary search and walk the ring across its wrap.
TEST(Timeline, WindowsInsideTheArchiveReadWhatTheWholeArchiveHolds)
{
    Timeline::Retention retention;
    retention.fullResolutionPoints = 10;
    retention.archiveBucketMs = 5000;
    retention.archiveBuckets = 50; // 250 s, so 400 s of samples wrap the archive's ring
    Timeline timeline(retention);
    for (int second = 0; second < 400; ++second)
        timeline.add(sample(std::uint64_t(second + 1), T0 + 1000 * second, steady(second)));
    const QList<Timeline::Point> all = timeline.points(Metric::TimeWait);
    ASSERT_GT(all.size(), 60);
    for (const auto &[from, to] :
         {std::pair(T0 + 150'000, T0 + 230'000), std::pair(T0 + 152'500, T0 + 170'000),
          std::pair(T0, T0 + 160'000), std::pair(T0 + 300'000, T0 + 395'000)}) {
        QList<Timeline::Point> expected;
        for (const Timeline::Point &point : all) {
            if (point.epochMs >= from && point.epochMs <= to)
                expected.append(point);
        }
        EXPECT_EQ(timeline.points(Metric::TimeWait, from, to), expected) << from - T0;
        // Downsampled to as many buckets as points: nothing merges, the same points come back.
        QList<Timeline::Point> drawn;
        timeline.downsampled(Metric::TimeWait, from, to, int(4 * (to - from) / 1000 + 4), drawn);
        EXPECT_EQ(drawn, expected) << from - T0;
    }
}

TEST(Timeline, GrowsToItsCapacityAndNoFurther)
{
    Timeline::Retention retention;
    retention.fullResolutionPoints = 1000;
    Timeline timeline(retention);
    timeline.add(sample(1, T0, steady(0)));
    EXPECT_LT(timeline.allocatedPoints(Metric::TimeWait), 100);
    for (int second = 1; second < 3000; ++second) {
        timeline.add(sample(std::uint64_t(second + 1), T0 + 1000 * second, steady(second)));
        ASSERT_LE(timeline.allocatedPoints(Metric::TimeWait), 1000) << second;
        ASSERT_GE(timeline.allocatedPoints(Metric::TimeWait),
                  std::min<qsizetype>(second + 1, 1000));
    }
    EXPECT_EQ(timeline.size(Metric::TimeWait), 1000);
}

TEST(Timeline, BoundedCapacityKeepsTheNewestPointsAndArchivesTheRest)
{
    Timeline::Retention retention;
    retention.fullResolutionPoints = 10;
    retention.archiveBucketMs = 5000;
    retention.archiveBuckets = 4;
    Timeline timeline(retention);
    EXPECT_EQ(timeline.capacity(), 10);
    for (int second = 0; second < 25; ++second)
        timeline.add(sample(std::uint64_t(second + 1), T0 + 1000 * second, steady(second)));
    EXPECT_EQ(timeline.size(Metric::TimeWait), 10);
    const auto recent = timeline.points(Metric::TimeWait, T0 + 15000, T0 + 25000);
    ASSERT_EQ(recent.size(), 10);
    for (int i = 0; i < 10; ++i) {
        EXPECT_EQ(recent[i].epochMs, T0 + 1000 * (15 + i));
        EXPECT_EQ(recent[i].value, double(2000 + 15 + i));
    }
    // Seconds 0–14 left the full-resolution window. The archive has four 5 s buckets: 5–9 and
    // 10–14 stand in for them (0–4 was dropped), each as its minimum and maximum.
    EXPECT_EQ(timeline.archivedBuckets(Metric::TimeWait), 4);
    const auto all = timeline.points(Metric::TimeWait);
    ASSERT_EQ(all.size(), 4 + 10);
    EXPECT_EQ(all[0].epochMs, T0 + 5000);
    EXPECT_EQ(all[0].value, 2005.0);
    EXPECT_EQ(all[1].epochMs, T0 + 9000);
    EXPECT_EQ(all[1].value, 2009.0);
    EXPECT_EQ(all[3].value, 2014.0);
    EXPECT_EQ(timeline.firstMs(), T0 + 5000);
    EXPECT_EQ(timeline.size(Metric::NewConnectionsPerSec), 10);
    // Range queries work across the ring's wrap.
    const auto part = timeline.points(Metric::TimeWait, T0 + 17000, T0 + 19500);
    ASSERT_EQ(part.size(), 3);
    EXPECT_EQ(part.front().epochMs, T0 + 17000);
    EXPECT_EQ(part.back().epochMs, T0 + 19000);
    // A clock step back after the wrap still leaves the newest points in order.
    timeline.add(sample(26, T0 + 20500, steady(26)));
    const auto after = timeline.points(Metric::TimeWait, T0 + 15000, T0 + 30000);
    ASSERT_EQ(after.size(), 7);
    EXPECT_EQ(after.back().epochMs, T0 + 20500);
    EXPECT_EQ(after[5].epochMs, T0 + 20000);
    for (int second = 27; second < 40; ++second)
        timeline.add(sample(std::uint64_t(second), T0 + 1000 * second, steady(second)));
    EXPECT_EQ(timeline.size(Metric::TimeWait), 10);
    EXPECT_EQ(timeline.archivedBuckets(Metric::TimeWait), 4);
    EXPECT_EQ(timeline.latest(Metric::TimeWait)->epochMs, T0 + 39000);
}

// The documented bound: a day and more of 1 s samples never holds more than the full-resolution
// window plus the archive, and the archive keeps every bucket's extremes.
TEST(Timeline, ArchiveKeepsEachBucketsMinimumAndMaximum)
{
    Timeline::Retention retention;
    retention.fullResolutionPoints = 3600;
    retention.archiveBucketMs = 60 * 1000;
    retention.archiveBuckets = 180;
    Timeline timeline(retention);
    const std::int64_t base = T0 - T0 % retention.archiveBucketMs; // buckets start at :00
    constexpr int seconds = 4 * 3600; // an hour in full, two in the archive, one dropped
    for (int second = 0; second < seconds; ++second) {
        Counters c = steady(second);
        c.tw = 1000 + (second % 60 == 17 ? 500 : 0) - (second % 60 == 43 ? 900 : 0);
        timeline.add(sample(std::uint64_t(second + 1), base + 1000LL * second, c));
    }
    EXPECT_EQ(timeline.size(Metric::TimeWait), 3600);
    EXPECT_EQ(timeline.archivedBuckets(Metric::TimeWait), 180); // covers the recent hour too
    const auto archived =
        timeline.points(Metric::TimeWait, T0, base + 1000LL * (seconds - 3600) - 1);
    ASSERT_EQ(archived.size(), 2 * 120);
    for (qsizetype i = 0; i < archived.size(); i += 2) {
        EXPECT_EQ(archived[i].value, 1500.0) << i;    // the spike at :17 comes first
        EXPECT_EQ(archived[i + 1].value, 100.0) << i; // the dip at :43
        EXPECT_EQ((archived[i].epochMs - base) / 1000 % 60, 17);
        EXPECT_EQ((archived[i + 1].epochMs - base) / 1000 % 60, 43);
    }
    // The chart's downsampling reads through the archive and the recent points alike.
    const auto drawn = timeline.downsampled(Metric::TimeWait, T0, base + 1000LL * seconds, 300);
    EXPECT_LE(drawn.size(), 2 * 300 + 2);
    double low = 1e9, high = 0;
    for (const auto &point : drawn) {
        low = std::min(low, point.value);
        high = std::max(high, point.value);
    }
    EXPECT_EQ(low, 100.0);
    EXPECT_EQ(high, 1500.0);
    // Pixels wider than a bucket read the archive alone, and still see every extreme.
    const auto overview = timeline.downsampled(Metric::TimeWait, base, base + 1000LL * seconds, 50);
    ASSERT_FALSE(overview.isEmpty());
    EXPECT_LE(overview.size(), 2 * 50 + 2);
    EXPECT_EQ(overview.front().epochMs, base + 1000LL * (3600 + 17)); // the archive's first spike
    EXPECT_GT(overview.back().epochMs, base + 1000LL * (seconds - 2 * 288)); // the last pixels
    for (const auto &point : overview)
        EXPECT_TRUE(point.value == 100.0 || point.value == 1500.0) << point.value;
}

TEST(Timeline, RequestsPerSecondFromLogWindows)
{
    Timeline timeline;
    for (int second = 0; second < 5; ++second) {
        HostSample s = sample(std::uint64_t(second + 1), T0 + 2000 * second, steady(second));
        LogWindow window;
        window.sourceId = QStringLiteral("/var/log/nginx/access.log");
        window.fromMs = T0 + 2000 * (second - 1);
        window.toMs = T0 + 2000 * second;
        window.requests = 24 + second;
        if (second == 0)
            window.fromMs = 0; // the first window has no start yet: no rate
        if (second == 3)
            window.error = QStringLiteral("gone");
        s.logs.append(window);
        timeline.add(s);
    }
    const Timeline::SeriesId id(Metric::RequestsPerSec,
                                QStringLiteral("/var/log/nginx/access.log"));
    EXPECT_EQ(timeline.keys(Metric::RequestsPerSec), QStringList{id.key});
    const auto points = timeline.points(id);
    ASSERT_EQ(points.size(), 3);
    EXPECT_DOUBLE_EQ(points[0].value, 12.5);
    EXPECT_DOUBLE_EQ(points[1].value, 13.0);
    EXPECT_DOUBLE_EQ(points[2].value, 14.0);
    EXPECT_EQ(points[1].segment, points[0].segment);
    EXPECT_EQ(points[2].segment, points[1].segment + 1); // the error was a gap
    EXPECT_FALSE(timeline.at(id, T0 + 1000).has_value());
    EXPECT_DOUBLE_EQ(timeline.at(id, T0 + 5000)->value, 13.0);
}

TEST(Timeline, KeyedSeriesAreBounded)
{
    Timeline::Retention retention;
    retention.maxKeyedSeries = 3;
    Timeline timeline(retention);
    for (int second = 0; second < 6; ++second) {
        HostSample s = sample(std::uint64_t(second + 1), T0 + 1000 * second, steady(second));
        LogWindow window;
        window.sourceId = QStringLiteral("log%1").arg(second);
        window.fromMs = T0 + 1000 * second - 1000;
        window.toMs = T0 + 1000 * second;
        window.requests = 1;
        s.logs.append(window);
        timeline.add(s);
    }
    EXPECT_EQ(
        timeline.keys(Metric::RequestsPerSec),
        (QStringList{QStringLiteral("log3"), QStringLiteral("log4"), QStringLiteral("log5")}));
}

TEST(Timeline, TableSamplesGiveCloseWaitAndSynRecv)
{
    Timeline timeline;
    HostSample first = sample(1, T0, steady(0));
    auto table = std::make_shared<Snapshot>();
    const auto add = [&](TcpState state, int n) {
        for (int i = 0; i < n; ++i) {
            Socket socket;
            socket.local = {IpAddress::fromV4(0x0a000001), 80};
            socket.remote = {IpAddress::fromV4(0x0a000002), std::uint16_t(1000 + i)};
            socket.state = state;
            table->sockets.push_back(socket);
        }
    };
    add(TcpState::CloseWait, 3);
    add(TcpState::SynRecv, 2);
    add(TcpState::NewSynRecv, 1);
    add(TcpState::TimeWait, 9);
    first.table = table;
    timeline.add(first);
    timeline.add(sample(2, T0 + 1000, steady(1))); // no table: no point, no break
    EXPECT_EQ(timeline.size(Metric::CloseWait), 1);
    EXPECT_EQ(timeline.latest(Metric::CloseWait)->value, 3.0);
    EXPECT_EQ(timeline.latest(Metric::SynRecv)->value, 3.0);
    HostSample third = sample(3, T0 + 2000, steady(2));
    third.table = table;
    timeline.add(third);
    EXPECT_EQ(timeline.latest(Metric::CloseWait)->segment, 0u);
}

TEST(Timeline, MissingCounterBreaksItsSeries)
{
    Timeline timeline;
    timeline.add(sample(1, T0, steady(0)));
    HostSample partial = sample(2, T0 + 1000, steady(1));
    partial.counters.values.remove(counter::TimeWait);
    partial.counters.values.remove(counter::PassiveOpens);
    timeline.add(partial);
    timeline.add(sample(3, T0 + 2000, steady(2)));
    timeline.add(sample(4, T0 + 3000, steady(3)));
    const auto tw = timeline.points(Metric::TimeWait);
    ASSERT_EQ(tw.size(), 3);
    EXPECT_EQ(tw[1].segment, 1u);
    const auto opens = timeline.points(Metric::NewConnectionsPerSec);
    ASSERT_EQ(opens.size(), 1); // only 2 s → 3 s has both ends complete
    EXPECT_EQ(opens[0].epochMs, T0 + 3000);
    EXPECT_EQ(timeline.points(Metric::TimeWaitPerSec).size(), 3);
}

TEST(Timeline, RefusesOtherHostsAndClears)
{
    Timeline timeline;
    EXPECT_TRUE(timeline.add(sample(1, T0, steady(0))));
    EXPECT_FALSE(timeline.add(sample(2, T0 + 1000, steady(1), QStringLiteral("other"))));
    EXPECT_EQ(timeline.hostId(), QStringLiteral("h1"));
    EXPECT_EQ(timeline.size(Metric::TimeWait), 1);
    timeline.clear();
    EXPECT_FALSE(timeline.firstMs().has_value());
    EXPECT_FALSE(timeline.latest(Metric::TimeWait).has_value());
    EXPECT_TRUE(timeline.add(sample(1, T0, steady(0), QStringLiteral("other"))));
}

TEST(Timeline, DownsamplingKeepsSpikesAndBreaks)
{
    Timeline timeline;
    for (int second = 0; second < 100; ++second) {
        Counters c = steady(second);
        c.tw = second == 37 ? 9999 : 100; // one spike
        timeline.add(sample(std::uint64_t(second + 1 + (second >= 60 ? 1 : 0)), T0 + 1000 * second,
                            c)); // a sequence gap at 60
    }
    const auto points = timeline.downsampled(Metric::TimeWait, T0, T0 + 99000, 10);
    EXPECT_LE(points.size(), 2 * 10 + 2);
    bool spike = false;
    for (qsizetype i = 0; i < points.size(); ++i) {
        spike = spike || points[i].value == 9999.0;
        if (i > 0) {
            EXPECT_LE(points[i - 1].epochMs, points[i].epochMs);
        }
    }
    EXPECT_TRUE(spike);
    EXPECT_EQ(points.front().segment, 0u);
    EXPECT_EQ(points.back().segment, 1u);
    EXPECT_TRUE(timeline.downsampled(Metric::TimeWait, T0, T0 + 1000, 0).isEmpty());
}

TEST(Timeline, MetricNamesAndUnits)
{
    for (int m = 0; m < Timeline::MetricCount; ++m) {
        EXPECT_FALSE(Timeline::metricName(static_cast<Metric>(m)).isEmpty()) << m;
        EXPECT_FALSE(Timeline::metricUnit(static_cast<Metric>(m)).isEmpty()) << m;
    }
    EXPECT_EQ(Timeline::metricName(Metric::TimeWait), QStringLiteral("TIME_WAIT"));
}

TEST(Timeline, ContainerCpuFromCgroupCounters)
{
    Timeline timeline;
    const QString web = QString(64, u'a');
    const QString db = QString(64, u'b');
    const auto cpu = [](const QString &id, std::uint64_t usec) {
        ContainerCpuTime time;
        time.containerId = id;
        time.usageUsec = usec;
        time.source = QStringLiteral("v2-pid");
        return time;
    };
    // web: 250 ms of CPU per 1 s sample = 25 %; db restarts (its counter drops) at sample 3.
    const std::uint64_t dbUsage[] = {900000, 1400000, 1000, 501000};
    for (int i = 0; i < 4; ++i) {
        HostSample s = sample(std::uint64_t(i + 1), T0 + 1000 * i, steady(i));
        s.onlineCpus = 4;
        s.containerCpu = {cpu(web, 1000000 + 250000ULL * std::uint64_t(i)), cpu(db, dbUsage[i])};
        timeline.add(s);
    }
    EXPECT_EQ(timeline.keys(Metric::ContainerCpu), (QStringList{web, db}));
    const auto webPoints = timeline.points({Metric::ContainerCpu, web});
    ASSERT_EQ(webPoints.size(), 3);
    for (const auto &point : webPoints)
        EXPECT_NEAR(point.value, 25.0, 0.01);
    const auto dbPoints = timeline.points({Metric::ContainerCpu, db});
    ASSERT_EQ(dbPoints.size(), 2); // no value across the restart
    EXPECT_NEAR(dbPoints[0].value, 50.0, 0.01);
    EXPECT_NEAR(dbPoints[1].value, 50.0, 0.01);
    EXPECT_EQ(dbPoints[1].segment, dbPoints[0].segment + 1);
    expectNoNegativeOrHuge(timeline);
}
