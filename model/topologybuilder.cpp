#include "topologybuilder.h"

#include <QCoreApplication>
#include <QMultiHash>

#include <algorithm>
#include <map>
#include <numeric>
#include <span>

namespace twbench {

namespace {

// Texts of free functions carry their context through this class: lupdate reads
// TopologyText::tr("…") calls, where a free tr() wrapper would hide the texts from it.
struct TopologyText
{
    Q_DECLARE_TR_FUNCTIONS(twbench::Topology)
};

void insertSorted(std::vector<std::uint16_t> &ports, std::uint16_t port)
{
    const auto it = std::lower_bound(ports.begin(), ports.end(), port);
    if (it == ports.end() || *it != port)
        ports.insert(it, port);
}

template<typename T>
void appendUnique(QList<T> &list, const T &value)
{
    if (!list.contains(value))
        list.append(value);
}

// A connection's 4-tuple without its namespace: what the two ends share, reversed.
struct Tuple
{
    Endpoint local;
    Endpoint remote;
    friend bool operator==(const Tuple &, const Tuple &) = default;
};

size_t qHash(const Tuple &tuple, size_t seed = 0) noexcept
{
    return qHashMulti(seed, tuple.local, tuple.remote);
}

} // namespace

struct TopologyBuilder::State
{
    std::vector<TopologyNode> nodes;
    QHash<QString, int> nodeById;
    std::vector<TopologyEdge> edges;
    QHash<std::uint64_t, int> edgeByPair; // (from << 32) | to, node indices of `nodes`
};

namespace {

// The work of one addHost(): node lookups cached per kind so the per-socket loop hashes small
// keys, not strings.
class HostPass final
{
public:
    using State = TopologyBuilder::State;

    HostPass(State &state, const Attribution &attribution, const QString &hostLabel)
        : m_state(state)
        , m_attribution(attribution)
        , m_hostId(attribution.snapshot().hostId)
        , m_hostLabel(hostLabel)
        , m_containerNodes(attribution.inventory().containers.size(), -1)
    {}

    void run()
    {
        hostNode();
        const auto &containers = m_attribution.inventory().containers;
        for (std::size_t i = 0; i < containers.size(); ++i) {
            if (containers[i].running)
                containerNode(int(i));
        }

        const std::vector<Socket> &sockets = m_attribution.snapshot().sockets;
        QMultiHash<Tuple, int> byTuple;
        byTuple.reserve(qsizetype(sockets.size()));
        for (std::size_t i = 0; i < sockets.size(); ++i) {
            if (sockets[i].state != TcpState::Listen)
                byTuple.insert({sockets[i].local, sockets[i].remote}, int(i));
        }

        std::vector<bool> done(sockets.size(), false);
        for (std::size_t i = 0; i < sockets.size(); ++i) {
            const Socket &socket = sockets[i];
            if (socket.state == TcpState::Listen || done[i])
                continue;
            done[i] = true;
            const EndpointOwner remoteOwner = m_attribution.ownerOfRemote(socket);
            const int peer = findPeer(byTuple, sockets, done, int(i), remoteOwner);
            const Socket *other = nullptr;
            if (peer >= 0) {
                done[std::size_t(peer)] = true;
                other = &sockets[std::size_t(peer)];
            }
            addConnection(socket, remoteOwner, other);
        }
    }

private:
    int findPeer(const QMultiHash<Tuple, int> &byTuple, const std::vector<Socket> &sockets,
                 const std::vector<bool> &done, int index, const EndpointOwner &remoteOwner) const
    {
        const Socket &socket = sockets[std::size_t(index)];
        std::uint64_t expected = 0;
        if (socket.remote.address.isLoopback()) {
            expected = m_attribution.canonicalNetns(socket.netns);
        } else if (remoteOwner.kind == OwnerKind::Container) {
            // 0 when its namespace is unknown or the host's: its sockets, if the probe read
            // them, are then in the host's table.
            expected =
                m_attribution.canonicalNetns(m_attribution.netnsOfContainer(remoteOwner.container));
        } else if (remoteOwner.kind != OwnerKind::Host && remoteOwner.kind != OwnerKind::Gateway) {
            return -1; // the other end is on no namespace the probe reads
        }
        const Tuple reversed{socket.remote, socket.local};
        for (auto it = byTuple.constFind(reversed); it != byTuple.cend() && it.key() == reversed;
             ++it) {
            const int candidate = it.value();
            if (candidate == index || done[std::size_t(candidate)])
                continue;
            if (m_attribution.canonicalNetns(sockets[std::size_t(candidate)].netns) == expected)
                return candidate;
        }
        return -1;
    }

