#!/bin/sh
# Builds the release preset and runs the benchmarks, printing the results table.
#   bench/run.sh                          100000 TIME_WAIT sockets
#   TWBENCH_BENCH_SOCKETS=20000 bench/run.sh
#   bench/run.sh --benchmark_filter=Parse  extra arguments go to Google Benchmark
#   TWBENCH_BENCH_SCALE=0 bench/run.sh     without the scale figures (bench/scale/run.sh: 50 SSH
#                                          hosts, a compressed 24 h soak, cold start; ~10 min)
#   TWBENCH_BENCH_REMOTE=0 bench/run.sh    without the probe's remote cost (bench/remote/: 10k,
#                                          50k, 100k sockets against cat, ss, netstat; ~4 min)
# The sockets are made on a random 127.A.B.0/24; the kernel holds at most
# net.ipv4.tcp_max_tw_buckets of them (131072 by default), so keep N below that.
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh test # Google Benchmark, and netstat (net-tools) for the remote cost's anchor
cmake --preset release
cmake --build build/release --target twbench_bench twbench twbench_scale
build/release/bench/twbench_bench --benchmark_counters_tabular=true "$@"
if [ "${TWBENCH_BENCH_SCALE:-1}" != 0 ]; then
    TWBENCH_SCALE_NO_BUILD=1 bench/scale/run.sh
fi
if [ "${TWBENCH_BENCH_REMOTE:-1}" != 0 ]; then
    cmake --build build/release --target twbench_remote_cost
    build/release/bench/twbench_remote_cost
fi
