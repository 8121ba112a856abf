#pragma once

#include "attribution.h"
#include "topology.h"

#include <QHash>

#include <memory>

namespace twbench {

// Builds a Topology from one or more hosts' snapshots. Not thread-safe; one builder per build.
//
// For every socket that is not LISTEN (one pass, O(sockets) with hash lookups):
// 1. Its other end is looked for: the socket with the reversed 4-tuple in the namespace that
//    owns the remote address (the same namespace for loopback, the container's for a container
//    address, the host's for a host or gateway address). A pair is one connection, one count.
// 2. Which end is the server: the end whose local endpoint listens in its own namespace (see
//    ListenerIndex). When neither or both do, the end with the lower local port is
//    taken as the server (ephemeral ports are the high ones).
// 3. The caller node comes from the client end: its namespace's owner, except that a host
//    socket whose local address is a docker gateway is that gateway (the host's side of the
//    bridge: docker-proxy, or anything on the host talking to containers). With only the server
//    end seen, the caller is the owner of its remote address.
// 4. The service node comes from the server end: a container's namespace is that container; the
//    host's namespace is the container publishing that port, else the host's port node. With
//    only the client end seen, the same from the remote address and port (a gateway or host
//    address means the host's port, or the container publishing it).
// 5. Closer: the end holding TIME_WAIT closed first. Server when only the server end holds
//    TIME_WAIT, Client when only the client end does, Both when the smaller side holds at least
//    Options::bothMinorityShare of the edge's TIME_WAIT (a race that real proxies lose both
//    ways), else the larger side.
// 6. Rate: RateBasis::TimeWaitSteadyState — TopologyEdge::timeWaitConnections divided by
//    Options::timeWaitSeconds.
//
// Nodes: the host, every running container's node (even without connections: an idle service
// is worth seeing), and any node an edge touches.
//
// Peer cap (Options::maxPeersPerRole): a host can have thousands of distinct peers (clients
// from all over the internet; loopback TIME_WAITs whose listener is gone, each naming another
// ephemeral "port" of the host), and a graph of a thousand nodes is unreadable. Peers are the
// nodes that stand for an address or a port rather than for something the host runs: external
// peers, network peers, the host's ports and unexplained namespaces. Those that only call are
// callers, those that are only called are services (a peer that does both is kept: it relays).
// When a host has more peers in one role than the cap, the busiest cap − 1 stay and the rest
// fold into one "N other peers" node of that role, whose edges sum every count of the edges
// they replace (connections, states, both ends, TIME_WAIT by end, ports, sockets), so totals
// stay exact; its closer and rate are worked out again from the sums.
class TopologyBuilder final
{
public:
    struct Options
    {
        double timeWaitSeconds = 60;     // Linux TCP_TIMEWAIT_LEN; not tunable by sysctl
        double bothMinorityShare = 0.10; // the smaller side's share of TIME_WAIT for "both"
        // Peers kept per host and role, the fold node included; 0: no cap. The graph view sets
        // it (DefaultPeerCap); the diagnosis and the reports see every peer.
        int maxPeersPerRole = 0;
    };
    // What the graph view draws. Each role's peers stand in one column of the graph, each with
    // its edge label beside it: 40 of them fitted into the Topology dock (620 × 700) drew
    // 3-pixel text, 12 a role with both roles (stacked) 5.6-pixel text; 10 keep the titles
    // legible without zooming.
    static constexpr int DefaultPeerCap = 10;

    TopologyBuilder();
    explicit TopologyBuilder(Options options);
    ~TopologyBuilder();
    Q_DISABLE_COPY_MOVE(TopologyBuilder)

    // Adds one host (its id is the snapshot's hostId). Hosts never share nodes: every id starts
    // with its host's. `hostLabel` is what the host's own nodes are called ("web01", "This
    // workstation"); empty: the host id, which may be an opaque key.
    void addHost(const Attribution &attribution, const QString &hostLabel = {});
    // The topology of every host added, nodes and edges sorted by id; the builder is then empty.
    Topology take();

    struct State; // Opaque: the nodes and edges gathered so far.

private:
    std::unique_ptr<State> m_state;
    Options m_options;
};

// One host in one call.
Topology buildTopology(const Attribution &attribution,
                       TopologyBuilder::Options options = TopologyBuilder::Options(),
                       const QString &hostLabel = {});

} // namespace twbench
