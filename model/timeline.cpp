#include "timeline.h"

#include <QCoreApplication>

#include <algorithm>
#include <limits>

namespace twbench {

// --- Ring ---
//
// Invariant: while the ring is smaller than the capacity, m_head is 0 and every slot is used;
// once it reached the capacity, items are (m_head + i) % capacity for i < m_size.

template<typename T>
std::optional<T> Timeline::Ring<T>::append(const T &item, qsizetype capacity)
{
    if (ringSize() < capacity) {
        // Grown by doubling, but never past the capacity: 24 h of 1 s points would otherwise
        // take 131,072 slots from the 18th hour on for the 86,400 it keeps.
        if (m_items.size() == m_items.capacity())
            m_items.reserve(size_t(std::min(capacity, std::max<qsizetype>(16, 2 * ringSize()))));
        m_items.push_back(item);
        ++m_size;
        return std::nullopt;
    }
    T &slot = m_items[size_t((m_head + m_size) % ringSize())];
    if (m_size < ringSize()) {
        slot = item;
        ++m_size;
        return std::nullopt;
    }
    std::optional<T> evicted = slot; // full: the oldest item gives way
    slot = item;
    m_head = (m_head + 1) % ringSize();
    return evicted;
}

template<typename T>
void Timeline::Ring<T>::popBack(qsizetype capacity)
{
    if (m_size == 0)
        return;
    if (ringSize() < capacity)
        m_items.pop_back(); // keeps the growing ring's invariant
    --m_size;
}

template<typename T>
void Timeline::Ring<T>::clear()
{
    m_items.clear();
    m_items.shrink_to_fit();
    m_head = 0;
    m_size = 0;
}

// --- Series ---

qsizetype Timeline::Series::lowerBound(std::int64_t epochMs) const
{
    qsizetype low = 0;
    qsizetype high = recent.size();
    while (low < high) {
        const qsizetype middle = low + (high - low) / 2;
        if (recent.at(middle).epochMs < epochMs)
            low = middle + 1;
        else
            high = middle;
    }
    return low;
}

qsizetype Timeline::Series::archiveLowerBound(std::int64_t epochMs) const
{
    qsizetype low = 0;
    qsizetype high = archive.size();
    while (low < high) {
        const qsizetype middle = low + (high - low) / 2;
        const ArchiveBucket &bucket = archive.at(middle);
        if (std::max(bucket.low.epochMs, bucket.high.epochMs) < epochMs)
            low = middle + 1;
        else
            high = middle;
    }
    return low;
}

std::optional<std::int64_t> Timeline::Series::firstMs() const
{
    if (archive.size() > 0) {
        const ArchiveBucket &bucket = archive.at(0);
        return std::min(bucket.low.epochMs, bucket.high.epochMs);
    }
    if (recent.size() > 0)
        return recent.at(0).epochMs;
    return std::nullopt;
}

std::optional<std::int64_t> Timeline::Series::lastMs() const
{
    if (recent.size() > 0)
        return recent.at(recent.size() - 1).epochMs;
    if (archive.size() > 0) {
        const ArchiveBucket &bucket = archive.at(archive.size() - 1);
        return std::max(bucket.low.epochMs, bucket.high.epochMs);
    }
    return std::nullopt;
}

// --- Timeline ---

Timeline::Timeline(qsizetype capacityPerSeries)
    : Timeline(Retention{capacityPerSeries})
{}

Timeline::Timeline(const Retention &retention)
    : m_retention(retention)
{
    m_retention.fullResolutionPoints = std::max<qsizetype>(1, m_retention.fullResolutionPoints);
    m_retention.archiveBucketMs = std::max<std::int64_t>(1, m_retention.archiveBucketMs);
    m_retention.archiveBuckets = std::max<qsizetype>(0, m_retention.archiveBuckets);
    m_retention.maxKeyedSeries = std::max<qsizetype>(1, m_retention.maxKeyedSeries);
}

Timeline::~Timeline() = default;
Timeline::Timeline(Timeline &&) noexcept = default;
Timeline &Timeline::operator=(Timeline &&) noexcept = default;

void Timeline::clear()
{
    for (Series &one : m_fixed)
        one = Series{};
    m_containerCpu.clear();
    m_requests.clear();
    m_previous.reset();
    m_hostId.clear();
    m_samplesAdded = 0;
}

Timeline::Point Timeline::toPoint(const Stored &stored)
{
    return {stored.epochMs, double(stored.value), stored.segment};
}

std::map<QString, Timeline::Series> &Timeline::keyed(Metric metric)
{
    return metric == Metric::ContainerCpu ? m_containerCpu : m_requests;
}

const std::map<QString, Timeline::Series> &Timeline::keyed(Metric metric) const
{
    return metric == Metric::ContainerCpu ? m_containerCpu : m_requests;
}

Timeline::Series *Timeline::find(const SeriesId &id)
{
    if (!isKeyed(id.metric))
        return &series(id.metric);
    auto &map = keyed(id.metric);
    const auto it = map.find(id.key);
    return it == map.end() ? nullptr : &it->second;
}

const Timeline::Series *Timeline::find(const SeriesId &id) const
{
    return const_cast<Timeline *>(this)->find(id);
}

Timeline::Series &Timeline::findOrCreate(const SeriesId &id)
{
    if (Series *existing = find(id))
        return *existing;
    auto &map = keyed(id.metric);
    if (qsizetype(map.size()) >= m_retention.maxKeyedSeries) {
        // The bound holds however many containers come and go: the one fed least recently
        // (a container long gone, a log source removed) makes way.
        auto oldest = map.begin();
        for (auto it = map.begin(); it != map.end(); ++it) {
            if (it->second.lastFedSample < oldest->second.lastFedSample)
                oldest = it;
        }
        map.erase(oldest);
    }
    return map[id.key];
}

void Timeline::archive(Series &one, const Stored &point)
{
    if (m_retention.archiveBuckets == 0)
        return;
    const std::int64_t index = point.epochMs >= 0
                                   ? point.epochMs / m_retention.archiveBucketMs
                                   : -1 - (-1 - point.epochMs) / m_retention.archiveBucketMs;
    if (one.archive.size() > 0) {
        ArchiveBucket &last = one.archive.at(one.archive.size() - 1);
        // Never merge across a break, so the archive keeps the gaps the chart must show.
        if (last.index == index && last.low.segment == point.segment) {
            if (point.value < last.low.value)
                last.low = point;
            if (point.value > last.high.value)
                last.high = point;
            return;
        }
    }
    one.archive.append({index, point, point}, m_retention.archiveBuckets);
}

void Timeline::push(const SeriesId &id, std::int64_t epochMs, double value)
{
    Series &one = isKeyed(id.metric) ? findOrCreate(id) : series(id.metric);
    if (one.broken && !one.empty())
        ++one.segment;
    one.broken = false;
    one.lastFedSample = m_samplesAdded;
    const Stored point{epochMs, float(value), one.segment};
    one.recent.append(point, m_retention.fullResolutionPoints);
    archive(one, point);
}

void Timeline::breakSeries(const SeriesId &id)
{
    if (Series *one = find(id))
        one->broken = true;
}

void Timeline::breakAll()
{
    for (Series &one : m_fixed)
        one.broken = true;
    for (auto *map : {&m_containerCpu, &m_requests}) {
        for (auto &[key, one] : *map)
            one.broken = true;
    }
}

void Timeline::dropFrom(std::int64_t epochMs)
{
    const auto drop = [&](Series &one) {
        while (one.recent.size() > 0 && one.recent.at(one.recent.size() - 1).epochMs >= epochMs)
            one.recent.popBack(m_retention.fullResolutionPoints);
        bool droppedBucket = false;
        while (one.archive.size() > 0) {
            const ArchiveBucket &last = one.archive.at(one.archive.size() - 1);
            if (std::max(last.low.epochMs, last.high.epochMs) < epochMs)
                break;
            one.archive.popBack(m_retention.archiveBuckets);
            droppedBucket = true;
        }
        if (!droppedBucket)
            return;
        // The bucket the step landed in also held earlier points: fold them in again.
        const std::int64_t keptUpTo =
            one.archive.size() > 0 ? std::max(one.archive.at(one.archive.size() - 1).low.epochMs,
                                              one.archive.at(one.archive.size() - 1).high.epochMs)
                                   : std::numeric_limits<std::int64_t>::min();
        for (qsizetype i = one.lowerBound(keptUpTo + 1); i < one.recent.size(); ++i)
            archive(one, one.recent.at(i));
    };
    for (Series &one : m_fixed)
        drop(one);
    for (auto *map : {&m_containerCpu, &m_requests}) {
        for (auto &[key, one] : *map)
            drop(one);
    }
}

bool Timeline::add(const HostSample &sample)
{
    if (!m_previous && m_hostId.isEmpty())
        m_hostId = sample.hostId;
    else if (sample.hostId != m_hostId)
        return false;
    ++m_samplesAdded;

    const std::int64_t now = sample.epochMs;
    // A rate needs two samples in a row, in time order, of one probe run.
    bool haveInterval = false;
    if (m_previous) {
        if (now <= m_previous->epochMs) {
            dropFrom(now);
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
    const std::optional<std::int64_t> overflows = sample.counters.value(counter::TwOverflow);

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
        rate(Metric::TimeWaitOverflowPerSec, m_previous->overflows, overflows);

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

        const QHash<QString, double> containers =
            containerCpuPercent(m_previous->containerCpu, m_previous->epochMs, sample.containerCpu,
                                now, sample.onlineCpus);
        for (auto &[id, one] : m_containerCpu) {
            if (!containers.contains(id))
                one.broken = true; // stopped, restarted, or its cgroup unreadable this time
        }
        for (auto it = containers.cbegin(); it != containers.cend(); ++it)
            push({Metric::ContainerCpu, it.key()}, now, it.value());
    }

    // Access logs: each window says how many requests its source logged since the previous
    // sample; it carries its own interval, so it needs no previous sample here.
    for (const LogWindow &window : sample.logs) {
        const SeriesId id(Metric::RequestsPerSec, window.sourceId);
        if (!window.error.isEmpty() || window.fromMs <= 0 || window.toMs <= window.fromMs) {
            breakSeries(id);
            continue;
        }
        const double seconds = double(window.toMs - window.fromMs) / 1000.0;
        push(id, window.toMs, double(window.requests) / seconds);
    }

    m_previous =
        Previous{sample.sequence,    now, opens, timeWaitsEnded, overflows, sample.procStat,
                 sample.containerCpu};
    return true;
}

qsizetype Timeline::size(const SeriesId &id) const
{
    const Series *one = find(id);
    return one ? one->recent.size() : 0;
}

qsizetype Timeline::allocatedPoints(const SeriesId &id) const
{
    const Series *one = find(id);
    return one ? one->recent.allocated() : 0;
}

qsizetype Timeline::archivedBuckets(const SeriesId &id) const
{
    const Series *one = find(id);
    return one ? one->archive.size() : 0;
}

QStringList Timeline::keys(Metric metric) const
{
    QStringList result;
    if (!isKeyed(metric))
        return result;
    for (const auto &[key, one] : keyed(metric)) {
        if (!one.empty())
            result.append(key);
    }
    return result;
}

template<typename Visit>
void Timeline::forEachPoint(const Series &one, std::int64_t fromMs, std::int64_t toMs, bool coarse,
                            Visit &&visit) const
{
    // The archive covers the recent points too; read at full resolution, it only stands in for
    // what is older than them.
    const std::int64_t archiveUntil = coarse || one.recent.size() == 0
                                          ? std::numeric_limits<std::int64_t>::max()
                                          : one.recent.at(0).epochMs;
    const std::int64_t archiveTo = std::min(toMs, archiveUntil - 1);
    // From the window's first bucket: after days of running the archive holds weeks that a
    // window of hours would otherwise walk on every redraw.
    one.archive.visitFrom(one.archiveLowerBound(fromMs), [&](const ArchiveBucket &bucket) {
        const bool lowFirst = bucket.low.epochMs <= bucket.high.epochMs;
        const Stored &first = lowFirst ? bucket.low : bucket.high;
        const Stored &second = lowFirst ? bucket.high : bucket.low;
        if (first.epochMs > archiveTo)
            return false;
        if (first.epochMs >= fromMs)
            visit(toPoint(first));
        if (second.epochMs != first.epochMs && second.epochMs >= fromMs &&
            second.epochMs <= archiveTo)
            visit(toPoint(second));
        return true;
    });
    if (coarse)
        return;
    one.recent.visitFrom(one.lowerBound(fromMs), [&](const Stored &stored) {
        if (stored.epochMs > toMs)
            return false;
        visit(toPoint(stored));
        return true;
    });
}

QList<Timeline::Point> Timeline::points(const SeriesId &id) const
{
    return points(id, std::numeric_limits<std::int64_t>::min(),
                  std::numeric_limits<std::int64_t>::max());
}

QList<Timeline::Point> Timeline::points(const SeriesId &id, std::int64_t fromMs,
                                        std::int64_t toMs) const
{
    QList<Point> result;
    const Series *one = find(id);
    if (!one)
        return result;
    result.reserve(one->recent.size());
    forEachPoint(*one, fromMs, toMs, false, [&](const Point &point) { result.append(point); });
    return result;
}

QList<Timeline::Point> Timeline::downsampled(const SeriesId &id, std::int64_t fromMs,
                                             std::int64_t toMs, int buckets) const
{
    QList<Point> result;
    downsampled(id, fromMs, toMs, buckets, result);
    return result;
}

void Timeline::downsampled(const SeriesId &id, std::int64_t fromMs, std::int64_t toMs, int buckets,
                           QList<Point> &result) const
{
    result.clear();
    const Series *one = find(id);
    if (!one || buckets <= 0 || toMs < fromMs)
        return;
    const double span = double(toMs - fromMs) + 1.0;
    const double bucketsPerMs = double(buckets) / span;
    result.reserve(2 * buckets + 2);
    Point low, high;
    bool any = false;
    qsizetype bucket = -1;
    const auto flush = [&] {
        if (!any)
            return;
        if (low.epochMs == high.epochMs) {
            result.append(low);
        } else if (low.epochMs < high.epochMs) {
            result.append(low);
            result.append(high);
        } else {
            result.append(high);
            result.append(low);
        }
        any = false;
    };
    // A pixel at least half as wide as an archive bucket reads the archive alone: a day on a
    // screen costs 1,440 buckets instead of 86,400 points, and a bucket still spans no more
    // than two pixels, so the line loses nothing the eye could see.
    const bool coarse = 2 * span / buckets >= double(m_retention.archiveBucketMs);
    forEachPoint(*one, fromMs, toMs, coarse, [&](const Point &point) {
        const auto pointBucket = qsizetype(double(point.epochMs - fromMs) * bucketsPerMs);
        if (pointBucket != bucket || (any && low.segment != point.segment)) {
            flush();
            bucket = pointBucket;
        }
        if (!any) {
            low = high = point;
            any = true;
            return;
        }
        if (point.value < low.value)
            low = point;
        if (point.value > high.value)
            high = point;
    });
    flush();
}

std::optional<Timeline::Point> Timeline::latest(const SeriesId &id) const
{
    const Series *one = find(id);
    if (!one || one->empty())
        return std::nullopt;
    if (one->recent.size() > 0)
        return toPoint(one->recent.at(one->recent.size() - 1));
    const ArchiveBucket &bucket = one->archive.at(one->archive.size() - 1);
    return toPoint(bucket.low.epochMs > bucket.high.epochMs ? bucket.low : bucket.high);
}

std::optional<Timeline::Point> Timeline::at(const SeriesId &id, std::int64_t epochMs) const
{
    const Series *one = find(id);
    if (!one)
        return std::nullopt;
    const qsizetype after = one->lowerBound(epochMs + 1);
    if (after > 0)
        return toPoint(one->recent.at(after - 1));
    std::optional<Point> found;
    forEachPoint(*one, std::numeric_limits<std::int64_t>::min(), epochMs, false,
                 [&](const Point &point) { found = point; });
    return found;
}

std::optional<std::int64_t> Timeline::firstMs() const
{
    std::optional<std::int64_t> first;
    const auto consider = [&](const Series &one) {
        const auto value = one.firstMs();
        if (value && (!first || *value < *first))
            first = value;
    };
    for (const Series &one : m_fixed)
        consider(one);
    for (const auto *map : {&m_containerCpu, &m_requests}) {
        for (const auto &[key, one] : *map)
            consider(one);
    }
    return first;
}

std::optional<std::int64_t> Timeline::lastMs() const
{
    std::optional<std::int64_t> last;
    const auto consider = [&](const Series &one) {
        const auto value = one.lastMs();
        if (value && (!last || *value > *last))
            last = value;
    };
    for (const Series &one : m_fixed)
        consider(one);
    for (const auto *map : {&m_containerCpu, &m_requests}) {
        for (const auto &[key, one] : *map)
            consider(one);
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
    case Metric::TimeWaitOverflowPerSec:
        return QCoreApplication::translate("twbench::Timeline", "TIME_WAIT overflows/s");
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
    case Metric::ContainerCpu:
        return QCoreApplication::translate("twbench::Timeline", "Container CPU");
    case Metric::RequestsPerSec:
        return QCoreApplication::translate("twbench::Timeline", "Requests/s");
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
    case Metric::TimeWaitOverflowPerSec:
    case Metric::RequestsPerSec:
        return QCoreApplication::translate("twbench::Timeline", "/s");
    case Metric::CpuTotal:
    case Metric::CpuUser:
    case Metric::CpuSystem:
    case Metric::CpuIowait:
    case Metric::CpuSteal:
    case Metric::ContainerCpu:
        return QCoreApplication::translate("twbench::Timeline", "%");
    }
    return {};
}

} // namespace twbench
