#pragma once

#include <QByteArrayView>

#include <cstdint>
#include <optional>
#include <utility>

namespace twbench {

// The kernel limits that decide whether TIME_WAIT is a danger or only noise, as the probe read
// them from /proc/sys/net/ipv4 at its start (the hello's portrange=, twbuckets=, twreuse=);
// nullopt when it could not. They are the probe's own namespace's: a container's may differ.
struct KernelLimits
{
    std::optional<std::pair<int, int>> localPortRange; // ip_local_port_range: low, high
    std::optional<std::int64_t> maxTimeWaitBuckets;    // tcp_max_tw_buckets
    std::optional<bool> timeWaitReuse;                 // tcp_tw_reuse != 0
    // tcp_tw_reuse as set: 0 off, 1 on for every connect(), 2 on for loopback only (the
    // default of current kernels).
    std::optional<int> timeWaitReuseMode;

    // How many ephemeral ports connect() may pick from (high - low + 1); 0 when unknown.
    int localPortCount() const
    {
        if (!localPortRange || localPortRange->second < localPortRange->first)
            return 0;
        return localPortRange->second - localPortRange->first + 1;
    }

    // From the hello's values: "32768-60999", "262144", "2"; anything else (e.g. "unknown")
    // leaves that limit unknown.
    static KernelLimits fromHello(QByteArrayView portRange, QByteArrayView maxBuckets,
                                  QByteArrayView reuse);

    friend bool operator==(const KernelLimits &, const KernelLimits &) = default;
};

} // namespace twbench
