#pragma once

#include "accesslogformat.h"
#include "logwindow.h"

#include <QByteArrayView>
#include <QString>
#include <QStringView>

#include <cstdint>
#include <optional>

namespace twbench {

// One access-log line, as far as twbench uses it. Every string is printable: the log is remote
// data that anyone who can send a request writes into, so control characters (C0, DEL, C1, the
// ESC of ANSI sequences), bidi overrides and zero-width characters are shown as \x1b or \u{202e}
// escapes, invalid UTF-8 as U+FFFD, and each field is cut to its cap with an ellipsis.
struct AccessLogRecord
{
    QString client; // as logged: IPv4, IPv6 or a name; at most maxClientChars
    QString method; // "GET"; "-" when the line had no request; at most maxMethodChars
    QString target; // the request target as sent (query included); at most maxTargetChars
    QString path;   // normalizePath(target); at most maxPathChars
    int status = 0; // 0 when logged as "-"
    std::optional<std::int64_t> epochMs; // from $time_local, UTC; nullopt when absent or invalid

    RequestKey key() const { return {client, method, path, status}; }
};

// Parses access-log lines of one AccessLogFormat. Pure and stateless after construction: one
// parser per log source, on the worker thread.
//
// combined, common and auto are read by a hand-written scanner over the raw bytes, not by a
// regular expression: a busy server writes thousands of lines a second, and the scanner keeps
// up with millions. Inside quoted fields it decodes nginx's \xXX escapes (escape=default),
// JSON-style \" \\ \n \uXXXX (escape=json) and Apache's \" and \\. A quote ends a field only
// when a space or the end of the line follows, so a stray unescaped quote inside a request
// does not cut it short.
class AccessLogParser final
{
public:
    static constexpr qsizetype maxClientChars = 64; // the longest IPv6 text with a zone fits
    static constexpr qsizetype maxMethodChars = 16;
    static constexpr qsizetype maxPathChars = 512;
    static constexpr qsizetype maxTargetChars = 2048;

    explicit AccessLogParser(AccessLogFormat format = {});

    const AccessLogFormat &format() const { return m_format; }

    // The record of one line (without its newline; a trailing '\r' is ignored), or nullopt
    // when the line does not have the format's layout. `truncated` says the follower cut the
    // line at its length cap: the quoted trailers (referer, user agent) may then be cut short
    // and are not required to close. A line cut inside its request is still rejected: its
    // status is gone.
    std::optional<AccessLogRecord> parse(QByteArrayView line, bool truncated = false) const;
    // As parse(), without the raw target: what AccessLogAggregator needs, for less work.
    std::optional<RequestKey> parseKey(QByteArrayView line, bool truncated = false) const;

    // The request target reduced to what groups requests by endpoint, so /users/17 and
    // /users/18 count as one: the query and fragment dropped; an absolute URL
    // ("http://host/path") reduced to its path; runs of slashes collapsed; and path segments
    // that look like identifiers folded to "{id}": numbers, UUIDs, hex strings of 8 or more
    // characters, letter-digit mixes such as "a1b2c3d4" or "user12345" (a digit run of 4 or
    // more, or 3 or more switches between letters and digits), long tokens. Words such as "v1",
    // "oauth2", "x509", "i18n" or "api" stay. An extension stays: "/img/123.jpg" gives
    // "/img/{id}.jpg". "*" (OPTIONS *), "" and targets not starting with '/' (CONNECT's
    // host:port) are returned without folding. Not capped or sanitized: parse() does that.
    static QString normalizePath(QStringView target);

    // nginx's and Apache's $time_local, "10/Oct/2000:13:55:36 -0700", as milliseconds since
    // the epoch (UTC); nullopt when it is not a valid date in that layout.
    static std::optional<std::int64_t> parseTimeLocal(QByteArrayView text);

private:
    AccessLogFormat m_format;
};

} // namespace twbench
