#include "groupcodec.h"

#include "bytestream.h"

#include <QHash>

#include <vector>

namespace twbench {

namespace {

constexpr std::uint8_t groupCodecVersion = 1;
// A grouped table is smaller than its table; the same cap keeps a lie from allocating.
constexpr qsizetype maxDecodedGroupBytes = 64 * 1024 * 1024;
// Address index, port difference, netns index, role, state mask (2), total, server and client
// sides.
constexpr qsizetype minGroupBytes = 1 + 1 + 1 + 1 + 2 + 3;

static_assert(TcpStateCount <= 16, "the state mask is 16 bits");

} // namespace

QByteArray GroupCodec::encodeLocalEndpointGroups(const Snapshot &table)
{
    return encode(groupSockets(table, Grouping::LocalEndpoint));
}

// Column by column, addresses and namespaces through dictionaries, ports as the difference from
// the previous group's: most groups of a TIME_WAIT pile are one ephemeral port each, sorted by
// port (groupSockets() orders equal totals by key), so the differences are small.
QByteArray GroupCodec::encode(const QList<SocketGroup> &groups)
{
    capture::Dictionary<IpAddress> addresses;
    capture::Dictionary<std::uint64_t> namespaces;
    std::vector<std::uint32_t> addressColumn, netnsColumn;
    for (const SocketGroup &group : groups) {
        addressColumn.push_back(addresses.indexOf(group.key.endpoint.address));
        netnsColumn.push_back(namespaces.indexOf(group.key.netns));
    }

    capture::ByteWriter out;
    capture::putEndpointDictionaries(out, addresses.values(), namespaces.values());
    out.putVarUint(std::uint64_t(groups.size()));
    for (const std::uint32_t index : addressColumn)
        out.putVarUint(index);
    int previousPort = 0;
    for (const SocketGroup &group : groups) {
        out.putVarInt(int(group.key.endpoint.port) - previousPort);
        previousPort = group.key.endpoint.port;
    }
    for (const std::uint32_t index : netnsColumn)
        out.putVarUint(index);
    for (const SocketGroup &group : groups)
        out.putU8(std::uint8_t(group.role));
    for (const SocketGroup &group : groups) {
        std::uint16_t mask = 0;
        for (int state = 0; state < TcpStateCount; ++state) {
            if (group.counts[std::size_t(state)] != 0)
                mask |= std::uint16_t(1u << state);
        }
        out.putU16(mask);
    }
    for (const SocketGroup &group : groups) {
        for (const std::uint32_t count : group.counts) {
            if (count != 0)
                out.putVarUint(count);
        }
    }
    for (const SocketGroup &group : groups)
        out.putVarUint(group.total);
    for (const SocketGroup &group : groups)
        out.putVarUint(group.serverSide);
    for (const SocketGroup &group : groups)
        out.putVarUint(group.clientSide);

    QByteArray blob;
    blob.append(char(groupCodecVersion));
    blob.append(qCompress(out.bytes()));
    return blob;
}

std::optional<QList<CapturedGroup>> GroupCodec::decode(QByteArrayView bytes, QString *error)
{
    if (bytes.isEmpty() || std::uint8_t(bytes[0]) != groupCodecVersion) {
        *error = tr("the grouped table has an unknown format");
        return std::nullopt;
    }
    QString reason;
    const std::optional<QByteArray> body =
        capture::boundedUncompress(bytes.sliced(1), maxDecodedGroupBytes, &reason);
    if (!body) {
        *error = tr("the grouped table is damaged (%1)").arg(reason);
        return std::nullopt;
    }
    const auto damaged = [error] {
        *error = tr("the grouped table is damaged or cut short");
        return std::nullopt;
    };
    capture::ByteReader in(*body);
    const capture::EndpointDictionaries dictionaries = capture::getEndpointDictionaries(in);
    const std::vector<IpAddress> &addresses = dictionaries.addresses;
    const std::vector<std::uint64_t> &namespaces = dictionaries.namespaces;
    const qsizetype count = in.getCount(minGroupBytes);
    if (!in.ok() || (count > 0 && (addresses.empty() || namespaces.empty())))
        return damaged();

    QList<CapturedGroup> groups(count);
    for (CapturedGroup &group : groups)
        group.endpoint.address = addresses[in.getVarUintAtMost(addresses.size() - 1)];
    std::int64_t port = 0;
    for (CapturedGroup &group : groups) {
        port += in.getVarInt();
        if (port < 0 || port > 0xffff)
            in.fail();
        group.endpoint.port = std::uint16_t(port);
    }
    for (CapturedGroup &group : groups)
        group.netns = namespaces[in.getVarUintAtMost(namespaces.size() - 1)];
    for (CapturedGroup &group : groups) {
        const std::uint8_t role = in.getU8();
        if (role > std::uint8_t(GroupRole::Mixed))
            in.fail();
        group.role = static_cast<GroupRole>(role);
    }
    std::vector<std::uint16_t> masks(static_cast<std::size_t>(count));
    for (std::uint16_t &mask : masks) {
        mask = in.getU16();
        if (mask >> TcpStateCount != 0)
            in.fail();
    }
    for (qsizetype i = 0; i < count && in.ok(); ++i) {
        for (int state = 0; state < TcpStateCount; ++state) {
            if (masks[std::size_t(i)] & (1u << state))
                groups[i].counts[std::size_t(state)] =
                    std::uint32_t(in.getVarUintAtMost(0xffffffffu));
        }
    }
    for (CapturedGroup &group : groups)
        group.total = std::uint32_t(in.getVarUintAtMost(0xffffffffu));
    for (CapturedGroup &group : groups)
        group.serverSide = std::uint32_t(in.getVarUintAtMost(0xffffffffu));
    for (CapturedGroup &group : groups)
        group.clientSide = std::uint32_t(in.getVarUintAtMost(0xffffffffu));
    if (!in.ok() || !in.atEnd())
        return damaged();
    return groups;
}

} // namespace twbench
