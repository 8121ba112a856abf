#pragma once

#include "hostsample.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace twbench {

// The time series of one host, built from its samples, for the charts and the findings.
//
// Breaks. A series is a sequence of segments; a chart draws each segment as its own line and
// leaves a gap between them. A new segment starts, for every series, when a sample's sequence
// does not follow the previous one (samples lost, probe restarted) or its time is not after the
// previous one (the remote clock stepped back: points at or after the new time are dropped, so
// every series stays in time order). A rate series also starts a new segment, and gets no point
// for that interval, when one of its counters went backwards (reboot, wrap, a restarted
// container) or is missing: a rate is never negative and never spans a reset. A gauge whose
// counter a sample lacks starts a new segment at its next point.
//
// Keyed series. ContainerCpu (one series per container id) and RequestsPerSec (one per access
// log source id) hold a series per key; the others have the empty key.
//
// Memory. Every series keeps its newest `Retention::fullResolutionPoints` points at full
// resolution (16 bytes each, allocated as they arrive). Every point is also folded into an
// archive of `Retention::archiveBucketMs` buckets that keeps each bucket's minimum and maximum
// (40 bytes a bucket), up to `Retention::archiveBuckets` buckets; older buckets are dropped.
// Reads older than the full-resolution points come from the archive, and so do reads whose
// pixels are at least half a bucket wide (a day on a screen: 1,440 buckets, not 86,400
// points). The defaults keep 24 h at 1 s (1.4 MB a series) and 30 days of one-minute buckets
// (1.7 MB a series), so a series never holds more than 3.1 MB. A host has 12 fixed series and
// at most `Retention::maxKeyedSeries` of each keyed kind (the least recently fed one makes
// way): 12 + 2 × 64 series, 430 MB in the worst case of 30 days of 1 s samples
// for 128 containers and logs, 34 MB for the fixed series alone.
//
// Not thread-safe; lives on the GUI thread beside the host's other models.
class Timeline final
{
public:
    enum class Metric : std::uint8_t {
        TimeWait,             // sockets: sockstat.TCP.tw
        Established,          // sockets: Tcp.CurrEstab (the kernel counts CLOSE_WAIT in it)
        CloseWait,            // sockets: CLOSE_WAIT rows of the socket table (table samples)
        SynRecv,              // sockets: SYN_RECV + NEW_SYN_RECV rows (table samples)
        NewConnectionsPerSec, // 1/s: Δ(Tcp.ActiveOpens + Tcp.PassiveOpens) / Δt
        TimeWaitPerSec,       // 1/s: Δ TcpExt.TW / Δt — see below
        // 1/s: Δ TcpExt.TCPTimeWaitOverflow / Δt: connections closed without TIME_WAIT because
        // tcp_max_tw_buckets was full. The counter is since boot; only its rate says "now".
        TimeWaitOverflowPerSec,
        CpuTotal,  // %: busy (user + system + irq + steal) of the whole machine
        CpuUser,   // %: user + nice
        CpuSystem, // %
        CpuIowait, // %
        CpuSteal,  // %
        // Keyed series.
        ContainerCpu,   // % of one core (like top), per container id: Δ cgroup usage / Δt
        RequestsPerSec, // 1/s per access-log source: requests logged in the sample's window / Δt
    };
    // TimeWaitPerSec: TcpExt.TW. Measured on Linux 6.18 it grows the moment a socket enters
    // TIME_WAIT (300 made, +300 at once); kernels that count it when the 60 s run out give the
    // same rate in a steady state, a minute late.
    static constexpr int MetricCount = 14;
    static constexpr int FixedMetricCount = 12; // the metrics before ContainerCpu
    static bool isKeyed(Metric metric) { return int(metric) >= FixedMetricCount; }

