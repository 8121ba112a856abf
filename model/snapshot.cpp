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
    return listenerServes(listening, local);
}

bool listenerServes(const std::vector<Endpoint> &sortedListening, const Endpoint &local)
{
    const auto has = [&sortedListening](const Endpoint &endpoint) {
        return std::binary_search(sortedListening.begin(), sortedListening.end(), endpoint);
    };
    if (has(local) || has(Endpoint{IpAddress::fromV6({}), local.port}))
        return true;
    return local.address.isV4() && has(Endpoint{IpAddress::fromV4(0), local.port});
}

} // namespace twbench