    void addConnection(const Socket &socket, const EndpointOwner &remoteOwner, const Socket *other)
    {
        bool socketIsServer = false;
        if (other) {
            const bool selfServes = m_attribution.sideOf(socket) == SocketSide::Server;
            const bool otherServes = m_attribution.sideOf(*other) == SocketSide::Server;
            socketIsServer =
                selfServes != otherServes ? selfServes : socket.local.port <= other->local.port;
        } else {
            socketIsServer = m_attribution.sideOf(socket) == SocketSide::Server;
        }
        const Socket *server = socketIsServer ? &socket : other;
        const Socket *client = socketIsServer ? other : &socket;

        int callerNode = -1;
        bool clientObserved = true;
        if (client) {
            callerNode = callerOfLocal(*client);
        } else {
            // Only the server end: the caller is whoever owns its remote address.
            callerNode = nodeOfOwner(remoteOwner, server->remote.address);
            clientObserved = ownerObserved(remoteOwner, server->remote.port, false);
        }

        int serviceNode = -1;
        bool serverObserved = true;
        std::uint16_t servicePort = 0;
        if (server) {
            servicePort = server->local.port;
            const EndpointOwner owner = m_attribution.ownerOfLocal(*server);
            serviceNode = owner.kind == OwnerKind::Host || owner.kind == OwnerKind::HostProcess
                              ? hostPortNode(servicePort)
                              : nodeOfOwner(owner, {});
        } else {
            servicePort = client->remote.port;
            serviceNode = serviceOfOwner(remoteOwner, client->remote);
            serverObserved = ownerObserved(remoteOwner, servicePort, true);
        }

        TopologyEdge &edge = edgeOf(callerNode, serviceNode);
        ++edge.connections;
        edge.sockets.push_back(SocketKey::of(socket));
        if (other)
            edge.sockets.push_back(SocketKey::of(*other));
        if (server && client)
            ++edge.bothEndsSeen;
        if (serverObserved)
            ++edge.serverEndsObserved;
        if (clientObserved)
            ++edge.clientEndsObserved;
        insertSorted(edge.servicePorts, servicePort);
        bool timeWait = false;
        if (server) {
            ++edge.serverEnd[stateIndex(server->state)];
            if (server->state == TcpState::TimeWait) {
                ++edge.timeWaitServer;
                timeWait = true;
            }
        }
        if (client) {
            ++edge.clientEnd[stateIndex(client->state)];
            if (client->state == TcpState::TimeWait) {
                ++edge.timeWaitClient;
                timeWait = true;
            }
        }
        if (timeWait)
            ++edge.timeWaitConnections;
        const TcpState state =
            timeWait ? TcpState::TimeWait : (client ? client->state : server->state);
        ++edge.counts[stateIndex(state)];
    }

    // Was the namespace behind this owner read, so that what is missing there is really absent?
    bool ownerObserved(const EndpointOwner &owner, std::uint16_t port, bool asService) const
    {
        switch (owner.kind) {
        case OwnerKind::Container: {
            const std::uint64_t netns = m_attribution.netnsOfContainer(owner.container);
            return netns != 0 && m_attribution.isObserved(netns);
        }
        case OwnerKind::Host:
        case OwnerKind::Gateway:
            if (asService) {
                const int publisher = m_attribution.containerPublishing(port);
                if (publisher >= 0) {
                    const std::uint64_t netns = m_attribution.netnsOfContainer(publisher);
                    return netns != 0 && m_attribution.isObserved(netns);
                }
                return true; // the host's namespace is always read
            }
            // A gateway as caller stands for whatever is behind the NAT: not readable.
            return owner.kind == OwnerKind::Host;
        case OwnerKind::HostProcess:
            return true; // a socket of the host's namespace, which is always read
        case OwnerKind::Unknown:
        case OwnerKind::NetworkPeer:
        case OwnerKind::External:
            return false;
        }
        return false;
    }

