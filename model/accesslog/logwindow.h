#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

#include <cstdint>

namespace twbench {

// The interface between the log follower (remote/, the host's worker thread) and the views
// (gui/, through HostSample::logs). The follower parses every line it receives with
// AccessLogParser, folds the records into an AccessLogAggregator, and with each probe sample
// takes one LogWindow per log source: what that source said since the previous sample.

// One request, as its log line said it, reduced to what the views and findings group by.
struct RequestKey
{
    QString client; // address as written in the log (IPv4, IPv6, or a name), printable
    QString method; // "GET", printable, at most 16 characters; "-" when the line had none
    QString path;   // normalized: query dropped, digits and ids folded ("/users/{id}")
    int status = 0; // 0 when the line had none ("-")

    friend bool operator==(const RequestKey &, const RequestKey &) = default;
};
size_t qHash(const RequestKey &key, size_t seed = 0) noexcept;

struct RequestCount
{
    RequestKey key;
    std::int64_t count = 0;

    friend bool operator==(const RequestCount &, const RequestCount &) = default;
};

// What one log source said between two samples.
struct LogWindow
{
    QString sourceId;           // LogSourceSpec::id(): the path, or "container:<name>"
    std::int64_t fromMs = 0;    // the previous sample's time (the remote's clock)
    std::int64_t toMs = 0;      // this sample's time
    std::int64_t requests = 0;  // lines parsed as requests
    std::int64_t rejected = 0;  // lines that did not match the format (counted, skipped)
    std::int64_t truncated = 0; // lines longer than the cap, cut (and still parsed)
    // Counts per key, largest first; at most AccessLogAggregator::maxKeysPerWindow entries, the
    // rest summed into `otherRequests`, so a window's size is bounded whatever the traffic.
    QList<RequestCount> keys;
    std::int64_t otherRequests = 0;
    QString error; // translated: the follower could not read the source (file missing, …)

    friend bool operator==(const LogWindow &, const LogWindow &) = default;
};

} // namespace twbench
