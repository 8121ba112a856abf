#pragma once

// What the scale benchmarks read from the kernel about processes and threads: CPU time (user +
// system, clock ticks turned into seconds), resident memory, and the heap that malloc holds.

#include <QList>
#include <QMap>
#include <QString>

#include <cstdint>

namespace twbench::bench {

// Seconds of CPU (user + system) this process has used, all threads, from getrusage().
double selfCpuSeconds();
// The same per thread, summed by thread name ("twbench-host-*" counted as one name), from
// /proc/self/task/*/stat: where the process's CPU goes.
QMap<QString, double> threadCpuSeconds();
// Seconds of CPU of `pid` and every process below it that is alive now, with what their
// finished children used (cutime + cstime, counted once they were waited for).
double treeCpuSeconds(int pid);
// A field of /proc/self/status in bytes ("VmRSS", "VmHWM").
std::int64_t statusBytes(const char *field);
// Bytes malloc has handed out and not got back (mallinfo2's uordblks + hblkhd): the live heap,
// without what glibc keeps for reuse.
std::int64_t heapInUseBytes();
// Monotonic clock, nanoseconds (CLOCK_MONOTONIC, what twbench's start-up probe prints too).
std::int64_t monotonicNs();

double median(QList<double> values);

} // namespace twbench::bench
