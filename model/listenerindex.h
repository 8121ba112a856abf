#pragma once

#include "snapshot.h"

#include <QHash>
#include <QString>

#include <bitset>
#include <cstdint>
#include <vector>

namespace twbench {

// Which end of its connections a socket is on, judged from its own namespace's listeners. Who
// holds TIME_WAIT closed first, so this is the column that says who closes.
enum class SocketSide : std::uint8_t {
    Listener, // the LISTEN socket itself
    Server,   // the local endpoint is served by a listener: a peer connected to us
    Client,   // the local port is ephemeral: we connected out
};

QString socketSideName(SocketSide side); // translated: "listening", "server", "client"

// "Is this local endpoint served by a listener?", per network namespace: a port that listens
// inside a container says nothing about the host's port of the same number (Snapshot's own
// listening set mixes every namespace of the table). The wildcard rules are listenerServes().
// The one index the grouper and the attribution share.
class ListenerIndex final
{
public:
    ListenerIndex() = default;
    // `hostNetns`: the host's namespace inode as the probe reported it. Sockets in it and
    // sockets with netns 0 (a source that does not say) are one namespace, queried as either.
    explicit ListenerIndex(const Snapshot &snapshot, std::uint64_t hostNetns = 0);

    bool isListening(std::uint64_t netns, const Endpoint &local) const;
    SocketSide sideOf(const Socket &socket) const
    {
        if (socket.state == TcpState::Listen)
            return SocketSide::Listener;
        return isListening(socket.netns, socket.local) ? SocketSide::Server : SocketSide::Client;
    }
    // Listening ports of a namespace (sorted, unique).
    std::vector<std::uint16_t> ports(std::uint64_t netns) const;

private:
    std::uint64_t canonical(std::uint64_t netns) const { return netns == m_hostNetns ? 0 : netns; }

    std::uint64_t m_hostNetns = 0;
    QHash<std::uint64_t, std::vector<Endpoint>> m_listening; // sorted, per canonical namespace
    std::bitset<65536> m_ports; // ports some listener uses: most client sockets stop here
};

} // namespace twbench