    int callerOfLocal(const Socket &client)
    {
        if (m_attribution.isHostNamespace(client.netns)) {
            const QString network = m_attribution.gatewayNetwork(client.local.address);
            if (!network.isEmpty())
                return gatewayNode(network, client.local.address);
        }
        return nodeOfOwner(m_attribution.ownerOfLocal(client), client.local.address);
    }

    int serviceOfOwner(const EndpointOwner &owner, const Endpoint &remote)
    {
        switch (owner.kind) {
        case OwnerKind::Host:
        case OwnerKind::HostProcess:
        case OwnerKind::Gateway:
            // A host address, or the gateway (the host's side of a bridge): a port of the host.
            return hostPortNode(remote.port);
        case OwnerKind::Container:
        case OwnerKind::Unknown:
        case OwnerKind::NetworkPeer:
        case OwnerKind::External:
            return nodeOfOwner(owner, remote.address);
        }
        return hostNode();
    }

    int nodeOfOwner(const EndpointOwner &owner, const IpAddress &address)
    {
        switch (owner.kind) {
        case OwnerKind::Host:
        case OwnerKind::HostProcess: // callers of the host stay one node: the host
            return hostNode();
        case OwnerKind::Container:
            return containerNode(owner.container);
        case OwnerKind::Gateway:
            return gatewayNode(owner.network, address);
        case OwnerKind::NetworkPeer:
            return addressNode(m_peerNodes, NodeKind::NetworkPeer, address, owner.network);
        case OwnerKind::External:
            return addressNode(m_externalNodes, NodeKind::External, address, {});
        case OwnerKind::Unknown:
            return netnsNode(owner.netns);
        }
        return hostNode();
    }

    TopologyEdge &edgeOf(int from, int to)
    {
        const std::uint64_t key = (std::uint64_t(std::uint32_t(from)) << 32) | std::uint32_t(to);
        auto it = m_state.edgeByPair.constFind(key);
        if (it == m_state.edgeByPair.cend()) {
            TopologyEdge edge;
            edge.from = from;
            edge.to = to;
            m_state.edges.push_back(std::move(edge));
            it = m_state.edgeByPair.insert(key, int(m_state.edges.size() - 1));
        }
        return m_state.edges[std::size_t(*it)];
    }

    // Finds or makes the node with this id; `made` tells the caller to fill it in.
    int nodeWithId(const QString &id, NodeKind kind, bool &made)
    {
        const auto it = m_state.nodeById.constFind(id);
        made = it == m_state.nodeById.cend();
        if (!made)
            return *it;
        TopologyNode node;
        node.id = id;
        node.hostId = m_hostId;
        node.kind = kind;
        m_state.nodes.push_back(std::move(node));
        const int index = int(m_state.nodes.size() - 1);
        m_state.nodeById.insert(id, index);
        return index;
    }

    TopologyNode &at(int index) { return m_state.nodes[std::size_t(index)]; }

    QString hostLabel() const
    {
        if (!m_hostLabel.isEmpty())
            return safeDisplayText(m_hostLabel);
        return m_hostId.isEmpty() ? TopologyText::tr("this host") : safeDisplayText(m_hostId);
    }

    int hostNode()
    {
        if (m_hostNode < 0) {
            bool made = false;
            m_hostNode = nodeWithId(topologyid::host(m_hostId), NodeKind::Host, made);
            if (made)
                at(m_hostNode).label = hostLabel();
        }
        return m_hostNode;
    }

