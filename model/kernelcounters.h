#pragma once

#include <QByteArray>
#include <QHash>

#include <cstdint>
#include <optional>

namespace twbench {

// The cheap per-second counters: /proc/net/sockstat, /proc/net/snmp and /proc/net/netstat.
// Stored by qualified name, as the kernel names them, so a rule can ask for any counter the
// running kernel has without this type knowing them all:
//   "sockstat.TCP.tw", "sockstat.TCP.inuse", "sockstat.sockets.used"
//   "Tcp.ActiveOpens", "Tcp.PassiveOpens", "Tcp.CurrEstab"        (/proc/net/snmp)
//   "TcpExt.TW", "TcpExt.TWRecycled", "TcpExt.TCPTimeWaitOverflow" (/proc/net/netstat)
struct KernelCounters
{
    QHash<QByteArray, std::int64_t> values;

    std::optional<std::int64_t> value(QByteArrayView name) const
    {
        const auto it = values.constFind(name.toByteArray());
        if (it == values.constEnd())
            return std::nullopt;
        return *it;
    }
    bool isEmpty() const { return values.isEmpty(); }
};

namespace counter {
inline constexpr char TimeWait[] = "sockstat.TCP.tw";
inline constexpr char TcpInUse[] = "sockstat.TCP.inuse";
inline constexpr char TcpOrphan[] = "sockstat.TCP.orphan";
inline constexpr char TcpAlloc[] = "sockstat.TCP.alloc";
inline constexpr char ActiveOpens[] = "Tcp.ActiveOpens";
inline constexpr char PassiveOpens[] = "Tcp.PassiveOpens";
inline constexpr char CurrEstab[] = "Tcp.CurrEstab";
inline constexpr char TwCreated[] = "TcpExt.TW";
inline constexpr char TwRecycled[] = "TcpExt.TWRecycled";
inline constexpr char TwOverflow[] = "TcpExt.TCPTimeWaitOverflow";
} // namespace counter

} // namespace twbench
