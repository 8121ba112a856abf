#pragma once

// What the GUI suites share: hosts that only get what a test feeds them, endpoints from text,
// and waiting for the real probe's tables.

#include "gui/workbench.h"
#include "model/endpoint.h"
#include "remote/hostspec.h"

#include <QDateTime>
#include <QObject>
#include <QTest>

#include <cstdint>

namespace twbench::test {

// A host that never connects (a replay host): it shows only what the test feeds it.
inline HostSpec quietHost(const QString &id, const QString &name)
{
    HostSpec spec;
    spec.id = id;
    spec.displayName = name;
    spec.kind = HostSpec::Kind::Replay;
    return spec;
}

inline Endpoint endpoint(const char *address, std::uint16_t port)
{
    return {IpAddress::parse(QLatin1StringView(address)).value(), port};
}

// Waits until `workbench` has delivered `count` socket tables that the probe read after this
// call: a table already under way may predate what the test just did.
inline bool waitForTables(Workbench &workbench, int count, int timeoutMs = 20000)
{
    const std::int64_t sinceMs = QDateTime::currentMSecsSinceEpoch();
    int seen = 0;
    const QMetaObject::Connection connection =
        QObject::connect(&workbench, &Workbench::tableArrived,
                         [&seen, sinceMs](const QString &, const SnapshotPtr &table) {
                             if (table->epochMs >= sinceMs)
                                 ++seen;
                         });
    const bool arrived = QTest::qWaitFor([&] { return seen >= count; }, timeoutMs);
    QObject::disconnect(connection);
    return arrived;
}

} // namespace twbench::test
