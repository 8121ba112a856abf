// Grouping and showing N real sockets (benchtables.h), the work between a parsed table and the
// screen:
//   GroupBy/<grouping>      groupSockets() on the parsed ss table — the GUI's
//                           `awk | sort | uniq -c | sort -nr`, run on the thread pool
//   ApplySnapshotFirst      the first table into ConnectionTableModel (GUI thread)
//   ApplySnapshotSteady     the next table as a diff when ~5 % of the sockets changed

#include "benchtables.h"

#include "model/connectiontablemodel.h"
#include "model/parsers/ssparser.h"
#include "model/socketgrouper.h"

#include <benchmark/benchmark.h>

#include <memory>

namespace {

using namespace twbench;
using bench::benchTables;

std::shared_ptr<const Snapshot> parsedTable()
{
    static const std::shared_ptr<const Snapshot> table = [] {
        auto snapshot = std::make_shared<Snapshot>();
        snapshot->hostId = QStringLiteral("bench");
        parseSs(benchTables().ssHtan, 0, snapshot->sockets);
        snapshot->finalize();
        return snapshot;
    }();
    return table;
}

void BM_GroupBy(benchmark::State &state)
{
    const auto grouping = static_cast<Grouping>(state.range(0));
    const std::shared_ptr<const Snapshot> table = parsedTable();
    qsizetype groups = 0;
    for (auto _ : state) {
        const QList<SocketGroup> result = groupSockets(*table, grouping);
        groups = result.size();
        benchmark::DoNotOptimize(result.constData());
    }
    state.SetItemsProcessed(std::int64_t(state.iterations()) * qsizetype(table->sockets.size()));
    state.counters["groups"] = double(groups);
    state.SetLabel(groupingName(grouping).toStdString());
}
BENCHMARK(BM_GroupBy)
    ->Arg(int(Grouping::LocalEndpoint))
    ->Arg(int(Grouping::RemoteEndpoint))
    ->Arg(int(Grouping::RemoteAddress))
    ->Arg(int(Grouping::State))
    ->Unit(benchmark::kMillisecond);

void BM_ApplySnapshotFirst(benchmark::State &state)
{
    const std::shared_ptr<const Snapshot> table = parsedTable();
    for (auto _ : state) {
        ConnectionTableModel model;
        model.applySnapshot(table);
        benchmark::DoNotOptimize(model.rowCount());
    }
    state.SetItemsProcessed(std::int64_t(state.iterations()) * qsizetype(table->sockets.size()));
}
BENCHMARK(BM_ApplySnapshotFirst)->Unit(benchmark::kMillisecond);

void BM_ApplySnapshotSteady(benchmark::State &state)
{
    const std::shared_ptr<const Snapshot> table = parsedTable();
    // The next table: the oldest 5 % gone (their TIME_WAIT ran out), as many new ones arrived.
    auto next = std::make_shared<Snapshot>(*table);
    const size_t churn = next->sockets.size() / 20;
    for (size_t i = 0; i < churn && i < next->sockets.size(); ++i)
        next->sockets[i].local.port = std::uint16_t(next->sockets[i].local.port ^ 0x5a5a);
    next->finalize();
    const std::shared_ptr<const Snapshot> nextTable = std::move(next);
    ConnectionTableModel model;
    model.applySnapshot(table); // measured: the diffs, not the first load
    bool flip = true;
    for (auto _ : state) {
        model.applySnapshot(flip ? table : nextTable);
        flip = !flip;
        benchmark::DoNotOptimize(model.rowCount());
    }
    state.SetItemsProcessed(std::int64_t(state.iterations()) * qsizetype(table->sockets.size()));
}
BENCHMARK(BM_ApplySnapshotSteady)->Unit(benchmark::kMillisecond);

} // namespace
