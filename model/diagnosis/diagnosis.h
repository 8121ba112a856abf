#pragma once

#include "finding.h"

#include "model/accesslog/accesslogstats.h"
#include "model/attribution.h"
#include "model/hostsample.h"
#include "model/kernellimits.h"
#include "model/timeline.h"
#include "model/topology.h"

#include <QList>
#include <QString>

#include <cstdint>
#include <optional>

namespace twbench {

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
    KernelLimits limits;                            // HostSample::limits
    // The span the rules look at (the charts' window, or the CLI's run), on the host's clock.
    std::int64_t fromMs = 0;
    std::int64_t toMs = 0;
};

// The rules' thresholds. No rule knows a name, port, address or rate of any particular
// incident: each is about TCP, roles (service, proxy, gateway, caller) and ratios.
struct DiagnosisOptions
{
    // server-closes: a listening endpoint (a port in one network namespace) holding at least
    // this many TIME_WAIT sockets on the server side, and at least this share of the host's
    // (the table's, every namespace); critical from the second share on.
    int serverClosesMinTimeWait = 100;
    double serverClosesMinShare = 0.2;
    double serverClosesCriticalShare = 0.5;
    // The TIME_WAIT length Linux uses (TCP_TIMEWAIT_LEN), for every "pile ÷ 60 s" rate.
    int timeWaitSeconds = 60;
    // upstream-no-keepalive: an edge out of a proxy (a node with callers of its own) with at
    // least this many connections in TIME_WAIT, and either at least `PerEstablished` TIME_WAIT
    // per ESTABLISHED connection (a pool would be mostly ESTABLISHED), or new connections per
    // second (TIME_WAIT ÷ 60 s) at least `RateMatch` of the proxy's logged requests per second.
    int upstreamMinTimeWait = 20;
    double upstreamTimeWaitPerEstablished = 5.0;
    double upstreamRateMatch = 0.5;
    int upstreamKeepalive = 16; // the `keepalive N;` the remedy proposes
    // gateway-callers: an edge from a docker gateway with at least this many connections;
    // at most this many candidate containers named. Warning instead of info from
    // serverClosesMinTimeWait TIME_WAIT on the edge.
    int gatewayMinConnections = 5;
    int gatewayMaxCandidates = 8;
    // polling-loop: every caller AccessLogStats::steadyCallers() flags; a warning (not info)
    // when it looks like a token endpoint or reaches this rate.
    double pollingWarnRequestsPerSec = 1.0;
    // churn-rate: fires from this many TIME_WAIT sockets; warning from this derived rate;
    // the derived and the counted rate agree within this relative difference.
    int churnMinTimeWait = 100;
    double churnWarnPerSecond = 10.0;
    double churnTolerance = 0.3;
    // close-wait-leak: a service with at least this many CLOSE_WAIT sockets.
    int closeWaitMin = 20;
    // port-exhaustion-risk: connections to one destination above this share of the local
    // port range (critical from the second); TIME_WAIT above this share of tcp_max_tw_buckets.
    double portRangeWarnShare = 0.5;
    double portRangeCriticalShare = 0.9;
    double bucketsWarnShare = 0.8;
    // cpu-follows-churn: Pearson correlation over the window at least this, with at least
    // this many paired points (series aligned in bins of cpuAlignMs); a warning (not info)
    // when the CPU series' mean over the window is at least cpuWarnMeanPercent.
    double cpuCorrelationMin = 0.7;
    int cpuCorrelationMinPoints = 30;
    std::int64_t cpuAlignMs = 1000;
    double cpuWarnMeanPercent = 20.0;
};

// Runs every rule; findings sorted by severity (critical first), then by rule id (findings of
// one rule in the rule's own order: the largest first). Without an attribution or a topology
// but with a table, diagnose() builds them itself from the table, the inventory and the
// namespaces. An empty window (toMs <= fromMs) means the timeline's whole span.
QList<Finding> diagnose(const DiagnosisInput &input, const DiagnosisOptions &options = {});

} // namespace twbench
