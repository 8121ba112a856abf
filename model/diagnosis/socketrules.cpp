// The rules that read the socket table: who closes (server-closes), who does not close
// (close-wait-leak), and what runs out (port-exhaustion-risk).

#include "diagnosiscontext.h"

#include <QHash>

#include <algorithm>
#include <climits>
#include <tuple>

namespace twbench::diagnosis {

namespace {

// A port in one namespace (canonical: 0 for the host's): one service.
struct PortKey
{
    std::uint64_t netns = 0;
    std::uint16_t port = 0;

    friend bool operator==(const PortKey &, const PortKey &) = default;
    friend auto operator<=>(const PortKey &, const PortKey &) = default;
    friend size_t qHash(const PortKey &key, size_t seed = 0) noexcept
    {
        return qHashMulti(seed, key.netns, key.port);
    }
};

// CLOSE_WAIT owners: a service (server side) or a client process (pid 0: its namespace).
struct CloseWaitKey
{
    bool server = false;
    std::uint64_t netns = 0;
    std::uint32_t portOrPid = 0; // the listening port, or the client's pid (0: unknown)

    friend bool operator==(const CloseWaitKey &, const CloseWaitKey &) = default;
    friend auto operator<=>(const CloseWaitKey &, const CloseWaitKey &) = default;
    friend size_t qHash(const CloseWaitKey &key, size_t seed = 0) noexcept
    {
        return qHashMulti(seed, key.server, key.netns, key.portOrPid);
    }
};

// A connection is unique by its 4-tuple: towards one destination, from one local address of
// one namespace, each needs its own local port.
struct DestinationKey
{
    std::uint64_t netns = 0;
    IpAddress local;
    Endpoint remote;

