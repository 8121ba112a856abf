#include "benchtables.h"

#include <benchmark/benchmark.h>

// One main for every bench_*.cpp file: the socket tables are made before the first benchmark,
// so their set-up time and message come before the results table rather than inside it.
int main(int argc, char **argv)
{
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    twbench::bench::benchTables();
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