    // A series: a metric, and for the keyed metrics the key (container id, log source id).
    struct SeriesId
    {
        SeriesId(Metric seriesMetric, QString seriesKey = {}) // NOLINT: implicit on purpose
            : metric(seriesMetric)
            , key(std::move(seriesKey))
        {}
        Metric metric;
        QString key;

        friend bool operator==(const SeriesId &, const SeriesId &) = default;
    };

    struct Point
    {
        std::int64_t epochMs = 0; // the remote's clock
        double value = 0;
        // Increases by one at each break of this series; a chart starts a new line where it
        // changes. Not contiguous across series.
        std::uint32_t segment = 0;

        friend bool operator==(const Point &, const Point &) = default;
    };

    struct Retention
    {
        qsizetype fullResolutionPoints = 24 * 60 * 60; // 24 h of 1 s samples
        std::int64_t archiveBucketMs = 60 * 1000;
        qsizetype archiveBuckets = 30 * 24 * 60; // 30 days of one-minute buckets
        qsizetype maxKeyedSeries = 64;           // per keyed metric
    };

    static constexpr qsizetype DefaultCapacity = 24 * 60 * 60;

    explicit Timeline(qsizetype capacityPerSeries = DefaultCapacity);
    explicit Timeline(const Retention &retention);
    ~Timeline();
    Timeline(Timeline &&) noexcept;
    Timeline &operator=(Timeline &&) noexcept;
    Timeline(const Timeline &) = delete; // megabytes: copy points(), not the timeline
    Timeline &operator=(const Timeline &) = delete;

    // Adds what the sample says. The first sample fixes the host; a sample of another host is
    // refused (false).
    bool add(const HostSample &sample);
    void clear();

    QString hostId() const { return m_hostId; }
    const Retention &retention() const { return m_retention; }
    qsizetype capacity() const { return m_retention.fullResolutionPoints; }
    // Points at full resolution, and archived buckets (each one or two points).
    qsizetype size(const SeriesId &series) const;
    qsizetype archivedBuckets(const SeriesId &series) const;
    // Full-resolution slots allocated for a series: what it costs in memory, never more than
    // capacity().
    qsizetype allocatedPoints(const SeriesId &series) const;
    // The keys of a keyed metric that have points, sorted.
    QStringList keys(Metric metric) const;

    // Oldest first: the archive's minimum and maximum of each bucket (in time order), then the
    // full-resolution points.
    QList<Point> points(const SeriesId &series) const;
    // The points with fromMs <= epochMs <= toMs, oldest first (binary search: O(log n + k)).
    QList<Point> points(const SeriesId &series, std::int64_t fromMs, std::int64_t toMs) const;
    // At most two points (the minimum and the maximum, in time order) per bucket of
    // (toMs - fromMs) / buckets, never merging across a break: what a chart `buckets` pixels
    // wide can show, without losing spikes.
    QList<Point> downsampled(const SeriesId &series, std::int64_t fromMs, std::int64_t toMs,
                             int buckets) const;
    // The same into `into` (cleared first): a caller that reads many lines a frame reuses one
    // buffer, which stays in the cache, instead of a new list per line.
    void downsampled(const SeriesId &series, std::int64_t fromMs, std::int64_t toMs, int buckets,
                     QList<Point> &into) const;
    std::optional<Point> latest(const SeriesId &series) const;
    // The last point at or before epochMs, if it is in the same stretch of samples (no break
    // between it and epochMs is knowable here, so callers limit the distance): what a crosshair
    // reads.
    std::optional<Point> at(const SeriesId &series, std::int64_t epochMs) const;
    // Over every series; nullopt while the timeline is empty.
    std::optional<std::int64_t> firstMs() const;
    std::optional<std::int64_t> lastMs() const;

    static QString metricName(Metric metric); // translated; "TIME_WAIT" stays as the kernel says
    static QString metricUnit(Metric metric); // translated: "sockets", "/s", "%"

private:
    struct Stored
    {
        std::int64_t epochMs;
        float value; // 24 bits of mantissa: exact for counts below 16 million
        std::uint32_t segment;
    };
    struct ArchiveBucket
    {
        std::int64_t index; // epochMs / archiveBucketMs
        Stored low;
        Stored high;
    };

