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

} // namespace

AccessLogAggregator::AccessLogAggregator(QString sourceId, AccessLogFormat format)
    : m_sourceId(std::move(sourceId))
    , m_parser(std::move(format))
{}

void AccessLogAggregator::addLine(QByteArrayView line, bool truncated)
{
    if (line.endsWith('\r'))
        line.chop(1);
    if (line.trimmed().isEmpty())
        return;
    if (truncated)
        ++m_truncated;
    std::optional<RequestKey> key = m_parser.parseKey(line, truncated);
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

    std::vector<RequestCount> counts;
    counts.reserve(size_t(m_counts.size()));
    for (auto it = m_counts.cbegin(); it != m_counts.cend(); ++it)
        counts.push_back({it.key(), it.value()});
    const auto kept = std::min(counts.size(), size_t(maxKeysPerWindow));
    std::partial_sort(counts.begin(), counts.begin() + std::ptrdiff_t(kept), counts.end(),
                      largerFirst);
    window.keys.reserve(qsizetype(kept));
    for (size_t i = 0; i < kept; ++i)
        window.keys.append(std::move(counts[i]));
    window.otherRequests = m_overflowRequests;
    for (size_t i = kept; i < counts.size(); ++i)
        window.otherRequests += counts[i].count;

    m_counts.clear();
    m_requests = 0;
    m_rejected = 0;
    m_truncated = 0;
    m_overflowRequests = 0;
    return window;
}

} // namespace twbench