    friend bool operator==(const DestinationKey &, const DestinationKey &) = default;
    friend auto operator<=>(const DestinationKey &, const DestinationKey &) = default;
    friend size_t qHash(const DestinationKey &key, size_t seed = 0) noexcept
    {
        return qHashMulti(seed, key.netns, key.local, key.remote);
    }
};

// The endpoint most of a group's sockets use, or ":port" when they are spread over addresses:
// the connection table's text filter for the group.
QString endpointFilter(const QHash<Endpoint, std::uint32_t> &endpoints, std::uint16_t port)
{
    if (endpoints.size() == 1)
        return endpoints.constBegin().key().toString();
    return QLatin1Char(':') + QString::number(port);
}

QString endpointsText(const QHash<Endpoint, std::uint32_t> &endpoints, std::uint16_t port)
{
    if (endpoints.size() == 1)
        return endpoints.constBegin().key().toString();
    return DiagnosisText::tr("port %1 (%Ln addresses)", nullptr, int(endpoints.size()))
        .arg(QString::number(port));
}

} // namespace

// server-closes: TIME_WAIT on the server side of a listening endpoint means that service sent
// the first FIN. Grouped by port per namespace (a wildcard listener's connections may arrive on
// several of its addresses).
void serverCloses(const Context &context, QList<Finding> &findings)
{
    if (!context.attribution || context.tableTimeWait == 0)
        return;
    const DiagnosisOptions &options = context.options;
    struct Group
    {
        std::uint32_t timeWait = 0;
        std::uint32_t established = 0;
        QHash<Endpoint, std::uint32_t> endpoints; // of the TIME_WAIT sockets
    };
    QHash<PortKey, Group> groups;
    for (const Socket &socket : context.table->sockets) {
        if (socket.state != TcpState::TimeWait && socket.state != TcpState::Established)
            continue;
        if (context.attribution->sideOf(socket) != SocketSide::Server)
            continue;
        Group &group =
            groups[PortKey{context.attribution->canonicalNetns(socket.netns), socket.local.port}];
        if (socket.state == TcpState::TimeWait) {
            ++group.timeWait;
            ++group.endpoints[socket.local];
        } else {
            ++group.established;
        }
    }
    std::vector<std::pair<PortKey, const Group *>> firing;
    for (auto it = groups.cbegin(); it != groups.cend(); ++it) {
        const double share = double(it->timeWait) / double(context.tableTimeWait);
        if (int(it->timeWait) >= options.serverClosesMinTimeWait &&
            share >= options.serverClosesMinShare)
            firing.emplace_back(it.key(), &*it);
    }
    std::sort(firing.begin(), firing.end(), [](const auto &a, const auto &b) {
        return std::tie(b.second->timeWait, a.first) < std::tie(a.second->timeWait, b.first);
    });

    const double seconds = std::max(1, options.timeWaitSeconds);
    for (const auto &[key, group] : firing) {
        const Service service = serviceOf(context, key.netns, key.port);
        const double share = double(group->timeWait) / double(context.tableTimeWait);
        const QString where = endpointsText(group->endpoints, key.port);
        const double perSecond = double(group->timeWait) / seconds;

        Finding finding;
        finding.id = QStringLiteral("server-closes");
        finding.severity = share >= options.serverClosesCriticalShare ? Finding::Severity::Critical
                                                                      : Finding::Severity::Warning;
        finding.title =
            DiagnosisText::tr("%1 closes its own connections: %2 TIME_WAIT, %3 % of the host's")
                .arg(service.name, count(group->timeWait), percent(share));
        finding.explanation =
            DiagnosisText::tr(
                "Whichever end of a TCP connection closes first keeps it in TIME_WAIT for "
                "%1 s. These %2 sockets are on %3, where %4 listens: they are the server "
                "side of its connections, so it ends each connection itself, typically right "
                "after answering. Every request then costs its caller a new connection (about "
                "%5 a second here), and the pile is renewed as fast as the kernel reclaims "
                "it.")
                .arg(count(options.timeWaitSeconds), count(group->timeWait), where, service.name,
                     rate(perSecond));
        finding.evidence = {
            evidence(DiagnosisText::tr("TIME_WAIT on %1").arg(where), count(group->timeWait),
                     group->timeWait),
            evidence(
                DiagnosisText::tr("Share of the host's TIME_WAIT"),
                DiagnosisText::tr("%1 % of %2").arg(percent(share), count(context.tableTimeWait)),
                share),
            evidence(DiagnosisText::tr("Its connections still open (ESTABLISHED)"),
                     count(group->established), group->established),
            evidence(DiagnosisText::tr("Connections it closes per second (TIME_WAIT ÷ %1 s)")
                         .arg(count(options.timeWaitSeconds)),
                     DiagnosisText::tr("≈%1/s").arg(rate(perSecond)), perSecond),
        };
        finding.remedies = {
            DiagnosisText::tr(
                "Let the callers close, or better, keep the connections open: enable HTTP "
                "keep-alive between %1 and its callers (HTTP/1.1 without \"Connection: "
                "close\", a keep-alive timeout longer than the callers' pause between "
                "requests; behind a proxy, also the proxy's upstream keep-alive), so one "
                "connection carries many requests.")
                .arg(service.name),
            DiagnosisText::tr(
                "SO_LINGER with a zero timeout is not the fix: it replaces the FIN with a "
                "reset, so the socket skips TIME_WAIT, but an answer still in flight can be "
                "lost and the caller sees \"connection reset\". TIME_WAIT itself is cheap; "
                "the cost is a connection per request."),
            DiagnosisText::tr("net.ipv4.tcp_tw_reuse does not help a server: it applies only to "
                              "connections this host opens, not to the ones it accepts."),
        };
        finding.tableFilter = endpointFilter(group->endpoints, key.port);
        if (context.topology && !service.nodeId.isEmpty()) {
            // The evidence names the first callers only: with thousands of them the rest is
            // in the graph's highlighted edges, not in a line of text.
            constexpr qsizetype namedCallers = 12;
            QStringList callers;
            for (const TopologyEdge &edge : context.topology->edges) {
                if (edge.toId != service.nodeId ||
                    (edge.closer != Closer::Server && edge.closer != Closer::Both))
                    continue;
                finding.topologyEdges.append(edge.id);
                if (callers.size() < namedCallers)
                    callers.append(context.topology->nodes[std::size_t(edge.from)].label);
            }
            const qsizetype unnamed = finding.topologyEdges.size() - callers.size();
            if (unnamed > 0)
                callers.append(DiagnosisText::tr("and %n more", "callers", int(unnamed)));
            if (!callers.isEmpty())
                finding.evidence.append(evidence(DiagnosisText::tr("Callers it closes on"),
                                                 callers.join(QStringLiteral(", "))));
        }
        findings.append(finding);
    }
}

// close-wait-leak: CLOSE_WAIT is a connection whose peer has closed and whose owner has not.
// The kernel never times it out. Server-side sockets are grouped by service (port per
// namespace), client-side ones by process where ss -p named it, else by namespace.
void closeWaitLeak(const Context &context, QList<Finding> &findings)
{
    if (!context.attribution)
        return;
    struct Group
    {
        std::uint32_t closeWait = 0;
        std::uint32_t unread = 0;                 // with data in the receive queue: not even read
        QHash<Endpoint, std::uint32_t> endpoints; // local (server) or remote (client)
    };
    QHash<CloseWaitKey, Group> groups;
    for (const Socket &socket : context.table->sockets) {
        if (socket.state != TcpState::CloseWait)
            continue;
        const bool server = context.attribution->sideOf(socket) == SocketSide::Server;
        const CloseWaitKey key{server, context.attribution->canonicalNetns(socket.netns),
                               server ? socket.local.port : socket.pid};
        Group &group = groups[key];
        ++group.closeWait;
        if (socket.receiveQueue > 0)
            ++group.unread;
        ++group.endpoints[server ? socket.local : socket.remote];
    }
    std::vector<std::pair<CloseWaitKey, const Group *>> firing;
    for (auto it = groups.cbegin(); it != groups.cend(); ++it) {
        if (int(it->closeWait) >= context.options.closeWaitMin)
            firing.emplace_back(it.key(), &*it);
    }
    std::sort(firing.begin(), firing.end(), [](const auto &a, const auto &b) {
        return std::tie(b.second->closeWait, a.first) < std::tie(a.second->closeWait, b.first);
    });
    for (const auto &[key, group] : firing) {
        QString name;
        QString filter;
        if (key.server) {
            name = serviceOf(context, key.netns, std::uint16_t(key.portOrPid)).name;
            filter = endpointFilter(group->endpoints, std::uint16_t(key.portOrPid));
        } else {
            const QString process = context.attribution->processName(key.portOrPid);
            name = process.isEmpty()
                       ? namespaceOwnerText(context, key.netns)
                       : DiagnosisText::tr("process %1 (%2)")
                             .arg(safeDisplayText(process, 40), QString::number(key.portOrPid));
            // The peer most of them point at.
            auto top = group->endpoints.constBegin();
            for (auto it = group->endpoints.constBegin(); it != group->endpoints.constEnd(); ++it) {
                if (it.value() > top.value() || (it.value() == top.value() && it.key() < top.key()))
                    top = it;
            }
            filter = top.key().toString();
        }

        Finding finding;
        finding.id = QStringLiteral("close-wait-leak");
        finding.severity = Finding::Severity::Warning;
        finding.title = DiagnosisText::tr("%1 does not close its sockets: %Ln in CLOSE_WAIT",
                                          nullptr, int(group->closeWait))
                            .arg(name);
        finding.explanation =
            DiagnosisText::tr(
                "CLOSE_WAIT means the peer has closed its end (its FIN arrived) and the "
                "application has not called close() on its own. The kernel never times these "
                "out: each holds a file descriptor and buffers until %1 closes it or exits, "
                "and they pile up until it runs out of descriptors. %2 of them still have "
                "unread data queued.")
                .arg(name, count(group->unread));
        finding.evidence = {
            evidence(key.server
                         ? DiagnosisText::tr("CLOSE_WAIT on %1")
                               .arg(endpointsText(group->endpoints, std::uint16_t(key.portOrPid)))
                         : DiagnosisText::tr("CLOSE_WAIT held by %1").arg(name),
                     count(group->closeWait), group->closeWait),
            evidence(DiagnosisText::tr("Of them with unread data"), count(group->unread),
                     group->unread),
        };
        if (!key.server)
            finding.evidence.append(evidence(
                DiagnosisText::tr("Peers"), DiagnosisText::tr("%Ln endpoint(s), most often %1",
                                                              nullptr, int(group->endpoints.size()))
                                                .arg(filter)));
        finding.remedies = {
            DiagnosisText::tr(
                "Fix the code path in %1 that stops using a connection without closing it: "
                "close the socket when a read returns end of file (0 bytes), and in a "
                "finally block, defer or destructor on every error path.")
                .arg(name),
            DiagnosisText::tr(
                "Check connection pools: a pool that keeps idle connections longer than the "
                "server's keep-alive timeout holds the ones the server closed in CLOSE_WAIT "
                "until it uses them. Evict idle connections before the server does, and "
                "validate a connection before use."),
            DiagnosisText::tr("Restarting %1 clears them only until they pile up again.").arg(name),
        };
        finding.tableFilter = filter;
        findings.append(finding);
    }
}

namespace {

bool reuseApplies(const KernelLimits &limits, const Endpoint &destination)
{
    const int mode =
        limits.timeWaitReuseMode.value_or(limits.timeWaitReuse.value_or(false) ? 1 : 0);
    return mode == 1 || (mode == 2 && destination.address.isLoopback());
}

void portRangeFindings(const Context &context, QList<Finding> &findings)
{
    const KernelLimits &limits = context.input.limits;
    const int ports = limits.localPortCount();
    if (ports <= 0 || !context.attribution)
        return;
    const DiagnosisOptions &options = context.options;
    struct Group
    {
        std::uint32_t connections = 0;
        std::uint32_t timeWait = 0;
    };
    QHash<DestinationKey, Group> groups;
    for (const Socket &socket : context.table->sockets) {
        if (socket.state == TcpState::Listen ||
            context.attribution->sideOf(socket) != SocketSide::Client)
            continue;
        Group &group = groups[DestinationKey{context.attribution->canonicalNetns(socket.netns),
                                             socket.local.address, socket.remote}];
        ++group.connections;
        if (socket.state == TcpState::TimeWait)
            ++group.timeWait;
    }
    std::vector<std::pair<DestinationKey, Group>> firing;
    for (auto it = groups.cbegin(); it != groups.cend(); ++it) {
        if (double(it->connections) >= options.portRangeWarnShare * double(ports))
            firing.emplace_back(it.key(), *it);
    }
    std::sort(firing.begin(), firing.end(), [](const auto &a, const auto &b) {
        return std::tie(b.second.connections, a.first) < std::tie(a.second.connections, b.first);
    });
    constexpr std::size_t maxDestinations = 3; // the rest is the same story
    if (firing.size() > maxDestinations)
        firing.resize(maxDestinations);

    for (const auto &[key, group] : firing) {
        const double share = double(group.connections) / double(ports);
        const QString destination = key.remote.toString();
        const bool reuse = reuseApplies(limits, key.remote);
        const QString from = namespaceOwnerText(context, key.netns);

        Finding finding;
        finding.id = QStringLiteral("port-exhaustion-risk");
        finding.severity = share >= options.portRangeCriticalShare && !reuse
                               ? Finding::Severity::Critical
                               : Finding::Severity::Warning;
        finding.title =
            DiagnosisText::tr("%1 holds %2 of its %3 local ports towards %4 (%5 %)")
                .arg(from, count(group.connections), count(ports), destination, percent(share));
        finding.explanation =
            DiagnosisText::tr(
                "Every connection to one destination (address and port) from one local "
                "address needs its own local port, and the port stays taken while the socket "
                "is in TIME_WAIT. ip_local_port_range gives %1 ports (%2–%3); when they are "
                "used up, connect() fails with EADDRNOTAVAIL (\"Cannot assign requested "
                "address\") and the caller's requests fail.")
                .arg(count(ports), QString::number(limits.localPortRange->first),
                     QString::number(limits.localPortRange->second));
        if (reuse)
            finding.explanation +=
                QLatin1Char(' ') +
                DiagnosisText::tr(
                    "tcp_tw_reuse lets connect() take over a TIME_WAIT port older than a "
                    "second towards this destination (with TCP timestamps), so the %1 "
                    "TIME_WAIT among them are less of a risk than the count suggests.")
                    .arg(count(group.timeWait));
        finding.evidence = {
            evidence(DiagnosisText::tr("Connections from %1 to %2")
                         .arg(key.local.toString(), destination),
                     count(group.connections), group.connections),
            evidence(DiagnosisText::tr("Of them in TIME_WAIT"), count(group.timeWait),
                     group.timeWait),
            evidence(DiagnosisText::tr("Local port range (ip_local_port_range)"),
                     DiagnosisText::tr("%1–%2: %3 ports")
                         .arg(QString::number(limits.localPortRange->first),
                              QString::number(limits.localPortRange->second), count(ports)),
                     ports),
            evidence(DiagnosisText::tr("Share of the range in use"),
                     DiagnosisText::tr("%1 %").arg(percent(share)), share),
        };
        if (limits.timeWaitReuseMode)
            finding.evidence.append(evidence(QStringLiteral("tcp_tw_reuse"),
                                             QString::number(*limits.timeWaitReuseMode),
                                             *limits.timeWaitReuseMode));
        finding.remedies = {
            DiagnosisText::tr(
                "Reuse connections to %1 (HTTP keep-alive, a connection pool) instead of "
                "opening one per request: that removes the TIME_WAIT at its source.")
                .arg(destination),
            DiagnosisText::tr(
                "For room meanwhile: a wider net.ipv4.ip_local_port_range (clear of the ports "
                "this host listens on), more destination addresses or ports, and "
                "net.ipv4.tcp_tw_reuse = 1, which lets outgoing connections reuse TIME_WAIT "
                "ports safely when TCP timestamps are on. Not SO_LINGER 0, not "
                "tcp_tw_recycle (removed from Linux in 4.12)."),
        };
        finding.tableFilter = destination;
        findings.append(finding);
    }
}

// TIME_WAIT sockets the kernel dropped for a full table while the window was watched: the
// counter is since boot, so only its growth (the timeline's rate) says it happens now.
std::int64_t overflowsInWindow(const Context &context)
{
    if (!context.input.timeline || !context.window)
        return 0;
    const QList<Timeline::Point> points = context.input.timeline->points(
        Timeline::Metric::TimeWaitOverflowPerSec, context.window->first, context.window->second);
    double dropped = 0;
    for (qsizetype i = 1; i < points.size(); ++i) {
        if (points[i].segment == points[i - 1].segment)
            dropped += points[i].value * double(points[i].epochMs - points[i - 1].epochMs) / 1000;
    }
    if (!points.isEmpty() && points.first().value > 0)
        dropped += points.first().value; // at least the first interval's
    return std::llround(dropped);
}

void bucketFinding(const Context &context, QList<Finding> &findings)
{
    const KernelLimits &limits = context.input.limits;
    const std::optional<std::int64_t> timeWait = context.hostTimeWait();
    const std::int64_t overflow = context.input.counters.value(counter::TwOverflow).value_or(0);
    const std::int64_t overflowNow = overflowsInWindow(context);
    const std::int64_t buckets = limits.maxTimeWaitBuckets.value_or(0);
    const bool nearFull = buckets > 0 && timeWait &&
                          double(*timeWait) >= context.options.bucketsWarnShare * double(buckets);
    // Overflows long ago (a load test, an old incident) with room now are history, not a risk.
    if (!nearFull && overflowNow <= 0)
        return;

    Finding finding;
    finding.id = QStringLiteral("port-exhaustion-risk");
    finding.severity = overflowNow > 0 ? Finding::Severity::Critical : Finding::Severity::Warning;
    const double share = buckets > 0 && timeWait ? double(*timeWait) / double(buckets) : 0.0;
    if (overflowNow > 0) {
        finding.title =
            DiagnosisText::tr("The kernel is dropping TIME_WAIT sockets: the TIME_WAIT table "
                              "overflowed %Ln time(s) while watched",
                              nullptr, int(std::min<std::int64_t>(overflowNow, INT_MAX)));
        finding.timeRange = context.window;
    } else {
        finding.title = DiagnosisText::tr("TIME_WAIT fills %1 % of tcp_max_tw_buckets (%2 of %3)")
                            .arg(percent(share), count(*timeWait), count(buckets));
    }
    finding.explanation = DiagnosisText::tr(
        "The kernel keeps at most tcp_max_tw_buckets sockets in TIME_WAIT. Beyond that it "
        "closes a connection without TIME_WAIT and logs \"TCP: time wait bucket table "
        "overflow\": a late segment of the old connection can then be taken into a new "
        "one with the same addresses and ports. TCPTimeWaitOverflow counts these since "
        "boot.");
    if (timeWait)
        finding.evidence.append(
            evidence(DiagnosisText::tr("TIME_WAIT now"), count(*timeWait), *timeWait));
    if (buckets > 0) {
        finding.evidence.append(
            evidence(QStringLiteral("tcp_max_tw_buckets"), count(buckets), double(buckets)));
        if (timeWait)
            finding.evidence.append(evidence(DiagnosisText::tr("Share of the table in use"),
                                             DiagnosisText::tr("%1 %").arg(percent(share)), share));
    }
    finding.evidence.append(evidence(DiagnosisText::tr("Overflows while watched"),
                                     count(overflowNow), double(overflowNow)));
    finding.evidence.append(evidence(DiagnosisText::tr("TcpExt.TCPTimeWaitOverflow since boot"),
                                     count(overflow), double(overflow)));
    finding.remedies = {
        DiagnosisText::tr(
            "Cut the churn that fills the table: keep-alive between the services that open a "
            "connection per request (see the other findings)."),
        DiagnosisText::tr(
            "Meanwhile a larger net.ipv4.tcp_max_tw_buckets gives room: a TIME_WAIT socket "
            "costs well under a kilobyte."),
    };
    findings.append(finding);
}

} // namespace

// port-exhaustion-risk: connections towards one destination against the local port range, and
// TIME_WAIT against tcp_max_tw_buckets (critical once TCPTimeWaitOverflow counted any).
void portExhaustionRisk(const Context &context, QList<Finding> &findings)
{
    bucketFinding(context, findings);
    portRangeFindings(context, findings);
}

} // namespace twbench::diagnosis