    // A ring buffer that grows to its capacity, then overwrites its oldest item.
    template<typename T>
    class Ring
    {
    public:
        qsizetype size() const { return m_size; }
        qsizetype allocated() const { return qsizetype(m_items.capacity()); }
        const T &at(qsizetype i) const { return m_items[size_t((m_head + i) % ringSize())]; }
        T &at(qsizetype i) { return m_items[size_t((m_head + i) % ringSize())]; }
        // The item that made way, if the ring was full.
        std::optional<T> append(const T &item, qsizetype capacity);
        void popBack(qsizetype capacity);
        void clear();
        // Calls visit(item) from the first-th oldest item on, in order, while it returns true:
        // two contiguous runs of the buffer, without at()'s division per item.
        template<typename Visit>
        void visitFrom(qsizetype first, Visit &&visit) const
        {
            const qsizetype ringSlots = ringSize();
            for (qsizetype i = std::max<qsizetype>(first, 0); i < m_size;) {
                const qsizetype slot = (m_head + i) % ringSlots;
                const qsizetype run = std::min(m_size - i, ringSlots - slot);
                const T *item = m_items.data() + slot;
                for (qsizetype k = 0; k < run; ++k) {
                    if (!visit(item[k]))
                        return;
                }
                i += run;
            }
        }

    private:
        qsizetype ringSize() const { return qsizetype(m_items.size()); }
        std::vector<T> m_items;
        qsizetype m_head = 0; // index of the oldest item once the ring is full
        qsizetype m_size = 0;
    };

    struct Series
    {
        Ring<Stored> recent;
        Ring<ArchiveBucket> archive;
        std::uint32_t segment = 0;
        bool broken = false; // the next point starts a new segment
        std::uint64_t lastFedSample = 0;

        qsizetype lowerBound(std::int64_t epochMs) const; // in `recent`
        // The first archived bucket with a point at or after epochMs.
        qsizetype archiveLowerBound(std::int64_t epochMs) const;
        bool empty() const { return recent.size() == 0 && archive.size() == 0; }
        std::optional<std::int64_t> firstMs() const;
        std::optional<std::int64_t> lastMs() const;
    };

    struct Previous
    {
        std::uint64_t sequence = 0;
        std::int64_t epochMs = 0;
        std::optional<std::int64_t> opens; // ActiveOpens + PassiveOpens
        std::optional<std::int64_t> timeWaitsEnded;
        std::optional<std::int64_t> overflows;
        ProcStat procStat;
        QList<ContainerCpuTime> containerCpu;
    };

    void push(const SeriesId &id, std::int64_t epochMs, double value);
    void archive(Series &series, const Stored &point);
    void breakSeries(const SeriesId &id);
    void breakAll();
    void dropFrom(std::int64_t epochMs);
    Series &series(Metric metric) { return m_fixed[size_t(metric)]; }
    Series *find(const SeriesId &id);
    const Series *find(const SeriesId &id) const;
    Series &findOrCreate(const SeriesId &id);
    std::map<QString, Series> &keyed(Metric metric);
    const std::map<QString, Series> &keyed(Metric metric) const;
    template<typename Visit>
    void forEachPoint(const Series &series, std::int64_t fromMs, std::int64_t toMs, bool coarse,
                      Visit &&visit) const;
    static Point toPoint(const Stored &stored);

    Retention m_retention;
    QString m_hostId;
    std::array<Series, FixedMetricCount> m_fixed;
    std::map<QString, Series> m_containerCpu;
    std::map<QString, Series> m_requests;
    std::uint64_t m_samplesAdded = 0;
    std::optional<Previous> m_previous;
};

} // namespace twbench
