#include "attribution.h"

#include <QCoreApplication>

#include <algorithm>

namespace twbench {

NamespaceMap NamespaceMap::fromContainerNamespaces(const std::vector<ContainerNamespace> &entries,
                                                   std::uint64_t hostNetns)
{
    NamespaceMap map;
    map.hostNetns = hostNetns;
    for (const ContainerNamespace &entry : entries)
        map.containerNetns.insert(entry.containerId, entry.netns);
    return map;
}

Attribution::Attribution(const Snapshot &snapshot, const DockerInventory &inventory,
                         NamespaceMap namespaces)
    : m_snapshot(snapshot)
    , m_inventory(inventory)
    , m_namespaces(std::move(namespaces))
    , m_listeners(snapshot, m_namespaces.hostNetns)
{
    const int count = int(inventory.containers.size());
    m_netnsByContainer.assign(std::size_t(count), 0);
    for (int i = 0; i < count; ++i) {
        const Container &container = inventory.containers[std::size_t(i)];
        const std::uint64_t netns = m_namespaces.containerNetns.value(container.id, 0);
        // A host-mode container shares the host's namespace: its sockets are the host's.
        if (netns != 0 && canonicalNetns(netns) != 0) {
            m_netnsByContainer[std::size_t(i)] = netns;
            const auto existing = m_containerByNetns.constFind(netns);
            // Several containers in one namespace (--network container:<id>, pods): the one
            // that owns the namespace is the one not borrowing another's.
            const auto borrows = [](const Container &c) {
                return c.networkMode.startsWith(QLatin1String("container:"));
            };
            if (existing == m_containerByNetns.cend() ||
                (borrows(inventory.containers[std::size_t(*existing)]) && !borrows(container)))
                m_containerByNetns.insert(netns, i);
        }
        for (const ContainerNetwork &network : container.networks) {
            for (const auto &address : {network.ipAddress, network.ipv6Address}) {
                // A running container wins an address a stopped one still lists.
                if (address && (!m_containerByAddress.contains(*address) || container.running))
                    m_containerByAddress.insert(*address, i);
            }
            for (const auto &gateway : {network.gateway, network.ipv6Gateway}) {
                if (gateway && !m_gatewayNetwork.contains(*gateway))
                    m_gatewayNetwork.insert(*gateway, network.name);
            }
        }
        if (container.running) {
            for (const ContainerPort &port : container.ports) {
                if (port.protocol != QLatin1String("tcp"))
                    continue;
                for (const PortBinding &binding : port.bindings)
                    m_containerByPublishedPort.insert(binding.hostPort, i);
            }
        }
    }
    // The networks' own IPAM gateways: those of networks no container is on are gateways too.
    for (const DockerNetwork &network : inventory.networks) {
        for (const IpAddress &gateway : network.gateways) {
            if (!m_gatewayNetwork.contains(gateway))
                m_gatewayNetwork.insert(gateway, network.name);
        }
    }
}

bool Attribution::isObserved(std::uint64_t netns) const
{
    const std::uint64_t canonical = canonicalNetns(netns);
    if (canonical == 0)
        return true;
    return m_containerByNetns.contains(canonical) && !m_namespaces.unreadable.contains(canonical);
}

int Attribution::containerOfNamespace(std::uint64_t netns) const
{
    return m_containerByNetns.value(canonicalNetns(netns), -1);
}

int Attribution::containerOfAddress(const IpAddress &address) const
{
    return m_containerByAddress.value(address, -1);
}

QString Attribution::gatewayNetwork(const IpAddress &address) const
{
    return m_gatewayNetwork.value(address);
}

std::uint64_t Attribution::netnsOfContainer(int container) const
{
    if (container < 0 || std::size_t(container) >= m_netnsByContainer.size())
        return 0;
    return m_netnsByContainer[std::size_t(container)];
}

int Attribution::containerPublishing(std::uint16_t hostPort) const
{
    return m_containerByPublishedPort.value(hostPort, -1);
}

const QSet<IpAddress> &Attribution::hostAddresses() const
{
    // Worked out on first use: the connection table asks only for sides and local owners, and
    // this pass over every socket is then never paid on the GUI thread.
    if (!m_hostAddresses) {
        QSet<IpAddress> addresses;
        for (const Socket &socket : m_snapshot.sockets) {
            if (isHostNamespace(socket.netns) && !socket.local.address.isUnspecified())
                addresses.insert(socket.local.address);
        }
        addresses.insert(*IpAddress::parse("127.0.0.1"));
        addresses.insert(*IpAddress::parse("::1"));
        m_hostAddresses = std::move(addresses);
    }
    return *m_hostAddresses;
}

bool Attribution::isHostAddress(const IpAddress &address) const
{
    return address.isLoopback() || hostAddresses().contains(address);
}

EndpointOwner Attribution::ownerOfNamespace(std::uint64_t netns) const
{
    if (isHostNamespace(netns))
        return {OwnerKind::Host, -1, {}, 0, 0, {}};
    const int container = containerOfNamespace(netns);
    if (container >= 0)
        return {OwnerKind::Container, container, {}, 0, 0, {}};
    return {OwnerKind::Unknown, -1, {}, netns, 0, {}};
}

EndpointOwner Attribution::ownerOfLocal(const Socket &socket) const
{
    // In the host's namespace, a socket bound to an address the inventory gives a container
    // is that container's (see ownerOfAddress).
    if (isHostNamespace(socket.netns)) {
        const int container = containerOfAddress(socket.local.address);
        if (container >= 0 && netnsOfContainer(container) == 0)
            return {OwnerKind::Container, container, {}, 0, 0, {}};
    }
    // ss -p is read in the host's namespace only: a container's pid would be a host pid anyway.
    if (socket.pid != 0 && isHostNamespace(socket.netns)) {
        const auto it = m_snapshot.processNames.constFind(socket.pid);
        if (it != m_snapshot.processNames.cend())
            return {OwnerKind::HostProcess, -1, {}, 0, socket.pid, *it};
    }
    return ownerOfNamespace(socket.netns);
}

EndpointOwner Attribution::ownerOfAddress(const IpAddress &address,
                                          std::uint64_t seenFromNetns) const
{
    // What the inventory names comes first: docker never hands out a loopback address, so for
    // real containers the order does not matter, but a runtime that puts containers on
    // 127.x.y.z addresses of the host's namespace (and the lab that stands in for one) means
    // those containers, not the host.
    const auto gateway = m_gatewayNetwork.constFind(address);
    if (gateway != m_gatewayNetwork.cend())
        return {OwnerKind::Gateway, -1, *gateway, 0, 0, {}};
    const int container = containerOfAddress(address);
    if (container >= 0)
        return {OwnerKind::Container, container, {}, 0, 0, {}};
    // A namespace's loopback never leaves it.
    if (address.isLoopback())
        return ownerOfNamespace(seenFromNetns);
    if (hostAddresses().contains(address))
        return {OwnerKind::Host, -1, {}, 0, 0, {}};
    for (const DockerNetwork &network : m_inventory.networks) {
        for (const IpSubnet &subnet : network.subnets) {
            if (subnet.contains(address))
                return {OwnerKind::NetworkPeer, -1, network.name, 0, 0, {}};
        }
    }
    return {OwnerKind::External, -1, {}, 0, 0, {}};
}

QString Attribution::describe(const EndpointOwner &owner, const IpAddress &address) const
{
    switch (owner.kind) {
    case OwnerKind::Unknown:
        return QCoreApplication::translate("twbench::Attribution", "network namespace %1")
            .arg(owner.netns);
    case OwnerKind::Host:
        return QCoreApplication::translate("twbench::Attribution", "this host");
    case OwnerKind::HostProcess:
        return QCoreApplication::translate("twbench::Attribution", "process %1 (%2)")
            .arg(safeDisplayText(owner.processName, 40))
            .arg(owner.pid);
    case OwnerKind::Container: {
        const Container &container = m_inventory.containers[std::size_t(owner.container)];
        return QCoreApplication::translate("twbench::Attribution", "container %1")
            .arg(safeDisplayText(container.name));
    }
    case OwnerKind::Gateway:
        return QCoreApplication::translate("twbench::Attribution",
                                           "containers on this host via the %1 gateway")
            .arg(safeDisplayText(owner.network));
    case OwnerKind::NetworkPeer:
        return QCoreApplication::translate("twbench::Attribution",
                                           "%1 on docker network %2 (no known container)")
            .arg(address.toString(), safeDisplayText(owner.network));
    case OwnerKind::External:
        return QCoreApplication::translate("twbench::Attribution", "external peer %1")
            .arg(address.toString());
    }
    return {};
}

} // namespace twbench
