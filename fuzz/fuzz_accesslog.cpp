// Access-log lines (model/accesslog/accesslogparser.h) in every format: auto, combined, common
// and two regex: layouts (one with the path and an ISO time, one with the whole request and
// $time_local). Anyone who can send a request writes into these lines.

#include "fuzzsupport.h"

#include "model/accesslog/accesslogparser.h"

#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace twbench;

namespace {

std::vector<AccessLogParser> &parsers()
{
    static std::vector<AccessLogParser> all = [] {
        std::vector<AccessLogParser> list{
            AccessLogParser(AccessLogFormat(AccessLogFormat::Kind::Auto)),
            AccessLogParser(AccessLogFormat(AccessLogFormat::Kind::Combined)),
            AccessLogParser(AccessLogFormat(AccessLogFormat::Kind::Common))};
        for (
            const char *spec :
            {R"re(regex:^(?<client>\S+) (?<time>\S+) (?<method>[A-Z]+) (?<path>\S+) (?<status>\d{3}|-))re",
             R"re(regex:^(?<client>\S+) \S+ \S+ \[(?<time>[^\]]*)\] "(?<request>[^"]*)" (?<status>\d+))re"}) {
            const auto format = AccessLogFormat::fromSpec(QString::fromLatin1(spec));
            if (!format) {
                std::fprintf(stderr, "fuzz_accesslog: the regex format was refused\n");
                std::abort();
            }
            list.emplace_back(*format);
        }
        return list;
    }();
    return all;
}

void parseLine(QByteArrayView line)
{
    for (const AccessLogParser &parser : parsers()) {
        for (const bool truncated : {false, true}) {
            const std::optional<AccessLogRecord> record = parser.parse(line, truncated);
            const std::optional<RequestKey> key = parser.parseKey(line, truncated);
            // parseKey() is parse() without the raw target: they must agree.
            if (record.has_value() != key.has_value() || (record && record->key() != *key)) {
                std::fprintf(stderr, "fuzz_accesslog: parse() and parseKey() disagree\n");
                std::abort();
            }
            if (record)
                (void)AccessLogParser::normalizePath(record->target);
        }
    }
    (void)AccessLogParser::parseTimeLocal(line.first(std::min<qsizetype>(line.size(), 64)));
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz::startApplication(argc, argv);
    (void)parsers();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size > fuzz::maxInputBytes)
        return -1;
    const QByteArrayView text = fuzz::view(data, size);
    // One line per '\n', as the follower hands them over.
    for (qsizetype at = 0; at <= text.size();) {
        qsizetype end = text.indexOf('\n', at);
        if (end < 0)
            end = text.size();
        parseLine(text.sliced(at, end - at));
        at = end + 1;
    }
    // The normalizer on its own, for targets no format would let through.
    (void)AccessLogParser::normalizePath(
        QString::fromUtf8(text.first(std::min<qsizetype>(text.size(), 4096))));
    return 0;
}
