// Access logs, on 100,000 generated combined lines (a mix like a busy nginx's: 64 clients, ids
// and queries in the targets, browser user agents, a few escapes):
//   AccessLogByteScanFloor   the floor: touching every byte once
//   AccessLogParseKey        AccessLogParser::parseKey, what the follower runs per line
//   AccessLogParseRecord     AccessLogParser::parse, with the raw target
//   AccessLogAggregate       AccessLogAggregator::addLines + take: the follower's whole work
//   AccessLogRegexFormat     the same lines through a regex: format, for comparison
//   AccessLogStatsAdd        AccessLogStats::add of a full 200-key window (GUI thread, once a
//                            sample per source), with 5,000 keys tracked
//   AccessLogSteadyDetector  AccessLogStats::topCallers + steadyCallers after a new window
// Items are lines (windows for the last two), so rows read as lines per second.

#include "model/accesslog/accesslogaggregator.h"
#include "model/accesslog/accesslogparser.h"
#include "model/accesslog/accesslogstats.h"

#include <benchmark/benchmark.h>

#include <QRandomGenerator>

#include <cstdio>

namespace {

using namespace twbench;

struct AccessLogText
{
    QByteArray text;
    QList<QByteArrayView> lines;
};

const AccessLogText &accessLogText()
{
    static const AccessLogText generated = [] {
        constexpr int lineCount = 100'000;
        static const char *const agents[] = {
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/120.0.0.0 Safari/537.36",
            "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
            "curl/7.88.1",
            "GuzzleHttp/7",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) \\x22quoted\\x22",
        };
        static const char *const targets[] = {
            "/api/token?appid=wx%d&secret=abc",
            "/users/%d/orders",
            "/static/app.%d.js",
            "/items/5f2b9c1e%04x",
            "/",
            "/search?q=term%d&page=2",
        };
        AccessLogText log;
        QRandomGenerator random(1);
        for (int i = 0; i < lineCount; ++i) {
            const int client = int(random.bounded(64));
            char target[128];
            std::snprintf(target, sizeof target, targets[random.bounded(6)],
                          int(random.bounded(100000)));
            char line[512];
            std::snprintf(
                line, sizeof line,
                "172.18.0.%d - - [26/Nov/2026:08:%02d:%02d +0000] \"%s %s HTTP/1.1\" %d %d "
                "\"https://example.com/\" \"%s\"\n",
                client, (i / 60) % 60, i % 60, random.bounded(4) ? "GET" : "POST", target,
                random.bounded(10) ? 200 : 404, int(random.bounded(20000)),
                agents[random.bounded(5)]);
            log.text += line;
        }
        for (qsizetype begin = 0; begin < log.text.size();) {
            const qsizetype end = log.text.indexOf('\n', begin);
            log.lines.append(QByteArrayView(log.text).sliced(begin, end - begin));
            begin = end + 1;
        }
        return log;
    }();
    return generated;
}

void setThroughput(benchmark::State &state)
{
    state.SetItemsProcessed(std::int64_t(state.iterations()) * accessLogText().lines.size());
    state.SetBytesProcessed(std::int64_t(state.iterations()) * accessLogText().text.size());
}

void BM_AccessLogByteScanFloor(benchmark::State &state)
{
    const QByteArray &text = accessLogText().text;
    for (auto _ : state) {
        std::uint64_t newlines = 0;
        std::uint64_t sum = 0;
        for (const char c : text) {
            newlines += c == '\n';
            sum += static_cast<unsigned char>(c);
        }
        benchmark::DoNotOptimize(newlines);
        benchmark::DoNotOptimize(sum);
    }
    setThroughput(state);
}
BENCHMARK(BM_AccessLogByteScanFloor)->Unit(benchmark::kMillisecond);

void BM_AccessLogParseKey(benchmark::State &state)
{
    const AccessLogParser parser(AccessLogFormat(AccessLogFormat::Kind::Combined));
    for (auto _ : state) {
        qsizetype parsed = 0;
        for (const QByteArrayView line : accessLogText().lines)
            parsed += parser.parseKey(line).has_value();
        if (parsed != accessLogText().lines.size())
            state.SkipWithError("lines rejected");
    }
    setThroughput(state);
}
BENCHMARK(BM_AccessLogParseKey)->Unit(benchmark::kMillisecond);

