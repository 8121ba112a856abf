#include "listenerindex.h"

#include <QCoreApplication>

#include <algorithm>

namespace twbench {

QString socketSideName(SocketSide side)
{
    switch (side) {
    case SocketSide::Listener:
        return QCoreApplication::translate("twbench::SocketGrouper", "listening");
    case SocketSide::Server:
        return QCoreApplication::translate("twbench::SocketGrouper", "server");
    case SocketSide::Client:
        return QCoreApplication::translate("twbench::SocketGrouper", "client");
    }
    return {};
}

ListenerIndex::ListenerIndex(const Snapshot &snapshot, std::uint64_t hostNetns)
    : m_hostNetns(hostNetns)
{
    for (const Socket &socket : snapshot.sockets) {
        if (socket.state != TcpState::Listen)
            continue;
        m_listening[canonical(socket.netns)].push_back(socket.local);
        m_ports.set(socket.local.port);
    }
    for (std::vector<Endpoint> &endpoints : m_listening) {
        std::sort(endpoints.begin(), endpoints.end());
        endpoints.erase(std::unique(endpoints.begin(), endpoints.end()), endpoints.end());
    }
}

bool ListenerIndex::isListening(std::uint64_t netns, const Endpoint &local) const
{
    if (!m_ports.test(local.port))
        return false;
    const auto it = m_listening.constFind(canonical(netns));
    return it != m_listening.constEnd() && listenerServes(*it, local);
}

std::vector<std::uint16_t> ListenerIndex::ports(std::uint64_t netns) const
{
    std::vector<std::uint16_t> result;
    for (const Endpoint &endpoint : m_listening.value(canonical(netns)))
        result.push_back(endpoint.port);
    std::sort(result.begin(), result.end());
    result.erase(std::unique(result.begin(), result.end()), result.end());
    return result;
}

} // namespace twbench
