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
    Recorded, // a host of an opened capture: what it shows was recorded, nothing connects
};

struct HostStatus
{
    HostState state = HostState::Idle;
    QString detail;             // translated; the reason on Failed/Retrying, empty otherwise
    std::int64_t retryInMs = 0; // the wait before the next attempt, as it began
    std::int64_t sinceMs = 0;   // this workstation's clock (epoch ms) when the state began

    // What is left of the wait at `nowMs` (this workstation's clock): what a countdown shows.
    std::int64_t retryRemainingMs(std::int64_t nowMs) const
    {
        if (state != HostState::Retrying || retryInMs <= 0)
            return 0;
        const std::int64_t elapsed = sinceMs > 0 ? nowMs - sinceMs : 0;
        return elapsed >= retryInMs ? 0 : retryInMs - (elapsed > 0 ? elapsed : 0);
    }
};

QString hostStateText(HostState state); // translated, short ("streaming", "retrying")

} // namespace twbench

Q_DECLARE_METATYPE(twbench::HostStatus)
