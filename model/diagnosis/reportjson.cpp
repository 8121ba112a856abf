#include "reportjson.h"

#include "model/socketgrouper.h"

#include <QHash>
#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

namespace twbench {

namespace {

const QString containerPrefix = QStringLiteral("container:");

double rounded(double value, double scale)
{
    return std::round(value * scale) / scale;
}

QJsonValue optionalNumber(const std::optional<std::int64_t> &value)
{
    return value ? QJsonValue(qint64(*value)) : QJsonValue(QJsonValue::Null);
}

QJsonValue optionalNumber(const std::optional<double> &value, double scale)
{
    return value ? QJsonValue(rounded(*value, scale)) : QJsonValue(QJsonValue::Null);
}

QJsonValue optionalText(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

// Container names by network namespace (several for a shared namespace), the host's left out.
QHash<std::uint64_t, QString> containerNamesByNetns(const DockerInventory &docker,
                                                    const NamespaceMap &namespaces)
{
    QHash<std::uint64_t, QString> names;
    for (const Container &container : docker.containers) {
        const auto netns = namespaces.containerNetns.constFind(container.id);
        if (netns == namespaces.containerNetns.constEnd() || *netns == 0 ||
            *netns == namespaces.hostNetns)
            continue;
        QString &name = names[*netns];
        name = name.isEmpty() ? container.name : name + QStringLiteral(", ") + container.name;
    }
    return names;
}

QJsonObject hostJson(const HostReport &host)
{
    QJsonArray endpoints;
    for (const HostReport::EndpointCount &row : host.topLocalEndpoints) {
        endpoints.append(QJsonObject{
            {QStringLiteral("endpoint"), row.endpoint},
            {QStringLiteral("container"), optionalText(row.container)},
            {QStringLiteral("role"), row.role},
            {QStringLiteral("state"), row.state},
            {QStringLiteral("count"), qint64(row.count)},
        });
    }

    QJsonArray nodes;
    for (const HostReport::Node &node : host.nodes) {
        nodes.append(QJsonObject{
            {QStringLiteral("id"), node.id},
            {QStringLiteral("kind"), node.kind},
            {QStringLiteral("label"), node.label},
            {QStringLiteral("ips"), QJsonArray::fromStringList(node.ips)},
        });
    }
    QJsonArray edges;
    for (const HostReport::Edge &edge : host.edges) {
        QJsonObject states;
        for (auto it = edge.states.constBegin(); it != edge.states.constEnd(); ++it)
            states.insert(it.key(), qint64(it.value()));
        edges.append(QJsonObject{
            {QStringLiteral("from"), edge.from},
            {QStringLiteral("to"), edge.to},
            {QStringLiteral("service"), edge.service},
            {QStringLiteral("states"), states},
            {QStringLiteral("closer"), edge.closer},
        });
    }

    QJsonArray logRates;
    for (const HostReport::LogRate &log : host.logRates) {
        QJsonArray top;
        for (const HostReport::Caller &caller : log.top) {
            top.append(QJsonObject{
                {QStringLiteral("client"), caller.client},
                {QStringLiteral("method"), caller.method},
                {QStringLiteral("path"), caller.path},
                {QStringLiteral("rps"), rounded(caller.rps, 1000)},
            });
        }
        logRates.append(QJsonObject{
            {QStringLiteral("source"), log.source},
            {QStringLiteral("kind"), log.kind},
            {QStringLiteral("total_rps"), rounded(log.totalRps, 1000)},
            {QStringLiteral("top"), top},
            {QStringLiteral("error"), optionalText(log.error)},
        });
    }

    QJsonArray issues;
    for (const HostReport::Issue &issue : host.issues) {
        issues.append(QJsonObject{
            {QStringLiteral("source"), issue.source},
            {QStringLiteral("message"), issue.message},
        });
    }

    const KernelLimits &limits = host.limits;
    const QJsonValue portRange =
        limits.localPortRange
            ? QJsonValue(QJsonArray{limits.localPortRange->first, limits.localPortRange->second})
            : QJsonValue(QJsonValue::Null);
    const QJsonValue reuse = limits.timeWaitReuseMode ? QJsonValue(*limits.timeWaitReuseMode)
                             : limits.timeWaitReuse   ? QJsonValue(*limits.timeWaitReuse ? 1 : 0)
                                                      : QJsonValue(QJsonValue::Null);

    return QJsonObject{
        {QStringLiteral("id"), host.id},
        {QStringLiteral("name"), host.name},
        {QStringLiteral("samples"), qint64(host.samples)},
        {QStringLiteral("timewait"),
         QJsonObject{
             {QStringLiteral("last"), optionalNumber(host.timeWaitLast)},
             {QStringLiteral("max"), optionalNumber(host.timeWaitMax)},
         }},
        {QStringLiteral("cpu_percent"),
         QJsonObject{
             {QStringLiteral("mean"), optionalNumber(host.cpuMean, 100)},
             {QStringLiteral("max"), optionalNumber(host.cpuMax, 100)},
         }},
        {QStringLiteral("top_local_endpoints"), endpoints},
        {QStringLiteral("topology"),
         QJsonObject{
             {QStringLiteral("nodes"), nodes},
             {QStringLiteral("edges"), edges},
         }},
        {QStringLiteral("log_rates"), logRates},
        {QStringLiteral("kernel"),
         QJsonObject{
             {QStringLiteral("ip_local_port_range"), portRange},
             {QStringLiteral("tcp_max_tw_buckets"), optionalNumber(limits.maxTimeWaitBuckets)},
             {QStringLiteral("tcp_tw_reuse"), reuse},
         }},
        {QStringLiteral("issues"), issues},
    };
}

QJsonObject findingJson(const Finding &finding, const QString &hostName)
{
    QJsonArray evidence;
    for (const Finding::Evidence &item : finding.evidence) {
        QJsonObject object{
            {QStringLiteral("label"), item.label},
            {QStringLiteral("value"), item.value},
        };
        if (item.number && std::isfinite(*item.number))
            object.insert(QStringLiteral("number"), *item.number);
        evidence.append(object);
    }
    return QJsonObject{
        {QStringLiteral("id"), finding.id},
        {QStringLiteral("severity"), severityId(finding.severity)},
        {QStringLiteral("host"), hostName},
        {QStringLiteral("title"), finding.title},
        {QStringLiteral("explanation"), finding.explanation},
        {QStringLiteral("evidence"), evidence},
        {QStringLiteral("remedies"), QJsonArray::fromStringList(finding.remedies)},
    };
}

} // namespace

QString reportNodeKind(NodeKind kind)
{
    switch (kind) {
    case NodeKind::Host:
        return QStringLiteral("host");
    case NodeKind::HostService:
        return QStringLiteral("process");
    case NodeKind::ComposeService:
    case NodeKind::Container:
        return QStringLiteral("container");
    case NodeKind::Gateway:
        return QStringLiteral("gateway");
    case NodeKind::External:
    case NodeKind::NetworkPeer:
    case NodeKind::Namespace:
        return QStringLiteral("external");
    }
    return QStringLiteral("external");
}

QString reportCloser(Closer closer)
{
    switch (closer) {
    case Closer::Server:
        return QStringLiteral("server");
    case Closer::Client:
        return QStringLiteral("client");
    case Closer::Both:
        return QStringLiteral("both");
    case Closer::Unknown:
        return QStringLiteral("none");
    }
    return QStringLiteral("none");
}

QString reportService(const TopologyNode &to, const TopologyEdge &edge)
{
    const auto isServicePort = [&edge](std::uint16_t port) {
        return std::find(edge.servicePorts.begin(), edge.servicePorts.end(), port) !=
               edge.servicePorts.end();
    };
    // The service's end of every socket: its local end on the server side, its remote end on
    // the caller's. One endpoint for all of them is the answer.
    std::optional<Endpoint> service;
    bool several = false;
    for (const SocketKey &key : edge.sockets) {
        std::optional<Endpoint> end;
        if (isServicePort(key.local.port) && !key.local.isWildcard())
            end = key.local;
        else if (isServicePort(key.remote.port) && !key.remote.isWildcard())
            end = key.remote;
        if (!end)
            continue;
        if (service && *service != *end) {
            several = true;
            break;
        }
        service = end;
    }
    if (service && !several)
        return service->toString();
    if (to.addresses.size() == 1 && edge.servicePorts.size() == 1)
        return Endpoint{to.addresses.first(), edge.servicePorts.front()}.toString();
    QStringList ports;
    for (const std::uint16_t port : edge.servicePorts)
        ports.append(QString::number(port));
    return ports.join(u',');
}

QList<HostReport::EndpointCount> reportTopLocalEndpoints(const Snapshot &table,
                                                         const DockerInventory *docker,
                                                         const NamespaceMap *namespaces, int limit)
{
    const QHash<std::uint64_t, QString> containers =
        docker && namespaces ? containerNamesByNetns(*docker, *namespaces)
                             : QHash<std::uint64_t, QString>();
    struct Row
    {
        const SocketGroup *group;
        TcpState state;
        std::uint32_t count;
    };
    const QList<SocketGroup> groups = groupSockets(table, Grouping::LocalEndpoint);
    std::vector<Row> rows;
    for (const SocketGroup &group : groups) {
        for (int i = 0; i < TcpStateCount; ++i) {
            const auto state = TcpState(i);
            if (state != TcpState::Listen && group.counts[size_t(i)] > 0)
                rows.push_back({&group, state, group.counts[size_t(i)]});
        }
    }
    std::sort(rows.begin(), rows.end(), [](const Row &a, const Row &b) {
        if (a.count != b.count)
            return a.count > b.count;
        return std::tie(a.group->key.endpoint, a.group->key.netns, a.state) <
               std::tie(b.group->key.endpoint, b.group->key.netns, b.state);
    });
    QList<HostReport::EndpointCount> result;
    for (const Row &row : rows) {
        if (result.size() >= limit)
            break;
        HostReport::EndpointCount out;
        out.endpoint = row.group->key.endpoint.toString();
        if (row.group->key.netns != 0 &&
            !(namespaces && row.group->key.netns == namespaces->hostNetns))
            out.container = containers.value(row.group->key.netns);
        // A local endpoint group is always one side: it listens (service) or it does not.
        out.role = row.group->role == GroupRole::Service ? QStringLiteral("service")
                                                         : QStringLiteral("client");
        out.state = tcpStateName(row.state);
        out.count = row.count;
        result.append(out);
    }
    return result;
}

void fillReportTopology(HostReport *report, const Topology &topology)
{
    report->nodes.clear();
    report->edges.clear();
    for (const TopologyNode &node : topology.nodes) {
        HostReport::Node out;
        out.id = node.id;
        out.kind = reportNodeKind(node.kind);
        out.label = node.label;
        // For a gateway node these are its gateway address(es).
        for (const IpAddress &address : node.addresses)
            out.ips.append(address.toString());
        report->nodes.append(out);
    }
    for (const TopologyEdge &edge : topology.edges) {
        HostReport::Edge out;
        out.from = edge.fromId;
        out.to = edge.toId;
        if (edge.to >= 0 && size_t(edge.to) < topology.nodes.size())
            out.service = reportService(topology.nodes[size_t(edge.to)], edge);
        for (int i = 0; i < TcpStateCount; ++i) {
            if (edge.counts[size_t(i)] > 0)
                out.states.insert(tcpStateName(TcpState(i)), edge.counts[size_t(i)]);
        }
        out.closer = reportCloser(edge.closer);
        report->edges.append(out);
    }
}

QList<HostReport::LogRate> reportLogRates(const AccessLogStats &stats, std::int64_t windowMs,
                                          int limit)
{
    QList<HostReport::LogRate> result;
    for (const QString &sourceId : stats.sourceIds()) {
        HostReport::LogRate rate;
        if (sourceId.startsWith(containerPrefix)) {
            rate.source = sourceId.mid(containerPrefix.size());
            rate.kind = QStringLiteral("container");
        } else {
            rate.source = sourceId;
            rate.kind = QStringLiteral("file");
        }
        rate.totalRps = stats.requestsPerSecond(sourceId, windowMs);
        rate.error = stats.summary(sourceId).error;

        // Every status of a (client, method, path) together, in the order first seen.
        QList<HostReport::Caller> callers;
        QHash<QString, qsizetype> index;
        for (const AccessLogStats::CallerRow &row :
             stats.topCallers(sourceId, windowMs, AccessLogStats::Options().maxTrackedKeys)) {
            const QString key = row.key.client + u'\n' + row.key.method + u'\n' + row.key.path;
            const auto it = index.constFind(key);
            if (it != index.constEnd()) {
                callers[*it].rps += row.requestsPerSec;
                continue;
            }
            index.insert(key, callers.size());
            callers.append({row.key.client, row.key.method, row.key.path, row.requestsPerSec});
        }
        std::stable_sort(
            callers.begin(), callers.end(),
            [](const HostReport::Caller &a, const HostReport::Caller &b) { return a.rps > b.rps; });
        rate.top = callers.mid(0, limit);
        result.append(rate);
    }
    return result;
}

HostReport hostReport(const DiagnosisInput &input, std::int64_t samples,
                      const QList<SourceIssue> &issues)
{
    HostReport report;
    report.id = input.hostId;
    report.name = input.hostLabel.isEmpty() ? input.hostId : input.hostLabel;
    report.samples = samples;
    const bool spanKnown = input.toMs > 0 && input.toMs >= input.fromMs;
    const std::int64_t fromMs = spanKnown ? input.fromMs : std::numeric_limits<std::int64_t>::min();
    const std::int64_t toMs = spanKnown ? input.toMs : std::numeric_limits<std::int64_t>::max();

    if (input.timeline) {
        const QList<Timeline::Point> timeWait =
            input.timeline->points(Timeline::Metric::TimeWait, fromMs, toMs);
        if (!timeWait.isEmpty()) {
            report.timeWaitLast = std::llround(timeWait.last().value);
            double max = timeWait.first().value;
            for (const Timeline::Point &point : timeWait)
                max = std::max(max, point.value);
            report.timeWaitMax = std::llround(max);
        }
        const QList<Timeline::Point> cpu =
            input.timeline->points(Timeline::Metric::CpuTotal, fromMs, toMs);
        if (!cpu.isEmpty()) {
            double sum = 0;
            double max = cpu.first().value;
            for (const Timeline::Point &point : cpu) {
                sum += point.value;
                max = std::max(max, point.value);
            }
            report.cpuMean = sum / double(cpu.size());
            report.cpuMax = max;
        }
    }
    if (input.table) {
        report.topLocalEndpoints =
            reportTopLocalEndpoints(*input.table, input.docker.get(), input.namespaces.get());
    }
    if (input.topology)
        fillReportTopology(&report, *input.topology);
    if (input.accessLogs) {
        // Every window of the span: the first sample's ends at fromMs.
        const std::int64_t windowMs = spanKnown ? input.toMs - input.fromMs + 1
                                                : std::numeric_limits<std::int64_t>::max() / 4;
        report.logRates = reportLogRates(*input.accessLogs, windowMs);
    }
    for (const SourceIssue &issue : issues)
        report.issues.append({issue.source, issue.message});
    report.limits = input.limits;
    return report;
}

QJsonObject diagnosisJson(const QList<HostReport> &hosts, const QList<Finding> &findings,
                          const QDateTime &generated)
{
    const QDateTime when =
        (generated.isValid() ? generated : QDateTime::currentDateTimeUtc()).toUTC();
    QJsonArray hostArray;
    QHash<QString, QString> names;
    for (const HostReport &host : hosts) {
        hostArray.append(hostJson(host));
        names.insert(host.id, host.name);
    }
    QJsonArray findingArray;
    for (const Finding &finding : findings)
        findingArray.append(findingJson(finding, names.value(finding.hostId, finding.hostId)));
    return QJsonObject{
        {QStringLiteral("version"), QStringLiteral(TWBENCH_VERSION)},
        {QStringLiteral("generated"), when.toString(Qt::ISODate)},
        {QStringLiteral("hosts"), hostArray},
        {QStringLiteral("findings"), findingArray},
    };
}

} // namespace twbench
