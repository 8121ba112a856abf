#include "accesslogaggregator.h"

#include <algorithm>
#include <vector>

namespace twbench {

namespace {

// Largest count first; equal counts in a fixed order, so the same traffic gives the same window.
bool largerFirst(const RequestCount &a, const RequestCount &b)
{
    if (a.count != b.count)
        return a.count > b.count;
    if (a.key.client != b.key.client)
        return a.key.client < b.key.client;
    if (a.key.path != b.key.path)
        return a.key.path < b.key.path;
    if (a.key.method != b.key.method)
        return a.key.method < b.key.method;
    return a.key.status < b.key.status;
}

// Floor division: bins of times before 1970 line up too.
std::int64_t floorDiv(std::int64_t value, std::int64_t divisor)
{
    const std::int64_t quotient = value / divisor;
    return quotient * divisor > value ? quotient - 1 : quotient;
}

// The largest maxKeysPerWindow counts into window.keys, the rest (and `overflow`) summed into
// window.otherRequests.
void fillKeys(LogWindow &window, const QHash<RequestKey, std::int64_t> &byKey,
              std::int64_t overflow)
{
    std::vector<RequestCount> counts;
    counts.reserve(size_t(byKey.size()));
    for (auto it = byKey.cbegin(); it != byKey.cend(); ++it)
        counts.push_back({it.key(), it.value()});
    const auto kept = std::min(counts.size(), size_t(AccessLogAggregator::maxKeysPerWindow));
    std::partial_sort(counts.begin(), counts.begin() + std::ptrdiff_t(kept), counts.end(),
                      largerFirst);
    window.keys.reserve(qsizetype(kept));
    for (size_t i = 0; i < kept; ++i)
        window.keys.append(std::move(counts[i]));
    window.otherRequests = overflow;
    for (size_t i = kept; i < counts.size(); ++i)
        window.otherRequests += counts[i].count;
}

} // namespace

AccessLogAggregator::AccessLogAggregator(QString sourceId, AccessLogFormat format)
    : m_sourceId(std::move(sourceId))
    , m_parser(std::move(format))
{}

bool AccessLogAggregator::linesCarryTime() const
{
    const AccessLogFormat &format = m_parser.format();
    return format.kind() != AccessLogFormat::Kind::Regex ||
           format.regex().namedCaptureGroups().contains(QStringLiteral("time"));
}

void AccessLogAggregator::addLine(QByteArrayView line, bool truncated,
                                  std::optional<std::int64_t> epochMs)
{
    if (line.endsWith('\r'))
        line.chop(1);
    if (line.trimmed().isEmpty())
        return;
    std::optional<RequestKey> key;
    if (m_historyBeforeMs && !epochMs) {
        // Only while the history is collected: the whole record, for its time.
        if (std::optional<AccessLogRecord> record = m_parser.parse(line, truncated)) {
            epochMs = record->epochMs;
            key = RequestKey{std::move(record->client), std::move(record->method),
                             std::move(record->path), record->status};
        }
    } else {
        key = m_parser.parseKey(line, truncated);
    }
    if (key && m_historyBeforeMs && epochMs) {
        if (*epochMs < *m_historyBeforeMs) {
            addHistory(*epochMs, std::move(*key), truncated);
            return;
        }
        m_historyReachedLive = true;
    }
    if (truncated)
        ++m_truncated;
    if (!key) {
        ++m_rejected;
        return;
    }
    ++m_requests;
    const auto it = m_counts.find(*key);
    if (it != m_counts.end()) {
        ++*it;
    } else if (m_counts.size() < maxPendingKeys) {
        m_counts.insert(std::move(*key), 1);
    } else {
        ++m_overflowRequests;
    }
}

void AccessLogAggregator::addLines(QByteArrayView text)
{
    qsizetype begin = 0;
    while (begin < text.size()) {
        qsizetype end = text.indexOf('\n', begin);
        if (end < 0)
            end = text.size();
        const qsizetype length = end - begin;
        if (length > maxLineBytes)
            addLine(text.sliced(begin, maxLineBytes), true);
        else
            addLine(text.sliced(begin, length));
        begin = end + 1;
    }
}

LogWindow AccessLogAggregator::take(std::int64_t fromMs, std::int64_t toMs, const QString &error)
{
    LogWindow window;
    window.sourceId = m_sourceId;
    window.fromMs = fromMs;
    window.toMs = toMs;
    window.requests = m_requests;
    window.rejected = m_rejected;
    window.truncated = m_truncated;
    window.error = error;
    fillKeys(window, m_counts, m_overflowRequests);

    m_counts.clear();
    m_requests = 0;
    m_rejected = 0;
    m_truncated = 0;
    m_overflowRequests = 0;
    return window;
}

void AccessLogAggregator::setHistoryBefore(std::int64_t epochMs)
{
    m_historyBeforeMs = epochMs;
    m_history.clear();
    m_historyKeys = 0;
    m_historyFirstMs = std::numeric_limits<std::int64_t>::max();
    m_historyLines = 0;
    m_historyReachedLive = false;
}

void AccessLogAggregator::addHistory(std::int64_t epochMs, RequestKey &&key, bool truncated)
{
    ++m_historyLines;
    m_historyFirstMs = std::min(m_historyFirstMs, epochMs);
    const std::int64_t lastBin = floorDiv(*m_historyBeforeMs - 1, historyBinMs);
    const std::int64_t bin = floorDiv(epochMs, historyBinMs);
    if (bin <= lastBin - maxHistoryBins)
        return; // older than the history keeps
    HistoryBin &counts = m_history[bin];
    ++counts.requests;
    if (truncated)
        ++counts.truncated;
    const auto it = counts.counts.find(key);
    if (it != counts.counts.end()) {
        ++*it;
    } else if (m_historyKeys < maxPendingKeys) {
        counts.counts.insert(std::move(key), 1);
        ++m_historyKeys;
    } else {
        ++counts.overflowRequests;
    }
}

QList<LogWindow> AccessLogAggregator::takeHistory()
{
    QList<LogWindow> windows;
    if (m_historyBeforeMs && m_historyLines > 0) {
        const std::int64_t endMs = *m_historyBeforeMs;
        const std::int64_t lastBin = floorDiv(endMs - 1, historyBinMs);
        const std::int64_t oldestBin = lastBin - maxHistoryBins + 1;
        const std::int64_t firstBin = std::max(oldestBin, floorDiv(m_historyFirstMs, historyBinMs));
        windows.reserve(qsizetype(lastBin - firstBin + 1));
        for (std::int64_t bin = firstBin; bin <= lastBin; ++bin) {
            LogWindow window;
            window.sourceId = m_sourceId;
            // Nothing is known before the first line read: the first bin starts there.
            window.fromMs = std::max(bin * historyBinMs, m_historyFirstMs);
            window.toMs = std::min((bin + 1) * historyBinMs, endMs);
            if (const auto it = m_history.find(bin); it != m_history.end()) {
                window.requests = it->second.requests;
                window.truncated = it->second.truncated;
                fillKeys(window, it->second.counts, it->second.overflowRequests);
            }
            windows.append(std::move(window));
        }
    }
    m_historyBeforeMs.reset();
    m_history.clear();
    m_historyKeys = 0;
    m_historyFirstMs = std::numeric_limits<std::int64_t>::max();
    return windows;
}

} // namespace twbench
