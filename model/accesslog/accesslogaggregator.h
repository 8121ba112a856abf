#pragma once

#include "accesslogparser.h"
#include "logwindow.h"

#include <QByteArrayView>
#include <QHash>
#include <QString>

#include <cstdint>

namespace twbench {

// Counts the requests of one log source between two samples: the follower (on the host's
// worker thread) feeds it every line it reads, and with each probe sample takes one LogWindow.
// Pure: no threads, no I/O, no clock; the caller says which span a window covers.
//
// Memory stays bounded whatever the log says: between two takes at most maxPendingKeys distinct
// keys are counted one by one (a flood of distinct paths beyond that is counted in
// otherRequests), and a window carries at most maxKeysPerWindow keys.
class AccessLogAggregator final
{
public:
    // The largest keys a window carries; the rest are summed into LogWindow::otherRequests.
    static constexpr qsizetype maxKeysPerWindow = 200;
    // Distinct keys counted between two takes; requests of further keys go to otherRequests.
    static constexpr qsizetype maxPendingKeys = 20'000;
    // The longest line the follower passes on: it cuts longer lines to this many bytes and
    // passes truncated=true. 64 KiB holds any sane request line and user agent; a longer line
    // is an attack or garbage, and cutting it keeps one line from holding megabytes.
    static constexpr qsizetype maxLineBytes = 64 * 1024;

    AccessLogAggregator(QString sourceId, AccessLogFormat format);

    const QString &sourceId() const { return m_sourceId; }
    const AccessLogParser &parser() const { return m_parser; }

    // One line, without its newline. Empty lines are skipped without being counted; a line the
    // format does not match is counted as rejected.
    void addLine(QByteArrayView line, bool truncated = false);
    // Every line of `text`, split at '\n', each cut at maxLineBytes as the follower does; a last
    // line without newline counts as complete. For tests, benchmarks and whole-file imports.
    void addLines(QByteArrayView text);

    // What was counted since the previous take, for the span fromMs..toMs; starts counting
    // afresh. `error` (translated) says the source could not be read during that span.
    LogWindow take(std::int64_t fromMs, std::int64_t toMs, const QString &error = {});

    std::int64_t pendingRequests() const { return m_requests; }
    std::int64_t pendingRejected() const { return m_rejected; }

private:
    QString m_sourceId;
    AccessLogParser m_parser;
    QHash<RequestKey, std::int64_t> m_counts;
    std::int64_t m_requests = 0;
    std::int64_t m_rejected = 0;
    std::int64_t m_truncated = 0;
    std::int64_t m_overflowRequests = 0; // of keys beyond maxPendingKeys
};

} // namespace twbench
