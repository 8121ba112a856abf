#include "timeline.h"

#include <QCoreApplication>

#include <algorithm>

namespace twbench {

// --- Series: a ring buffer that grows to the capacity, then overwrites its oldest point ---
//
// Invariant: while the ring is smaller than the capacity, m_head is 0 and every slot is used;
// once it reached the capacity, points are (m_head + i) % capacity for i < m_size.

const Timeline::Stored &Timeline::Series::at(qsizetype i, qsizetype /*capacity*/) const
{
    const qsizetype ringSize = qsizetype(m_ring.size());
    return m_ring[size_t((m_head + i) % ringSize)];
}

void Timeline::Series::append(const Stored &point, qsizetype capacity)
{
    const qsizetype ringSize = qsizetype(m_ring.size());
    if (ringSize < capacity) {
        m_ring.push_back(point);
        ++m_size;
        return;
    }
    m_ring[size_t((m_head + m_size) % ringSize)] = point;
    if (m_size == ringSize)
        m_head = (m_head + 1) % ringSize; // full: the oldest point gives way
    else
        ++m_size;
}

void Timeline::Series::dropFrom(std::int64_t epochMs, qsizetype capacity)
{
    while (m_size > 0 && at(m_size - 1, capacity).epochMs >= epochMs) {
        if (qsizetype(m_ring.size()) < capacity)
            m_ring.pop_back(); // keeps the growing ring's invariant
        --m_size;
    }
}

qsizetype Timeline::Series::lowerBound(std::int64_t epochMs, qsizetype capacity) const
{
    qsizetype low = 0;
    qsizetype high = m_size;
    while (low < high) {
        const qsizetype middle = low + (high - low) / 2;
        if (at(middle, capacity).epochMs < epochMs)
            low = middle + 1;
        else
            high = middle;
    }
    return low;
}

void Timeline::Series::clear()
{
    m_ring.clear();
    m_ring.shrink_to_fit();
    m_head = 0;
    m_size = 0;
    segment = 0;
    broken = false;
}

// --- Timeline ---

Timeline::Timeline(qsizetype capacityPerSeries)
    : m_capacity(std::max<qsizetype>(1, capacityPerSeries))
{}

Timeline::~Timeline() = default;
Timeline::Timeline(Timeline &&) noexcept = default;
Timeline &Timeline::operator=(Timeline &&) noexcept = default;

void Timeline::clear()
{
    for (Series &one : m_series)
        one.clear();
    m_previous.reset();
    m_hostId.clear();
}

Timeline::Point Timeline::toPoint(const Stored &stored)
{
    return {stored.epochMs, double(stored.value), stored.segment};
}

void Timeline::push(Metric metric, std::int64_t epochMs, double value)
{
    Series &one = series(metric);
    if (one.broken && one.size() > 0)
        ++one.segment;
    one.broken = false;
    one.append({epochMs, float(value), one.segment}, m_capacity);
}

void Timeline::breakSeries(Metric metric)
{
    series(metric).broken = true;
}

void Timeline::breakAll()
{
    for (Series &one : m_series)
        one.broken = true;
}

bool Timeline::add(const HostSample &sample)
{
    if (!m_previous && m_hostId.isEmpty())
        m_hostId = sample.hostId;
    else if (sample.hostId != m_hostId)
        return false;

    const std::int64_t now = sample.epochMs;
    // A rate needs two samples in a row, in time order, of one probe run.
    bool haveInterval = false;
    if (m_previous) {
        if (now <= m_previous->epochMs) {
            for (Series &one : m_series)
                one.dropFrom(now, m_capacity);
            breakAll();
        } else if (sample.sequence != m_previous->sequence + 1) {
            breakAll();
        } else {
            haveInterval = true;
        }
    }

    const auto gauge = [&](Metric metric, std::optional<std::int64_t> value) {
        if (value)
            push(metric, now, double(*value));
        else
            breakSeries(metric);
    };
    gauge(Metric::TimeWait, sample.counters.value(counter::TimeWait));
    gauge(Metric::Established, sample.counters.value(counter::CurrEstab));
    // The table comes every few samples: its absence is no gap.
    if (sample.table) {
        std::int64_t closeWait = 0;
        std::int64_t synRecv = 0;
        for (const Socket &socket : sample.table->sockets) {
            if (socket.state == TcpState::CloseWait)
                ++closeWait;
            else if (socket.state == TcpState::SynRecv || socket.state == TcpState::NewSynRecv)
                ++synRecv;
        }
        push(Metric::CloseWait, now, double(closeWait));
        push(Metric::SynRecv, now, double(synRecv));
    }

    std::optional<std::int64_t> opens;
    const auto active = sample.counters.value(counter::ActiveOpens);
    const auto passive = sample.counters.value(counter::PassiveOpens);
    if (active && passive)
        opens = *active + *passive;
    const std::optional<std::int64_t> timeWaitsEnded = sample.counters.value(counter::TwCreated);

    if (haveInterval) {
        const double seconds = double(now - m_previous->epochMs) / 1000.0;
        const auto rate = [&](Metric metric, std::optional<std::int64_t> before,
                              std::optional<std::int64_t> after) {
            // Backwards means the counter restarted: the interval has no meaningful rate.
            if (before && after && *after >= *before)
                push(metric, now, double(*after - *before) / seconds);
            else
                breakSeries(metric);
        };
        rate(Metric::NewConnectionsPerSec, m_previous->opens, opens);
        rate(Metric::TimeWaitPerSec, m_previous->timeWaitsEnded, timeWaitsEnded);

        const ProcStat &before = m_previous->procStat;
        const ProcStat &after = sample.procStat;
        // cpuUsageBetween clamps fields that went backwards to zero, which after a reboot would
        // still give a (meaningless) number: a shrinking total is a break here.
        const CpuUsage usage =
            before.valid && after.valid && after.all.total() >= before.all.total()
                ? cpuUsageBetween(before, after)
                : CpuUsage{};
        const Metric cpuMetrics[] = {Metric::CpuTotal, Metric::CpuUser, Metric::CpuSystem,
                                     Metric::CpuIowait, Metric::CpuSteal};
        if (usage.valid) {
            push(Metric::CpuTotal, now, usage.total);
            push(Metric::CpuUser, now, usage.user);
            push(Metric::CpuSystem, now, usage.system);
            push(Metric::CpuIowait, now, usage.iowait);
            push(Metric::CpuSteal, now, usage.steal);
        } else {
            for (Metric metric : cpuMetrics)
                breakSeries(metric);
        }
    }

    m_previous = Previous{sample.sequence, now, opens, timeWaitsEnded, sample.procStat};
    return true;
}

qsizetype Timeline::size(Metric metric) const
{
    return series(metric).size();
}

QList<Timeline::Point> Timeline::points(Metric metric) const
{
    const Series &one = series(metric);
    QList<Point> result;
    result.reserve(one.size());
    for (qsizetype i = 0; i < one.size(); ++i)
        result.append(toPoint(one.at(i, m_capacity)));
    return result;
}

QList<Timeline::Point> Timeline::points(Metric metric, std::int64_t fromMs, std::int64_t toMs) const
{
    const Series &one = series(metric);
    QList<Point> result;
    for (qsizetype i = one.lowerBound(fromMs, m_capacity); i < one.size(); ++i) {
        const Stored &stored = one.at(i, m_capacity);
        if (stored.epochMs > toMs)
            break;
        result.append(toPoint(stored));
    }
    return result;
}

QList<Timeline::Point> Timeline::downsampled(Metric metric, std::int64_t fromMs, std::int64_t toMs,
                                             int buckets) const
{
    if (buckets <= 0 || toMs < fromMs)
        return {};
    const Series &one = series(metric);
    const double span = double(toMs - fromMs) + 1.0;
    QList<Point> result;
    std::optional<Point> low, high;
    qsizetype bucket = -1;
    const auto flush = [&] {
        if (!low)
            return;
        if (low->epochMs == high->epochMs) {
            result.append(*low);
        } else if (low->epochMs < high->epochMs) {
            result.append(*low);
            result.append(*high);
        } else {
            result.append(*high);
            result.append(*low);
        }
        low.reset();
        high.reset();
    };
    for (qsizetype i = one.lowerBound(fromMs, m_capacity); i < one.size(); ++i) {
        const Point point = toPoint(one.at(i, m_capacity));
        if (point.epochMs > toMs)
            break;
        const auto pointBucket = qsizetype(double(point.epochMs - fromMs) * buckets / span);
        if (pointBucket != bucket || (low && low->segment != point.segment)) {
            flush();
            bucket = pointBucket;
        }
        if (!low || point.value < low->value)
            low = point;
        if (!high || point.value > high->value)
            high = point;
    }
    flush();
    return result;
}

std::optional<Timeline::Point> Timeline::latest(Metric metric) const
{
    const Series &one = series(metric);
    if (one.size() == 0)
        return std::nullopt;
    return toPoint(one.at(one.size() - 1, m_capacity));
}

std::optional<std::int64_t> Timeline::firstMs() const
{
    std::optional<std::int64_t> first;
    for (const Series &one : m_series) {
        if (one.size() > 0 && (!first || one.at(0, m_capacity).epochMs < *first))
            first = one.at(0, m_capacity).epochMs;
    }
    return first;
}

std::optional<std::int64_t> Timeline::lastMs() const
{
    std::optional<std::int64_t> last;
    for (const Series &one : m_series) {
        if (one.size() > 0 && (!last || one.at(one.size() - 1, m_capacity).epochMs > *last))
            last = one.at(one.size() - 1, m_capacity).epochMs;
    }
    return last;
}

QString Timeline::metricName(Metric metric)
{
    const auto perSecond = [](const char *state) {
        return QCoreApplication::translate("twbench::Timeline", "%1 entered/s")
            .arg(QLatin1StringView(state));
    };
    switch (metric) {
    // Kernel spellings stay as they are.
    case Metric::TimeWait:
        return QStringLiteral("TIME_WAIT");
    case Metric::Established:
        return QStringLiteral("ESTABLISHED");
    case Metric::CloseWait:
        return QStringLiteral("CLOSE_WAIT");
    case Metric::SynRecv:
        return QStringLiteral("SYN_RECV");
    case Metric::NewConnectionsPerSec:
        return QCoreApplication::translate("twbench::Timeline", "New connections/s");
    case Metric::TimeWaitPerSec:
        return perSecond("TIME_WAIT");
    case Metric::CpuTotal:
        return QCoreApplication::translate("twbench::Timeline", "CPU busy");
    case Metric::CpuUser:
        return QCoreApplication::translate("twbench::Timeline", "CPU user");
    case Metric::CpuSystem:
        return QCoreApplication::translate("twbench::Timeline", "CPU system");
    case Metric::CpuIowait:
        return QCoreApplication::translate("twbench::Timeline", "CPU iowait");
    case Metric::CpuSteal:
        return QCoreApplication::translate("twbench::Timeline", "CPU steal");
    }
    return {};
}

QString Timeline::metricUnit(Metric metric)
{
    switch (metric) {
    case Metric::TimeWait:
    case Metric::Established:
    case Metric::CloseWait:
    case Metric::SynRecv:
        return QCoreApplication::translate("twbench::Timeline", "sockets");
    case Metric::NewConnectionsPerSec:
    case Metric::TimeWaitPerSec:
        return QCoreApplication::translate("twbench::Timeline", "/s");
    case Metric::CpuTotal:
    case Metric::CpuUser:
    case Metric::CpuSystem:
    case Metric::CpuIowait:
    case Metric::CpuSteal:
        return QCoreApplication::translate("twbench::Timeline", "%");
    }
    return {};
}

} // namespace twbench
