#pragma once

#include "parsereport.h"

#include <QByteArrayView>
#include <QHash>
#include <QList>
#include <QString>

#include <cstdint>
#include <optional>

namespace twbench {

// Why the probe has no CPU counter for a running container: the word of a "<id> - <why>" line
// of its cgroup_cpu section.
enum class CgroupMiss : std::uint8_t {
    None,       // measured
    NotFound,   // "none": neither /proc/<pid>/cgroup nor a known docker/podman layout had it
    RootCgroup, // "root": its process runs in the root cgroup, whose use is the whole machine's
    Gone,       // "gone": its cgroup went away since the inventory (stopped, or restarted)
    Unreadable, // "unreadable": the counter file was there but held no number
    Other,      // a word this build does not know (a newer probe)
};

// One running container's line of the probe's cgroup_cpu section: the cumulative CPU time of
// its cgroup, as the kernel counts it (v2 cpu.stat usage_usec, v1 cpuacct.usage cut to µs by
// the probe). The counter starts at zero with the cgroup: it only means something as the
// difference between two samples of the same cgroup (containerCpuPercent).
struct ContainerCpuTime
{
    QString containerId;                    // full hex id, as `docker ps --no-trunc` prints it
    std::optional<std::uint64_t> usageUsec; // nullopt on a miss
    // How the probe found the cgroup, "v<1|2>-<how>": pid (the container's /proc/<pid>/cgroup)
    // or a layout named after the id: systemd, cgroupfs, podman, podman-user,
    // podman-cgroupfs. Empty on a miss.
    QString source;
    CgroupMiss miss = CgroupMiss::None;

    // 1 or 2, from source; 0 on a miss.
    int cgroupVersion() const;
};

// The cgroup_cpu section: "<container id> <µs> <source>" or "<container id> - <why>" per line.
// A malformed line (bad id, a value that is not a decimal µs count or overflows, a missing or
// extra word) is rejected and counted; a repeated id keeps the first line and counts a
// duplicate. An unknown <why> is kept as CgroupMiss::Other.
Parsed<QList<ContainerCpuTime>> parseCgroupCpu(QByteArrayView text);

// Translated, for the operator: why a container has no CPU figure. Empty for None.
QString cgroupMissText(CgroupMiss miss);

// Each container's CPU use between two cgroup_cpu readings, in percent of one core (as top
// shows it: 100 % is one CPU fully busy; divide by the host's CPU count for its share of the
// machine). Only containers measured in both readings get a value. No value, rather than a
// wrong one, for a counter that went backwards (the container was restarted: a new cgroup
// counts from zero), for a container missing from either reading (started, stopped), and for an
// interval under 100 ms or going backwards (a clock step). With `cpuCount` > 0, a value
// slightly over cpuCount × 100 % (timestamps taken a few ms apart from the reads) is clamped to
// it and one clearly over is dropped; without it, only the absurd (over 8192 CPUs) is dropped.
// Never negative.
QHash<QString /*container id*/, double /*percent of one core*/>
containerCpuPercent(const QList<ContainerCpuTime> &before, std::int64_t beforeMs,
                    const QList<ContainerCpuTime> &after, std::int64_t afterMs, int cpuCount = 0);

} // namespace twbench
