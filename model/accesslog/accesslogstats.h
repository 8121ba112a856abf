#pragma once

#include "logwindow.h"

#include <QHash>
#include <QHashFunctions>
#include <QList>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <deque>
#include <limits>
#include <vector>

namespace twbench {

// One row's identity in the caller tables: which source logged what.
struct CallerKey
{
    QString sourceId;
    RequestKey request;

    friend bool operator==(const CallerKey &, const CallerKey &) = default;
};
size_t qHash(const CallerKey &key, size_t seed = 0) noexcept;

// What the access logs of one host said over time, for the charts, the top-callers table and
// the findings. Lives on the GUI thread, one per host, fed with every sample's LogWindows in
// time order. Memory is bounded by Options: rate points per source, history bins per key and
// the number of keys tracked.
//
// Request counts are kept per key in bins of Options::binMs (10 s), for the last
// Options::keyHistoryBins bins (30 min). A window's counts are spread over the bins its span
// overlaps, in proportion, so a window that straddles a bin boundary or a late window covering
// a minute does not pile into one bin. Each source also records, per bin, how long its log was
// actually followed (windows without error), and rates divide by that time: a follower that
// started mid-bin or lost the source for a while does not make the rate look lower.
//
// The steady-rate detector looks for callers that behave like a program rather than people:
// a (source, client, method, path), all statuses together, whose requests per bin stay near
// constant for minutes (a token fetched in a loop, a health check, a retry storm). The rule:
//  - look back from the newest complete bin over consecutive bins in which the log was followed
//    (at least Options::minBinCoverage of the bin) and the caller made at least one request;
//    the run stops at the first bin without either;
//  - the bin in which the caller first appeared is left out (it is only partly filled);
//  - the run must cover at least Options::steadyMinDurationMs;
//  - the mean rate over the run must be at least Options::steadyMinRequestsPerSec;
//  - the coefficient of variation (population standard deviation / mean) of the per-bin rates
//    must be at most Options::steadyMaxVariation;
//  - the requests per bin must be under-dispersed: variance / mean at most
//    Options::steadyMaxDispersion. Independent arrivals (Poisson) have 1, so a busy endpoint
//    used by many people behind one proxy address, whose coefficient of variation shrinks as
//    its volume grows, is still told apart from a loop on a timer (close to 0).
// People click in bursts with pauses: their bins go empty or vary far more than a loop's.
class AccessLogStats final
{
public:
    struct Options
    {
        // Rate points kept per source: 24 h of 1 s samples. About 24 bytes each.
        qsizetype maxRatePoints = 86'400;
        // Width of a history bin. Windows are spread over bins, so samples need not line up.
        std::int64_t binMs = 10'000;
        // Bins kept per key: 180 × 10 s = the last 30 min. 4 bytes each.
        qsizetype keyHistoryBins = 180;
        // Keys tracked at most, per host; when a window brings more, the least active (fewest
        // requests over the kept history, then longest idle) are dropped. With the defaults,
        // about 5,000 × 0.8 KB = 4 MB per host.
        qsizetype maxTrackedKeys = 5'000;
        // A bin counts as observed when the log was followed for at least this share of it.
        double minBinCoverage = 0.5;

        // The steady-rate detector (see the class comment).
        // A minute of bins, each non-empty and all alike: together with the dispersion test no
        // person, nor a crowd behind one address, passes that.
        std::int64_t steadyMinDurationMs = 60 * 1000;
        double steadyMinRequestsPerSec = 0.2; // below this, a bin holds one or two requests and
                                              // its variation means nothing
        double steadyMaxVariation = 0.25;     // coefficient of variation of the per-bin rates
        // Index of dispersion (variance ÷ mean) of the requests per bin: 1 for independent
        // arrivals (people, however many behind one address), near 0 for a loop on a timer.
        double steadyMaxDispersion = 0.5;
    };

    struct RatePoint
    {
        std::int64_t epochMs = 0; // the window's end
        double requestsPerSec = 0.0;

        friend bool operator==(const RatePoint &, const RatePoint &) = default;
    };

    // One row of topCallers().
    struct CallerRow
    {
        QString sourceId;
        RequestKey key;
        std::int64_t requests = 0;   // over the asked span, rounded
        double requestsPerSec = 0.0; // requests / time the source was followed in that span
        bool steady = false;         // the detector flags its (source, client, method, path)

        CallerKey callerKey() const { return {sourceId, key}; }
        friend bool operator==(const CallerRow &, const CallerRow &) = default;
    };

    // One caller the steady-rate detector flags.
    struct SteadyCaller
    {
        QString sourceId;
        QString client;
        QString method;
        QString path;
        double meanRequestsPerSec = 0.0;
        double variation = 0.0;      // coefficient of variation of the per-bin rates
        std::int64_t sinceMs = 0;    // start of the first bin of the steady run
        std::int64_t durationMs = 0; // time followed during the run

