#!/bin/sh
# Builds the release preset and runs the benchmarks, printing the results table.
#   bench/run.sh                          100000 TIME_WAIT sockets
#   TWBENCH_BENCH_SOCKETS=20000 bench/run.sh
#   bench/run.sh --benchmark_filter=Parse  extra arguments go to Google Benchmark
# The sockets are made on a random 127.A.B.0/24; the kernel holds at most
# net.ipv4.tcp_max_tw_buckets of them (131072 by default), so keep N below that.
set -eu
cd "$(dirname "$0")/.."
cmake --preset release
cmake --build build/release --target twbench_bench
exec build/release/bench/twbench_bench --benchmark_counters_tabular=true "$@"