    // A port of the host: the container that publishes it, else the host's own service.
    int hostPortNode(std::uint16_t port)
    {
        const int publisher = m_attribution.containerPublishing(port);
        if (publisher >= 0)
            return containerNode(publisher);
        const auto it = m_portNodes.constFind(port);
        if (it != m_portNodes.cend())
            return *it;
        bool made = false;
        const int index =
            nodeWithId(topologyid::hostService(m_hostId, port), NodeKind::HostService, made);
        if (made) {
            const QString process = listenerProcess(port);
            at(index).label =
                process.isEmpty()
                    ? QCoreApplication::translate("twbench::Topology", "%1 port %2")
                          .arg(hostLabel())
                          .arg(port)
                    : QCoreApplication::translate("twbench::Topology", "%1 port %2 · %3",
                                                  "host name, port, the listening process")
                          .arg(hostLabel())
                          .arg(port)
                          .arg(safeDisplayText(process, 40));
            at(index).servicePorts = {port};
        }
        m_portNodes.insert(port, index);
        return index;
    }

    // The name of the host process listening on `port` in the host's namespace (ss -p as
    // root); empty when unknown. The TIME_WAIT ends of a port have no process: the listener's
    // names the service.
    QString listenerProcess(std::uint16_t port)
    {
        if (!m_listenerProcessesBuilt) {
            m_listenerProcessesBuilt = true;
            for (const Socket &socket : m_attribution.snapshot().sockets) {
                if (socket.state != TcpState::Listen || socket.pid == 0 ||
                    !m_attribution.isHostNamespace(socket.netns) ||
                    m_listenerProcesses.contains(socket.local.port))
                    continue;
                const QString name = m_attribution.processName(socket.pid);
                if (!name.isEmpty())
                    m_listenerProcesses.insert(socket.local.port, name);
            }
        }
        return m_listenerProcesses.value(port);
    }

    int containerNode(int container)
    {
        if (container < 0 || std::size_t(container) >= m_containerNodes.size())
            return hostNode();
        int &cached = m_containerNodes[std::size_t(container)];
        if (cached >= 0)
            return cached;
        const Container &c = m_attribution.inventory().containers[std::size_t(container)];
        const bool compose = !c.composeProject.isEmpty() && !c.composeService.isEmpty();
        bool made = false;
        const QString name = c.name.isEmpty() ? c.id : c.name;
        cached = compose
                     ? nodeWithId(
                           topologyid::composeService(m_hostId, c.composeProject, c.composeService),
                           NodeKind::ComposeService, made)
                     : nodeWithId(topologyid::container(m_hostId, name), NodeKind::Container, made);
        TopologyNode &node = at(cached);
        if (made) {
            node.composeProject = c.composeProject;
            node.composeService = c.composeService;
            node.label = compose ? safeDisplayText(c.composeProject, 40) + u'/' +
                                       safeDisplayText(c.composeService, 40)
                                 : safeDisplayText(name);
        }
        node.containerIds.append(c.id);
        node.containerNames.append(c.name);
        for (const IpAddress &address : c.addresses())
            appendUnique(node.addresses, address);
        const std::uint64_t netns = m_attribution.netnsOfContainer(container);
        if (netns != 0 && m_attribution.isObserved(netns)) {
            for (std::uint16_t port :
                 m_attribution.listeners().ports(m_attribution.canonicalNetns(netns)))
                insertSorted(node.servicePorts, port);
        } else {
            for (const ContainerPort &port : c.ports) {
                if (port.protocol == QLatin1String("tcp"))
                    insertSorted(node.servicePorts, port.port);
            }
        }
        return cached;
    }

    int gatewayNode(const QString &network, const IpAddress &address)
    {
        auto it = m_gatewayNodes.constFind(network);
        int index = -1;
        if (it != m_gatewayNodes.cend()) {
            index = *it;
        } else {
            bool made = false;
            index = nodeWithId(topologyid::gateway(m_hostId, network), NodeKind::Gateway, made);
            if (made) {
                at(index).network = network;
                at(index).label =
                    QCoreApplication::translate("twbench::Topology",
                                                "containers on this host via the %1 gateway")
                        .arg(safeDisplayText(network, 40));
            }
            m_gatewayNodes.insert(network, index);
        }
        if (!address.isUnspecified())
            appendUnique(at(index).addresses, address);
        return index;
    }

