#pragma once

#include <QMetaType>
#include <QString>

#include <cstdint>

namespace twbench {

// The connection life cycle of one host, as the hosts list shows it.
enum class HostState : std::uint8_t {
    Idle,
    Connecting,
    VerifyingHostKey,
    Authenticating,
    Streaming,
    Retrying, // waiting for the next attempt; HostStatus::retryInMs says how long
    Failed,   // given up; HostStatus::detail says why
    Stopped,  // disconnected by the operator
};

struct HostStatus
{
    HostState state = HostState::Idle;
    QString detail; // translated; the reason on Failed/Retrying, empty otherwise
    std::int64_t retryInMs = 0;
};

QString hostStateText(HostState state); // translated, short ("streaming", "retrying")

} // namespace twbench

Q_DECLARE_METATYPE(twbench::HostStatus)
