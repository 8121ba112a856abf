#pragma once

#include <QByteArrayView>
#include <QString>

#include <array>
#include <cstdint>
#include <optional>

namespace twbench {

// The kernel's numbering (include/net/tcp_states.h), so a /proc/net/tcp "st" column maps
// directly. NEW_SYN_RECV is kernel-internal but shows up in some ss/proc dumps.
enum class TcpState : std::uint8_t {
    Unknown = 0,
    Established = 1,
    SynSent = 2,
    SynRecv = 3,
    FinWait1 = 4,
    FinWait2 = 5,
    TimeWait = 6,
    Close = 7,
    CloseWait = 8,
    LastAck = 9,
    Listen = 10,
    Closing = 11,
    NewSynRecv = 12,
};

inline constexpr int TcpStateCount = 13; // Unknown .. NewSynRecv, for per-state count arrays.

using StateCounts = std::array<std::uint32_t, TcpStateCount>;

inline constexpr int stateIndex(TcpState state)
{
    return static_cast<int>(state);
}

// The kernel's own spelling (TIME_WAIT, ESTABLISHED): operators know these names, so they are
// never translated.
QString tcpStateName(TcpState state);

// Accepts the kernel/netstat spelling (TIME_WAIT), ss's (TIME-WAIT, ESTAB, UNCONN) and the hex
// code of /proc/net/tcp ("06"); nullopt for anything else.
std::optional<TcpState> tcpStateFromName(QByteArrayView name);
std::optional<TcpState> tcpStateFromProcCode(unsigned code);

} // namespace twbench
