// Access logs: the format specs, the line parser on real nginx and Apache lines and on hostile
// ones, path normalization, the per-sample aggregator, the statistics with the steady-rate
// detector, and the top-callers table.

#include "model/accesslog/accesslogaggregator.h"
#include "model/accesslog/accesslogformat.h"
#include "model/accesslog/accesslogparser.h"
#include "model/accesslog/accesslogstats.h"
#include "model/accesslog/topcallersmodel.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QFile>
#include <QPersistentModelIndex>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTimeZone>

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <ostream>

// Readable failures for QString comparisons (QString lives in the global namespace).
inline void PrintTo(const QString &text, std::ostream *os)
{
    *os << '"' << text.toStdString() << '"';
}

namespace twbench {

inline void PrintTo(const RequestKey &key, std::ostream *os)
{
    *os << key.client.toStdString() << ' ' << key.method.toStdString() << ' '
        << key.path.toStdString() << ' ' << key.status;
}

} // namespace twbench

using namespace twbench;

namespace {

constexpr auto Fatal = QAbstractItemModelTester::FailureReportingMode::Fatal;

QByteArray readFixture(const char *name)
{
    QFile file(QStringLiteral(TWBENCH_TEST_DATA_DIR "/accesslog/") + QLatin1StringView(name));
    if (!file.open(QIODevice::ReadOnly)) {
        ADD_FAILURE() << "missing fixture " << name;
        return {};
    }
    return file.readAll();
}

QList<QByteArray> linesOf(const QByteArray &text)
{
    QList<QByteArray> lines = text.split('\n');
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

std::int64_t utcMs(int year, int month, int day, int hour, int minute, int second,
                   int offsetSeconds = 0)
{
    return QDateTime(QDate(year, month, day), QTime(hour, minute, second), QTimeZone(offsetSeconds))
        .toMSecsSinceEpoch();
}

// Nothing that a terminal or a label would interpret, hide or reorder.
bool isDisplaySafe(const QString &text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text.at(i).unicode();
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
            return false;
        if (c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
            (c >= 0x2066 && c <= 0x2069) || (c >= 0x200b && c <= 0x200d) || c == 0x2060 ||
            c == 0xfeff || c == 0x2028 || c == 0x2029)
            return false;
        if (text.at(i).isHighSurrogate()) {
            if (i + 1 == text.size() || !text.at(i + 1).isLowSurrogate())
                return false;
            ++i;
        } else if (text.at(i).isLowSurrogate()) {
            return false;
        }
    }
    return true;
}

void expectDisplaySafe(const AccessLogRecord &record)
{
    EXPECT_TRUE(isDisplaySafe(record.client)) << record.client.toStdString();
    EXPECT_TRUE(isDisplaySafe(record.method)) << record.method.toStdString();
    EXPECT_TRUE(isDisplaySafe(record.target)) << record.target.toStdString();
    EXPECT_TRUE(isDisplaySafe(record.path)) << record.path.toStdString();
    EXPECT_LE(record.client.size(), AccessLogParser::maxClientChars);
    EXPECT_LE(record.method.size(), AccessLogParser::maxMethodChars);
    EXPECT_LE(record.target.size(), AccessLogParser::maxTargetChars);
    EXPECT_LE(record.path.size(), AccessLogParser::maxPathChars);
}

AccessLogParser parserFor(const char *spec)
{
    QString error;
    const std::optional<AccessLogFormat> format =
        AccessLogFormat::fromSpec(QString::fromUtf8(spec), &error);
    EXPECT_TRUE(format) << error.toStdString();
    return AccessLogParser(format.value_or(AccessLogFormat()));
}

// The records of a fixture, by client, and how many lines were rejected.
struct ParsedFixture
{
    QHash<QString, AccessLogRecord> byClient;
    QList<AccessLogRecord> records;
    int rejected = 0;
};

ParsedFixture parseFixture(const char *name, const AccessLogParser &parser)
{
    ParsedFixture parsed;
    for (const QByteArray &line : linesOf(readFixture(name))) {
        if (line.trimmed().isEmpty())
            continue;
        const std::optional<AccessLogRecord> record = parser.parse(line);
        if (!record) {
            ++parsed.rejected;
            continue;
        }
        expectDisplaySafe(*record);
        parsed.byClient.insert(record->client, *record);
        parsed.records.append(*record);
    }
    return parsed;
}

// ---- formats -------------------------------------------------------------------------------

TEST(AccessLogFormat, SpecsReadBackAsWritten)
{
    for (const char *spec : {"auto", "combined", "common",
                             "regex:^(?<client>\\S+) \"(?<request>[^\"]*)\" (?<status>\\d+)"}) {
        QString error;
        const std::optional<AccessLogFormat> format =
            AccessLogFormat::fromSpec(QString::fromUtf8(spec), &error);
        ASSERT_TRUE(format) << spec << ": " << error.toStdString();
        EXPECT_EQ(format->spec(), QString::fromUtf8(spec));
        EXPECT_TRUE(error.isEmpty());
    }
    EXPECT_EQ(AccessLogFormat::fromSpec(QStringLiteral("Combined"))->kind(),
              AccessLogFormat::Kind::Combined);
    EXPECT_EQ(AccessLogFormat().kind(), AccessLogFormat::Kind::Auto);
}

TEST(AccessLogFormat, BadSpecsAreRefusedWithAReason)
{
    const auto refusal = [](const char *spec) {
        QString error;
        const std::optional<AccessLogFormat> format =
            AccessLogFormat::fromSpec(QString::fromUtf8(spec), &error);
        EXPECT_FALSE(format) << spec;
        EXPECT_FALSE(error.isEmpty()) << spec;
        return error;
    };
    EXPECT_TRUE(refusal("xml").contains(u"xml"));
    EXPECT_TRUE(refusal("regex:").contains(u"empty"));
    EXPECT_TRUE(refusal("regex:(?<client>\\S+) (?<path>").contains(u"valid regular expression"));
    EXPECT_TRUE(refusal("regex:(?<path>\\S+)").contains(u"client"));
    EXPECT_TRUE(refusal("regex:(?<client>\\S+) (?<url>\\S+)").contains(u"(?<path>"));
    // A hostile spec does not reach the message raw.
    EXPECT_TRUE(isDisplaySafe(refusal("\x1b[31mred\xe2\x80\xae")));
    // Without an error pointer, still no crash.
    EXPECT_FALSE(AccessLogFormat::fromSpec(QStringLiteral("regex:("), nullptr));
}

// ---- the parser on real logs ---------------------------------------------------------------

TEST(AccessLogParser, ReadsRealNginxCombinedLog)
{
    const ParsedFixture parsed = parseFixture("nginx_combined.log", parserFor("combined"));
    ASSERT_EQ(parsed.records.size(), 12);
    EXPECT_EQ(parsed.rejected, 0);

    const AccessLogRecord &token = parsed.records.at(0);
    EXPECT_EQ(token.client, u"127.0.0.1");
    EXPECT_EQ(token.method, u"GET");
    EXPECT_EQ(token.target, u"/api/token?appid=wx123&secret=s");
    EXPECT_EQ(token.path, u"/api/token");
    EXPECT_EQ(token.status, 200);
    EXPECT_EQ(token.epochMs, utcMs(2026, 11, 26, 8, 37, 16));

    EXPECT_EQ(parsed.records.at(1).path, u"/users/{id}/orders/{id}");
    EXPECT_EQ(parsed.records.at(2).method, u"POST");
    const AccessLogRecord &v6 = parsed.records.at(3);
    EXPECT_EQ(v6.client, u"::1");
    EXPECT_EQ(v6.path, u"/missing/{id}");
    EXPECT_EQ(v6.status, 404);
    EXPECT_EQ(parsed.records.at(4).path, u"/private/page"); // $remote_user "bob"
    EXPECT_EQ(parsed.records.at(5).path, u"/double/slash/");
    // "GET /a b HTTP/1.1": nginx answers 400 and logs the line as received.
    EXPECT_EQ(parsed.records.at(7).method, u"GET");
    EXPECT_EQ(parsed.records.at(7).target, u"/a b");
    EXPECT_EQ(parsed.records.at(7).status, 400);
    // ESC and U+202E in the request line, escaped by nginx as \x1B and \xE2\x80\xAE.
    const AccessLogRecord &hostile = parsed.records.at(8);
    EXPECT_EQ(hostile.path, u"/esc\\x1b[2J\\u{202e}/x");
    // A TLS ClientHello sent to the plain-HTTP port: one binary token, shown escaped, capped.
    const AccessLogRecord &tls = parsed.records.at(9);
    EXPECT_TRUE(tls.method.startsWith(u"\\x16\\x03"));
    EXPECT_TRUE(tls.path.isEmpty());
    EXPECT_EQ(tls.status, 400);
    EXPECT_EQ(parsed.records.at(10).path, u"/abs/{id}"); // absolute-form target
    EXPECT_EQ(parsed.records.at(11).method, u"OPTIONS");
    EXPECT_EQ(parsed.records.at(11).path, u"*");

    // The same log read as "auto" gives the same keys; read as "common" it is all rejected:
    // a wrong format shows, it does not quietly count.
    const ParsedFixture autoParsed = parseFixture("nginx_combined.log", parserFor("auto"));
    ASSERT_EQ(autoParsed.records.size(), 12);
    for (qsizetype i = 0; i < 12; ++i)
        EXPECT_EQ(autoParsed.records.at(i).key(), parsed.records.at(i).key()) << i;
    EXPECT_EQ(parseFixture("nginx_combined.log", parserFor("common")).rejected, 12);
}

TEST(AccessLogParser, ReadsApacheCommonLogAndRejectsGarbage)
{
    const ParsedFixture parsed = parseFixture("apache_common.log", parserFor("common"));
    // Seven good lines and one ending in CRLF; free text, an error-log line, 31 February, a
    // line cut inside its request, a four-digit status, a combined line and binary rejected.
    EXPECT_EQ(parsed.records.size(), 8);
    EXPECT_EQ(parsed.rejected, 7);

    const AccessLogRecord frank = parsed.byClient.value(QStringLiteral("127.0.0.1"));
    EXPECT_EQ(frank.path, u"/apache_pb.gif");
    EXPECT_EQ(frank.epochMs, utcMs(2000, 10, 10, 13, 55, 36, -7 * 3600));
    EXPECT_EQ(frank.epochMs, 971211336000); // 20:55:36 UTC

    EXPECT_EQ(parsed.byClient.value(QStringLiteral("192.168.42.1")).path, u"/index.php");
    const AccessLogRecord v6 = parsed.byClient.value(QStringLiteral("2001:db8::17"));
    EXPECT_EQ(v6.path, u"/users/{id}/profile");
    EXPECT_EQ(v6.status, 304); // with "-" bytes
    EXPECT_EQ(v6.epochMs, utcMs(2024, 3, 5, 9, 1, 3, 3600));
    EXPECT_EQ(parsed.byClient.value(QStringLiteral("host.example.net")).method, u"HEAD");
    const AccessLogRecord timeout = parsed.byClient.value(QStringLiteral("10.0.0.8"));
    EXPECT_EQ(timeout.method, u"-");
    EXPECT_TRUE(timeout.path.isEmpty());
    EXPECT_EQ(timeout.status, 408);
    EXPECT_EQ(parsed.byClient.value(QStringLiteral("10.0.0.9")).path, u"/search/\"quoted\"");
    EXPECT_EQ(parsed.byClient.value(QStringLiteral("10.0.0.14")).path, u"/crlf");

    // "auto" takes the combined line too, and nothing else.
    const ParsedFixture autoParsed = parseFixture("apache_common.log", parserFor("auto"));
    EXPECT_EQ(autoParsed.records.size(), 9);
    EXPECT_EQ(autoParsed.rejected, 6);
    EXPECT_EQ(autoParsed.byClient.value(QStringLiteral("10.0.0.13")).path, u"/combined");
}

TEST(AccessLogParser, DecodesEscapesAndNeverShowsControlCharacters)
{
    const ParsedFixture parsed = parseFixture("escapes.log", parserFor("combined"));
    EXPECT_EQ(parsed.rejected, 0);
    ASSERT_EQ(parsed.records.size(), 16);
    const auto at = [&parsed](const char *client) {
        const QString key = QString::fromUtf8(client);
        EXPECT_TRUE(parsed.byClient.contains(key)) << client;
        return parsed.byClient.value(key);
    };

    // nginx's \x22, Apache's \" and \\, nginx's \x5C.
    EXPECT_EQ(at("203.0.113.5").target, u"/q/\"a\"?x=\"");
    EXPECT_EQ(at("203.0.113.5").path, u"/q/\"a\"");
    EXPECT_EQ(at("203.0.113.6").path, u"/say/\"hi\"/now");
    // A backslash is shown doubled, so that a literal "\x1b" cannot pass for an escape.
    EXPECT_EQ(at("203.0.113.7").path, u"/back\\\\slash");
    // JSON's \u001b decodes to ESC, which is shown escaped.
    EXPECT_EQ(at("203.0.113.8").path, u"/json\\x1b[31mred");

    // "-" everywhere: a client named "-", no request, no status.
    const AccessLogRecord dashes = at("-");
    EXPECT_EQ(dashes.method, u"-");
    EXPECT_TRUE(dashes.path.isEmpty());
    EXPECT_EQ(dashes.status, 0);
    // An empty request from an IPv6 client (a connection closed before it sent anything).
    const AccessLogRecord empty = at("2001:db8:85a3::8a2e:370:7334");
    EXPECT_EQ(empty.method, u"-");
    EXPECT_EQ(empty.status, 400);
    EXPECT_EQ(at("fe80::1%eth0").path, u"/");

    // Raw control bytes, bidi override, zero-width space, invalid UTF-8, C1 controls, DEL.
    EXPECT_EQ(at("203.0.113.9").path, u"/raw\\x1b[2J\\x1b]0;title\\x07/x");
    const QString bidi = at("203.0.113.10").path;
    EXPECT_EQ(bidi, u"/bidi/\\u{202e}gpj.exe\\u{200b}");
    EXPECT_TRUE(at("203.0.113.11").path.contains(QChar(QChar::ReplacementCharacter)));
    EXPECT_EQ(at("203.0.113.12").path, u"/c1/\\x85\\x9bx\\x7f");
    // ANSI colour in the client field.
    EXPECT_EQ(parsed.records.at(11).client, u"\\x1b[31m198.51.100.1");
    // nginx-escaped ESC and a lone C1 byte (invalid UTF-8 on its own).
    EXPECT_EQ(at("203.0.113.16").path, QStringLiteral("/\\x1b") +
                                           QChar(QChar::ReplacementCharacter) +
                                           QStringLiteral("/esc"));

    // Malformed but loggable requests.
    EXPECT_EQ(at("203.0.113.13").target, u"/a b");
    EXPECT_EQ(at("203.0.113.14").target, u"/stray\"quote"); // an unescaped quote
    EXPECT_EQ(at("203.0.113.14").status, 200);
    const AccessLogRecord longMethod = at("203.0.113.15");
    EXPECT_EQ(longMethod.method.size(), AccessLogParser::maxMethodChars);
    EXPECT_TRUE(longMethod.method.endsWith(QChar(0x2026)));
}

TEST(AccessLogParser, CapsVeryLongLinesInsteadOfRejectingThem)
{
    const AccessLogParser parser;
    const QByteArray prefix = "10.1.1.1 - - [26/Nov/2026:08:37:16 +0000] \"GET /";
    QByteArray longPath = prefix;
    for (int i = 0; longPath.size() < 1024 * 1024; ++i)
        longPath += "segment/";
    longPath += " HTTP/1.1\" 200 3 \"-\" \"curl/8\"";
    const std::optional<AccessLogRecord> record = parser.parse(longPath);
    ASSERT_TRUE(record);
    expectDisplaySafe(*record);
    EXPECT_EQ(record->path.size(), AccessLogParser::maxPathChars);
    EXPECT_TRUE(record->path.endsWith(QChar(0x2026)));
    EXPECT_TRUE(record->path.startsWith(u"/segment/segment/"));
    EXPECT_EQ(record->target.size(), AccessLogParser::maxTargetChars);

    // A megabyte of user agent, as the follower passes it: cut at maxLineBytes, truncated.
    QByteArray longAgent = "10.1.1.2 - - [26/Nov/2026:08:37:16 +0000] \"GET /ok HTTP/1.1\" 200 3 "
                           "\"-\" \"";
    longAgent += QByteArray(1024 * 1024, 'A');
    longAgent += "\"\n";
    AccessLogAggregator aggregator(QStringLiteral("log"),
                                   AccessLogFormat(AccessLogFormat::Kind::Combined));
    aggregator.addLines(longAgent);
    aggregator.addLines(QByteArray(longPath + '\n')); // cut inside its request: no status left
    const LogWindow window = aggregator.take(0, 1000);
    EXPECT_EQ(window.truncated, 2);
    EXPECT_EQ(window.requests, 1);
    EXPECT_EQ(window.rejected, 1);
    ASSERT_EQ(window.keys.size(), 1);
    EXPECT_EQ(window.keys.first().key.path, u"/ok");
}

TEST(AccessLogParser, GarbageIsRejectedNeverACrash)
{
    const QByteArray good =
        "198.51.100.7 - - [26/Nov/2026:08:37:16 +0000] \"GET /x\\x22y HTTP/1.1\" "
        "200 3 \"-\" \"ua \\\"q\\\"\"";
    for (const char *spec : {"auto", "combined", "common"}) {
        const AccessLogParser parser = parserFor(spec);
        // Every prefix of a good line: most are rejected, none crashes or leaks a control
        // character.
        for (qsizetype length = 0; length <= good.size(); ++length) {
            if (const auto record = parser.parse(good.first(length)))
                expectDisplaySafe(*record);
        }
        // Random bytes, and a good line with random bytes overwritten.
        QRandomGenerator random(42);
        for (int round = 0; round < 3000; ++round) {
            QByteArray line = round % 2 ? good : QByteArray(int(random.bounded(200)), '\0');
            const int changes = round % 2 ? 1 + int(random.bounded(4)) : int(line.size());
            for (int i = 0; i < changes && !line.isEmpty(); ++i)
                line[int(random.bounded(int(line.size())))] = char(random.bounded(256));
            if (const auto record = parser.parse(line))
                expectDisplaySafe(*record);
        }
    }
    const AccessLogParser parser;
    EXPECT_FALSE(parser.parse(""));
    EXPECT_FALSE(parser.parse(" "));
    EXPECT_FALSE(parser.parse("-"));
    EXPECT_FALSE(parser.parse("1.2.3.4 - - [] \"GET / HTTP/1.1\" 200 3"));
    EXPECT_FALSE(parser.parse("1.2.3.4 - - [26/Nov/2026:08:37:16 +0000] GET / 200 3"));
    EXPECT_FALSE(parser.parse("1.2.3.4 - - [26/Nov/2026:08:37:16 +0000] \"GET /\" OK 3"));
    EXPECT_FALSE(parser.parse("1.2.3.4 - - [26/Nov/2026:08:37:16 +0000] \"GET /\" 200 x"));
    EXPECT_TRUE(parser.parse("1.2.3.4 - - [26/Nov/2026:08:37:16 +0000] \"GET /\" 200 3"));
}

TEST(AccessLogParser, TimeLocalWithOffsets)
{
    using P = AccessLogParser;
    EXPECT_EQ(P::parseTimeLocal("01/Jan/1970:00:00:00 +0000"), 0);
    EXPECT_EQ(P::parseTimeLocal("10/Oct/2000:13:55:36 -0700"), 971211336000);
    EXPECT_EQ(P::parseTimeLocal("10/Oct/2000:13:55:36 +0000"), 971186136000);
    EXPECT_EQ(P::parseTimeLocal("05/Mar/2024:09:01:02 +0530"),
              utcMs(2024, 3, 5, 9, 1, 2, 5 * 3600 + 1800));
    EXPECT_EQ(P::parseTimeLocal("01/Jan/2025:00:30:00 +0100"), utcMs(2024, 12, 31, 23, 30, 0));
    EXPECT_EQ(P::parseTimeLocal("29/Feb/2024:12:00:00 +0000"), utcMs(2024, 2, 29, 12, 0, 0));
    EXPECT_EQ(P::parseTimeLocal("31/Dec/1969:23:59:59 +0000"), -1000);
    EXPECT_FALSE(P::parseTimeLocal("29/Feb/2023:12:00:00 +0000"));
    EXPECT_FALSE(P::parseTimeLocal("31/Apr/2024:12:00:00 +0000"));
    EXPECT_FALSE(P::parseTimeLocal("10/Foo/2000:13:55:36 -0700"));
    EXPECT_FALSE(P::parseTimeLocal("10/Oct/2000:24:00:00 +0000"));
    EXPECT_FALSE(P::parseTimeLocal("10/Oct/2000:13:55:36 0700"));
    EXPECT_FALSE(P::parseTimeLocal("10/Oct/2000:13:55:36"));
    EXPECT_FALSE(P::parseTimeLocal("1/Oct/2000:13:55:36 +0000"));
    EXPECT_FALSE(P::parseTimeLocal(""));
}

TEST(AccessLogParser, RegexFormatReadsCustomLayouts)
{
    // A JSON-ish custom nginx format with $time_iso8601 and the path on its own.
    const AccessLogParser byPath = parserFor(
        "regex:^(?<client>\\S+) (?<time>\\S+) (?<method>[A-Z]+) (?<path>\\S+) (?<status>\\d{3}|-)");
    const std::optional<AccessLogRecord> record =
        byPath.parse("10.0.0.1 2024-03-05T09:01:02+01:00 GET /users/7?x=1 200 0.004");
    ASSERT_TRUE(record);
    EXPECT_EQ(record->client, u"10.0.0.1");
    EXPECT_EQ(record->method, u"GET");
    EXPECT_EQ(record->path, u"/users/{id}");
    EXPECT_EQ(record->status, 200);
    EXPECT_EQ(record->epochMs, utcMs(2024, 3, 5, 8, 1, 2));
    EXPECT_FALSE(byPath.parse("not matching"));

    // The whole request in one group, $time_local, no status group.
    const AccessLogParser byRequest =
        parserFor("regex:^(?<client>\\S+) \\[(?<time>[^]]+)\\] \"(?<request>[^\"]*)\"");
    const std::optional<AccessLogRecord> request =
        byRequest.parse("::1 [10/Oct/2000:13:55:36 -0700] \"POST /api/v2/token HTTP/1.1\"");
    ASSERT_TRUE(request);
    EXPECT_EQ(request->method, u"POST");
    EXPECT_EQ(request->path, u"/api/v2/token");
    EXPECT_EQ(request->status, 0);
    EXPECT_EQ(request->epochMs, 971211336000);
    // Hostile text through a regex is made safe too.
    const std::optional<AccessLogRecord> hostile =
        byRequest.parse("\x1b[2J [x] \"GET /\xe2\x80\xae HTTP/1.1\"");
    ASSERT_TRUE(hostile);
    expectDisplaySafe(*hostile);
    EXPECT_FALSE(hostile->epochMs);
}

// ---- path normalization --------------------------------------------------------------------

TEST(NormalizePath, FoldsIdsKeepsWords)
{
    const std::vector<std::pair<const char *, const char *>> cases = {
        {"/users/123", "/users/{id}"},
        {"/users/123/", "/users/{id}/"},
        {"/api/v1/token?appid=x&secret=y", "/api/v1/token"},
        {"/oauth2/token", "/oauth2/token"},
        {"/api/v2beta/items", "/api/v2beta/items"},
        {"/x509/sha256/i18n/h2c/md5/utf8", "/x509/sha256/i18n/h2c/md5/utf8"},
        {"/items/550e8400-E29B-41d4-a716-446655440000/edit", "/items/{id}/edit"},
        {"/blob/5f2b9c1e0a", "/blob/{id}"},
        {"/blob/deadbeef", "/blob/{id}"},
        {"/blob/a1b2c3d4", "/blob/{id}"},
        {"/commit/5f2b", "/commit/{id}"},
        {"/u/user12345", "/u/{id}"},
        {"/day/2024-01-15", "/day/{id}"},
        {"/token/eyJhbGciOiJIUzI1NiJ9xyz1", "/token/{id}"},
        {"/img/12345.jpg", "/img/{id}.jpg"},
        {"/report.v2.pdf", "/report.v2.pdf"},
        {"/page-2", "/page-2"},
        {"/accepted", "/accepted"},
        {"/very-long-descriptive-word-without-digits",
         "/very-long-descriptive-word-without-digits"},
        {"//a///b//", "/a/b/"},
        {"/", "/"},
        {"//", "/"},
        {"", ""},
        {"*", "*"},
        {"?only=query", ""},
        {"/a#frag", "/a"},
        {"http://example.com/users/42?x=1", "/users/{id}"},
        {"HTTPS://example.com:8443", "/"},
        {"http://example.com?x", "/"},
        {"example.com:443", "example.com:443"},
        {"/%E4%B8%AD/42", "/%E4%B8%AD/{id}"},
        {"/../../etc/passwd", "/../../etc/passwd"},
    };
    for (const auto &[target, expected] : cases) {
        EXPECT_EQ(AccessLogParser::normalizePath(QString::fromUtf8(target)),
                  QString::fromUtf8(expected))
            << target;
    }
}

// ---- the aggregator ------------------------------------------------------------------------

QByteArray combinedLine(const QByteArray &client, const QByteArray &target, int status = 200)
{
    return client + " - - [26/Nov/2026:08:37:16 +0000] \"GET " + target + " HTTP/1.1\" " +
           QByteArray::number(status) + " 12 \"-\" \"curl/8\"";
}

TEST(AccessLogAggregator, KeepsTheLargestKeysAndSumsTheRest)
{
    AccessLogAggregator aggregator(QStringLiteral("/var/log/nginx/access.log"), AccessLogFormat());
    // Client i makes i + 1 requests: 300 keys, 45,150 requests.
    std::int64_t total = 0;
    for (int i = 0; i < 300; ++i) {
        const QByteArray line =
            combinedLine("10.9." + QByteArray::number(i / 256) + '.' + QByteArray::number(i % 256),
                         "/api/token?n=" + QByteArray::number(i));
        for (int n = 0; n <= i; ++n)
            aggregator.addLine(line);
        total += i + 1;
    }
    aggregator.addLine("garbage");
    aggregator.addLine("");
    EXPECT_EQ(aggregator.pendingRequests(), total);

    const LogWindow window = aggregator.take(1000, 2000);
    EXPECT_EQ(window.sourceId, u"/var/log/nginx/access.log");
    EXPECT_EQ(window.fromMs, 1000);
    EXPECT_EQ(window.toMs, 2000);
    EXPECT_EQ(window.requests, total);
    EXPECT_EQ(window.rejected, 1);
    EXPECT_EQ(window.truncated, 0);
    ASSERT_EQ(window.keys.size(), AccessLogAggregator::maxKeysPerWindow);
    EXPECT_EQ(window.keys.first().count, 300);
    EXPECT_EQ(window.keys.first().key.path, u"/api/token");
    EXPECT_EQ(window.keys.last().count, 101);
    for (qsizetype i = 1; i < window.keys.size(); ++i)
        EXPECT_GE(window.keys.at(i - 1).count, window.keys.at(i).count);
    EXPECT_EQ(window.otherRequests, 100 * 101 / 2); // the 100 smallest: 1 + … + 100
    std::int64_t inKeys = 0;
    for (const RequestCount &count : window.keys)
        inKeys += count.count;
    EXPECT_EQ(inKeys + window.otherRequests, window.requests);

    // Counting starts afresh.
    const LogWindow next = aggregator.take(2000, 3000, QStringLiteral("gone"));
    EXPECT_EQ(next.requests, 0);
    EXPECT_TRUE(next.keys.isEmpty());
    EXPECT_EQ(next.otherRequests, 0);
    EXPECT_EQ(next.error, u"gone");
}

TEST(AccessLogAggregator, BoundsTheKeysCountedBetweenTakes)
{
    AccessLogAggregator aggregator(QStringLiteral("log"), AccessLogFormat());
    const int distinct = int(AccessLogAggregator::maxPendingKeys) + 500;
    for (int i = 0; i < distinct; ++i) {
        // Distinct words, which normalization keeps apart: "/search/baaa", "/search/caaa", …
        QByteArray word = "aaaa";
        for (int n = i, at = 0; n > 0; n /= 26, ++at)
            word[at] = char('a' + n % 26);
        aggregator.addLine(combinedLine("10.0.0.1", "/search/" + word));
    }
    const LogWindow window = aggregator.take(0, 1000);
    EXPECT_EQ(window.requests, distinct);
    EXPECT_EQ(window.keys.size(), AccessLogAggregator::maxKeysPerWindow);
    EXPECT_EQ(window.otherRequests, distinct - AccessLogAggregator::maxKeysPerWindow);
}

TEST(AccessLogAggregator, SameKeyFromDifferentQueriesAndIds)
{
    AccessLogAggregator aggregator(QStringLiteral("log"), AccessLogFormat());
    const QByteArray text = combinedLine("10.0.0.1", "/users/1?a=b") + '\n' +
                            combinedLine("10.0.0.1", "/users/2") + "\r\n" +
                            combinedLine("10.0.0.1", "/users/3", 404) + '\n' +
                            combinedLine("10.0.0.2", "/users/4");
    aggregator.addLines(text);
    const LogWindow window = aggregator.take(0, 1000);
    ASSERT_EQ(window.keys.size(), 3);
    EXPECT_EQ(window.keys.first().key,
              (RequestKey{QStringLiteral("10.0.0.1"), QStringLiteral("GET"),
                          QStringLiteral("/users/{id}"), 200}));
    EXPECT_EQ(window.keys.first().count, 2);
}

// ---- statistics and the steady-rate detector -----------------------------------------------

const QString apiLog = QStringLiteral("/var/log/api/access.log");
const QString webLog = QStringLiteral("container:web-nginx");

RequestKey key(const char *client, const char *path, int status = 200, const char *method = "GET")
{
    return {QString::fromUtf8(client), QString::fromUtf8(method), QString::fromUtf8(path), status};
}

LogWindow window(const QString &source, std::int64_t fromMs, std::int64_t toMs,
                 QList<RequestCount> keys)
{
    LogWindow w;
    w.sourceId = source;
    w.fromMs = fromMs;
    w.toMs = toMs;
    w.keys = std::move(keys);
    for (const RequestCount &count : w.keys)
        w.requests += count.count;
    return w;
}

// An arbitrary time that lines up with no bin.
constexpr std::int64_t t0 = 1'764'146'236'437;

// Feeds one window per second for `seconds`, each with what `perSecond(second)` says.
void feed(AccessLogStats &stats, const QString &source, std::int64_t fromMs, int seconds,
          const std::function<QList<RequestCount>(int)> &perSecond)
{
    for (int s = 0; s < seconds; ++s)
        stats.add(window(source, fromMs + s * 1000, fromMs + (s + 1) * 1000, perSecond(s)));
}

TEST(AccessLogStats, RatesPerWindowAndOverRecentTime)
{
    AccessLogStats stats;
    feed(stats, apiLog, t0, 60, [](int) { return QList<RequestCount>{{key("a", "/x"), 10}}; });
    feed(stats, apiLog, t0 + 60'000, 60, [](int) {
        return QList<RequestCount>{{key("a", "/x"), 20}};
    });
    // A window in which the follower could not read: no rate point.
    LogWindow failed = window(apiLog, t0 + 120'000, t0 + 121'000, {});
    failed.error = QStringLiteral("cannot open");
    EXPECT_TRUE(stats.add(failed));
    // A repeat is ignored.
    EXPECT_FALSE(stats.add(window(apiLog, t0 + 119'000, t0 + 120'000, {{key("a", "/x"), 99}})));

