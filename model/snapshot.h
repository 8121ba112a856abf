#pragma once

#include "parsereport.h"
#include "socket.h"

#include <QHash>
#include <QString>

#include <cstdint>
#include <memory>
#include <vector>

namespace twbench {

enum class SocketSource : std::uint8_t {
    Unknown,
    ProcNetTcp, // /proc/net/tcp + /proc/net/tcp6
    Ss,         // ss -Htan / ss -tan / ss -Htanp
    Netstat,    // netstat -tn / -ant, pasted by an operator
};

// The socket table of one host at one time. Immutable once built: it is handed from the worker
// thread to the GUI as std::shared_ptr<const Snapshot>.
struct Snapshot
{
    QString hostId;
    std::uint64_t sequence = 0; // the probe sample it came from
    std::int64_t epochMs = 0;   // the remote's clock, when the table was read
    SocketSource source = SocketSource::Unknown;
    std::vector<Socket> sockets;
    // Names of the processes that Socket::pid points at (ss -p, host namespace only), raw as
    // the remote printed them: remote data, to pass through safeDisplayText() for display.
    ProcessNames processNames;
    ParseReport report;

    // Ports in LISTEN (per address, wildcards included): a socket whose local endpoint matches
    // one is the server side of its connection. Filled by finalize().
    std::vector<Endpoint> listening;

    // Sorts `listening` and fills it from `sockets`. Call once after the sockets are in.
    void finalize();
    // True when `local` is served by a listener (exact address or a wildcard of its family).
    bool isListeningEndpoint(const Endpoint &local) const;
};

using SnapshotPtr = std::shared_ptr<const Snapshot>;

// The wildcard rules of "served by a listener", in one place: `local` is served when a listener
// of `sortedListening` has its exact endpoint, or is the wildcard of its family on its port; a
// dual-stack [::] listener also serves IPv4.
bool listenerServes(const std::vector<Endpoint> &sortedListening, const Endpoint &local);

} // namespace twbench
