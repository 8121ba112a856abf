#include "kernellimits.h"

#include <QByteArray>

namespace twbench {

namespace {

// A plain decimal (no sign, no spaces), as the probe validated it.
std::optional<std::int64_t> decimal(QByteArrayView text, std::int64_t max)
{
    if (text.isEmpty() || text.size() > 18)
        return std::nullopt;
    std::int64_t value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + (c - '0');
    }
    if (value > max)
        return std::nullopt;
    return value;
}

} // namespace

KernelLimits KernelLimits::fromHello(QByteArrayView portRange, QByteArrayView maxBuckets,
                                     QByteArrayView reuse)
{
    KernelLimits limits;
    const qsizetype dash = portRange.indexOf('-');
    if (dash > 0) {
        const auto low = decimal(portRange.first(dash), 65535);
        const auto high = decimal(portRange.sliced(dash + 1), 65535);
        if (low && high && *low <= *high)
            limits.localPortRange = std::pair<int, int>(int(*low), int(*high));
    }
    limits.maxTimeWaitBuckets = decimal(maxBuckets, std::int64_t(1) << 40);
    if (const auto mode = decimal(reuse, 255)) {
        limits.timeWaitReuseMode = int(*mode);
        limits.timeWaitReuse = *mode != 0;
    }
    return limits;
}

} // namespace twbench
