#pragma once

#include "endpoint.h"
#include "socket.h"
#include "tcpstate.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <vector>

namespace twbench {

// Who talks to whom on one or more hosts, built by TopologyBuilder from a snapshot and its
// attribution. A value type: built on a worker, handed to the graph view as a whole.
//
// Node ids are stable across snapshots, so a live view keeps a node where it is while its
// containers are recreated, its counts change or other nodes come and go. Every id is
// "<host>/<kind>/<key>" with each part percent-encoded (so '/' and ' ' never occur inside a
// part, whatever a remote name holds):
//   <host>/host                        the host's own processes as callers
//   <host>/port/<port>                 a listening port of the host that no container publishes
//   <host>/compose/<project>/<service> the replicas of one compose service, merged
//   <host>/container/<name>            a container without compose labels (its name survives a
//                                      re-creation, its id does not)
//   <host>/gateway/<network>           a docker network's gateway
//   <host>/external/<ip>               a peer outside the host, one node per address
//   <host>/netpeer/<ip>                an address in a docker subnet that no container has
//   <host>/netns/<inode>               a namespace the inventory does not explain
//   <host>/others/callers              the callers folded by TopologyBuilder's peer cap
//   <host>/others/services             the services folded likewise
// Edge ids are "<from id> > <to id>".
enum class NodeKind : std::uint8_t {
    Host,
    HostService,
    ComposeService,
    Container,
    Gateway,
    External,
    NetworkPeer,
    Namespace,
};

struct TopologyNode
{
    QString id;
    QString hostId;
    NodeKind kind = NodeKind::Host;
    // Translated and already passed through safeDisplayText(): ready to draw.
    QString label;
    QString composeProject;     // ComposeService
    QString composeService;     // ComposeService
    QStringList containerIds;   // ComposeService (every replica), Container
    QStringList containerNames; // raw, as docker gave them: show through safeDisplayText()
    QString network;            // Gateway, NetworkPeer: the docker network's name (raw)
    QList<IpAddress> addresses; // containers' IPs, the gateway's, the peer's
    // Ports that listen in this node's namespace (containers read by the probe; else the ports
    // the inventory publishes or exposes), the port of a HostService.
    std::vector<std::uint16_t> servicePorts;
    std::uint64_t netns = 0; // Namespace nodes
    // > 0: not one peer but this many, folded into one node because the host had more distinct
    // peers in one role than TopologyBuilder::Options::maxPeersPerRole: the ones with the least
    // TIME_WAIT, then the fewest connections. Its edges count every connection of the folded
    // peers. `kind` is the kind most of them had.
    int foldedPeers = 0;
    bool foldedCallers = false; // folded callers (left of the graph); else folded services
    QStringList foldedLabels;   // the first few folded peers' labels, the busiest first
};

// Which end of an edge's connections holds TIME_WAIT, i.e. sent the first FIN.
enum class Closer : std::uint8_t {
    Unknown, // no TIME_WAIT on either end that could be seen
    Server,  // "server closes"
    Client,  // "client closes"
    Both,    // both ends hold a real share (see TopologyBuilder::Options::bothMinorityShare)
};

QString closerName(Closer closer); // translated: "server closes", …; empty for Unknown
// "≈1.2 new/s", "≈35 new/s", and "<0.1 new/s" for a positive rate that would round to zero.
QString newConnectionRateText(double perSecond);

// How TopologyEdge::newConnectionsPerSecond was worked out.
enum class RateBasis : std::uint8_t {
    None, // no estimate: no TIME_WAIT on the edge
    // Connections of the edge in TIME_WAIT divided by the TIME_WAIT length (60 s on Linux,
    // TCP_TIMEWAIT_LEN): each closed connection stays that long, so in a steady state the pile
    // is rate × 60 s. A lower bound when the end that closes cannot be read (an external
    // client, containers behind a gateway).
    TimeWaitSteadyState,
};

// caller → service: the connections whose client end is `from` and server end is `to`.
struct TopologyEdge
{
    QString id;
    QString fromId;
    QString toId;
    int from = -1; // index into Topology::nodes
    int to = -1;

    // Connections by state, each connection counted once even when both of its ends were seen:
    // under TIME_WAIT if either end is in it, else under the client end's state (the server
    // end's when only it was seen).
    StateCounts counts{};
    StateCounts serverEnd{}; // sockets seen on the service's side, by state
    StateCounts clientEnd{}; // sockets seen on the caller's side, by state
    std::uint32_t connections = 0;
    std::uint32_t bothEndsSeen = 0;          // connections matched in two tables (reversed 4-tuple)
    std::uint32_t serverEndsObserved = 0;    // connections whose server end's namespace was read
    std::uint32_t clientEndsObserved = 0;    // … client end's
    std::uint32_t timeWaitServer = 0;        // TIME_WAIT sockets on the server end
    std::uint32_t timeWaitClient = 0;        // TIME_WAIT sockets on the client end
    std::uint32_t timeWaitConnections = 0;   // connections with an end in TIME_WAIT
    std::vector<std::uint16_t> servicePorts; // server ports the connections went to
    Closer closer = Closer::Unknown;
    std::optional<double> newConnectionsPerSecond;
    // Every socket of the edge, both ends where both were seen, in snapshot order: what a view
    // filters the connection table to when the operator picks the edge.
    std::vector<SocketKey> sockets;
    RateBasis rateBasis = RateBasis::None;

    std::uint32_t count(TcpState state) const { return counts[stateIndex(state)]; }
    // Translated one-liner for the graph: "TIME_WAIT 40 · ESTABLISHED 2 · server closes".
    QString label() const;
};

struct Topology
{
    std::vector<TopologyNode> nodes; // sorted by id
    std::vector<TopologyEdge> edges; // sorted by id

    int nodeIndex(const QString &id) const; // -1 when absent; binary search
    const TopologyNode *node(const QString &id) const;
    const TopologyEdge *edge(const QString &fromId, const QString &toId) const;
    // Edges into or out of a node.
    std::vector<const TopologyEdge *> edgesOf(const QString &nodeId) const;
};

// The id scheme above, for the builder and for views that look nodes up.
namespace topologyid {
QString host(const QString &hostId);
QString hostService(const QString &hostId, std::uint16_t port);
QString composeService(const QString &hostId, const QString &project, const QString &service);
QString container(const QString &hostId, const QString &name);
QString gateway(const QString &hostId, const QString &network);
QString external(const QString &hostId, const IpAddress &address);
QString networkPeer(const QString &hostId, const IpAddress &address);
QString netns(const QString &hostId, std::uint64_t inode);
QString otherPeers(const QString &hostId, bool callers);
QString edge(const QString &fromId, const QString &toId);
} // namespace topologyid

} // namespace twbench
