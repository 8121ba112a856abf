// Reading and parsing the socket table, on N real TIME_WAIT sockets (benchtables.h):
//   cat /proc/net/tcp, ss -Htan  the anchors: what fetching the table costs on the host
//   ByteScanFloorProc/Ss         the floor: touching every byte of each captured text once
//   ParseProcNetTcp, ParseSs     our parsers on the captured texts
// Items are table lines, so every row reads as lines per second.

#include "benchtables.h"

#include "model/parsers/procnettcp.h"
#include "model/parsers/ssparser.h"

#include <benchmark/benchmark.h>

namespace {

using namespace twbench;
using bench::benchTables;

void setThroughput(benchmark::State &state, qsizetype lines, qsizetype bytes)
{
    state.SetItemsProcessed(std::int64_t(state.iterations()) * lines);
    state.SetBytesProcessed(std::int64_t(state.iterations()) * bytes);
    state.counters["sockets"] = double(benchTables().timeWaitsMade);
}

void BM_CatProcNetTcp(benchmark::State &state)
{
    qsizetype bytes = 0;
    for (auto _ : state) {
        const QByteArray output = bench::runCommand({"cat", "/proc/net/tcp"});
        bytes = output.size();
        benchmark::DoNotOptimize(output.constData());
    }
    setThroughput(state, benchTables().procLines, bytes);
}
BENCHMARK(BM_CatProcNetTcp)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_SsHtan(benchmark::State &state)
{
    qsizetype bytes = 0;
    for (auto _ : state) {
        const QByteArray output = bench::runCommand({"ss", "-Htan"});
        bytes = output.size();
        benchmark::DoNotOptimize(output.constData());
    }
    setThroughput(state, benchTables().ssLines, bytes);
}
BENCHMARK(BM_SsHtan)->Unit(benchmark::kMillisecond)->UseRealTime();

// A plain loop over the bytes (count newlines, sum bytes): the least any parser must do. Run
// on both captured texts, so each parser has its floor on the same buffer.
void byteScan(benchmark::State &state, const QByteArray &text, qsizetype lines)
{
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
    setThroughput(state, lines, text.size());
}

void BM_ByteScanFloorProc(benchmark::State &state)
{
    byteScan(state, benchTables().procNetTcp, benchTables().procLines);
}
BENCHMARK(BM_ByteScanFloorProc)->Unit(benchmark::kMillisecond);

void BM_ByteScanFloorSs(benchmark::State &state)
{
    byteScan(state, benchTables().ssHtan, benchTables().ssLines);
}
BENCHMARK(BM_ByteScanFloorSs)->Unit(benchmark::kMillisecond);

void BM_ParseProcNetTcp(benchmark::State &state)
{
    const QByteArray &text = benchTables().procNetTcp;
    for (auto _ : state) {
        std::vector<Socket> sockets;
        const ParseReport report =
            parseProcNetTcp(text, AddressFamily::V4, Endianness::Little, 0, sockets);
        benchmark::DoNotOptimize(sockets.data());
        if (!report.ok())
            state.SkipWithError(qPrintable(report.summary()));
    }
    setThroughput(state, benchTables().procLines, text.size());
}
BENCHMARK(BM_ParseProcNetTcp)->Unit(benchmark::kMillisecond);

void BM_ParseSs(benchmark::State &state)
{
    const QByteArray &text = benchTables().ssHtan;
    for (auto _ : state) {
        std::vector<Socket> sockets;
        const ParseReport report = parseSs(text, 0, sockets);
        benchmark::DoNotOptimize(sockets.data());
        if (!report.ok())
            state.SkipWithError(qPrintable(report.summary()));
    }
    setThroughput(state, benchTables().ssLines, text.size());
}
BENCHMARK(BM_ParseSs)->Unit(benchmark::kMillisecond);

} // namespace