void BM_AccessLogParseRecord(benchmark::State &state)
{
    const AccessLogParser parser(AccessLogFormat(AccessLogFormat::Kind::Combined));
    for (auto _ : state) {
        for (const QByteArrayView line : accessLogText().lines) {
            const std::optional<AccessLogRecord> record = parser.parse(line);
            benchmark::DoNotOptimize(record);
        }
    }
    setThroughput(state);
}
BENCHMARK(BM_AccessLogParseRecord)->Unit(benchmark::kMillisecond);

void BM_AccessLogAggregate(benchmark::State &state)
{
    AccessLogAggregator aggregator(QStringLiteral("access.log"), AccessLogFormat());
    for (auto _ : state) {
        aggregator.addLines(accessLogText().text);
        const LogWindow window = aggregator.take(0, 1000);
        if (window.requests != accessLogText().lines.size())
            state.SkipWithError("lines rejected");
        benchmark::DoNotOptimize(window.keys.constData());
    }
    setThroughput(state);
}
BENCHMARK(BM_AccessLogAggregate)->Unit(benchmark::kMillisecond);

void BM_AccessLogRegexFormat(benchmark::State &state)
{
    const std::optional<AccessLogFormat> format = AccessLogFormat::fromSpec(QStringLiteral(
        "regex:^(?<client>\\S+) \\S+ \\S+ \\[(?<time>[^]]+)\\] \"(?<request>[^\"]*)\" "
        "(?<status>\\d{3}|-) "));
    const AccessLogParser parser(*format);
    for (auto _ : state) {
        for (const QByteArrayView line : accessLogText().lines)
            benchmark::DoNotOptimize(parser.parseKey(line));
    }
    setThroughput(state);
}
BENCHMARK(BM_AccessLogRegexFormat)->Unit(benchmark::kMillisecond);

// A window as the follower sends one: 200 keys, the largest a steady loop.
LogWindow benchWindow(int second, int keyOffset)
{
    LogWindow window;
    window.sourceId = QStringLiteral("access.log");
    window.fromMs = 1'764'146'236'000 + std::int64_t(second) * 1000;
    window.toMs = window.fromMs + 1000;
    window.keys.append(
        {{QStringLiteral("192.168.42.1"), QStringLiteral("GET"), QStringLiteral("/api/token"), 200},
         12});
    for (int k = 1; k < 200; ++k) {
        window.keys.append({{QStringLiteral("10.0.%1.%2").arg((k + keyOffset) / 250).arg(k % 250),
                             QStringLiteral("GET"), QStringLiteral("/page"), 200},
                            1});
    }
    for (const RequestCount &count : window.keys)
        window.requests += count.count;
    return window;
}

// Stats with 5,000 keys tracked and ten minutes of history.
AccessLogStats filledStats(int &second)
{
    AccessLogStats stats;
    for (second = 0; second < 600; ++second)
        stats.add(benchWindow(second, (second * 199) % 5000));
    return stats;
}

void BM_AccessLogStatsAdd(benchmark::State &state)
{
    int second = 0;
    AccessLogStats stats = filledStats(second);
    for (auto _ : state) {
        stats.add(benchWindow(second, (second * 199) % 5000));
        ++second;
    }
    state.SetItemsProcessed(std::int64_t(state.iterations()));
    state.counters["keys"] = double(stats.trackedKeys());
}
BENCHMARK(BM_AccessLogStatsAdd)->Unit(benchmark::kMicrosecond);

void BM_AccessLogSteadyDetector(benchmark::State &state)
{
    int second = 0;
    AccessLogStats stats = filledStats(second);
    for (auto _ : state) {
        stats.add(benchWindow(second, (second * 199) % 5000));
        ++second;
        benchmark::DoNotOptimize(stats.topCallers({}, 60'000).size());
        if (stats.steadyCallers().size() != 1)
            state.SkipWithError("the loop was not flagged");
    }
    state.SetItemsProcessed(std::int64_t(state.iterations()));
    state.counters["keys"] = double(stats.trackedKeys());
}
BENCHMARK(BM_AccessLogSteadyDetector)->Unit(benchmark::kMicrosecond);

} // namespace