    const QList<AccessLogStats::RatePoint> points = stats.ratePoints(apiLog);
    ASSERT_EQ(points.size(), 120);
    EXPECT_EQ(points.first().epochMs, t0 + 1000);
    EXPECT_DOUBLE_EQ(points.first().requestsPerSec, 10.0);
    EXPECT_DOUBLE_EQ(points.last().requestsPerSec, 20.0);
    EXPECT_EQ(stats.ratePoints(apiLog, t0 + 100'000).size(), 21);
    EXPECT_NEAR(stats.requestsPerSecond(apiLog, 30'000), 20.0, 1e-9);
    EXPECT_NEAR(stats.requestsPerSecond(apiLog, 121'000), 15.0, 1e-9);

    const AccessLogStats::SourceSummary summary = stats.summary(apiLog);
    EXPECT_EQ(summary.requests, 60 * 10 + 60 * 20);
    EXPECT_EQ(summary.lastMs, t0 + 121'000);
    EXPECT_EQ(summary.error, u"cannot open");
    EXPECT_EQ(stats.sourceIds(), QStringList{apiLog});

    // Rate points are bounded.
    AccessLogStats::Options options;
    options.maxRatePoints = 50;
    AccessLogStats bounded(options);
    feed(bounded, apiLog, t0, 200, [](int) { return QList<RequestCount>{{key("a", "/x"), 1}}; });
    EXPECT_EQ(bounded.ratePoints(apiLog).size(), 50);
    EXPECT_EQ(bounded.ratePoints(apiLog).last().epochMs, t0 + 200'000);
}

TEST(AccessLogStats, TopCallersByRateAcrossSources)
{
    AccessLogStats stats;
    feed(stats, apiLog, t0, 120, [](int) {
        return QList<RequestCount>{{key("192.168.42.1", "/api/token"), 12},
                                   {key("10.0.0.5", "/health"), 1}};
    });
    feed(stats, webLog, t0, 120, [](int s) {
        return QList<RequestCount>{{key("192.168.42.1", "/"), s % 2 ? 3 : 0}};
    });

    const QList<AccessLogStats::CallerRow> api = stats.topCallers(apiLog, 60'000);
    ASSERT_EQ(api.size(), 2);
    EXPECT_EQ(api.first().key.path, u"/api/token");
    EXPECT_NEAR(api.first().requestsPerSec, 12.0, 0.01);
    // Whole bins: 60 s asked, between 60 and 70 s counted.
    EXPECT_GE(api.first().requests, 12 * 60);
    EXPECT_LE(api.first().requests, 12 * 70);
    EXPECT_NEAR(api.last().requestsPerSec, 1.0, 0.01);

    const QList<AccessLogStats::CallerRow> all = stats.topCallers({}, 60'000);
    ASSERT_EQ(all.size(), 3);
    EXPECT_EQ(all.at(0).sourceId, apiLog);
    EXPECT_EQ(all.at(1).sourceId, webLog);
    EXPECT_NEAR(all.at(1).requestsPerSec, 1.5, 0.01);
    EXPECT_EQ(stats.topCallers({}, 60'000, 1).size(), 1);
    EXPECT_TRUE(stats.topCallers(QStringLiteral("unknown"), 60'000).isEmpty());

    // A caller that stopped fades out of a short span.
    feed(stats, apiLog, t0 + 120'000, 30, [](int) {
        return QList<RequestCount>{{key("10.0.0.5", "/health"), 1}};
    });
    const QList<AccessLogStats::CallerRow> later = stats.topCallers(apiLog, 10'000);
    ASSERT_FALSE(later.isEmpty());
    EXPECT_EQ(later.first().key.path, u"/health");
}

TEST(AccessLogStats, EvictsTheLeastActiveKeys)
{
    AccessLogStats::Options options;
    options.maxTrackedKeys = 100;
    AccessLogStats stats(options);
    feed(stats, apiLog, t0, 300, [](int s) {
        QList<RequestCount> keys{{key("192.168.42.1", "/api/token"), 12}};
        // A scanner: three new paths a second, each requested once.
        for (int i = 0; i < 3; ++i)
            keys.append(
                {key("203.0.113.9",
                     QByteArray("/probe" + QByteArray::number(s * 3 + i) + "x").constData()),
                 1});
        return keys;
    });
    EXPECT_LE(stats.trackedKeys(), 100);
    EXPECT_GT(stats.trackedKeys(), 50);
    const QList<AccessLogStats::CallerRow> top = stats.topCallers(apiLog, 60'000);
    ASSERT_FALSE(top.isEmpty());
    EXPECT_EQ(top.first().key.path, u"/api/token");
    EXPECT_NEAR(top.first().requestsPerSec, 12.0, 0.01);
    ASSERT_EQ(stats.steadyCallers().size(), 1);
}

// 12 requests a second, give or take one, like a loop that fetches a token.
QList<RequestCount> loopSecond(QRandomGenerator &random)
{
    return {{key("192.168.42.1", "/api/token"), 11 + random.bounded(3)}};
}

TEST(SteadyCallers, FireOnALoopWithJitter)
{
    AccessLogStats stats;
    QRandomGenerator random(7);
    // Under a minute: not yet long enough.
    feed(stats, apiLog, t0, 50, [&random](int) { return loopSecond(random); });
    EXPECT_TRUE(stats.steadyCallers().isEmpty());

    // People on the web log, and a loop on the API for five minutes in all; some answers 304.
    feed(stats, webLog, t0, 300, [](int s) {
        return QList<RequestCount>{{key("10.0.0.7", "/"), s % 17 == 0 ? 9 : 0}};
    });
    feed(stats, apiLog, t0 + 50'000, 250, [&random](int s) {
        QList<RequestCount> keys = loopSecond(random);
        if (s % 5 == 0)
            keys.append({key("192.168.42.1", "/api/token", 304), 1});
        return keys;
    });

    const QList<AccessLogStats::SteadyCaller> steady = stats.steadyCallers();
    ASSERT_EQ(steady.size(), 1);
    const AccessLogStats::SteadyCaller &loop = steady.first();
    EXPECT_EQ(loop.sourceId, apiLog);
    EXPECT_EQ(loop.client, u"192.168.42.1");
    EXPECT_EQ(loop.method, u"GET");
    EXPECT_EQ(loop.path, u"/api/token");
    EXPECT_NEAR(loop.meanRequestsPerSec, 12.2, 0.3);
    EXPECT_LT(loop.variation, 0.1);
    EXPECT_GE(loop.durationMs, stats.options().steadyMinDurationMs);
    EXPECT_LE(loop.durationMs, 300'000);
    EXPECT_GE(loop.sinceMs, t0);
    EXPECT_LE(loop.sinceMs, t0 + 20'000);

    // The table marks both statuses of the flagged caller, and nothing else.
    for (const AccessLogStats::CallerRow &row : stats.topCallers({}, 60'000))
        EXPECT_EQ(row.steady, row.key.path == u"/api/token") << row.key.path.toStdString();

    // When the loop stops, the finding goes with it.
    feed(stats, apiLog, t0 + 300'000, 30, [](int) { return QList<RequestCount>{}; });
    EXPECT_TRUE(stats.steadyCallers().isEmpty());
}

TEST(SteadyCallers, FireWithIrregularSampleTimes)
{
    // Samples every 0.6 to 2.4 s, as a busy worker delivers them; the rate stays 12/s.
    AccessLogStats stats;
    QRandomGenerator random(11);
    std::int64_t from = t0;
    double owed = 0.0;
    while (from < t0 + 400'000) {
        const std::int64_t to = from + 600 + random.bounded(1800);
        owed += double(to - from) * 12.0 / 1000.0;
        const auto count = std::int64_t(owed);
        owed -= double(count);
        stats.add(
            window(apiLog, from, to, {{key("172.17.0.3", "/oauth2/token", 200, "POST"), count}}));
        from = to;
    }
    const QList<AccessLogStats::SteadyCaller> steady = stats.steadyCallers();
    ASSERT_EQ(steady.size(), 1);
    EXPECT_EQ(steady.first().method, u"POST");
    EXPECT_NEAR(steady.first().meanRequestsPerSec, 12.0, 0.3);
}

TEST(SteadyCallers, SilentOnBurstyPeople)
{
    for (quint32 seed = 1; seed <= 20; ++seed) {
        AccessLogStats stats;
        QRandomGenerator random(seed);
        // Bursts of 5 to 30 requests over one to three seconds, then 5 to 60 s of reading.
        int burstLeft = 0;
        int burstSeconds = 0;
        int silence = 0;
        bool everFlagged = false;
        feed(stats, webLog, t0, 30 * 60, [&](int s) {
            QList<RequestCount> keys;
            if (silence > 0) {
                --silence;
            } else {
                if (burstLeft == 0) {
                    burstLeft = 5 + random.bounded(26);
                    burstSeconds = 1 + random.bounded(3);
                }
                const int now = burstSeconds == 1 ? burstLeft : burstLeft / burstSeconds;
                keys.append({key("10.1.2.3", "/app/dashboard"), now});
                burstLeft -= now;
                if (--burstSeconds == 0 || burstLeft == 0) {
                    burstLeft = 0;
                    silence = 5 + random.bounded(56);
                }
            }
            if (s % 10 == 9)
                everFlagged = everFlagged || !stats.steadyCallers().isEmpty();
            return keys;
        });
        EXPECT_FALSE(everFlagged) << "seed " << seed;
        EXPECT_TRUE(stats.steadyCallers().isEmpty()) << "seed " << seed;
    }
}

TEST(SteadyCallers, SilentOnABusyButUnevenCaller)
{
    // Never silent for a whole bin, but 5/s and 15/s in turns of half a minute: a batch job or
    // a crowd, not a loop. Every bin has requests, so only the variation rule can tell.
    const auto uneven = [](int s) {
        return QList<RequestCount>{{key("10.0.0.9", "/export"), (s / 30) % 2 ? 15 : 5}};
    };
    AccessLogStats stats;
    feed(stats, apiLog, t0, 10 * 60, uneven);
    EXPECT_TRUE(stats.steadyCallers().isEmpty());

    AccessLogStats::Options lenient;
    lenient.steadyMaxVariation = 0.6;
    lenient.steadyMaxDispersion = 1000; // the turns are far from a timer's evenness too
    AccessLogStats tolerant(lenient);
    feed(tolerant, apiLog, t0, 10 * 60, uneven);
    ASSERT_EQ(tolerant.steadyCallers().size(), 1);
    // 0.5 if bins lined up with the turns; bins that straddle a turn smooth it a little.
    EXPECT_GT(tolerant.steadyCallers().first().variation, 0.35);
    EXPECT_LE(tolerant.steadyCallers().first().variation, 0.5);
}

TEST(SteadyCallers, SilentOnACrowdBehindOneAddress)
{
    // Many people behind one proxy address: independent arrivals (Poisson), 6 a second on
    // average, for ten minutes. No bin is empty and the coefficient of variation of 10 s bins
    // is about 0.13, under the variation limit: only the dispersion tells it from a loop.
    for (quint32 seed = 1; seed <= 10; ++seed) {
        QRandomGenerator random(seed);
        const auto poisson = [&random](double mean) {
            // Knuth's method: fine for small means.
            const double limit = std::exp(-mean);
            double product = random.generateDouble();
            int count = 0;
            while (product > limit) {
                ++count;
                product *= random.generateDouble();
            }
            return count;
        };
        AccessLogStats stats;
        feed(stats, webLog, t0, 10 * 60, [&](int) {
            return QList<RequestCount>{{key("203.0.113.50", "/shop/cart"), poisson(6.0)}};
        });
        EXPECT_TRUE(stats.steadyCallers().isEmpty()) << "seed " << seed;

        AccessLogStats::Options noDispersion;
        noDispersion.steadyMaxDispersion = 1000;
        AccessLogStats withoutTheRule(noDispersion);
        QRandomGenerator again(seed);
        random = again;
        feed(withoutTheRule, webLog, t0, 10 * 60, [&](int) {
            return QList<RequestCount>{{key("203.0.113.50", "/shop/cart"), poisson(6.0)}};
        });
        EXPECT_EQ(withoutTheRule.steadyCallers().size(), 1) << "seed " << seed;
    }
}

TEST(SteadyCallers, SilentOnAShortLivedCaller)
{
    AccessLogStats stats;
    QRandomGenerator random(3);
    // 40 s of a perfect loop, then five minutes of nothing, all the while sampled.
    feed(stats, apiLog, t0, 6 * 60,
         [&random](int s) { return s < 40 ? loopSecond(random) : QList<RequestCount>{}; });
    EXPECT_TRUE(stats.steadyCallers().isEmpty());

    // Checked at every sample, too.
    AccessLogStats live;
    for (int s = 0; s < 6 * 60; ++s) {
        live.add(window(apiLog, t0 + s * 1000, t0 + (s + 1) * 1000,
                        s < 40 ? loopSecond(random) : QList<RequestCount>{}));
        ASSERT_TRUE(live.steadyCallers().isEmpty()) << "second " << s;
    }

    // A shorter required history makes the same 40 s enough: the threshold is an option.
    AccessLogStats::Options options;
    options.steadyMinDurationMs = 20'000;
    AccessLogStats eager(options);
    feed(eager, apiLog, t0, 40, [&random](int) { return loopSecond(random); });
    EXPECT_EQ(eager.steadyCallers().size(), 1);
}

TEST(SteadyCallers, AGapInFollowingBreaksTheRun)
{
    AccessLogStats stats;
    QRandomGenerator random(5);
    feed(stats, apiLog, t0, 50, [&random](int) { return loopSecond(random); });
    // The source could not be read for a minute: the requests of that minute are unknown.
    for (int s = 50; s < 110; ++s) {
        LogWindow failed = window(apiLog, t0 + s * 1000, t0 + (s + 1) * 1000, {});
        failed.error = QStringLiteral("permission denied");
        stats.add(failed);
    }
    feed(stats, apiLog, t0 + 110'000, 45, [&random](int) { return loopSecond(random); });
    // 50 s before the gap, 45 s after: together over a minute, but neither run is one.
    EXPECT_TRUE(stats.steadyCallers().isEmpty());
    feed(stats, apiLog, t0 + 155'000, 30, [&random](int) { return loopSecond(random); });
    EXPECT_EQ(stats.steadyCallers().size(), 1);
}

// ---- the table -----------------------------------------------------------------------------

AccessLogStats::CallerRow callerRow(const char *client, const char *path, std::int64_t requests,
                                    double rps, bool steady = false)
{
    AccessLogStats::CallerRow row;
    row.sourceId = apiLog;
    row.key = key(client, path);
    row.requests = requests;
    row.requestsPerSec = rps;
    row.steady = steady;
    return row;
}

TEST(TopCallersModel, ShowsRowsAsDiffsAndKeepsTheSelection)
{
    TopCallersModel model;
    QAbstractItemModelTester tester(&model, Fatal);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);

    EXPECT_EQ(model.columnCount(), TopCallersModel::ColumnCount);
    EXPECT_EQ(model.headerData(TopCallersModel::RateColumn, Qt::Horizontal).toString(),
              u"Requests/s");
    EXPECT_EQ(model.headerData(TopCallersModel::SteadyColumn, Qt::Horizontal).toString(),
              u"Steady");

    model.setRows({callerRow("192.168.42.1", "/api/token", 7320, 12.2, true),
                   callerRow("10.0.0.5", "/health", 60, 1.0), callerRow("10.0.0.6", "/", 3, 0.01)});
    ASSERT_EQ(model.rowCount(), 3);
    const auto cell = [&model](int row, int column, int role = Qt::DisplayRole) {
        return model.data(model.index(row, column), role);
    };
    EXPECT_EQ(cell(0, TopCallersModel::ClientColumn).toString(), u"192.168.42.1");
    EXPECT_EQ(cell(0, TopCallersModel::PathColumn).toString(), u"/api/token");
    EXPECT_EQ(cell(0, TopCallersModel::StatusColumn).toString(), u"200");
    EXPECT_EQ(cell(0, TopCallersModel::SteadyColumn).toString(), u"steady");
    EXPECT_TRUE(cell(1, TopCallersModel::SteadyColumn).toString().isEmpty());
    EXPECT_EQ(cell(2, TopCallersModel::RateColumn).toString(),
              QStringLiteral("<") + QLocale().toString(0.1, 'f', 1));
    EXPECT_EQ(cell(0, TopCallersModel::RequestsColumn, TopCallersModel::SortRole).toLongLong(),
              7320);
    EXPECT_DOUBLE_EQ(cell(0, TopCallersModel::RateColumn, TopCallersModel::SortRole).toDouble(),
                     12.2);
    EXPECT_TRUE(cell(0, TopCallersModel::SteadyColumn, TopCallersModel::SortRole).toBool());
    EXPECT_EQ(cell(0, TopCallersModel::RateColumn, Qt::TextAlignmentRole).value<Qt::Alignment>() &
                  Qt::AlignRight,
              Qt::AlignRight);
    EXPECT_FALSE(cell(0, TopCallersModel::PathColumn, Qt::TextAlignmentRole).isValid());
    const auto callerKey =
        cell(1, TopCallersModel::MethodColumn, TopCallersModel::CallerKeyRole).value<CallerKey>();
    EXPECT_EQ(callerKey, (CallerKey{apiLog, key("10.0.0.5", "/health")}));
    EXPECT_EQ(model.rowOf(callerKey), 1);

    // The operator selected /health; the next refresh moves it to the top, drops "/", adds a
    // caller and changes the loop's numbers.
    const QPersistentModelIndex selected = model.index(1, TopCallersModel::PathColumn);
    QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
    model.setRows({callerRow("10.0.0.5", "/health", 900, 15.0),
                   callerRow("192.168.42.1", "/api/token", 7300, 12.1, true),
                   callerRow("10.0.0.8", "/login", 5, 0.1)});
    ASSERT_EQ(model.rowCount(), 3);
    EXPECT_EQ(resets.count(), 0);
    EXPECT_GE(changes.count(), 1);
    ASSERT_TRUE(selected.isValid());
    EXPECT_EQ(selected.row(), 0);
    EXPECT_EQ(selected.data().toString(), u"/health");
    EXPECT_EQ(cell(0, TopCallersModel::RequestsColumn, TopCallersModel::SortRole).toLongLong(),
              900);
    EXPECT_EQ(cell(2, TopCallersModel::PathColumn).toString(), u"/login");
    EXPECT_EQ(model.rowOf({apiLog, key("10.0.0.6", "/")}), -1);

    // Unchanged rows: no signal at all.
    changes.clear();
    QSignalSpy layouts(&model, &QAbstractItemModel::layoutChanged);
    model.setRows({callerRow("10.0.0.5", "/health", 900, 15.0),
                   callerRow("192.168.42.1", "/api/token", 7300, 12.1, true),
                   callerRow("10.0.0.8", "/login", 5, 0.1)});
    EXPECT_EQ(changes.count(), 0);
    EXPECT_EQ(layouts.count(), 0);

    model.setRows({});
    EXPECT_EQ(model.rowCount(), 0);
    EXPECT_FALSE(selected.isValid());
    model.clear();
    EXPECT_EQ(resets.count(), 1);
}

TEST(TopCallersModel, FedFromStatsUnderTheModelTester)
{
    TopCallersModel model;
    QAbstractItemModelTester tester(&model, Fatal);
    AccessLogStats stats;
    QRandomGenerator random(9);
    for (int s = 0; s < 400; ++s) {
        QList<RequestCount> keys = loopSecond(random);
        // Callers that come and go, so rows are added, removed and reordered.
        for (int c = 0; c < 8; ++c) {
            if ((s / 20 + c) % 3 != 0)
                keys.append({key(QByteArray("10.0.0." + QByteArray::number(c)).constData(),
                                 QByteArray("/page/" + QByteArray::number(c) + "x").constData()),
                             random.bounded(1 + c)});
        }
        stats.add(window(apiLog, t0 + s * 1000, t0 + (s + 1) * 1000, keys));
        if (s % 5 == 4)
            model.setRows(stats.topCallers({}, 30'000, 6));
    }
    ASSERT_GT(model.rowCount(), 0);
    EXPECT_LE(model.rowCount(), 6);
    EXPECT_EQ(model.rowAt(0).key.path, u"/api/token");
    EXPECT_EQ(model.data(model.index(0, TopCallersModel::SteadyColumn)).toString(), u"steady");
}

} // namespace

// ---- the aggregator's history --------------------------------------------------------------

namespace {

// A combined line logged at `epochMs` ($time_local in UTC).
QByteArray historyLine(const QByteArray &client, std::int64_t epochMs,
                       const QByteArray &target = "/api/token")
{
    const QByteArray time = QDateTime::fromMSecsSinceEpoch(epochMs, QTimeZone::utc())
                                .toString(QStringLiteral("dd/MMM/yyyy:HH:mm:ss"))
                                .toLatin1();
    return client + " - - [" + time + " +0000] \"GET " + target +
           " HTTP/1.1\" 200 12 \"-\" \"loop\"";
}

std::int64_t countOf(const LogWindow &window, const QString &client)
{
    std::int64_t sum = 0;
    for (const RequestCount &count : window.keys)
        sum += count.key.client == client ? count.count : 0;
    return sum;
}

} // namespace

TEST(AccessLogAggregator, HistoryBinsTheLinesBeforeTheCutOff)
{
    const std::int64_t bin = AccessLogAggregator::historyBinMs;
    ASSERT_EQ(bin, AccessLogStats::Options().binMs);
    const std::int64_t minute = utcMs(2026, 11, 26, 8, 39, 0);
    const std::int64_t cutOff = minute + 64'300; // 08:40:04.3
    AccessLogAggregator aggregator(QStringLiteral("log"), AccessLogFormat());
    EXPECT_TRUE(aggregator.linesCarryTime());
    EXPECT_FALSE(aggregator.historyBefore());
    aggregator.setHistoryBefore(cutOff);
    EXPECT_EQ(aggregator.historyBefore(), cutOff);

    for (int i = 0; i < 3; ++i)
        aggregator.addLine(historyLine("10.0.0.1", minute - 55'000)); // 08:38:05
    aggregator.addLine(historyLine("10.0.0.1", minute - 45'000));     // 08:38:15
    aggregator.addLine(historyLine("10.0.0.2", minute - 45'000));
    aggregator.addLine(historyLine("10.0.0.2", minute - 44'000));
    // Nothing from 08:38:20 to 08:40:00.
    aggregator.addLine(historyLine("10.0.0.1", minute + 62'000)); // 08:40:02
    aggregator.addLine(historyLine("10.0.0.1", minute + 64'000)); // 08:40:04.0: before 04.3
    EXPECT_FALSE(aggregator.historyReachedLive());
    EXPECT_EQ(aggregator.historyLines(), 8);
    // At and after the cut-off: live. What does not parse has no time: live too.
    aggregator.addLine(historyLine("10.0.0.3", minute + 65'000));
    aggregator.addLine(historyLine("10.0.0.3", minute + 70'000));
    aggregator.addLine("garbage");
    EXPECT_TRUE(aggregator.historyReachedLive());
    // A late line from before the cut-off still lands in its bin while the history is collected.
    aggregator.addLine(historyLine("10.0.0.1", minute - 44'000)); // 08:38:16
    EXPECT_EQ(aggregator.historyLines(), 9);
    EXPECT_EQ(aggregator.pendingRequests(), 2);
    EXPECT_EQ(aggregator.pendingRejected(), 1);

    const QList<LogWindow> history = aggregator.takeHistory();
    // 08:38:05–10 (from the first line), 08:38:10–20, ten empty bins, 08:40:00–04.3.
    ASSERT_EQ(history.size(), 13);
    EXPECT_EQ(history.first().fromMs, minute - 55'000);
    EXPECT_EQ(history.first().toMs, minute - 50'000);
    EXPECT_EQ(history.first().requests, 3);
    EXPECT_EQ(countOf(history.first(), QStringLiteral("10.0.0.1")), 3);
    EXPECT_EQ(history[1].fromMs, minute - 50'000);
    EXPECT_EQ(history[1].toMs, minute - 40'000);
    EXPECT_EQ(history[1].requests, 4);
    EXPECT_EQ(countOf(history[1], QStringLiteral("10.0.0.1")), 2);
    EXPECT_EQ(countOf(history[1], QStringLiteral("10.0.0.2")), 2);
    for (qsizetype i = 2; i < 12; ++i) {
        EXPECT_EQ(history[i].fromMs, history[i - 1].toMs);
        EXPECT_EQ(history[i].toMs - history[i].fromMs, bin);
        EXPECT_EQ(history[i].requests, 0) << "an empty bin is there too";
        EXPECT_TRUE(history[i].keys.isEmpty());
    }
    EXPECT_EQ(history.last().fromMs, minute + 60'000);
    EXPECT_EQ(history.last().toMs, cutOff) << "the last bin ends at the cut-off";
    EXPECT_EQ(history.last().requests, 2);
    for (const LogWindow &window : history) {
        EXPECT_EQ(window.sourceId, u"log");
        EXPECT_EQ(window.rejected, 0);
        EXPECT_TRUE(window.error.isEmpty());
    }

    // The collection is over: an old line now counts live, and the history stays empty.
    EXPECT_FALSE(aggregator.historyBefore());
    aggregator.addLine(historyLine("10.0.0.1", minute - 50'000));
    EXPECT_TRUE(aggregator.takeHistory().isEmpty());
    const LogWindow live = aggregator.take(cutOff, minute + 71'000);
    EXPECT_EQ(live.requests, 3);
    EXPECT_EQ(live.rejected, 1);
    EXPECT_EQ(countOf(live, QStringLiteral("10.0.0.3")), 2);
}

TEST(AccessLogAggregator, HistoryTakesTheCarriersStampAndNeedsATime)
{
    const std::int64_t cutOff = utcMs(2026, 11, 26, 9, 0, 0) + 500;
    AccessLogAggregator aggregator(QStringLiteral("container:web"), AccessLogFormat());
    aggregator.setHistoryBefore(cutOff);
    // docker's stamp wins over $time_local: this line was written now, whatever it says.
    aggregator.addLine(historyLine("10.0.0.1", cutOff - 3'600'000), false, cutOff + 10);
    aggregator.addLine(historyLine("10.0.0.2", cutOff + 3'600'000), false, cutOff - 20'000);
    EXPECT_EQ(aggregator.pendingRequests(), 1);
    const QList<LogWindow> history = aggregator.takeHistory();
    ASSERT_EQ(history.size(), 3); // 08:59:40.5–50, 08:59:50–09:00:00, 09:00:00–00.5
    EXPECT_EQ(history.first().fromMs, cutOff - 20'000);
    EXPECT_EQ(countOf(history.first(), QStringLiteral("10.0.0.2")), 1);
    EXPECT_EQ(history[1].requests + history[2].requests, 0);
    EXPECT_EQ(history.last().toMs, cutOff);

    // A layout without a time: the past cannot be told from now, every line counts live.
    const std::optional<AccessLogFormat> format = AccessLogFormat::fromSpec(
        QStringLiteral(R"re(regex:^(?<client>\S+) \S+ \S+ \[[^\]]*\] "(?<request>[^"]*)")re"));
    ASSERT_TRUE(format);
    AccessLogAggregator untimed(QStringLiteral("log"), *format);
    EXPECT_FALSE(untimed.linesCarryTime());
    untimed.setHistoryBefore(cutOff);
    untimed.addLine(historyLine("10.0.0.1", cutOff - 60'000));
    EXPECT_EQ(untimed.pendingRequests(), 1);
    EXPECT_EQ(untimed.historyLines(), 0);
    EXPECT_TRUE(untimed.takeHistory().isEmpty());
    const std::optional<AccessLogFormat> timed = AccessLogFormat::fromSpec(QStringLiteral(
        R"re(regex:^(?<client>\S+) \S+ \S+ \[(?<time>[^\]]*)\] "(?<request>[^"]*)")re"));
    ASSERT_TRUE(timed);
    EXPECT_TRUE(AccessLogAggregator(QStringLiteral("log"), *timed).linesCarryTime());
}

TEST(AccessLogAggregator, HistoryIsBounded)
{
    const std::int64_t bin = AccessLogAggregator::historyBinMs;
    const std::int64_t cutOff = utcMs(2026, 11, 26, 9, 0, 0);
    AccessLogAggregator aggregator(QStringLiteral("log"), AccessLogFormat());
    aggregator.setHistoryBefore(cutOff);
    // One request every 10 s for twenty minutes: only the newest maxHistoryBins bins are kept,
    // and since older lines came, the first of them is whole.
    for (std::int64_t ms = cutOff - 20 * 60'000; ms < cutOff; ms += bin)
        aggregator.addLine(historyLine("10.0.0.1", ms));
    EXPECT_EQ(aggregator.historyLines(), 120);
    // 300 clients in the newest bin: the window keeps the largest keys, the rest is summed.
    for (int i = 0; i < 300; ++i) {
        const QByteArray client =
            "10.1." + QByteArray::number(i / 256) + '.' + QByteArray::number(i % 256);
        for (int n = 0; n <= i % 3; ++n)
            aggregator.addLine(historyLine(client, cutOff - 5'000));
    }
    const QList<LogWindow> history = aggregator.takeHistory();
    ASSERT_EQ(history.size(), AccessLogAggregator::maxHistoryBins);
    EXPECT_EQ(history.first().fromMs, cutOff - AccessLogAggregator::historyWindowMs);
    EXPECT_EQ(history.last().toMs, cutOff);
    for (qsizetype i = 0; i + 1 < history.size(); ++i) {
        EXPECT_EQ(history[i].requests, 1);
        EXPECT_EQ(history[i].toMs, history[i + 1].fromMs);
    }
    const LogWindow &busy = history.last();
    EXPECT_EQ(busy.requests, 1 + 100 * (1 + 2 + 3));
    EXPECT_EQ(busy.keys.size(), AccessLogAggregator::maxKeysPerWindow);
    std::int64_t inKeys = 0;
    for (const RequestCount &count : busy.keys)
        inKeys += count.count;
    EXPECT_EQ(inKeys + busy.otherRequests, busy.requests);
    EXPECT_EQ(busy.keys.first().count, 3);

    // Distinct keys over all bins: at most maxPendingKeys are counted one by one.
    aggregator.setHistoryBefore(cutOff);
    const int distinct = int(AccessLogAggregator::maxPendingKeys) + 500;
    for (int i = 0; i < distinct; ++i) {
        QByteArray word = "aaaa";
        for (int n = i, at = 0; n > 0; n /= 26, ++at)
            word[at] = char('a' + n % 26);
        aggregator.addLine(
            historyLine("10.0.0.1", cutOff - 1'000 - (i % 60) * bin, "/search/" + word));
    }
    std::int64_t requests = 0;
    std::int64_t other = 0;
    for (const LogWindow &window : aggregator.takeHistory()) {
        EXPECT_LE(window.keys.size(), AccessLogAggregator::maxKeysPerWindow);
        requests += window.requests;
        other += window.otherRequests;
    }
    EXPECT_EQ(requests, distinct);
    EXPECT_EQ(other, distinct - 60 * AccessLogAggregator::maxKeysPerWindow);
}
