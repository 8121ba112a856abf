#pragma once

#include "hostsample.h"

#include <QList>
#include <QString>

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace twbench {

// The time series of one host, built from its samples, for the charts.
//
// Breaks. A series is a sequence of segments; a chart draws each segment as its own line and
// leaves a gap between them. A new segment starts, for every series, when a sample's sequence
// does not follow the previous one (samples lost, probe restarted) or its time is not after the
// previous one (the remote clock stepped back: points at or after the new time are dropped, so
// every series stays in time order). A rate series also starts a new segment, and gets no point
// for that interval, when one of its counters went backwards (reboot, wrap) or is missing: a
// rate is never negative and never spans a reset. A gauge whose counter a sample lacks starts a
// new segment at its next point.
//
// Memory. Every series is a ring buffer of `capacityPerSeries` points (16 bytes each) allocated
// as points arrive; once full, the oldest point is dropped for each new one. The default keeps
// 24 h of one-second samples: 86 400 points, about 1.4 MB per series, 15 MB per host at most.
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
        CpuTotal,             // %: busy (user + system + irq + steal) of the whole machine
        CpuUser,              // %: user + nice
        CpuSystem,            // %
        CpuIowait,            // %
        CpuSteal,             // %
    };
    // TimeWaitPerSec: TcpExt.TW. Measured on Linux 6.18 it grows the moment a socket enters
    // TIME_WAIT (300 made, +300 at once); kernels that count it when the 60 s run out give the
    // same rate in a steady state, a minute late.
    static constexpr int MetricCount = 11;

    struct Point
    {
        std::int64_t epochMs = 0; // the remote's clock
        double value = 0;
        // Increases by one at each break of this series; a chart starts a new line where it
        // changes. Not contiguous across series.
        std::uint32_t segment = 0;

        friend bool operator==(const Point &, const Point &) = default;
    };

    static constexpr qsizetype DefaultCapacity = 24 * 60 * 60;

    explicit Timeline(qsizetype capacityPerSeries = DefaultCapacity);
    ~Timeline();
    Timeline(Timeline &&) noexcept;
    Timeline &operator=(Timeline &&) noexcept;
    Timeline(const Timeline &) = delete; // up to 15 MB: copy points(), not the timeline
    Timeline &operator=(const Timeline &) = delete;

    // Adds what the sample says. The first sample fixes the host; a sample of another host is
    // refused (false).
    bool add(const HostSample &sample);
    void clear();

    QString hostId() const { return m_hostId; }
    qsizetype capacity() const { return m_capacity; }
    qsizetype size(Metric metric) const;

    // Oldest first.
    QList<Point> points(Metric metric) const;
    // The points with fromMs <= epochMs <= toMs, oldest first (binary search: O(log n + k)).
    QList<Point> points(Metric metric, std::int64_t fromMs, std::int64_t toMs) const;
    // At most two points (the minimum and the maximum, in time order) per bucket of
    // (toMs - fromMs) / buckets, never merging across a break: what a chart `buckets` pixels
    // wide can show, without losing spikes.
    QList<Point> downsampled(Metric metric, std::int64_t fromMs, std::int64_t toMs,
                             int buckets) const;
    std::optional<Point> latest(Metric metric) const;
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

    class Series
    {
    public:
        qsizetype size() const { return m_size; }
        const Stored &at(qsizetype i, qsizetype capacity) const;
        void append(const Stored &point, qsizetype capacity);
        void dropFrom(std::int64_t epochMs, qsizetype capacity); // drops points >= epochMs
        qsizetype lowerBound(std::int64_t epochMs, qsizetype capacity) const;
        void clear();

        std::uint32_t segment = 0;
        bool broken = false; // the next point starts a new segment

    private:
        std::vector<Stored> m_ring;
        qsizetype m_head = 0; // index of the oldest point once the ring is full
        qsizetype m_size = 0;
    };

    struct Previous
    {
        std::uint64_t sequence = 0;
        std::int64_t epochMs = 0;
        std::optional<std::int64_t> opens; // ActiveOpens + PassiveOpens
        std::optional<std::int64_t> timeWaitsEnded;
        ProcStat procStat;
    };

    void push(Metric metric, std::int64_t epochMs, double value);
    void breakSeries(Metric metric);
    void breakAll();
    Series &series(Metric metric) { return m_series[size_t(metric)]; }
    const Series &series(Metric metric) const { return m_series[size_t(metric)]; }
    static Point toPoint(const Stored &stored);

    qsizetype m_capacity;
    QString m_hostId;
    std::array<Series, MetricCount> m_series;
    std::optional<Previous> m_previous;
};

} // namespace twbench
