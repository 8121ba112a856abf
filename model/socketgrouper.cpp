#include "socketgrouper.h"

#include <QCoreApplication>
#include <QHash>

#include <algorithm>
#include <vector>

namespace twbench {

QString groupingName(Grouping grouping)
{
    switch (grouping) {
    case Grouping::LocalEndpoint:
        return QCoreApplication::translate("twbench::SocketGrouper", "Local endpoint");
    case Grouping::RemoteEndpoint:
        return QCoreApplication::translate("twbench::SocketGrouper", "Remote endpoint");
    case Grouping::LocalAddress:
        return QCoreApplication::translate("twbench::SocketGrouper", "Local IP");
    case Grouping::RemoteAddress:
        return QCoreApplication::translate("twbench::SocketGrouper", "Remote IP");
    case Grouping::State:
        return QCoreApplication::translate("twbench::SocketGrouper", "State");
    }
    return {};
}

QString groupRoleName(GroupRole role)
{
    switch (role) {
    case GroupRole::None:
        return {};
    case GroupRole::Service:
        return QCoreApplication::translate("twbench::SocketGrouper", "service");
    case GroupRole::Client:
        return QCoreApplication::translate("twbench::SocketGrouper", "client");
    case GroupRole::Mixed:
        return QCoreApplication::translate("twbench::SocketGrouper", "mixed");
    }
    return {};
}

size_t qHash(const GroupKey &key, size_t seed) noexcept
{
    return qHashMulti(seed, key.endpoint, static_cast<int>(key.state), key.netns);
}

GroupKey groupKeyOf(Grouping grouping, const Socket &socket)
{
    switch (grouping) {
    case Grouping::LocalEndpoint:
        return {socket.local, TcpState::Unknown, socket.netns};
    case Grouping::RemoteEndpoint:
        return {socket.remote, TcpState::Unknown};
    case Grouping::LocalAddress:
        return {{socket.local.address, 0}, TcpState::Unknown, socket.netns};
    case Grouping::RemoteAddress:
        return {{socket.remote.address, 0}, TcpState::Unknown};
    case Grouping::State:
        return {{}, socket.state};
    }
    return {};
}

namespace {

struct Accumulator
{
    GroupKey key;
    StateCounts counts{};
    std::uint32_t total = 0;
    std::uint32_t serverSide = 0;
    std::uint32_t clientSide = 0;
};

QString displayOf(Grouping grouping, const GroupKey &key)
{
    switch (grouping) {
    case Grouping::LocalEndpoint:
    case Grouping::RemoteEndpoint:
        return key.endpoint.toString();
    case Grouping::LocalAddress:
    case Grouping::RemoteAddress:
        return key.endpoint.address.toString();
    case Grouping::State:
        return tcpStateName(key.state);
    }
    return {};
}

GroupRole roleOf(const Accumulator &group)
{
    if (group.serverSide > 0 && group.clientSide > 0)
        return GroupRole::Mixed;
    if (group.serverSide > 0)
        return GroupRole::Service;
    if (group.clientSide > 0)
        return GroupRole::Client;
    return GroupRole::None;
}

} // namespace

QList<SocketGroup> groupSockets(const Snapshot &snapshot, Grouping grouping,
                                const QHash<std::uint64_t, QString> &namespaceLabels)
{
    const ListenerIndex listeners(snapshot);
    const bool remoteGrouping =
        grouping == Grouping::RemoteEndpoint || grouping == Grouping::RemoteAddress;

    // Groups live in a vector; the hash maps a key to its slot. Reserving for the worst case
    // (every socket its own group, as client-side local endpoints are) avoids rehashing.
    std::vector<Accumulator> groups;
    QHash<GroupKey, std::uint32_t> slotOf;
    if (grouping != Grouping::State) {
        const size_t expected = std::min<size_t>(snapshot.sockets.size(), 1u << 20);
        groups.reserve(expected);
        slotOf.reserve(qsizetype(expected));
    }
    // The state grouping needs no hash: one slot per state, dropped below when empty.
    std::array<std::int32_t, TcpStateCount> stateSlots;
    stateSlots.fill(-1);

    for (const Socket &socket : snapshot.sockets) {
        const bool listener = socket.state == TcpState::Listen;
        if (listener && remoteGrouping)
            continue;
        const GroupKey key = groupKeyOf(grouping, socket);
        std::uint32_t slot = 0;
        if (grouping == Grouping::State) {
            std::int32_t &stateSlot = stateSlots[size_t(stateIndex(socket.state))];
            if (stateSlot < 0) {
                stateSlot = std::int32_t(groups.size());
                groups.push_back({key, {}, 0, 0, 0});
            }
            slot = std::uint32_t(stateSlot);
        } else {
            // One lookup: operator[] inserts a missing key, which the size change tells.
            const qsizetype sizeBefore = slotOf.size();
            std::uint32_t &found = slotOf[key];
            if (slotOf.size() != sizeBefore) {
                found = std::uint32_t(groups.size());
                groups.push_back({key, {}, 0, 0, 0});
            }
            slot = found;
        }
        Accumulator &group = groups[slot];
        ++group.counts[size_t(stateIndex(socket.state))];
        if (listener) {
            if (grouping == Grouping::State)
                ++group.total;
            continue;
        }
        ++group.total;
        // A local endpoint group is one endpoint: its side is decided once, after the loop.
        if (grouping == Grouping::LocalEndpoint)
            continue;
        if (listeners.isListening(socket.netns, socket.local))
            ++group.serverSide;
        else
            ++group.clientSide;
    }

    if (grouping == Grouping::LocalEndpoint) {
        for (Accumulator &group : groups) {
            if (listeners.isListening(group.key.netns, group.key.endpoint))
                group.serverSide = group.total;
            else
                group.clientSide = group.total;
        }
    }

    constexpr size_t timeWait = size_t(stateIndex(TcpState::TimeWait));
    std::sort(groups.begin(), groups.end(), [](const Accumulator &a, const Accumulator &b) {
        if (a.total != b.total)
            return a.total > b.total;
        if (a.counts[timeWait] != b.counts[timeWait])
            return a.counts[timeWait] > b.counts[timeWait];
        return a.key < b.key;
    });

    QList<SocketGroup> result;
    result.reserve(qsizetype(groups.size()));
    for (const Accumulator &group : groups) {
        SocketGroup out;
        out.key = group.key;
        out.display = displayOf(grouping, group.key);
        if (group.key.netns != 0) {
            const auto label = namespaceLabels.constFind(group.key.netns);
            if (label != namespaceLabels.constEnd())
                out.display += QStringLiteral(" · ") + *label;
        }
        out.counts = group.counts;
        out.total = group.total;
        out.serverSide = group.serverSide;
        out.clientSide = group.clientSide;
        out.role = roleOf(group);
        // A listening endpoint with no connections yet is still a service.
        if (grouping == Grouping::LocalEndpoint && out.role == GroupRole::None &&
            listeners.isListening(group.key.netns, group.key.endpoint))
            out.role = GroupRole::Service;
        result.push_back(std::move(out));
    }
    return result;
}

} // namespace twbench
