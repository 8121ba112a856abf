#pragma once

#include "accesslogparser.h"
#include "accesslogstats.h"
#include "logwindow.h"

#include <QByteArrayView>
#include <QHash>
#include <QList>
#include <QString>

#include <cstdint>
#include <limits>
#include <map>
#include <optional>

namespace twbench {

// Counts the requests of one log source between two samples: the follower (on the host's
// worker thread) feeds it every line it reads, and with each probe sample takes one LogWindow.
// Pure: no threads, no I/O, no clock; the caller says which span a window covers.
//
// Memory stays bounded whatever the log says: between two takes at most maxPendingKeys distinct
// keys are counted one by one (a flood of distinct paths beyond that is counted in
// otherRequests), and a window carries at most maxKeysPerWindow keys.
//
// History: a follow opened for the first time reads back the log's recent lines (FollowCommand),
// so that the per-caller bins (AccessLogStats' steady-rate detector needs minutes of them) are
// filled at once instead of minutes later. The worker then sets a cut-off (setHistoryBefore():
// the remote's time the follow started, minus a little slack): a line whose own time (docker's
// stamp when the caller passes one, else $time_local or the regex's `time` group) is before it
// goes to a history store instead of the live counts, binned by historyBinMs; lines without a
// time count live. takeHistory() hands the store over as one LogWindow per bin and ends the
// collection. The store is bounded too: the last maxHistoryBins bins before the cut-off (older
// lines are dropped), and maxPendingKeys distinct (bin, key) pairs in all.
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
    // The history's bins: AccessLogStats' own, so each history window fills exactly one of its
    // bins and the detector sees the real requests per bin.
    static constexpr std::int64_t historyBinMs = AccessLogStats::Options{}.binMs;
    // How far back the history reaches: minutes more than the detector's shortest steady run,
    // so a caller that was steady before twbench connected is flagged at once.
    static constexpr std::int64_t historyWindowMs = 10 * 60 * 1000;
    static constexpr qsizetype maxHistoryBins = qsizetype(historyWindowMs / historyBinMs);

    AccessLogAggregator(QString sourceId, AccessLogFormat format);

    const QString &sourceId() const { return m_sourceId; }
    const AccessLogParser &parser() const { return m_parser; }
    // The format's lines say when they were logged: combined, common and auto do ($time_local);
    // a regex only with a `time` group. Without it, history cannot be told from live lines.
    bool linesCarryTime() const;

    // One line, without its newline. Empty lines are skipped without being counted; a line the
    // format does not match is counted as rejected. `epochMs`: when the line was logged, as its
    // carrier says it (docker's stamp, more precise than $time_local); else the line's own time
    // is used, and only while the history is collected.
    void addLine(QByteArrayView line, bool truncated = false,
                 std::optional<std::int64_t> epochMs = std::nullopt);
    // Every line of `text`, split at '\n', each cut at maxLineBytes as the follower does; a last
    // line without newline counts as complete. For tests, benchmarks and whole-file imports.
    void addLines(QByteArrayView text);

    // What was counted since the previous take, for the span fromMs..toMs; starts counting
    // afresh. `error` (translated) says the source could not be read during that span.
    LogWindow take(std::int64_t fromMs, std::int64_t toMs, const QString &error = {});

    std::int64_t pendingRequests() const { return m_requests; }
    std::int64_t pendingRejected() const { return m_rejected; }

    // Starts collecting history afresh: from now on a line logged before `epochMs` is counted in
    // the history (in its historyBinMs bin; dropped when older than the last maxHistoryBins bins
    // before the cut-off), not in the next take().
    void setHistoryBefore(std::int64_t epochMs);
    // The cut-off while the history is collected; nullopt before setHistoryBefore() and after
    // takeHistory().
    std::optional<std::int64_t> historyBefore() const { return m_historyBeforeMs; }
    // Lines logged before the cut-off that came since setHistoryBefore(), those dropped as too
    // old included: the follower's read-back is still arriving while this grows.
    std::int64_t historyLines() const { return m_historyLines; }
    // A line logged at or after the cut-off came: a read-back (which comes in the log's order)
    // is complete.
    bool historyReachedLive() const { return m_historyReachedLive; }
    // The history, one window per bin, oldest first, from the bin of the first line seen (or the
    // oldest bin kept, when older lines were seen) to the cut-off: each window spans its bin,
    // the first one from that first line, the last one up to the cut-off. Bins without a line
    // are there too, with no requests: that nobody called then is what the detector needs to
    // know. Empty when no line before the cut-off came. Ends the collection: lines that come
    // later count live, whatever their time.
    QList<LogWindow> takeHistory();

private:
    struct HistoryBin
    {
        QHash<RequestKey, std::int64_t> counts;
        std::int64_t requests = 0;
        std::int64_t truncated = 0;
        std::int64_t overflowRequests = 0; // of keys beyond the store's bound
    };
    void addHistory(std::int64_t epochMs, RequestKey &&key, bool truncated);

    QString m_sourceId;
    AccessLogParser m_parser;
    QHash<RequestKey, std::int64_t> m_counts;
    std::int64_t m_requests = 0;
    std::int64_t m_rejected = 0;
    std::int64_t m_truncated = 0;
    std::int64_t m_overflowRequests = 0; // of keys beyond maxPendingKeys

    std::optional<std::int64_t> m_historyBeforeMs;
    std::map<std::int64_t, HistoryBin> m_history; // by bin number (epochMs / historyBinMs)
    qsizetype m_historyKeys = 0;                  // (bin, key) pairs in m_history
    std::int64_t m_historyFirstMs = std::numeric_limits<std::int64_t>::max(); // oldest line seen
    std::int64_t m_historyLines = 0;
    bool m_historyReachedLive = false;
};

} // namespace twbench
