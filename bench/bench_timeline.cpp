// The timelines behind the charts:
//   TimelineDownsample/<range s>  what one redraw of the charts reads: 10 hosts × 6 series
//       (TIME_WAIT, ESTABLISHED, new connections/s, TIME_WAIT entered/s, CPU busy, a
//       container's CPU), each holding 24 h of 1 s samples, downsampled to 1,600 pixels over the
//       last <range> seconds. A day reads the one-minute archive; an hour, the full resolution.
//   TimelineAppend  one sample added to each of 100 hosts' timelines (already a day deep): what
//       the GUI thread does per second for a fleet of 100.

#include "model/timeline.h"

#include <benchmark/benchmark.h>

#include <memory>
#include <vector>

namespace {

using namespace twbench;
using Metric = Timeline::Metric;

constexpr std::int64_t start = 1'800'000'000'000;
constexpr int day = 24 * 60 * 60;

HostSample sampleAt(int second, const QString &hostId)
{
    HostSample sample;
    sample.hostId = hostId;
    sample.sequence = std::uint64_t(second + 1);
    sample.epochMs = start + 1000LL * second;
    // A sawtooth with noise, so min/max per pixel has work to do.
    const std::int64_t wave = (second * 37) % 1000;
    sample.counters.values.insert(counter::TimeWait, 2000 + wave);
    sample.counters.values.insert(counter::CurrEstab, 50 + wave / 10);
    sample.counters.values.insert(counter::ActiveOpens, 30LL * second);
    sample.counters.values.insert(counter::PassiveOpens, 3LL * second + wave / 100);
    sample.counters.values.insert(counter::TwCreated, 33LL * second);
    sample.procStat.valid = true;
    sample.procStat.all.user = std::uint64_t(40 * second + wave / 20);
    sample.procStat.all.idle = std::uint64_t(60 * second);
    sample.onlineCpus = 2;
    ContainerCpuTime container;
    container.containerId = QStringLiteral("c0ffee");
    container.usageUsec = std::uint64_t(second) * 350000u + std::uint64_t(wave);
    container.source = QStringLiteral("v2-pid");
    sample.containerCpu.append(container);
    return sample;
}

std::vector<std::unique_ptr<Timeline>> dayDeepTimelines(int hosts)
{
    std::vector<std::unique_ptr<Timeline>> timelines;
    for (int h = 0; h < hosts; ++h) {
        auto timeline = std::make_unique<Timeline>();
        const QString id = QStringLiteral("host%1").arg(h);
        for (int second = 0; second < day; ++second)
            timeline->add(sampleAt(second, id));
        timelines.push_back(std::move(timeline));
    }
    return timelines;
}

const std::vector<std::unique_ptr<Timeline>> &tenHosts()
{
    static const auto timelines = dayDeepTimelines(10);
    return timelines;
}

void TimelineDownsample(benchmark::State &state)
{
    const auto &timelines = tenHosts();
    const std::int64_t toMs = start + 1000LL * (day - 1);
    const std::int64_t fromMs = toMs - 1000LL * state.range(0);
    const Timeline::SeriesId series[] = {
        Metric::TimeWait,
        Metric::Established,
        Metric::NewConnectionsPerSec,
        Metric::TimeWaitPerSec,
        Metric::CpuTotal,
        {Metric::ContainerCpu, QStringLiteral("c0ffee")},
    };
    std::int64_t points = 0;
    for (auto _ : state) {
        for (const auto &timeline : timelines) {
            for (const Timeline::SeriesId &id : series) {
                const auto drawn = timeline->downsampled(id, fromMs, toMs, 1600);
                points += drawn.size();
                benchmark::DoNotOptimize(drawn.data());
            }
        }
    }
    state.counters["points_drawn"] =
        benchmark::Counter(double(points) / double(state.iterations()));
    state.counters["series"] = 60;
}
BENCHMARK(TimelineDownsample)
    ->Arg(day)
    ->Arg(6 * 60 * 60)
    ->Arg(60 * 60)
    ->Arg(5 * 60)
    ->Unit(benchmark::kMillisecond);

void TimelineAppend(benchmark::State &state)
{
    // 100 hosts a day deep would take 100 × 3 MB and a minute to fill; an hour deep gives the
    // same append cost (rings allocate as they grow, then overwrite).
    std::vector<std::unique_ptr<Timeline>> timelines;
    std::vector<QString> ids;
    for (int h = 0; h < 100; ++h) {
        Timeline::Retention retention;
        retention.fullResolutionPoints = 3600;
        auto timeline = std::make_unique<Timeline>(retention);
        ids.push_back(QStringLiteral("host%1").arg(h));
        for (int second = 0; second < 3600; ++second)
            timeline->add(sampleAt(second, ids.back()));
        timelines.push_back(std::move(timeline));
    }
    std::vector<HostSample> next;
    int second = 3600;
    for (auto _ : state) {
        state.PauseTiming();
        next.clear();
        for (int h = 0; h < 100; ++h)
            next.push_back(sampleAt(second, ids[size_t(h)]));
        ++second;
        state.ResumeTiming();
        for (int h = 0; h < 100; ++h)
            timelines[size_t(h)]->add(next[size_t(h)]);
    }
    state.counters["hosts"] = 100;
}
BENCHMARK(TimelineAppend)->Unit(benchmark::kMicrosecond);

} // namespace
