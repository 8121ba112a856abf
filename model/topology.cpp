#include "topology.h"

#include <QLocale>

#include <QCoreApplication>
#include <QUrl>

#include <algorithm>

namespace twbench {

namespace {

QString part(const QString &text)
{
    // Percent-encodes everything but A–Z a–z 0–9 - . _ ~, so '/', ' ' and '>' cannot appear
    // inside a part and the id splits back unambiguously.
    return QString::fromLatin1(QUrl::toPercentEncoding(text));
}

QString id(const QString &hostId, QLatin1String kind, const QString &key)
{
    return part(hostId) + u'/' + kind + u'/' + part(key);
}

} // namespace

QString closerName(Closer closer)
{
    switch (closer) {
    case Closer::Unknown:
        return {};
    case Closer::Server:
        return QCoreApplication::translate("twbench::Topology", "server closes");
    case Closer::Client:
        return QCoreApplication::translate("twbench::Topology", "client closes");
    case Closer::Both:
        return QCoreApplication::translate("twbench::Topology", "both close");
    }
    return {};
}

QString TopologyEdge::label() const
{
    QStringList parts;
    // The states an operator reads first, in that order; the rest only when present.
    static constexpr TcpState order[] = {
        TcpState::TimeWait, TcpState::Established, TcpState::CloseWait, TcpState::FinWait1,
        TcpState::FinWait2, TcpState::LastAck,     TcpState::Closing,   TcpState::SynSent,
        TcpState::SynRecv,  TcpState::NewSynRecv,  TcpState::Close,     TcpState::Unknown,
    };
    for (TcpState state : order) {
        if (count(state) > 0)
            parts.append(tcpStateName(state) + u' ' + QString::number(count(state)));
    }
    if (closer != Closer::Unknown)
        parts.append(closerName(closer));
    if (newConnectionsPerSecond)
        parts.append(newConnectionRateText(*newConnectionsPerSecond));
    return parts.join(QStringLiteral(" · "));
}

QString newConnectionRateText(double perSecond)
{
    if (perSecond > 0 && perSecond < 0.05)
        return QCoreApplication::translate("twbench::Topology", "<%1 new/s")
            .arg(QLocale().toString(0.1, 'f', 1));
    return QCoreApplication::translate("twbench::Topology", "≈%1 new/s")
        .arg(QLocale().toString(perSecond, 'f', perSecond < 10 ? 1 : 0));
}

int Topology::nodeIndex(const QString &nodeId) const
{
    const auto it = std::lower_bound(
        nodes.begin(), nodes.end(), nodeId,
        [](const TopologyNode &node, const QString &key) { return node.id < key; });
    if (it == nodes.end() || it->id != nodeId)
        return -1;
    return int(it - nodes.begin());
}

const TopologyNode *Topology::node(const QString &nodeId) const
{
    const int index = nodeIndex(nodeId);
    return index < 0 ? nullptr : &nodes[std::size_t(index)];
}

const TopologyEdge *Topology::edge(const QString &fromId, const QString &toId) const
{
    const QString edgeId = topologyid::edge(fromId, toId);
    const auto it = std::lower_bound(
        edges.begin(), edges.end(), edgeId,
        [](const TopologyEdge &edge, const QString &key) { return edge.id < key; });
    if (it == edges.end() || it->id != edgeId)
        return nullptr;
    return &*it;
}

std::vector<const TopologyEdge *> Topology::edgesOf(const QString &nodeId) const
{
    std::vector<const TopologyEdge *> result;
    for (const TopologyEdge &edge : edges) {
        if (edge.fromId == nodeId || edge.toId == nodeId)
            result.push_back(&edge);
    }
    return result;
}

namespace topologyid {

QString host(const QString &hostId)
{
    return part(hostId) + QStringLiteral("/host");
}

QString hostService(const QString &hostId, std::uint16_t port)
{
    return id(hostId, QLatin1String("port"), QString::number(port));
}

QString composeService(const QString &hostId, const QString &project, const QString &service)
{
    return id(hostId, QLatin1String("compose"), project) + u'/' + part(service);
}

QString container(const QString &hostId, const QString &name)
{
    return id(hostId, QLatin1String("container"), name);
}

QString gateway(const QString &hostId, const QString &network)
{
    return id(hostId, QLatin1String("gateway"), network);
}

QString external(const QString &hostId, const IpAddress &address)
{
    return id(hostId, QLatin1String("external"), address.toString());
}

QString networkPeer(const QString &hostId, const IpAddress &address)
{
    return id(hostId, QLatin1String("netpeer"), address.toString());
}

QString netns(const QString &hostId, std::uint64_t inode)
{
    return id(hostId, QLatin1String("netns"), QString::number(inode));
}

QString otherPeers(const QString &hostId, bool callers)
{
    return part(hostId) +
           (callers ? QStringLiteral("/others/callers") : QStringLiteral("/others/services"));
}

QString edge(const QString &fromId, const QString &toId)
{
    return fromId + QStringLiteral(" > ") + toId;
}

} // namespace topologyid

} // namespace twbench