    int addressNode(QHash<IpAddress, int> &cache, NodeKind kind, const IpAddress &address,
                    const QString &network)
    {
        const auto it = cache.constFind(address);
        if (it != cache.cend())
            return *it;
        bool made = false;
        const QString id = kind == NodeKind::External ? topologyid::external(m_hostId, address)
                                                      : topologyid::networkPeer(m_hostId, address);
        const int index = nodeWithId(id, kind, made);
        if (made) {
            TopologyNode &node = at(index);
            node.addresses = {address};
            node.network = network;
            node.label = kind == NodeKind::External
                             ? address.toString()
                             : QCoreApplication::translate("twbench::Topology", "%1 on %2")
                                   .arg(address.toString(), safeDisplayText(network, 40));
        }
        cache.insert(address, index);
        return index;
    }

    int netnsNode(std::uint64_t inode)
    {
        const auto it = m_netnsNodes.constFind(inode);
        if (it != m_netnsNodes.cend())
            return *it;
        bool made = false;
        const int index = nodeWithId(topologyid::netns(m_hostId, inode), NodeKind::Namespace, made);
        if (made) {
            at(index).netns = inode;
            at(index).label =
                QCoreApplication::translate("twbench::Topology", "network namespace %1").arg(inode);
        }
        m_netnsNodes.insert(inode, index);
        return index;
    }

