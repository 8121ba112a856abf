#pragma once

#include "model/endpoint.h"
#include "model/socketgrouper.h"
#include "model/tcpstate.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QCoreApplication>
#include <QList>
#include <QString>

#include <cstdint>
#include <optional>

namespace twbench {

// One local-endpoint group of a captured table (the row of the "uniq -c" view at that moment),
// as the capture's groups table keeps it: what a report can quote without reading the table.
struct CapturedGroup
{
    Endpoint endpoint;
    std::uint64_t netns = 0;
    GroupRole role = GroupRole::None;
    StateCounts counts{};
    std::uint32_t total = 0;
    std::uint32_t serverSide = 0;
    std::uint32_t clientSide = 0;

    friend bool operator==(const CapturedGroup &, const CapturedGroup &) = default;
};

// The bytes of the groups table, and back (from untrusted bytes, like SampleCodec). States
// with no socket take no bytes: a group is mostly one or two states.
struct GroupCodec
{
    Q_DECLARE_TR_FUNCTIONS(twbench::GroupCodec)

public:
    // The groups of `table` by Grouping::LocalEndpoint, encoded.
    static QByteArray encodeLocalEndpointGroups(const Snapshot &table);
    static QByteArray encode(const QList<SocketGroup> &groups);
    static std::optional<QList<CapturedGroup>> decode(QByteArrayView bytes, QString *error);
};

} // namespace twbench
