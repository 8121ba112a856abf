#include "cputimes.h"

#include <algorithm>

namespace twbench {

namespace {

std::uint64_t clampedDelta(std::uint64_t before, std::uint64_t after)
{
    return after > before ? after - before : 0;
}

struct Ticks
{
    std::uint64_t user = 0, system = 0, idle = 0, iowait = 0, irq = 0, steal = 0;

    std::uint64_t total() const { return user + system + idle + iowait + irq + steal; }

    void add(const CpuTimes &before, const CpuTimes &after)
    {
        // nice is time in user space too; softirq is interrupt work like irq.
        user += clampedDelta(before.user, after.user) + clampedDelta(before.nice, after.nice);
        system += clampedDelta(before.system, after.system);
        idle += clampedDelta(before.idle, after.idle);
        iowait += clampedDelta(before.iowait, after.iowait);
        irq += clampedDelta(before.irq, after.irq) + clampedDelta(before.softirq, after.softirq);
        steal += clampedDelta(before.steal, after.steal);
    }
};

} // namespace

CpuUsage cpuUsageBetween(const ProcStat &before, const ProcStat &after)
{
    CpuUsage usage;
    if (!before.valid || !after.valid)
        return usage;

    // Sum per CPU, matched by number, when both readings list CPUs: a CPU that went offline
    // and came back may restart its counters, and clamping that one CPU's fields keeps the
    // others' progress; clamping the aggregate line would let the reset hide it. A CPU present
    // in only one reading (hot-plug) has no interval to measure and is left out.
    Ticks ticks;
    int matched = 0;
    for (const CpuTimes &now : after.perCpu) {
        const auto earlier =
            std::find_if(before.perCpu.cbegin(), before.perCpu.cend(),
                         [&](const CpuTimes &times) { return times.cpu == now.cpu; });
        if (earlier == before.perCpu.cend())
            continue;
        ticks.add(*earlier, now);
        ++matched;
    }
    if (matched == 0) {
        ticks = {};
        ticks.add(before.all, after.all);
    }

    const std::uint64_t total = ticks.total();
    if (total == 0)
        return usage;
    const auto percent = [total](std::uint64_t part) {
        return 100.0 * double(part) / double(total);
    };
    usage.user = percent(ticks.user);
    usage.system = percent(ticks.system);
    usage.iowait = percent(ticks.iowait);
    usage.steal = percent(ticks.steal);
    usage.irq = percent(ticks.irq);
    // Busy means neither idle nor waiting for I/O (what top's "100 - id - wa" shows).
    usage.total = percent(ticks.user + ticks.system + ticks.irq + ticks.steal);
    usage.cpuCount = matched > 0 ? matched : int(after.perCpu.size());
    usage.valid = true;
    return usage;
}

} // namespace twbench
