#pragma once

#include "docker/dockerinventory.h"
#include "listenerindex.h"
#include "snapshot.h"

#include <QHash>
#include <QSet>
#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace twbench {

// Where the sockets of one host came from, as the probe reports it: the host's own network
// namespace and each container's (the inode of /proc/<State.Pid>/ns/net). A socket whose
// Socket::netns is 0 or hostNetns is the host's.
struct NamespaceMap
{
    std::uint64_t hostNetns = 0;
    QHash<QString, std::uint64_t> containerNetns; // container id → netns inode
    // Namespaces the probe knows of but could not read (no root, no sudo -n): their sockets
    // are missing, so what is absent there proves nothing.
    QSet<std::uint64_t> unreadable;

    static NamespaceMap fromContainerNamespaces(const std::vector<ContainerNamespace> &entries,
                                                std::uint64_t hostNetns = 0);
};

enum class OwnerKind : std::uint8_t {
    Unknown,     // a namespace the inventory does not explain
    Host,        // this host's own processes and addresses (loopback included)
    HostProcess, // a named process of this host (its socket's pid, from ss -p as root)
    Container,   // a container, by its namespace or by its address on a docker network
    Gateway,     // a docker network's gateway: containers on this host (or the host) behind NAT
    NetworkPeer, // an address in a docker network's subnet that no known container has
    External,    // anything else: a peer outside this host
};

// Who an endpoint belongs to. Indices point into the inventory the Attribution was built with.
struct EndpointOwner
{
    OwnerKind kind = OwnerKind::Unknown;
    int container = -1;      // Container: index into DockerInventory::containers
    QString network;         // Gateway, NetworkPeer: the docker network's name
    std::uint64_t netns = 0; // Unknown: the namespace that could not be placed
    std::uint32_t pid = 0;   // HostProcess: the process id
    QString processName;     // HostProcess: raw, as ss printed it (remote data)

    friend bool operator==(const EndpointOwner &, const EndpointOwner &) = default;
};

// Answers "who owns this end of this socket?" for one host. Holds references to the snapshot
// and inventory: keep them alive while it is used. Built once per snapshot in O(sockets).
//
// Rules (about TCP and docker's model only):
// - A socket's local end belongs to its namespace: the host's, a container's (through
//   NamespaceMap; the first container mapped to a namespace that is not in another container's
//   network, "container:<id>" mode), or Unknown. A host socket whose pid has a name in
//   Snapshot::processNames (ss -p as root) belongs to that host process.
// - A remote address, seen from a namespace: loopback is that namespace's owner; a docker
//   network gateway is Gateway; an address of a container on a docker network is that
//   container; one of the host's own addresses is Host; an unused address inside a docker
//   subnet is NetworkPeer; anything else External.
// - The host's own addresses: every local address of a host-namespace socket, plus loopback.
class Attribution final
{
public:
    Attribution(const Snapshot &snapshot, const DockerInventory &inventory,
                NamespaceMap namespaces);
    // It keeps references to the table and the inventory: a temporary would dangle.
    Attribution(Snapshot &&, const DockerInventory &, NamespaceMap) = delete;
    Attribution(const Snapshot &, DockerInventory &&, NamespaceMap) = delete;
    Q_DISABLE_COPY_MOVE(Attribution)

    const Snapshot &snapshot() const { return m_snapshot; }
    const DockerInventory &inventory() const { return m_inventory; }
    const NamespaceMap &namespaces() const { return m_namespaces; }

    // 0 for the host's namespace (whether the probe wrote 0 or the host's inode).
    std::uint64_t canonicalNetns(std::uint64_t netns) const
    {
        return netns == m_namespaces.hostNetns ? 0 : netns;
    }
    bool isHostNamespace(std::uint64_t netns) const { return canonicalNetns(netns) == 0; }
    // True when the probe read the namespace: the host's, or a mapped container's that is not
    // unreadable.
    bool isObserved(std::uint64_t netns) const;

    EndpointOwner ownerOfNamespace(std::uint64_t netns) const;
    EndpointOwner ownerOfAddress(const IpAddress &address, std::uint64_t seenFromNetns) const;
    // The namespace's owner, or the host process holding the socket where it is known.
    EndpointOwner ownerOfLocal(const Socket &socket) const;
    // The name of a host process (raw), empty when unknown.
    QString processName(std::uint32_t pid) const
    {
        return pid == 0 ? QString() : m_snapshot.processNames.value(pid);
    }
    EndpointOwner ownerOfRemote(const Socket &socket) const
    {
        return ownerOfAddress(socket.remote.address, socket.netns);
    }

    // The container whose network mode is that of its namespace, -1 if none.
    int containerOfNamespace(std::uint64_t netns) const;
    // The container whose IP on a docker network this is, -1 if none.
    int containerOfAddress(const IpAddress &address) const;
    // The network whose gateway this address is; empty if none.
    QString gatewayNetwork(const IpAddress &address) const;
    // The namespace of a container; 0 when unknown (or host network mode).
    std::uint64_t netnsOfContainer(int container) const;
    // The container that publishes `hostPort` (tcp) on this host, -1 if none.
    int containerPublishing(std::uint16_t hostPort) const;

    bool isHostAddress(const IpAddress &address) const;
    // Every local address of the host's own sockets, and loopback. Computed on first use, so an
    // Attribution is used from one thread at a time (each view builds its own).
    const QSet<IpAddress> &hostAddresses() const;

    bool isListening(std::uint64_t netns, const Endpoint &local) const
    {
        return m_listeners.isListening(netns, local);
    }
    // Listener, Server (local endpoint listens in the socket's own namespace) or Client.
    SocketSide sideOf(const Socket &socket) const
    {
        if (socket.state == TcpState::Listen)
            return SocketSide::Listener;
        return isListening(socket.netns, socket.local) ? SocketSide::Server : SocketSide::Client;
    }
    const ListenerIndex &listeners() const { return m_listeners; }

    // Translated, for a tooltip or a table cell; names pass through safeDisplayText().
    QString describe(const EndpointOwner &owner, const IpAddress &address = {}) const;

private:
    const Snapshot &m_snapshot;         // Not owned.
    const DockerInventory &m_inventory; // Not owned.
    NamespaceMap m_namespaces;
    ListenerIndex m_listeners;
    mutable std::optional<QSet<IpAddress>> m_hostAddresses; // see hostAddresses()
    QHash<std::uint64_t, int> m_containerByNetns;           // canonical netns → container index
    QHash<IpAddress, int> m_containerByAddress;
    QHash<IpAddress, QString> m_gatewayNetwork;
    QHash<std::uint16_t, int> m_containerByPublishedPort;
    std::vector<std::uint64_t> m_netnsByContainer; // index → netns inode (0: unknown)
};

} // namespace twbench
