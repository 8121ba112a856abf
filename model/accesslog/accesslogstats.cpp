#include "accesslogstats.h"

#include <QVarLengthArray>
#include <QtGlobal>

#include <algorithm>
#include <cmath>

namespace twbench {

size_t qHash(const CallerKey &key, size_t seed) noexcept
{
    return qHashMulti(seed, key.sourceId, key.request);
}

namespace {

// Floor division: bins of times before 1970 still line up.
std::int64_t floorDiv(std::int64_t value, std::int64_t divisor)
{
    const std::int64_t quotient = value / divisor;
    return quotient * divisor > value ? quotient - 1 : quotient;
}

bool requestKeyLess(const RequestKey &a, const RequestKey &b)
{
    if (a.client != b.client)
        return a.client < b.client;
    if (a.path != b.path)
        return a.path < b.path;
    if (a.method != b.method)
        return a.method < b.method;
    return a.status < b.status;
}

} // namespace

// ---- BinRing -------------------------------------------------------------------------------

AccessLogStats::BinRing::BinRing(qsizetype size)
    : m_values(size_t(qMax<qsizetype>(size, 1)), 0.0f)
{}

size_t AccessLogStats::BinRing::slot(std::int64_t bin) const
{
    const auto size = std::int64_t(m_values.size());
    return size_t(((bin % size) + size) % size);
}

void AccessLogStats::BinRing::add(std::int64_t bin, float value)
{
    const auto size = std::int64_t(m_values.size());
    if (m_newest == std::numeric_limits<std::int64_t>::min()) {
        m_newest = bin;
    } else if (bin > m_newest) {
        // The bins between the newest and this one had nothing: clear their slots, which hold
        // values from a ring's length ago.
        if (bin - m_newest >= size) {
            std::fill(m_values.begin(), m_values.end(), 0.0f);
        } else {
            for (std::int64_t b = m_newest + 1; b <= bin; ++b)
                m_values[slot(b)] = 0.0f;
        }
        m_newest = bin;
    } else if (bin <= m_newest - size) {
        return;
    }
    m_values[slot(bin)] += value;
}

float AccessLogStats::BinRing::at(std::int64_t bin) const
{
    if (m_newest == std::numeric_limits<std::int64_t>::min() || bin > m_newest ||
        bin <= m_newest - std::int64_t(m_values.size()))
        return 0.0f;
    return m_values[slot(bin)];
}

float AccessLogStats::BinRing::sum() const
{
    float total = 0.0f;
    for (const float value : m_values)
        total += value;
    return total;
}

// ---- AccessLogStats ------------------------------------------------------------------------

AccessLogStats::AccessLogStats()
    : AccessLogStats(Options{})
{}

AccessLogStats::AccessLogStats(Options options)
    : m_options(options)
{
    // Nonsense options would divide by zero or keep nothing; keep the object usable.
    m_options.binMs = qMax<std::int64_t>(m_options.binMs, 1);
    m_options.keyHistoryBins = qMax<qsizetype>(m_options.keyHistoryBins, 2);
    m_options.maxRatePoints = qMax<qsizetype>(m_options.maxRatePoints, 1);
    m_options.maxTrackedKeys = qMax<qsizetype>(m_options.maxTrackedKeys, 1);
}

AccessLogStats::~AccessLogStats() = default;
AccessLogStats::AccessLogStats(AccessLogStats &&) noexcept = default;
AccessLogStats &AccessLogStats::operator=(AccessLogStats &&) noexcept = default;

std::int64_t AccessLogStats::binOf(std::int64_t epochMs) const
{
    return floorDiv(epochMs, m_options.binMs);
}

template<typename Spread>
void AccessLogStats::forEachBin(std::int64_t fromMs, std::int64_t toMs, Spread spread) const
{
    const std::int64_t binMs = m_options.binMs;
    const std::int64_t durationMs = toMs - fromMs;
    // Only the bins the history keeps: a window spanning days costs no more than one spanning
    // the kept history.
    const std::int64_t lastBin = binOf(toMs - 1);
    const std::int64_t firstBin = qMax(binOf(fromMs), lastBin - m_options.keyHistoryBins + 1);
    for (std::int64_t bin = firstBin; bin <= lastBin; ++bin) {
        const std::int64_t overlap = qMin(toMs, (bin + 1) * binMs) - qMax(fromMs, bin * binMs);
        if (overlap > 0)
            spread(bin, double(overlap) / double(durationMs), overlap);
    }
}

bool AccessLogStats::observed(const Source &source, std::int64_t bin) const
{
    return source.coveredMs.at(bin) >= float(m_options.minBinCoverage * double(m_options.binMs));
}

bool AccessLogStats::add(const LogWindow &window)
{
    auto sourceIt = m_sources.find(window.sourceId);
    if (sourceIt == m_sources.end()) {
        Source source;
        source.summary.sourceId = window.sourceId;
        source.summary.lastMs = std::numeric_limits<std::int64_t>::min();
        source.coveredMs = BinRing(m_options.keyHistoryBins);
        sourceIt = m_sources.insert(window.sourceId, std::move(source));
        m_sourceOrder.append(window.sourceId);
    }
    Source &source = *sourceIt;
    if (window.toMs <= source.summary.lastMs)
        return false;

    source.summary.lastMs = window.toMs;
    source.summary.requests += window.requests;
    source.summary.rejected += window.rejected;
    source.summary.truncated += window.truncated;
    source.summary.error = window.error;
    m_latestMs = qMax(m_latestMs, window.toMs);
    m_steadyValid = false;

    // Without a span (the follower's first window, a clock step back) there is no rate to
    // compute and no bin to spread over: the window counts in the totals only.
    const std::int64_t durationMs = window.toMs - window.fromMs;
    if (durationMs <= 0)
        return true;

    if (window.error.isEmpty()) {
        source.points.push_back({window.toMs, durationMs, window.requests});
        while (qsizetype(source.points.size()) > m_options.maxRatePoints)
            source.points.pop_front();
        forEachBin(window.fromMs, window.toMs,
                   [&source](std::int64_t bin, double, std::int64_t ms) {
                       source.coveredMs.add(bin, float(ms));
                   });
    }

    qsizetype incoming = 0;
    for (const RequestCount &count : window.keys)
        incoming += !m_keys.contains({window.sourceId, count.key});
    if (m_keys.size() + incoming > m_options.maxTrackedKeys)
        makeRoom(incoming);

    for (const RequestCount &count : window.keys) {
        if (count.count <= 0)
            continue;
        CallerKey key{window.sourceId, count.key};
        auto it = m_keys.find(key);
        if (it == m_keys.end()) {
            if (m_keys.size() >= m_options.maxTrackedKeys)
                continue; // more new keys in one window than the bound: the largest come first
            it = m_keys.insert(std::move(key), KeySeries{BinRing(m_options.keyHistoryBins)});
        }
        BinRing &counts = it->counts;
        forEachBin(window.fromMs, window.toMs,
                   [&counts, &count](std::int64_t bin, double share, std::int64_t) {
                       counts.add(bin, float(double(count.count) * share));
                   });
    }

    const std::int64_t newestBin = binOf(m_latestMs);
    if (newestBin != m_lastPruneBin) {
        m_lastPruneBin = newestBin;
        dropIdleKeys();
    }
    return true;
}

// Keys with nothing left in the kept history are gone for good.
void AccessLogStats::dropIdleKeys()
{
    const std::int64_t oldestKept = binOf(m_latestMs) - m_options.keyHistoryBins + 1;
    m_keys.removeIf([oldestKept](const QHash<CallerKey, KeySeries>::iterator &it) {
        return it->counts.newestBin() < oldestKept;
    });
}

// Drops the least active keys so that `incoming` new ones fit, and a tenth of the bound more so
// that a stream of new keys does not sort the table on every window.
void AccessLogStats::makeRoom(qsizetype incoming)
{
    const qsizetype target =
        qMax<qsizetype>(0, m_options.maxTrackedKeys - incoming - m_options.maxTrackedKeys / 10);
    const qsizetype excess = m_keys.size() - target;
    if (excess <= 0)
        return;
    struct Activity
    {
        float requests;
        std::int64_t newestBin;
        CallerKey key;
    };
    std::vector<Activity> activity;
    activity.reserve(size_t(m_keys.size()));
    for (auto it = m_keys.cbegin(); it != m_keys.cend(); ++it)
        activity.push_back({it->counts.sum(), it->counts.newestBin(), it.key()});
    const auto lessActive = [](const Activity &a, const Activity &b) {
        if (a.requests != b.requests)
            return a.requests < b.requests;
        return a.newestBin < b.newestBin;
    };
    const auto cut = activity.begin() + std::ptrdiff_t(qMin<qsizetype>(excess, m_keys.size()));
    std::nth_element(activity.begin(), cut, activity.end(), lessActive);
    for (auto it = activity.begin(); it != cut; ++it)
        m_keys.remove(it->key);
}

void AccessLogStats::clear()
{
    m_sourceOrder.clear();
    m_sources.clear();
    m_keys.clear();
    m_latestMs = std::numeric_limits<std::int64_t>::min();
    m_lastPruneBin = std::numeric_limits<std::int64_t>::min();
    m_steadyValid = false;
    m_steady.clear();
    m_steadyIndex.clear();
}

AccessLogStats::SourceSummary AccessLogStats::summary(const QString &sourceId) const
{
    const auto it = m_sources.constFind(sourceId);
    if (it == m_sources.constEnd())
        return {sourceId, 0, 0, 0, 0, {}};
    return it->summary;
}

QList<AccessLogStats::RatePoint> AccessLogStats::ratePoints(const QString &sourceId,
                                                            std::int64_t sinceMs) const
{
    QList<RatePoint> points;
    const auto it = m_sources.constFind(sourceId);
    if (it == m_sources.constEnd())
        return points;
    const auto first = std::lower_bound(
        it->points.cbegin(), it->points.cend(), sinceMs,
        [](const WindowPoint &point, std::int64_t since) { return point.toMs < since; });
    points.reserve(qsizetype(it->points.cend() - first));
    for (auto point = first; point != it->points.cend(); ++point)
        points.append({point->toMs, double(point->requests) * 1000.0 / double(point->durationMs)});
    return points;
}

double AccessLogStats::requestsPerSecond(const QString &sourceId, std::int64_t windowMs) const
{
    const auto rateOf = [windowMs](const Source &source) {
        std::int64_t requests = 0;
        std::int64_t durationMs = 0;
        const std::int64_t since = source.summary.lastMs - windowMs;
        for (auto point = source.points.crbegin();
             point != source.points.crend() && point->toMs > since; ++point) {
            requests += point->requests;
            durationMs += point->durationMs;
        }
        return durationMs > 0 ? double(requests) * 1000.0 / double(durationMs) : 0.0;
    };
    if (!sourceId.isEmpty()) {
        const auto it = m_sources.constFind(sourceId);
        return it == m_sources.constEnd() ? 0.0 : rateOf(*it);
    }
    double total = 0.0;
    for (const Source &source : m_sources)
        total += rateOf(source);
    return total;
}

QList<AccessLogStats::CallerRow>
AccessLogStats::topCallers(const QString &sourceId, std::int64_t windowMs, qsizetype limit) const
{
    QList<CallerRow> rows;
    if (m_keys.isEmpty() || limit <= 0)
        return rows;
    computeSteady();

    // Each source over the same span of bins, ending at the newest window of any source (or of
    // the one asked): a source that went quiet shows its callers fading out.
    std::int64_t nowMs = m_latestMs;
    if (!sourceId.isEmpty()) {
        const auto it = m_sources.constFind(sourceId);
        if (it == m_sources.constEnd())
            return rows;
        nowMs = it->summary.lastMs;
    }
    const std::int64_t lastBin = binOf(nowMs - 1);
    const std::int64_t firstBin = qMax(binOf(nowMs - qMax<std::int64_t>(windowMs, 1)),
                                       lastBin - m_options.keyHistoryBins + 1);

    QHash<QString, double> coveredSeconds;
    for (auto it = m_sources.cbegin(); it != m_sources.cend(); ++it) {
        double ms = 0.0;
        for (std::int64_t bin = firstBin; bin <= lastBin; ++bin)
            ms += double(it->coveredMs.at(bin));
        coveredSeconds.insert(it.key(), ms / 1000.0);
    }

    for (auto it = m_keys.cbegin(); it != m_keys.cend(); ++it) {
        const CallerKey &key = it.key();
        if (!sourceId.isEmpty() && key.sourceId != sourceId)
            continue;
        double requests = 0.0;
        for (std::int64_t bin = firstBin; bin <= lastBin; ++bin)
            requests += double(it->counts.at(bin));
        const auto rounded = std::int64_t(std::llround(requests));
        if (rounded <= 0)
            continue;
        const double seconds = coveredSeconds.value(key.sourceId);
        CallerRow row;
        row.sourceId = key.sourceId;
        row.key = key.request;
        row.requests = rounded;
        row.requestsPerSec = seconds > 0.0 ? requests / seconds : 0.0;
        row.steady = m_steadyIndex.contains(Caller::of(key));
        rows.append(std::move(row));
    }

    const auto higherFirst = [](const CallerRow &a, const CallerRow &b) {
        if (a.requestsPerSec != b.requestsPerSec)
            return a.requestsPerSec > b.requestsPerSec;
        if (a.requests != b.requests)
            return a.requests > b.requests;
        if (a.sourceId != b.sourceId)
            return a.sourceId < b.sourceId;
        return requestKeyLess(a.key, b.key);
    };
    if (rows.size() > limit) {
        std::partial_sort(rows.begin(), rows.begin() + limit, rows.end(), higherFirst);
        rows.resize(limit);
    } else {
        std::sort(rows.begin(), rows.end(), higherFirst);
    }
    return rows;
}

QList<AccessLogStats::SteadyCaller> AccessLogStats::steadyCallers() const
{
    computeSteady();
    return m_steady;
}

void AccessLogStats::computeSteady() const
{
    if (m_steadyValid)
        return;
    m_steadyValid = true;
    m_steady.clear();
    m_steadyIndex.clear();

    const std::int64_t bins = m_options.keyHistoryBins;
    const auto sourceOf = [this](const QString &sourceId) -> const Source & {
        return *m_sources.constFind(sourceId); // every key's source has a window
    };
    const auto newestCompleteBin = [this](const Source &source) {
        return binOf(source.summary.lastMs) - 1;
    };

    // A steady run ends at the newest complete bin, so only callers with requests there are
    // candidates; and the run is walked back bin by bin, so a caller that was quiet a minute ago
    // costs a few bins, not its whole history.
    QHash<Caller, QVarLengthArray<const BinRing *, 4>> candidates; // its keys, one per status
    for (auto it = m_keys.cbegin(); it != m_keys.cend(); ++it) {
        const std::int64_t newestComplete = newestCompleteBin(sourceOf(it.key().sourceId));
        if (it->counts.at(newestComplete) > 0.0f)
            candidates.insert(Caller::of(it.key()), {});
    }
    if (candidates.isEmpty())
        return;
    for (auto it = m_keys.cbegin(); it != m_keys.cend(); ++it) {
        const auto found = candidates.find(Caller::of(it.key()));
        if (found != candidates.end())
            found->append(&it->counts);
    }

    for (auto it = candidates.cbegin(); it != candidates.cend(); ++it) {
        const Source &source = sourceOf(it.key().sourceId);
        const std::int64_t newestComplete = newestCompleteBin(source);
        const std::int64_t oldest = newestComplete - bins + 1;
        const auto countAt = [&rings = it.value()](std::int64_t bin) {
            double count = 0.0;
            for (const BinRing *ring : rings)
                count += double(ring->at(bin));
            return count;
        };

        std::int64_t start = newestComplete + 1;
        while (start > oldest && observed(source, start - 1) && countAt(start - 1) > 0.0)
            --start;
        // The run stopped at an observed bin where the caller was silent: the run's first bin
        // is the one it appeared in, only partly filled.
        if (start > oldest && start <= newestComplete && observed(source, start - 1))
            ++start;
        if (start > newestComplete)
            continue;

        double coveredMs = 0.0;
        for (std::int64_t bin = start; bin <= newestComplete; ++bin)
            coveredMs += double(source.coveredMs.at(bin));
        if (coveredMs < double(m_options.steadyMinDurationMs))
            continue;

        std::vector<double> rates;
        rates.reserve(size_t(newestComplete - start + 1));
        for (std::int64_t bin = start; bin <= newestComplete; ++bin)
            rates.push_back(countAt(bin) * 1000.0 / double(source.coveredMs.at(bin)));
        double mean = 0.0;
        for (const double rate : rates)
            mean += rate;
        mean /= double(rates.size());
        if (mean < m_options.steadyMinRequestsPerSec || mean <= 0.0)
            continue;
        double variance = 0.0;
        for (const double rate : rates)
            variance += (rate - mean) * (rate - mean);
        variance /= double(rates.size());
        const double variation = std::sqrt(variance) / mean;
        if (variation > m_options.steadyMaxVariation)
            continue;
        // Requests per bin against a Poisson process of the same mean: many independent people
        // behind one address give variance ≈ mean (dispersion ≈ 1) however busy they are, a
        // loop on a timer far less.
        const double perBin = double(m_options.binMs) / 1000.0;
        const double dispersion = variance * perBin / mean;
        if (dispersion > m_options.steadyMaxDispersion)
            continue;

        const Caller &caller = it.key();
        m_steady.append({caller.sourceId, caller.client, caller.method, caller.path, mean,
                         variation, start * m_options.binMs, std::int64_t(coveredMs)});
    }

    std::sort(m_steady.begin(), m_steady.end(), [](const SteadyCaller &a, const SteadyCaller &b) {
        if (a.meanRequestsPerSec != b.meanRequestsPerSec)
            return a.meanRequestsPerSec > b.meanRequestsPerSec;
        if (a.sourceId != b.sourceId)
            return a.sourceId < b.sourceId;
        if (a.client != b.client)
            return a.client < b.client;
        return a.path < b.path;
    });
    for (qsizetype i = 0; i < m_steady.size(); ++i) {
        const SteadyCaller &steady = m_steady.at(i);
        m_steadyIndex.insert({steady.sourceId, steady.client, steady.method, steady.path}, i);
    }
}

} // namespace twbench
