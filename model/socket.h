#pragma once

#include "endpoint.h"
#include "tcpstate.h"

#include <QHash>
#include <QString>

#include <cstdint>

namespace twbench {

// One TCP socket as the kernel lists it. Fields a source does not give stay at their "unknown"
// value: /proc/net/tcp gives uid and inode, `ss -tan` and netstat give neither; `ss -tanp` (as
// root) gives the owning process.
struct Socket
{
    Endpoint local;
    Endpoint remote;
    TcpState state = TcpState::Unknown;
    std::uint32_t receiveQueue = 0;
    std::uint32_t sendQueue = 0;
    std::uint32_t pid = 0;   // the first process holding it (ss -p); 0: unknown. Its name is in
                             // Snapshot::processNames, once per pid.
    std::int64_t uid = -1;   // -1: unknown
    std::uint64_t inode = 0; // 0: unknown (and always 0 for TIME_WAIT in /proc)
    std::uint64_t netns = 0; // network namespace inode; 0: the host's own / unknown

    // The identity of a connection within one namespace: its 4-tuple.
    bool sameConnection(const Socket &other) const
    {
        return local == other.local && remote == other.remote && netns == other.netns;
    }
};

// Process names by pid, as `ss -p` gives them: one string per process, not per socket.
using ProcessNames = QHash<std::uint32_t, QString>;

struct SocketKey
{
    Endpoint local;
    Endpoint remote;
    std::uint64_t netns = 0;

    static SocketKey of(const Socket &socket)
    {
        return {socket.local, socket.remote, socket.netns};
    }
    friend bool operator==(const SocketKey &, const SocketKey &) = default;
    friend auto operator<=>(const SocketKey &, const SocketKey &) = default;
};

inline size_t qHash(const SocketKey &key, size_t seed = 0) noexcept
{
    return qHashMulti(seed, key.local, key.remote, key.netns);
}

} // namespace twbench
