#pragma once

#include "endpoint.h"
#include "listenerindex.h"
#include "snapshot.h"
#include "tcpstate.h"

#include <QHash>
#include <QList>
#include <QString>

#include <cstdint>

namespace twbench {

// What the connection table is grouped by: the columns of `netstat -tn | awk '{print $N}'`.
enum class Grouping : std::uint8_t {
    LocalEndpoint,  // address:port on this host — the incident's "uniq -c" of column 4
    RemoteEndpoint, // the peer's address:port
    LocalAddress,   // the host's address, any port
    RemoteAddress,  // the peer's address, any port
    State,          // TCP state
};

inline constexpr int GroupingCount = 5;

// Translated, for a combo box ("Local endpoint", "Remote IP", …).
QString groupingName(Grouping grouping);

// The role of a group, from the sides of the connections in it. A local endpoint group is always
// pure (Service or Client); the other groupings can hold both sides (Mixed).
enum class GroupRole : std::uint8_t {
    None,    // no connections (a listener with no connections, in an address grouping)
    Service, // every connection is on the server side: a listening endpoint of this host
    Client,  // every connection is on the client side: ephemeral local ports
    Mixed,   // both
};

QString groupRoleName(GroupRole role); // translated; empty for None

// Identifies a group. Address groupings keep the address with port 0; only Grouping::State uses
// `state`. Ordered (endpoint, then state) so ties sort the same way on every run.
struct GroupKey
{
    Endpoint endpoint;
    TcpState state = TcpState::Unknown;
    // The network namespace, for the local groupings only: the host's 127.0.0.1:80 and a
    // container's are different endpoints. 0 in the remote and state groupings, which count
    // connections towards a peer from wherever they are seen.
    std::uint64_t netns = 0;

    friend auto operator<=>(const GroupKey &, const GroupKey &) = default;
    friend bool operator==(const GroupKey &, const GroupKey &) = default;
};

size_t qHash(const GroupKey &key, size_t seed = 0) noexcept;

// The key the socket falls under in `grouping`.
GroupKey groupKeyOf(Grouping grouping, const Socket &socket);

// One row of the grouped table.
struct SocketGroup
{
    GroupKey key;
    QString display; // "10.25.20.251:6601", "10.25.20.251", "TIME_WAIT"
    GroupRole role = GroupRole::None;
    // Every socket of the group by state, LISTEN included (counts[stateIndex(TcpState::Listen)]
    // is how many listeners the group has).
    StateCounts counts{};
    // Connections: every socket but the listeners, so a listening port does not add one to its
    // own count. The State grouping is the exception an operator expects from `ss | uniq -c`:
    // its LISTEN row's total is the number of listeners.
    std::uint32_t total = 0;
    std::uint32_t serverSide = 0; // connections whose local endpoint is a listening endpoint
    std::uint32_t clientSide = 0; // connections from an ephemeral local port

    std::uint32_t count(TcpState state) const { return counts[stateIndex(state)]; }
};

// `netstat -tn | awk '{print $4}' | sort | uniq -c | sort -nr` as a table: the groups of
// `snapshot` by `grouping`, largest total first, ties by TIME_WAIT (more first), then by key
// (ascending), so equal input always gives the same order.
//
// Listening sockets never count as connections. In the local groupings they appear as the
// LISTEN count of their own endpoint or address (a listener with no connections makes a group
// with total 0, at the bottom: an idle service); in the remote groupings they are left out, as
// their "peer" is *:*.
//
// Runs in O(sockets) with one hash lookup per socket; strings are made per group only.
//
// `namespaceLabels` names namespaces (netns inode → "container nginx"); a local group in a
// labelled namespace shows it after its endpoint, so a container's endpoints read as such.
QList<SocketGroup> groupSockets(const Snapshot &snapshot, Grouping grouping,
                                const QHash<std::uint64_t, QString> &namespaceLabels = {});

} // namespace twbench
