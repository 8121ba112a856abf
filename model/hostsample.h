#pragma once

#include "accesslog/logwindow.h"
#include "attribution.h"
#include "cgroupcpu.h"
#include "cputimes.h"
#include "docker/dockerinventory.h"
#include "kernelcounters.h"
#include "kernellimits.h"
#include "snapshot.h"

#include <QList>
#include <QString>

#include <cstdint>
#include <memory>

namespace twbench {

// A problem with one source in one sample ("ss: command not found", "3 lines rejected"),
// carried as data so the GUI can show it beside what did work.
struct SourceIssue
{
    QString source;  // probe section name: "sockstat", "ss", "proc_tcp6", …
    QString message; // translated, printable
};

// Everything one probe sample said about one host, parsed. Built on the host's worker thread
// and handed to the GUI as a shared pointer to const.
struct HostSample
{
    QString hostId;
    std::uint64_t sequence = 0;
    std::int64_t epochMs = 0; // the remote's clock
    KernelCounters counters;
    ProcStat procStat;
    SnapshotPtr table; // only on samples where the probe read the socket table
    // Only on samples where the probe read the docker inventory (every 10 s): the containers
    // and networks, or DockerInventory::error when docker is missing or access is denied.
    std::shared_ptr<const DockerInventory> docker;
    // With every sample once the docker inventory has answered: each running container's
    // cumulative cgroup CPU time, or why it has none (containerCpuPercent() between two
    // samples). Empty before that, with docker off, or with no container running.
    QList<ContainerCpuTime> containerCpu;
    // The host's online CPUs as the probe counted them at start (hello cpus=); 0 when unknown.
    // 100 % of containerCpuPercent() is one of them.
    int onlineCpus = 0;
    // The kernel's TIME_WAIT limits as the probe read them at start (hello portrange=,
    // twbuckets=, twreuse=); each unknown when the probe could not read it (or is older).
    KernelLimits limits;
    // With every table: which namespace belongs to which container, and which namespaces the
    // probe knew of but could not read. The table's sockets carry their netns.
    std::shared_ptr<const NamespaceMap> namespaces;
    // The access logs' windows, in time order per source: the requests each logged since the
    // previous sample. A source's first open also reads back its recent past: that sample
    // carries the history first, one window per 10 s bin, then the live window; while the
    // read-back is arriving (30 s at most) the source has no window. Empty when the host
    // follows no log.
    QList<LogWindow> logs;
    QList<SourceIssue> issues;
};

using HostSamplePtr = std::shared_ptr<const HostSample>;

} // namespace twbench