    State &m_state;                   // Not owned: the builder's.
    const Attribution &m_attribution; // Not owned.
    QString m_hostId;
    QString m_hostLabel; // what the host's own nodes are called; empty: the id
    int m_hostNode = -1;
    std::vector<int> m_containerNodes; // container index → node index
    QHash<std::uint16_t, int> m_portNodes;
    QHash<std::uint16_t, QString> m_listenerProcesses; // host port → listener's process name
    bool m_listenerProcessesBuilt = false;
    QHash<QString, int> m_gatewayNodes;
    QHash<IpAddress, int> m_externalNodes;
    QHash<IpAddress, int> m_peerNodes;
    QHash<std::uint64_t, int> m_netnsNodes;
};

void finishEdge(TopologyEdge &edge, const TopologyBuilder::Options &options)
{
    const std::uint32_t timeWait = edge.timeWaitServer + edge.timeWaitClient;
    if (timeWait == 0) {
        edge.closer = Closer::Unknown;
    } else {
        const std::uint32_t minority = std::min(edge.timeWaitServer, edge.timeWaitClient);
        if (minority > 0 && double(minority) >= options.bothMinorityShare * double(timeWait))
            edge.closer = Closer::Both;
        else
            edge.closer =
                edge.timeWaitServer > edge.timeWaitClient ? Closer::Server : Closer::Client;
    }
    if (edge.timeWaitConnections > 0 && options.timeWaitSeconds > 0) {
        edge.newConnectionsPerSecond = double(edge.timeWaitConnections) / options.timeWaitSeconds;
        edge.rateBasis = RateBasis::TimeWaitSteadyState;
    } else {
        edge.newConnectionsPerSecond.reset();
        edge.rateBasis = RateBasis::None;
    }
}

bool isPeerKind(NodeKind kind)
{
    switch (kind) {
    case NodeKind::HostService:
    case NodeKind::External:
    case NodeKind::NetworkPeer:
    case NodeKind::Namespace:
        return true;
    case NodeKind::Host:
    case NodeKind::ComposeService:
    case NodeKind::Container:
    case NodeKind::Gateway:
        return false;
    }
    return false;
}

void addCounts(StateCounts &into, const StateCounts &from)
{
    for (std::size_t i = 0; i < into.size(); ++i)
        into[i] += from[i];
}

// Adds the counts of `from` (an edge being folded away) to `into`; closer and rate are worked
// out again by finishEdge() from the sums.
void mergeEdge(TopologyEdge &into, const TopologyEdge &from)
{
    addCounts(into.counts, from.counts);
    addCounts(into.serverEnd, from.serverEnd);
    addCounts(into.clientEnd, from.clientEnd);
    into.connections += from.connections;
    into.bothEndsSeen += from.bothEndsSeen;
    into.serverEndsObserved += from.serverEndsObserved;
    into.clientEndsObserved += from.clientEndsObserved;
    into.timeWaitServer += from.timeWaitServer;
    into.timeWaitClient += from.timeWaitClient;
    into.timeWaitConnections += from.timeWaitConnections;
    for (const std::uint16_t port : from.servicePorts)
        insertSorted(into.servicePorts, port);
    into.sockets.insert(into.sockets.end(), from.sockets.begin(), from.sockets.end());
}

// The peer cap of TopologyBuilder (see its comment), on the nodes and edges gathered so far
// (edges by node index, before take() sorts and names them).
void foldMinorPeers(TopologyBuilder::State &state, int cap)
{
    if (cap < 2)
        return; // 0: no cap; 1 would leave only the fold node, which says nothing
    const std::size_t nodeCount = state.nodes.size();
    struct Use
    {
        bool calls = false;
        bool serves = false;
        std::uint64_t timeWait = 0;
        std::uint64_t connections = 0;
    };
    std::vector<Use> use(nodeCount);
    for (const TopologyEdge &edge : state.edges) {
        for (const int end : {edge.from, edge.to}) {
            use[std::size_t(end)].timeWait += edge.timeWaitConnections;
            use[std::size_t(end)].connections += edge.connections;
        }
        use[std::size_t(edge.from)].calls = true;
        use[std::size_t(edge.to)].serves = true;
    }
    // (host, callers?) → its peers of that role, in node order.
    std::map<std::pair<QString, bool>, std::vector<int>> roles;
    for (std::size_t i = 0; i < nodeCount; ++i) {
        const TopologyNode &node = state.nodes[i];
        if (isPeerKind(node.kind) && use[i].calls != use[i].serves)
            roles[{node.hostId, use[i].calls}].push_back(int(i));
    }

    std::vector<int> representative(nodeCount);
    std::iota(representative.begin(), representative.end(), 0);
    std::vector<TopologyNode> folds;
    for (auto &[role, peers] : roles) {
        if (peers.size() <= std::size_t(cap))
            continue;
        // The busiest first: TIME_WAIT is what the operator came for, then connections; ids
        // make the choice the same for the same table however its sockets were ordered.
        std::sort(peers.begin(), peers.end(), [&](int a, int b) {
            const Use &ua = use[std::size_t(a)];
            const Use &ub = use[std::size_t(b)];
            if (ua.timeWait != ub.timeWait)
                return ua.timeWait > ub.timeWait;
            if (ua.connections != ub.connections)
                return ua.connections > ub.connections;
            return state.nodes[std::size_t(a)].id < state.nodes[std::size_t(b)].id;
        });
        const auto folded = std::span(peers).subspan(std::size_t(cap - 1));
        TopologyNode fold;
        fold.hostId = role.first;
        fold.foldedCallers = role.second;
        fold.id = topologyid::otherPeers(fold.hostId, fold.foldedCallers);
        fold.foldedPeers = int(folded.size());
        std::map<NodeKind, int> kinds;
        for (const int index : folded) {
            const TopologyNode &peer = state.nodes[std::size_t(index)];
            ++kinds[peer.kind];
            if (fold.foldedLabels.size() < 5)
                fold.foldedLabels << peer.label;
            representative[std::size_t(index)] = int(nodeCount + folds.size());
        }
        fold.kind = std::max_element(kinds.begin(), kinds.end(), [](const auto &a, const auto &b) {
                        return a.second < b.second;
                    })->first;
        const bool onlyPorts = kinds.size() == 1 && fold.kind == NodeKind::HostService;
        // Host ports are named after their host ("web01 port 6601"): the fold is, too.
        QString hostName;
        for (const TopologyNode &node : state.nodes) {
            if (node.kind == NodeKind::Host && node.hostId == fold.hostId)
                hostName = node.label;
        }
        fold.label = onlyPorts && !hostName.isEmpty()
                         ? QCoreApplication::translate("twbench::Topology", "%Ln other ports of %1",
                                                       "folded host ports", fold.foldedPeers)
                               .arg(hostName)
                         : QCoreApplication::translate("twbench::Topology", "%Ln other peers",
                                                       "folded peers", fold.foldedPeers);
        folds.push_back(std::move(fold));
    }
    if (folds.empty())
        return;

    // Keep the nodes that are not folded, in order, then the folds; renumber through `kept`.
    std::vector<int> kept(nodeCount + folds.size(), -1);
    std::vector<TopologyNode> nodes;
    nodes.reserve(nodeCount + folds.size());
    for (std::size_t i = 0; i < nodeCount; ++i) {
        if (representative[i] != int(i))
            continue;
        kept[i] = int(nodes.size());
        nodes.push_back(std::move(state.nodes[i]));
    }
    for (std::size_t f = 0; f < folds.size(); ++f) {
        kept[nodeCount + f] = int(nodes.size());
        nodes.push_back(std::move(folds[f]));
    }
    const auto newIndex = [&](int node) {
        return kept[std::size_t(representative[std::size_t(node)])];
    };

    std::vector<TopologyEdge> edges;
    QHash<std::uint64_t, int> byPair;
    for (TopologyEdge &edge : state.edges) {
        const int from = newIndex(edge.from);
        const int to = newIndex(edge.to);
        const std::uint64_t key = (std::uint64_t(std::uint32_t(from)) << 32) | std::uint32_t(to);
        const auto it = byPair.constFind(key);
        if (it != byPair.cend()) {
            mergeEdge(edges[std::size_t(*it)], edge);
            continue;
        }
        edge.from = from;
        edge.to = to;
        byPair.insert(key, int(edges.size()));
        edges.push_back(std::move(edge));
    }

    state.nodes = std::move(nodes);
    state.edges = std::move(edges);
    state.nodeById.clear();
    for (std::size_t i = 0; i < state.nodes.size(); ++i)
        state.nodeById.insert(state.nodes[i].id, int(i));
    state.edgeByPair = std::move(byPair);
}

} // namespace

TopologyBuilder::TopologyBuilder()
    : TopologyBuilder(Options())
{}

TopologyBuilder::TopologyBuilder(Options options)
    : m_state(std::make_unique<State>())
    , m_options(options)
{}

TopologyBuilder::~TopologyBuilder() = default;

void TopologyBuilder::addHost(const Attribution &attribution, const QString &hostLabel)
{
    HostPass(*m_state, attribution, hostLabel).run();
}

Topology TopologyBuilder::take()
{
    State state = std::move(*m_state);
    *m_state = State();
    foldMinorPeers(state, m_options.maxPeersPerRole);

    // Sort nodes by id and renumber the edges' ends.
    std::vector<int> order(state.nodes.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&state](int a, int b) {
        return state.nodes[std::size_t(a)].id < state.nodes[std::size_t(b)].id;
    });
    std::vector<int> newIndex(state.nodes.size());
    Topology topology;
    topology.nodes.reserve(state.nodes.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        newIndex[std::size_t(order[i])] = int(i);
        topology.nodes.push_back(std::move(state.nodes[std::size_t(order[i])]));
    }
    topology.edges = std::move(state.edges);
    for (TopologyEdge &edge : topology.edges) {
        edge.from = newIndex[std::size_t(edge.from)];
        edge.to = newIndex[std::size_t(edge.to)];
        edge.fromId = topology.nodes[std::size_t(edge.from)].id;
        edge.toId = topology.nodes[std::size_t(edge.to)].id;
        edge.id = topologyid::edge(edge.fromId, edge.toId);
        finishEdge(edge, m_options);
    }
    std::sort(topology.edges.begin(), topology.edges.end(),
              [](const TopologyEdge &a, const TopologyEdge &b) { return a.id < b.id; });
    return topology;
}

Topology buildTopology(const Attribution &attribution, TopologyBuilder::Options options,
                       const QString &hostLabel)
{
    TopologyBuilder builder(options);
    builder.addHost(attribution, hostLabel);
    return builder.take();
}

} // namespace twbench
