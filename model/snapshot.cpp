#include "snapshot.h"

#include <algorithm>

namespace twbench {

void Snapshot::finalize()
{
    listening.clear();
    for (const Socket &socket : sockets) {
        if (socket.state == TcpState::Listen)
            listening.push_back(socket.local);
    }
    std::sort(listening.begin(), listening.end());
    listening.erase(std::unique(listening.begin(), listening.end()), listening.end());
}

bool Snapshot::isListeningEndpoint(const Endpoint &local) const
{
    if (std::binary_search(listening.begin(), listening.end(), local))
        return true;
    // A wildcard listener (0.0.0.0:p or [::]:p) serves every local address of the host. A
    // dual-stack [::]:p listener also serves IPv4, so both wildcards are checked for IPv4.
    const Endpoint anyV4{IpAddress::fromV4(0), local.port};
    const Endpoint anyV6{IpAddress::fromV6({}), local.port};
    if (std::binary_search(listening.begin(), listening.end(), anyV6))
        return true;
    return local.address.isV4() && std::binary_search(listening.begin(), listening.end(), anyV4);
}

} // namespace twbench
