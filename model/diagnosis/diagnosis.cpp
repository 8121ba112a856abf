#include "diagnosis.h"

#include "diagnosiscontext.h"

#include "model/topologybuilder.h"

#include <QLocale>

#include <algorithm>
#include <cmath>

namespace twbench {

namespace diagnosis {

Context::Context(const DiagnosisInput &diagnosisInput, const DiagnosisOptions &diagnosisOptions)
    : input(diagnosisInput)
    , options(diagnosisOptions)
{
    attribution = input.attribution;
    if (attribution)
        table = &attribution->snapshot();
    else if (input.table)
        table = input.table.get();

    hostId = input.hostId;
    if (hostId.isEmpty() && table)
        hostId = table->hostId;
    hostLabel = input.hostLabel.isEmpty() ? hostId : input.hostLabel;

    if (table && !attribution) {
        const DockerInventory &inventory = input.docker ? *input.docker : noInventory;
        ownAttribution = std::make_unique<Attribution>(
            *table, inventory, input.namespaces ? *input.namespaces : NamespaceMap());
        attribution = ownAttribution.get();
    }
    topology = input.topology;
    if (!topology && attribution) {
        ownTopology = std::make_unique<Topology>(
            buildTopology(*attribution, TopologyBuilder::Options(), input.hostLabel));
        topology = ownTopology.get();
    }
    if (table) {
        for (const Socket &socket : table->sockets) {
            if (socket.state == TcpState::TimeWait)
                ++tableTimeWait;
        }
    }

    if (input.toMs > input.fromMs) {
        window = std::pair(input.fromMs, input.toMs);
    } else if (input.timeline) {
        const auto first = input.timeline->firstMs();
        const auto last = input.timeline->lastMs();
        if (first && last && *last > *first)
            window = std::pair(*first, *last);
    }
}

Context::~Context() = default;

std::optional<std::int64_t> Context::hostTimeWait() const
{
    if (const auto counted = input.counters.value(counter::TimeWait))
        return counted;
    if (table)
        return std::int64_t(tableTimeWait);
    return std::nullopt;
}

QString Context::topologyHostId() const
{
    return table ? table->hostId : hostId;
}

QString count(std::int64_t value)
{
    return QLocale().toString(qlonglong(value));
}

QString percent(double share)
{
    const double value = share * 100.0;
    if (value > 0 && value < 0.5)
        return QLatin1Char('<') + QLocale().toString(1);
    return QLocale().toString(value, 'f', 0);
}

QString decimal(double value, int decimals)
{
    return QLocale().toString(value, 'f', decimals);
}

QString rate(double perSecond)
{
    return QLocale().toString(perSecond, 'f', std::abs(perSecond) < 10 ? 1 : 0);
}

Finding::Evidence evidence(const QString &label, const QString &value, std::optional<double> number)
{
    return Finding::Evidence{label, value, number};
}

namespace {

// "api (compose service shop/api)", "container legacy-admin".
QString containerName(const Container &container)
{
    if (!container.composeProject.isEmpty() && !container.composeService.isEmpty()) {
        return DiagnosisText::tr("%1 (compose service %2/%3)")
            .arg(safeDisplayText(container.composeService, 40),
                 safeDisplayText(container.composeProject, 40),
                 safeDisplayText(container.composeService, 40));
    }
    return DiagnosisText::tr("container %1").arg(safeDisplayText(container.name, 60));
}

Service containerService(const Context &context, int index)
{
    const DockerInventory &inventory = context.attribution->inventory();
    const Container &container = inventory.containers[std::size_t(index)];
    Service service;
    service.name = containerName(container);
    const QString host = context.topologyHostId();
    if (!container.composeProject.isEmpty() && !container.composeService.isEmpty()) {
        service.nodeId =
            topologyid::composeService(host, container.composeProject, container.composeService);
        for (const Container &other : inventory.containers) {
            if (other.composeProject == container.composeProject &&
                other.composeService == container.composeService)
                service.containerIds.append(other.id);
        }
    } else {
        service.nodeId = topologyid::container(host, container.name);
        service.containerIds.append(container.id);
    }
    return service;
}

} // namespace

Service serviceOf(const Context &context, std::uint64_t netns, std::uint16_t port)
{
    Service service;
    const QString host = context.topologyHostId();
    const Attribution *attribution = context.attribution;
    const std::uint64_t canonical = attribution ? attribution->canonicalNetns(netns) : netns;
    if (attribution && canonical != 0) {
        const int container = attribution->containerOfNamespace(netns);
        if (container >= 0) {
            service = containerService(context, container);
        } else {
            service.name = DiagnosisText::tr("port %1 in network namespace %2")
                               .arg(QString::number(port), QString::number(netns));
            service.nodeId = topologyid::netns(host, netns);
        }
    } else if (const int published = attribution ? attribution->containerPublishing(port) : -1;
               published >= 0) {
        service = containerService(context, published);
    } else {
        // A host port: named by the process of its listener where ss -p told it.
        QString process;
        if (context.table) {
            for (const Socket &socket : context.table->sockets) {
                if (socket.state != TcpState::Listen || socket.local.port != port ||
                    socket.pid == 0)
                    continue;
                if (attribution && !attribution->isHostNamespace(socket.netns))
                    continue;
                process = context.table->processNames.value(socket.pid);
                if (!process.isEmpty())
                    break;
            }
        }
        service.name = process.isEmpty()
                           ? DiagnosisText::tr("port %1 of %2")
                                 .arg(QString::number(port), safeDisplayText(context.hostLabel))
                           : DiagnosisText::tr("%1 (port %2)")
                                 .arg(safeDisplayText(process, 40), QString::number(port));
        service.nodeId = topologyid::hostService(host, port);
    }
    if (!context.topology || !context.topology->node(service.nodeId))
        service.nodeId.clear();
    return service;
}

QString namespaceOwnerText(const Context &context, std::uint64_t netns)
{
    if (!context.attribution)
        return DiagnosisText::tr("this host");
    const EndpointOwner owner = context.attribution->ownerOfNamespace(netns);
    if (owner.kind == OwnerKind::Container)
        return containerName(
            context.attribution->inventory().containers[std::size_t(owner.container)]);
    return context.attribution->describe(owner);
}

} // namespace diagnosis

QList<Finding> diagnose(const DiagnosisInput &input, const DiagnosisOptions &options)
{
    const diagnosis::Context context(input, options);
    QList<Finding> findings;
    diagnosis::serverCloses(context, findings);
    diagnosis::upstreamNoKeepalive(context, findings);
    diagnosis::gatewayCallers(context, findings);
    diagnosis::pollingLoop(context, findings);
    diagnosis::churnRate(context, findings);
    diagnosis::portExhaustionRisk(context, findings);
    diagnosis::closeWaitLeak(context, findings);
    diagnosis::cpuFollowsChurn(context, findings);
    for (Finding &finding : findings)
        finding.hostId = context.hostId;
    // Stable: a rule's own order (largest first) survives.
    std::stable_sort(findings.begin(), findings.end(), [](const Finding &a, const Finding &b) {
        if (a.severity != b.severity)
            return a.severity < b.severity;
        return a.id < b.id;
    });
    return findings;
}

} // namespace twbench
