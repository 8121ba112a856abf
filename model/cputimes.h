#pragma once

#include <QList>

#include <cstdint>

namespace twbench {

// One line of /proc/stat ("cpu" or "cpuN"), in USER_HZ ticks.
struct CpuTimes
{
    int cpu = -1; // -1: the aggregate "cpu" line
    std::uint64_t user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0,
                  steal = 0, guest = 0, guestNice = 0;

    // guest and guest_nice are already included in user and nice by the kernel.
    std::uint64_t total() const
    {
        return user + nice + system + idle + iowait + irq + softirq + steal;
    }
};

struct ProcStat
{
    CpuTimes all;
    QList<CpuTimes> perCpu; // only the CPUs online at read time: hot-plug makes gaps
    std::uint64_t contextSwitches = 0;
    std::uint64_t processesCreated = 0;
    bool valid = false;
};

// Busy shares in percent (0–100 of the whole machine) between two readings.
struct CpuUsage
{
    double user = 0, system = 0, iowait = 0, steal = 0, irq = 0, total = 0;
    int cpuCount = 0;
    bool valid = false;
};

// Deltas that go backwards (counter reset, CPU taken offline and back) are clamped to zero,
// never negative; an interval with no ticks gives an invalid usage.
CpuUsage cpuUsageBetween(const ProcStat &before, const ProcStat &after);

} // namespace twbench
