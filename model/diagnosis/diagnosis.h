#pragma once

#include "finding.h"

#include "model/accesslog/accesslogstats.h"
#include "model/attribution.h"
#include "model/hostsample.h"
#include "model/timeline.h"
#include "model/topology.h"

#include <QList>
#include <QString>

#include <cstdint>
#include <optional>

namespace twbench {

// The kernel limits that decide whether TIME_WAIT is a danger or only noise, as the probe read
// them from /proc/sys/net/ipv4 (nullopt when it could not).
struct KernelLimits
{
    std::optional<std::pair<int, int>> localPortRange; // ip_local_port_range
    std::optional<std::int64_t> maxTimeWaitBuckets;    // tcp_max_tw_buckets
    std::optional<bool> timeWaitReuse;                 // tcp_tw_reuse != 0

    friend bool operator==(const KernelLimits &, const KernelLimits &) = default;
};

// Everything the rules read about one host. The caller (the GUI's workbench, the CLI) fills it
// from what it holds; every pointer may be null when that source is missing, and a rule that
// needs it stays silent.
struct DiagnosisInput
{
    QString hostId;
    QString hostLabel;                              // for titles: "web-01"
    SnapshotPtr table;                              // the newest socket table
    std::shared_ptr<const DockerInventory> docker;  // the newest inventory
    std::shared_ptr<const NamespaceMap> namespaces; // with the table
    const Attribution *attribution = nullptr;       // of `table`
    const Topology *topology = nullptr;             // of `table`
    const Timeline *timeline = nullptr;             // the host's series
    const AccessLogStats *accessLogs = nullptr;     // the host's access logs
    KernelCounters counters;                        // of the newest sample
    KernelLimits limits;
    // The span the rules look at (the charts' window, or the CLI's run), on the host's clock.
    std::int64_t fromMs = 0;
    std::int64_t toMs = 0;
};

// The rules' thresholds. No rule knows a name, port, address or rate of any particular
// incident: each is about TCP, roles (service, proxy, gateway, caller) and ratios.
struct DiagnosisOptions
{
    // server-closes: a listening endpoint holding at least this many TIME_WAIT sockets and at
    // least this share of the host's.
    int serverClosesMinTimeWait = 100;
    double serverClosesMinShare = 0.2;
    // The TIME_WAIT length Linux uses (TCP_TIMEWAIT_LEN), for churn-rate.
    int timeWaitSeconds = 60;
    // close-wait-leak: a service with at least this many CLOSE_WAIT sockets.
    int closeWaitMin = 20;
    // port-exhaustion-risk: connections to one destination above this share of the local
    // port range; TIME_WAIT above this share of tcp_max_tw_buckets.
    double portRangeWarnShare = 0.5;
    double bucketsWarnShare = 0.8;
    // cpu-follows-churn: Pearson correlation over the window at least this, with at least
    // this many paired points.
    double cpuCorrelationMin = 0.7;
    int cpuCorrelationMinPoints = 30;
};

// Runs every rule; findings sorted by severity (critical first), then by rule id.
QList<Finding> diagnose(const DiagnosisInput &input, const DiagnosisOptions &options = {});

} // namespace twbench
