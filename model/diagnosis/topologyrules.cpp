// The rules that read the topology: a proxy without upstream keep-alive, and callers hidden
// behind a docker network's gateway.

#include "diagnosiscontext.h"

#include <QHash>

#include <algorithm>
#include <cmath>

namespace twbench::diagnosis {

namespace {

bool isHostsNode(const Context &context, const TopologyNode &node)
{
    return node.hostId == context.topologyHostId();
}

const TopologyNode &fromNode(const Context &context, const TopologyEdge &edge)
{
    return context.topology->nodes[std::size_t(edge.from)];
}

const TopologyNode &toNode(const Context &context, const TopologyEdge &edge)
{
    return context.topology->nodes[std::size_t(edge.to)];
}

// The address and port the caller dialled: the remote end of the client's sockets, else the
// local end of the server's. The most frequent one; empty without sockets.
std::optional<Endpoint> dialledEndpoint(const Context &context, const TopologyEdge &edge)
{
    if (!context.attribution)
        return std::nullopt;
    QHash<Endpoint, int> clientSide;
    QHash<Endpoint, int> serverSide;
    for (const SocketKey &key : edge.sockets) {
        if (context.attribution->isListening(key.netns, key.local))
            ++serverSide[key.local];
        else
            ++clientSide[key.remote];
    }
    const QHash<Endpoint, int> &seen = clientSide.isEmpty() ? serverSide : clientSide;
    if (seen.isEmpty())
        return std::nullopt;
    auto best = seen.constBegin();
    for (auto it = seen.constBegin(); it != seen.constEnd(); ++it) {
        if (it.value() > best.value() || (it.value() == best.value() && it.key() < best.key()))
            best = it;
    }
    return best.key();
}

// An nginx upstream name for a node: letters, digits and '_' only (the name is remote data).
QString upstreamName(const TopologyNode &node)
{
    QString raw = node.composeService;
    if (raw.isEmpty() && !node.containerNames.isEmpty())
        raw = node.containerNames.first();
    if (raw.isEmpty() && node.kind == NodeKind::HostService && !node.servicePorts.empty())
        raw = QStringLiteral("backend_") + QString::number(node.servicePorts.front());
    QString name;
    for (const QChar c : raw.left(40)) {
        const bool plain = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') ||
                           (c >= u'0' && c <= u'9') || c == u'_';
        name += plain ? c : QChar(u'_');
    }
    if (name.isEmpty() || name.front().isDigit())
        name.prepend(QStringLiteral("backend"));
    return name;
}

// The proxy's requests per second from its access logs ("container:<name>" sources), over the
// last TIME_WAIT length: the span the TIME_WAIT pile counts.
std::optional<double> proxyRequestRate(const Context &context, const TopologyNode &proxy)
{
    const AccessLogStats *logs = context.input.accessLogs;
    if (!logs)
        return std::nullopt;
    const QStringList sources = logs->sourceIds();
    std::optional<double> total;
    for (const QString &name : proxy.containerNames) {
        const QString source = QStringLiteral("container:") + name;
        if (!sources.contains(source))
            continue;
        total =
            total.value_or(0.0) +
            logs->requestsPerSecond(source, std::int64_t(context.options.timeWaitSeconds) * 1000);
    }
    return total;
}

} // namespace

// upstream-no-keepalive: a proxy (a node that has callers and calls services itself) whose
// upstream edge is mostly TIME_WAIT opens a connection per request towards it.
void upstreamNoKeepalive(const Context &context, QList<Finding> &findings)
{
    if (!context.topology)
        return;
    const DiagnosisOptions &options = context.options;
    const Topology &topology = *context.topology;
    const double seconds = std::max(1, options.timeWaitSeconds);

    for (const TopologyNode &proxy : topology.nodes) {
        if (!isHostsNode(context, proxy) ||
            (proxy.kind != NodeKind::ComposeService && proxy.kind != NodeKind::Container))
            continue;
        const std::vector<const TopologyEdge *> edges = topology.edgesOf(proxy.id);
        const bool hasCallers = std::any_of(edges.begin(), edges.end(), [&](const auto *edge) {
            return edge->toId == proxy.id && edge->fromId != proxy.id && edge->connections > 0;
        });
        if (!hasCallers)
            continue;
        const std::optional<double> requests = proxyRequestRate(context, proxy);

        std::vector<const TopologyEdge *> upstreams;
        for (const TopologyEdge *edge : edges) {
            if (edge->fromId != proxy.id || edge->toId == proxy.id)
                continue;
            const double timeWait = edge->timeWaitConnections;
            const double established = edge->count(TcpState::Established);
            if (timeWait < options.upstreamMinTimeWait)
                continue;
            const bool mostlyTimeWait =
                timeWait >= options.upstreamTimeWaitPerEstablished * std::max(1.0, established);
            const bool perRequest = requests && *requests > 0 &&
                                    timeWait / seconds >= options.upstreamRateMatch * *requests;
            if (mostlyTimeWait || perRequest)
                upstreams.push_back(edge);
        }
        std::sort(upstreams.begin(), upstreams.end(), [](const auto *a, const auto *b) {
            return a->timeWaitConnections != b->timeWaitConnections
                       ? a->timeWaitConnections > b->timeWaitConnections
                       : a->id < b->id;
        });

        for (const TopologyEdge *edge : upstreams) {
            const TopologyNode &upstream = toNode(context, *edge);
            const std::uint32_t timeWait = edge->timeWaitConnections;
            const std::uint32_t established = edge->count(TcpState::Established);
            const double perSecond = double(timeWait) / seconds;
            const std::optional<Endpoint> dialled = dialledEndpoint(context, *edge);
            const QString target = dialled ? dialled->toString() : upstream.label;
            const QString name = upstreamName(upstream);

            Finding finding;
            finding.id = QStringLiteral("upstream-no-keepalive");
            finding.severity = Finding::Severity::Warning;
            finding.title =
                DiagnosisText::tr(
                    "%1 opens a new connection to %2 for every request: %3 TIME_WAIT, %4 "
                    "ESTABLISHED")
                    .arg(proxy.label, upstream.label, count(timeWait), count(established));
            finding.explanation =
                DiagnosisText::tr(
                    "%1 has callers of its own and passes their requests on to %2: it is a "
                    "proxy. Its connections to %2 are almost all in TIME_WAIT (%3, against %4 "
                    "open), so it does not keep them for the next request but opens and "
                    "closes one each time, about %5 a second. nginx does exactly that by "
                    "default: it talks HTTP/1.0 to upstreams and sends \"Connection: "
                    "close\".")
                    .arg(proxy.label, upstream.label, count(timeWait), count(established),
                         rate(perSecond));
            finding.evidence = {
                evidence(
                    DiagnosisText::tr("Upstream edge"),
                    DiagnosisText::tr("%1 → %2 (%3)").arg(proxy.label, upstream.label, target)),
                evidence(DiagnosisText::tr("TIME_WAIT on it"),
                         edge->closer == Closer::Unknown
                             ? count(timeWait)
                             : DiagnosisText::tr("%1 (%2)").arg(count(timeWait),
                                                                closerName(edge->closer)),
                         timeWait),
                evidence(DiagnosisText::tr("ESTABLISHED on it"), count(established), established),
                evidence(DiagnosisText::tr("New upstream connections per second (TIME_WAIT ÷ %1 s)")
                             .arg(count(options.timeWaitSeconds)),
                         DiagnosisText::tr("≈%1/s").arg(rate(perSecond)), perSecond),
            };
            if (requests) {
                finding.evidence.append(
                    evidence(DiagnosisText::tr("Requests per second through %1 (access log)")
                                 .arg(proxy.label),
                             DiagnosisText::tr("%1/s").arg(rate(*requests)), *requests));
                if (*requests > 0)
                    finding.evidence.append(
                        evidence(DiagnosisText::tr("New upstream connections per request"),
                                 decimal(perSecond / *requests, 2), perSecond / *requests));
            }
            const QString snippet =
                QStringLiteral("upstream %1 {\n"
                               "    server %2;\n"
                               "    keepalive %3;\n"
                               "}\n"
                               "location / {\n"
                               "    proxy_pass http://%1;\n"
                               "    proxy_http_version 1.1;\n"
                               "    proxy_set_header Connection \"\";\n"
                               "}")
                    .arg(name, target, QString::number(std::max(1, options.upstreamKeepalive)));
            finding.remedies = {
                DiagnosisText::tr(
                    "Keep idle upstream connections open in %1 and reuse them. In nginx: a "
                    "keepalive pool in the upstream block, and HTTP/1.1 without the "
                    "\"Connection: close\" header in every location that proxies to it:")
                        .arg(proxy.label) +
                    QLatin1Char('\n') + snippet,
                DiagnosisText::tr(
                    "%1 has to keep the connection open as well (HTTP/1.1 keep-alive on, no "
                    "\"Connection: close\" in its answers, an idle timeout longer than "
                    "nginx's keepalive_timeout in the upstream block); otherwise it still "
                    "closes after every answer.")
                    .arg(upstream.label),
                DiagnosisText::tr(
                    "keepalive N is the number of idle connections each nginx worker keeps, "
                    "not a limit: size it to the requests in flight towards the upstream. "
                    "Other proxies have the same switch: reuse of idle upstream "
                    "connections."),
            };
            finding.tableFilter = dialled ? target : QString();
            finding.topologyEdges = {edge->id};
            findings.append(finding);
        }
    }
}

// gateway-callers: connections from a docker network's gateway come from containers on this
// host that call a published port (or a host process through docker-proxy): the caller is
// hidden behind the NAT. Names the containers on that network that could be it.
void gatewayCallers(const Context &context, QList<Finding> &findings)
{
    if (!context.topology)
        return;
    const DiagnosisOptions &options = context.options;
    std::vector<const TopologyEdge *> edges;
    for (const TopologyEdge &edge : context.topology->edges) {
        const TopologyNode &from = fromNode(context, edge);
        const TopologyNode &to = toNode(context, edge);
        if (isHostsNode(context, from) && from.kind == NodeKind::Gateway &&
            to.kind != NodeKind::Gateway && int(edge.connections) >= options.gatewayMinConnections)
            edges.push_back(&edge);
    }
    std::sort(edges.begin(), edges.end(), [](const auto *a, const auto *b) {
        return a->connections != b->connections ? a->connections > b->connections : a->id < b->id;
    });

    for (const TopologyEdge *edge : edges) {
        const TopologyNode &gateway = fromNode(context, *edge);
        const TopologyNode &service = toNode(context, *edge);
        const QString network = safeDisplayText(gateway.network, 40);
        QStringList addresses;
        for (const IpAddress &address : gateway.addresses)
            addresses.append(address.toString());

        // Running containers on that network, but not the service's own.
        QStringList candidates;
        if (context.attribution) {
            for (const Container &container : context.attribution->inventory().containers) {
                if (!container.running || service.containerIds.contains(container.id))
                    continue;
                const bool onNetwork = std::any_of(
                    container.networks.begin(), container.networks.end(),
                    [&](const ContainerNetwork &n) { return n.name == gateway.network; });
                if (onNetwork)
                    candidates.append(container.name);
            }
        }
        std::sort(candidates.begin(), candidates.end(), [](const QString &a, const QString &b) {
            const int folded = a.compare(b, Qt::CaseInsensitive);
            return folded != 0 ? folded < 0 : a < b;
        });
        const qsizetype total = candidates.size();
        const int cap = std::max(1, options.gatewayMaxCandidates);
        QStringList shown;
        for (qsizetype i = 0; i < std::min<qsizetype>(total, cap); ++i)
            shown.append(safeDisplayText(candidates[i], 60));
        QString candidateText = shown.join(QStringLiteral(", "));
        if (total > cap)
            candidateText =
                DiagnosisText::tr("%1 and %Ln more", nullptr, int(total - cap)).arg(candidateText);

        Finding finding;
        finding.id = QStringLiteral("gateway-callers");
        finding.severity = int(edge->timeWaitConnections) >= options.serverClosesMinTimeWait
                               ? Finding::Severity::Warning
                               : Finding::Severity::Info;
        finding.title =
            DiagnosisText::tr("%1 is called by containers on this host through the %2 gateway: "
                              "%Ln connection(s)",
                              nullptr, int(edge->connections))
                .arg(service.label, network);
        finding.explanation =
            DiagnosisText::tr(
                "Every one of these connections comes from %1, the gateway of docker network "
                "%2. A container on this same host that calls a published port (the host's "
                "address rather than %3's own on the network) goes out and back in through "
                "it, translated to the gateway's address, and so does a host process that "
                "reaches a published port through docker-proxy: the real caller is hidden "
                "behind the gateway.")
                .arg(addresses.join(QStringLiteral(", ")), network, service.label);
        finding.evidence = {
            evidence(DiagnosisText::tr("Gateway"),
                     DiagnosisText::tr("%1 (network %2)")
                         .arg(addresses.join(QStringLiteral(", ")), network)),
            evidence(DiagnosisText::tr("Connections from it"), count(edge->connections),
                     edge->connections),
            evidence(DiagnosisText::tr("Of them in TIME_WAIT"), count(edge->timeWaitConnections),
                     edge->timeWaitConnections),
        };
        if (total > 0)
            finding.evidence.append(evidence(
                DiagnosisText::tr("Containers on %1 that could be the caller").arg(network),
                candidateText, double(total)));
        finding.remedies = {
            total > 0 ? DiagnosisText::tr(
                            "Find the caller among %1: read their sockets (run twbench as root "
                            "or with sudo -n, so it reads every container's namespace), or "
                            "look at %2's access log for the path and user agent the gateway's "
                            "requests carry.")
                            .arg(candidateText, service.label)
                      : DiagnosisText::tr(
                            "Find the caller: no running container on %1 is known, so look at "
                            "the host's own processes (docker-proxy) and at %2's access log.")
                            .arg(network, service.label),
            DiagnosisText::tr(
                "Let containers call %1 over the docker network, by its service name and "
                "container port, instead of through the host's published port: no NAT on the "
                "way, and the caller shows up as itself.")
                .arg(service.label),
        };
        finding.tableFilter = addresses.isEmpty() ? QString() : addresses.first();
        finding.topologyEdges = {edge->id};
        findings.append(finding);
    }
}

} // namespace twbench::diagnosis
