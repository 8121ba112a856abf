#pragma once

#include "diagnosis.h"
#include "finding.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>

namespace twbench {

// What `twbench diagnose --json` says about one host: plain facts, already counted, so that
// diagnosisJson() is a pure function of them (and a test can build one by hand). hostReport()
// fills one from what the CLI (or a view) collected. Names are raw (remote data): JSON escapes
// whatever they hold.
struct HostReport
{
    // One row of the `uniq -c` of local endpoints, split by state.
    struct EndpointCount
    {
        QString endpoint;  // "10.0.0.5:8080", "[2001:db8::1]:443"
        QString container; // the container(s) whose namespace holds it; empty: the host's
        QString role;      // "service" (a listening endpoint: the host closed first) or "client"
        QString state;     // as the kernel spells it: "TIME_WAIT"
        std::int64_t count = 0;
    };
    struct Node
    {
        QString id;   // TopologyNode::id
        QString kind; // "host", "process", "container", "gateway", "external"
        QString label;
        QStringList ips;
    };
    struct Edge
    {
        QString from; // node ids
        QString to;
        QString service;                    // "ip:port", or the service port(s): "8080", "80,443"
        QMap<QString, std::int64_t> states; // "TIME_WAIT" → connections
        QString closer;                     // "server", "client", "both", "none"
    };
    struct Caller
    {
        QString client;
        QString method;
        QString path;
        double rps = 0;
    };
    struct LogRate
    {
        QString source; // the file's path or the container's name
        QString kind;   // "file" or "container"
        double totalRps = 0;
        QList<Caller> top;
        QString error; // why the log could not be read (newest window); empty when it was
    };
    struct Issue
    {
        QString source; // the probe's section: "ss", "docker", …
        QString message;
    };

    QString id;   // matches Finding::hostId
    QString name; // what the JSON calls the host
    std::int64_t samples = 0;
    std::optional<std::int64_t> timeWaitLast; // sockstat's TIME_WAIT count
    std::optional<std::int64_t> timeWaitMax;
    std::optional<double> cpuMean; // % of the whole machine
    std::optional<double> cpuMax;
    QList<EndpointCount> topLocalEndpoints; // largest first
    QList<Node> nodes;
    QList<Edge> edges;
    QList<LogRate> logRates;
    QList<Issue> issues; // what the probe could not see
    KernelLimits limits;
};

// The maxima of the lists hostReport() makes.
inline constexpr int reportTopEndpoints = 10;
inline constexpr int reportTopCallers = 10;

// The JSON words of a topology node's kind and an edge's closer.
QString reportNodeKind(NodeKind kind);
QString reportCloser(Closer closer);
// An edge's `service`: "ip:port" when the service end of all the edge's sockets is one
// endpoint, or else when the service node has one address and the edge one port; otherwise the
// edge's service ports joined by ',' ("8080", "80,443"; a published port reached through NAT
// has two); empty when none is known.
QString reportService(const TopologyNode &to, const TopologyEdge &edge);

// The local endpoints of `table` by (endpoint, namespace, state), LISTEN left out, largest count
// first (ties: endpoint, then state), at most `limit`. `docker` and `namespaces` name the
// containers whose namespaces hold an endpoint (either may be null).
QList<HostReport::EndpointCount> reportTopLocalEndpoints(const Snapshot &table,
                                                         const DockerInventory *docker,
                                                         const NamespaceMap *namespaces,
                                                         int limit = reportTopEndpoints);
void fillReportTopology(HostReport *report, const Topology &topology);
// Per source: requests per second over the last `windowMs`, and its top callers by
// (client, method, path), every status together, at most `limit`.
QList<HostReport::LogRate> reportLogRates(const AccessLogStats &stats, std::int64_t windowMs,
                                          int limit = reportTopCallers);

// Everything above from what a run collected: the TIME_WAIT and CPU series of
// `input.timeline` between input.fromMs and input.toMs, the endpoints of `input.table`, the
// topology, the access logs over the same span, the kernel limits. The name is
// input.hostLabel (the host id when that is empty).
HostReport hostReport(const DiagnosisInput &input, std::int64_t samples,
                      const QList<SourceIssue> &issues = {});

// The document `twbench diagnose --json` writes (README, "Headless: twbench diagnose"):
// {version, generated, hosts[], findings[]}. A finding's `host` is the name of the report whose
// id is its hostId (else the hostId). `generated` invalid: now. Numbers that are unknown are
// null; rates are rounded to 3 decimals, CPU percentages to 2.
QJsonObject diagnosisJson(const QList<HostReport> &hosts, const QList<Finding> &findings,
                          const QDateTime &generated = {});

} // namespace twbench