        friend bool operator==(const SteadyCaller &, const SteadyCaller &) = default;
    };

    // Totals of one source since the first window.
    struct SourceSummary
    {
        QString sourceId;
        std::int64_t lastMs = 0; // end of the newest window
        std::int64_t requests = 0;
        std::int64_t rejected = 0;
        std::int64_t truncated = 0;
        QString error; // of the newest window: empty when the source was read
    };

    AccessLogStats(); // default Options
    explicit AccessLogStats(Options options);
    ~AccessLogStats();
    AccessLogStats(const AccessLogStats &) = delete;
    AccessLogStats &operator=(const AccessLogStats &) = delete;
    AccessLogStats(AccessLogStats &&) noexcept;
    AccessLogStats &operator=(AccessLogStats &&) noexcept;

    const Options &options() const { return m_options; }

    // Adds one window. A window that does not end after the previous one of its source is
    // ignored (returns false): windows come in time order, a repeat must not count twice.
    bool add(const LogWindow &window);
    void clear();

    // Sources in the order their first window came.
    QStringList sourceIds() const { return m_sourceOrder; }
    SourceSummary summary(const QString &sourceId) const;
    // The end of the newest window of any source.
    std::int64_t latestMs() const { return m_latestMs; }

    // Requests per second of one source, one point per window (windows with an error or
    // without a span give none), oldest first, those ending at or after sinceMs.
    QList<RatePoint>
    ratePoints(const QString &sourceId,
               std::int64_t sinceMs = std::numeric_limits<std::int64_t>::min()) const;
    // Requests per second over the windows that end in the last windowMs of a source (an empty
    // id: every source, summed).
    double requestsPerSecond(const QString &sourceId, std::int64_t windowMs) const;

    // The keys with the highest rate over about the last windowMs (counted in whole bins, so up
    // to one bin more) of one source, or of every source for an empty id; at most `limit` rows,
    // highest rate first.
    QList<CallerRow> topCallers(const QString &sourceId, std::int64_t windowMs,
                                qsizetype limit = 100) const;
    // What the steady-rate detector flags now, highest rate first.
    QList<SteadyCaller> steadyCallers() const;

    qsizetype trackedKeys() const { return m_keys.size(); }

private:
    class BinRing
    {
    public:
        explicit BinRing(qsizetype size = 0);
        void add(std::int64_t bin, float value); // bins older than the ring keeps are dropped
        float at(std::int64_t bin) const;
        float sum() const;
        std::int64_t newestBin() const { return m_newest; }
        qsizetype size() const { return qsizetype(m_values.size()); }

    private:
        size_t slot(std::int64_t bin) const;

        std::vector<float> m_values;
        std::int64_t m_newest = std::numeric_limits<std::int64_t>::min(); // none yet
    };

    struct WindowPoint
    {
        std::int64_t toMs = 0;
        std::int64_t durationMs = 0;
        std::int64_t requests = 0;
    };

    struct Source
    {
        SourceSummary summary;
        std::deque<WindowPoint> points;
        BinRing coveredMs; // how long the log was followed in each bin
    };

    struct KeySeries
    {
        BinRing counts;
    };

    // What the detector judges: a key without its status.
    struct Caller
    {
        QString sourceId;
        QString client;
        QString method;
        QString path;

        static Caller of(const CallerKey &key)
        {
            return {key.sourceId, key.request.client, key.request.method, key.request.path};
        }
        friend bool operator==(const Caller &, const Caller &) = default;
        friend size_t qHash(const Caller &caller, size_t seed = 0) noexcept
        {
            return qHashMulti(seed, caller.sourceId, caller.client, caller.method, caller.path);
        }
    };

    std::int64_t binOf(std::int64_t epochMs) const;
    // Calls spread(bin, share) for each bin the span fromMs..toMs overlaps that the history
    // keeps; the shares sum to 1 over the whole span.
    template<typename Spread>
    void forEachBin(std::int64_t fromMs, std::int64_t toMs, Spread spread) const;
    bool observed(const Source &source, std::int64_t bin) const;
    void makeRoom(qsizetype incoming);
    void dropIdleKeys();
    void computeSteady() const;

    Options m_options;
    QStringList m_sourceOrder;
    QHash<QString, Source> m_sources;
    QHash<CallerKey, KeySeries> m_keys;
    std::int64_t m_latestMs = std::numeric_limits<std::int64_t>::min();
    std::int64_t m_lastPruneBin = std::numeric_limits<std::int64_t>::min();

    // steadyCallers() is asked for often (every refresh, every row) and changes only when a
    // window comes: computed once per change.
    mutable bool m_steadyValid = false;
    mutable QList<SteadyCaller> m_steady;
    mutable QHash<Caller, qsizetype> m_steadyIndex; // into m_steady
};

} // namespace twbench
