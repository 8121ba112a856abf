#include "accesslogparser.h"

#include "../docker/dockerinventory.h"

#include <QDateTime>
#include <QTimeZone>
#include <QVarLengthArray>

#include <array>
#include <cstring>
#include <type_traits>

namespace twbench {

namespace {

constexpr QChar ellipsis(0x2026);

bool isAsciiDigit(char32_t c)
{
    return c >= '0' && c <= '9';
}

bool isAsciiLetter(char32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool isHexLetter(char32_t c)
{
    return (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Cuts `text` to at most maxChars characters, the ellipsis included, without splitting a
// surrogate pair.
QString capped(QString text, qsizetype maxChars)
{
    if (text.size() <= maxChars)
        return text;
    qsizetype cut = maxChars - 1;
    if (cut > 0 && text.at(cut - 1).isHighSurrogate())
        --cut;
    text.truncate(cut);
    text += ellipsis;
    return text;
}

// Text that is printable ASCII without a backslash needs no escaping: the common case, kept
// free of copies.
bool isPlainAscii(QStringView text)
{
    for (const QChar ch : text) {
        const char16_t c = ch.unicode();
        if (c < 0x20 || c >= 0x7f || c == u'\\')
            return false;
    }
    return true;
}

bool isPlainAscii(QByteArrayView bytes)
{
    for (const char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c >= 0x7f || c == '\\')
            return false;
    }
    return true;
}

// safeDisplayText() with a hard cap: its escapes may overshoot its own limit by a few
// characters, and the record's caps are promises.
QString displayText(QString text, qsizetype maxChars)
{
    if (text.size() <= maxChars && isPlainAscii(text))
        return text;
    return capped(safeDisplayText(text, maxChars), maxChars);
}

QString displayField(QByteArrayView bytes, qsizetype maxChars)
{
    if (bytes.size() <= maxChars && isPlainAscii(bytes))
        return QString::fromLatin1(bytes);
    // No character takes more than 4 bytes: this keeps enough to fill the cap and still shows
    // that something was cut, without decoding a megabyte to show 64 characters of it.
    const qsizetype keep = qMin(bytes.size(), maxChars * 4 + 4);
    return displayText(QString::fromUtf8(bytes.first(keep)), maxChars);
}

// Methods as QStringLiterals: the usual ones cost no allocation per line.
QString methodText(QByteArrayView method)
{
    static const std::array<QString, 10> known = {
        QStringLiteral("GET"),   QStringLiteral("POST"),    QStringLiteral("HEAD"),
        QStringLiteral("PUT"),   QStringLiteral("DELETE"),  QStringLiteral("OPTIONS"),
        QStringLiteral("PATCH"), QStringLiteral("CONNECT"), QStringLiteral("TRACE"),
        QStringLiteral("-"),
    };
    for (const QString &name : known) {
        if (method.size() == name.size() && QLatin1StringView(method) == name)
            return name;
    }
    return displayField(method, AccessLogParser::maxMethodChars);
}

// Quoted-field content with its escapes decoded into bytes: nginx's \xXX (escape=default),
// JSON's \" \\ \/ \n \r \t \b \f \uXXXX (escape=json), Apache's \" \\ \xhh \n \t. An unknown
// escape keeps its backslash, so nothing the client sent disappears.
void decodeEscapes(QByteArrayView raw, QVarLengthArray<char, 512> &out)
{
    out.clear();
    out.reserve(raw.size());
    const qsizetype n = raw.size();
    for (qsizetype i = 0; i < n; ++i) {
        const char c = raw[i];
        if (c != '\\' || i + 1 == n) {
            out.append(c);
            continue;
        }
        const char next = raw[i + 1];
        switch (next) {
        case '"':
        case '\\':
        case '/':
            out.append(next);
            ++i;
            continue;
        case 'n':
            out.append('\n');
            ++i;
            continue;
        case 'r':
            out.append('\r');
            ++i;
            continue;
        case 't':
            out.append('\t');
            ++i;
            continue;
        case 'b':
            out.append('\b');
            ++i;
            continue;
        case 'f':
            out.append('\f');
            ++i;
            continue;
        case 'x':
            if (i + 3 < n) {
                const int high = hexValue(raw[i + 2]);
                const int low = hexValue(raw[i + 3]);
                if (high >= 0 && low >= 0) {
                    out.append(char(high * 16 + low));
                    i += 3;
                    continue;
                }
            }
            break;
        case 'u':
            if (i + 5 < n) {
                int code = 0;
                bool ok = true;
                for (qsizetype k = i + 2; k < i + 6 && ok; ++k) {
                    const int digit = hexValue(raw[k]);
                    ok = digit >= 0;
                    code = code * 16 + digit;
                }
                if (ok) {
                    // A lone surrogate cannot be encoded; U+FFFD says something was there.
                    const QByteArray utf8 =
                        QString(QChar(code >= 0xd800 && code <= 0xdfff
                                          ? char16_t(QChar::ReplacementCharacter)
                                          : char16_t(code)))
                            .toUtf8();
                    out.append(utf8.constData(), utf8.size());
                    i += 5;
                    continue;
                }
            }
            break;
        default:
            break;
        }
        out.append(c);
    }
}

// Where a quoted field's content ends: at a '"' followed by a space or the end of the line,
// skipping backslash-escaped characters.
struct QuotedField
{
    QByteArrayView raw; // between the quotes, escapes not decoded
    bool escaped = false;
    bool closed = false;
    qsizetype next = 0; // index after the closing quote
};

QuotedField scanQuoted(QByteArrayView line, qsizetype from)
{
    QuotedField field;
    const char *const data = line.data();
    const qsizetype n = line.size();
    qsizetype i = from;
    while (i < n) {
        // memchr runs far ahead of a byte loop on long lines, and a field is mostly plain text.
        const void *quote = std::memchr(data + i, '"', size_t(n - i));
        const qsizetype quoteAt = quote ? static_cast<const char *>(quote) - data : n;
        const void *backslash = std::memchr(data + i, '\\', size_t(quoteAt - i));
        if (backslash) {
            field.escaped = true;
            i = static_cast<const char *>(backslash) - data + 2; // skip the escaped character
            continue;
        }
        if (quoteAt == n)
            break;
        if (quoteAt + 1 == n || data[quoteAt + 1] == ' ') {
            field.raw = line.sliced(from, quoteAt - from);
            field.closed = true;
            field.next = quoteAt + 1;
            return field;
        }
        i = quoteAt + 1; // a stray quote inside the field
    }
    field.raw = line.sliced(from, qMin(i, n) - from);
    field.next = n;
    return field;
}

// The parts of a line that the key is made of, as bytes. The views point into the line or into
// `decoded`; Fields is not copied or moved while they are in use.
struct Fields
{
    QByteArrayView client;
    QByteArrayView method;
    QByteArrayView target;
    int status = 0;
    std::optional<std::int64_t> epochMs;
    QVarLengthArray<char, 512> decoded;
};

// "GET /path HTTP/1.1" into method and target. A target with spaces in it ("GET /a b
// HTTP/1.1", which servers answer with 400 but still log) keeps its spaces; HTTP/0.9's
// "GET /" has no protocol; a lone token (a TLS handshake sent to a plain-HTTP port) is a
// method without target.
void splitRequest(QByteArrayView request, Fields &fields)
{
    if (request.isEmpty() || request == "-") {
        fields.method = "-";
        fields.target = {};
        return;
    }
    const qsizetype firstSpace = request.indexOf(' ');
    if (firstSpace < 0) {
        fields.method = request;
        fields.target = {};
        return;
    }
    fields.method = request.first(firstSpace);
    qsizetype begin = firstSpace + 1;
    while (begin < request.size() && request[begin] == ' ')
        ++begin;
    qsizetype end = request.size();
    const qsizetype lastSpace = request.lastIndexOf(' ');
    if (lastSpace >= begin && request.sliced(lastSpace + 1).startsWith("HTTP/"))
        end = lastSpace;
    while (end > begin && request[end - 1] == ' ')
        --end;
    fields.target = request.sliced(begin, end - begin);
    if (fields.method.isEmpty())
        fields.method = "-";
}

// "200" or "-"; nullopt otherwise.
std::optional<int> parseStatus(QByteArrayView token)
{
    if (token == "-")
        return 0;
    if (token.size() != 3)
        return std::nullopt;
    int status = 0;
    for (const char c : token) {
        if (!isAsciiDigit(char32_t(c)))
            return std::nullopt;
        status = status * 10 + (c - '0');
    }
    return status;
}

bool isByteCount(QByteArrayView token)
{
    if (token == "-")
        return true;
    if (token.isEmpty())
        return false;
    for (const char c : token) {
        if (!isAsciiDigit(char32_t(c)))
            return false;
    }
    return true;
}

std::optional<std::int64_t> parseIsoTime(QByteArrayView text)
{
    QDateTime time = QDateTime::fromString(QString::fromLatin1(text), Qt::ISODateWithMs);
    if (!time.isValid())
        return std::nullopt;
    // Without an offset the text is the remote's wall clock, whose zone is unknown here: UTC is
    // a better guess than this machine's zone.
    if (time.timeSpec() == Qt::LocalTime)
        time = QDateTime(time.date(), time.time(), QTimeZone::utc());
    return time.toMSecsSinceEpoch();
}

// Reads one token ending at a space or the end of the line, from `pos`; moves `pos` past it and
// its one separating space.
QByteArrayView nextToken(QByteArrayView line, qsizetype &pos)
{
    const qsizetype begin = pos;
    const qsizetype space = line.indexOf(' ', pos);
    const qsizetype end = space < 0 ? line.size() : space;
    pos = space < 0 ? line.size() : space + 1;
    return line.sliced(begin, end - begin);
}

bool onlySpaces(QByteArrayView rest)
{
    for (const char c : rest) {
        if (c != ' ' && c != '\t')
            return false;
    }
    return true;
}

// client ident user [time] "request" status bytes, then what the format says about the rest.
bool scanStandard(QByteArrayView line, bool truncated, AccessLogFormat::Kind kind, Fields &out)
{
    const qsizetype clientEnd = line.indexOf(' ');
    if (clientEnd <= 0)
        return false;
    out.client = line.first(clientEnd);

    // ident and user sit between the client and the time; the user may hold spaces (Apache
    // logs it as sent), so the time is found by its bracket.
    const qsizetype timeBegin = line.indexOf(" [", clientEnd);
    if (timeBegin < 0)
        return false;
    const qsizetype timeEnd = line.indexOf(']', timeBegin + 2);
    if (timeEnd < 0)
        return false;
    const QByteArrayView time = line.sliced(timeBegin + 2, timeEnd - timeBegin - 2);
    out.epochMs = AccessLogParser::parseTimeLocal(time);
    if (!out.epochMs) {
        out.epochMs = parseIsoTime(time); // nginx's $time_iso8601 in brackets
        if (!out.epochMs)
            return false;
    }

    qsizetype pos = timeEnd + 1;
    if (pos + 1 >= line.size() || line[pos] != ' ' || line[pos + 1] != '"')
        return false;
    const QuotedField request = scanQuoted(line, pos + 2);
    if (!request.closed)
        return false;
    if (request.escaped) {
        decodeEscapes(request.raw, out.decoded);
        splitRequest(QByteArrayView(out.decoded.constData(), out.decoded.size()), out);
    } else {
        splitRequest(request.raw, out);
    }

    pos = request.next;
    if (pos >= line.size() || line[pos] != ' ')
        return false;
    ++pos;
    const std::optional<int> status = parseStatus(nextToken(line, pos));
    if (!status)
        return false;
    out.status = *status;
    const QByteArrayView bytes = nextToken(line, pos);
    if (!isByteCount(bytes))
        return false;

    const QByteArrayView rest = line.sliced(pos);
    switch (kind) {
    case AccessLogFormat::Kind::Common:
        return onlySpaces(rest);
    case AccessLogFormat::Kind::Combined: {
        // "referer" "user agent": required, each closed unless the follower cut the line.
        qsizetype at = 0;
        for (int field = 0; field < 2; ++field) {
            if (at >= rest.size() && truncated)
                return true;
            if (at >= rest.size() || rest[at] != '"')
                return false;
            const QuotedField quoted = scanQuoted(rest, at + 1);
            if (!quoted.closed)
                return truncated;
            at = quoted.next;
            if (field == 0) {
                if (at >= rest.size() || rest[at] != ' ')
                    return truncated && at >= rest.size();
                ++at;
            }
        }
        return true;
    }
    case AccessLogFormat::Kind::Auto:
    case AccessLogFormat::Kind::Regex:
        return true;
    }
    return true;
}

template<typename Out>
void fillFrom(const Fields &fields, Out &out)
{
    out.client = displayField(fields.client, AccessLogParser::maxClientChars);
    out.method = methodText(fields.method);
    out.status = fields.status;
    // The path is built from at most this much of the target: enough for maxPathChars after
    // folding, and a megabyte-long target costs no more than a normal one.
    constexpr qsizetype maxTargetBytes = 16 * 1024;
    const QString target =
        QString::fromUtf8(fields.target.first(qMin(fields.target.size(), maxTargetBytes)));
    out.path = displayText(AccessLogParser::normalizePath(target), AccessLogParser::maxPathChars);
    if constexpr (std::is_same_v<Out, AccessLogRecord>) {
        out.target = displayText(target, AccessLogParser::maxTargetChars);
        out.epochMs = fields.epochMs;
    }
}

template<typename Out>
bool parseRegex(const QRegularExpression &regex, QByteArrayView line, Out &out)
{
    const QRegularExpressionMatch match = regex.match(QString::fromUtf8(line));
    if (!match.hasMatch())
        return false;
    const QString client = match.captured(u"client");
    if (client.isEmpty())
        return false;

    Fields fields;
    const QByteArray clientBytes = client.toUtf8();
    fields.client = clientBytes;
    const QByteArray request = match.captured(u"request").toUtf8();
    splitRequest(request, fields);
    const QByteArray method = match.captured(u"method").toUtf8();
    if (!method.isEmpty())
        fields.method = method;
    const QByteArray path = match.captured(u"path").toUtf8();
    if (!path.isEmpty())
        fields.target = path;

    const QString status = match.captured(u"status");
    if (!status.isEmpty()) {
        const std::optional<int> parsed = parseStatus(status.toLatin1());
        if (!parsed)
            return false;
        fields.status = *parsed;
    }
    const QByteArray time = match.captured(u"time").toUtf8();
    if (!time.isEmpty()) {
        fields.epochMs = AccessLogParser::parseTimeLocal(time);
        if (!fields.epochMs)
            fields.epochMs = parseIsoTime(time);
    }
    fillFrom(fields, out);
    return true;
}

template<typename Out>
bool parseInto(const AccessLogFormat &format, QByteArrayView line, bool truncated, Out &out)
{
    if (line.endsWith('\r'))
        line.chop(1);
    if (line.isEmpty())
        return false;
    if (format.kind() == AccessLogFormat::Kind::Regex)
        return parseRegex(format.regex(), line, out);
    Fields fields;
    if (!scanStandard(line, truncated, format.kind(), fields))
        return false;
    fillFrom(fields, out);
    return true;
}

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant's
// days_from_civil): exact, and no time-zone database involved.
std::int64_t daysFromCivil(int year, int month, int day)
{
    year -= month <= 2;
    const int era = (year >= 0 ? year : year - 399) / 400;
    const int yearOfEra = year - era * 400;
    const int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return std::int64_t(era) * 146097 + dayOfEra - 719468;
}

bool isLeapYear(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

// The segment (or an extension's stem) is an identifier rather than a word of the API.
bool looksLikeId(QStringView segment)
{
    if (segment.isEmpty())
        return false;
    if (segment.size() == 36 && segment[8] == u'-' && segment[13] == u'-' && segment[18] == u'-' &&
        segment[23] == u'-') {
        bool uuid = true;
        for (qsizetype i = 0; i < 36 && uuid; ++i) {
            if (i == 8 || i == 13 || i == 18 || i == 23)
                continue;
            const char32_t c = segment[i].unicode();
            uuid = isAsciiDigit(c) || isHexLetter(c);
        }
        if (uuid)
            return true;
    }

    qsizetype letters = 0;
    qsizetype digits = 0;
    qsizetype digitRun = 0;
    qsizetype longestDigitRun = 0;
    qsizetype switches = 0; // letter to digit or back, within a run of alphanumerics
    bool allHex = true;
    enum class Last { Separator, Letter, Digit } last = Last::Separator;
    for (const QChar ch : segment) {
        const char32_t c = ch.unicode();
        if (isAsciiDigit(c)) {
            ++digits;
            longestDigitRun = qMax(longestDigitRun, ++digitRun);
            switches += last == Last::Letter;
            last = Last::Digit;
        } else if (isAsciiLetter(c)) {
            ++letters;
            digitRun = 0;
            allHex = allHex && isHexLetter(c);
            switches += last == Last::Digit;
            last = Last::Letter;
        } else if (c == u'-' || c == u'_') {
            digitRun = 0;
            allHex = false;
            last = Last::Separator;
        } else {
            return false; // '%', '~', ':', non-ASCII: a name, not an id
        }
    }
    if (letters == 0)
        return digits > 0; // 42, 2024-01-15, 123_456
    if (allHex && segment.size() >= 8)
        return true; // deadbeef, 5f2b9c1e0a
    if (digits == 0)
        return false; // a word, however long
    // Words keep a short number (v1, oauth2, x509, sha256, i18n, h2c); ids mix freely.
    return longestDigitRun >= 4 || switches >= 3 || segment.size() >= 20;
}

void appendSegment(QString &out, QStringView segment)
{
    static const QString id = QStringLiteral("{id}");
    if (looksLikeId(segment)) {
        out += id;
        return;
    }
    // "123.json", "5f2b9c1e.png": fold the stem, keep the extension.
    const qsizetype dot = segment.lastIndexOf(u'.');
    if (dot > 0 && segment.size() - dot - 1 >= 1 && segment.size() - dot - 1 <= 8) {
        const QStringView extension = segment.sliced(dot + 1);
        bool word = false;
        bool alphanumeric = true;
        for (const QChar ch : extension) {
            word = word || isAsciiLetter(ch.unicode());
            alphanumeric = alphanumeric && (isAsciiLetter(ch.unicode()) || ch.isDigit());
        }
        if (word && alphanumeric && looksLikeId(segment.first(dot))) {
            out += id;
            out += u'.';
            out += extension;
            return;
        }
    }
    out += segment;
}

// "http://" and the like: the length of the scheme, 0 when `target` does not start with one.
qsizetype schemeLength(QStringView target)
{
    if (target.isEmpty() || !isAsciiLetter(target[0].unicode()))
        return 0;
    constexpr qsizetype maxSchemeLength = 16;
    for (qsizetype i = 1; i < target.size() && i <= maxSchemeLength; ++i) {
        const char32_t c = target[i].unicode();
        if (c == u':')
            return target.sliced(i).startsWith(u"://") ? i : 0;
        if (!isAsciiLetter(c) && !isAsciiDigit(c) && c != u'+' && c != u'-' && c != u'.')
            return 0;
    }
    return 0;
}

} // namespace

AccessLogParser::AccessLogParser(AccessLogFormat format)
    : m_format(std::move(format))
{}

std::optional<AccessLogRecord> AccessLogParser::parse(QByteArrayView line, bool truncated) const
{
    AccessLogRecord record;
    if (!parseInto(m_format, line, truncated, record))
        return std::nullopt;
    return record;
}

std::optional<RequestKey> AccessLogParser::parseKey(QByteArrayView line, bool truncated) const
{
    RequestKey key;
    if (!parseInto(m_format, line, truncated, key))
        return std::nullopt;
    return key;
}

QString AccessLogParser::normalizePath(QStringView target)
{
    QStringView rest = target;
    if (const qsizetype scheme = schemeLength(rest); scheme > 0) {
        // absolute-form (RFC 9112 3.2.2), as proxies receive it: drop scheme and authority.
        rest = rest.sliced(scheme + 3);
        qsizetype pathBegin = 0;
        while (pathBegin < rest.size() && rest[pathBegin] != u'/' && rest[pathBegin] != u'?' &&
               rest[pathBegin] != u'#')
            ++pathBegin;
        rest = rest.sliced(pathBegin);
        if (rest.isEmpty() || rest[0] != u'/')
            return QStringLiteral("/");
    }
    for (qsizetype i = 0; i < rest.size(); ++i) {
        if (rest[i] == u'?' || rest[i] == u'#') {
            rest.truncate(i);
            break;
        }
    }
    if (rest.isEmpty() || rest[0] != u'/')
        return rest.toString(); // "", "*", "host:443": nothing to fold

    QString out;
    out.reserve(rest.size());
    qsizetype i = 0;
    while (i < rest.size()) {
        while (i < rest.size() && rest[i] == u'/')
            ++i;
        if (i == rest.size())
            break;
        qsizetype end = rest.indexOf(u'/', i);
        if (end < 0)
            end = rest.size();
        out += u'/';
        appendSegment(out, rest.sliced(i, end - i));
        i = end;
    }
    if (out.isEmpty() || rest.endsWith(u'/'))
        out += u'/';
    return out;
}

std::optional<std::int64_t> AccessLogParser::parseTimeLocal(QByteArrayView text)
{
    // 10/Oct/2000:13:55:36 -0700
    // 0123456789012345678901234
    if (text.size() != 26 || text[2] != '/' || text[6] != '/' || text[11] != ':' ||
        text[14] != ':' || text[17] != ':' || text[20] != ' ' ||
        (text[21] != '+' && text[21] != '-'))
        return std::nullopt;
    const auto number = [&text](qsizetype at, qsizetype digits) -> int {
        int value = 0;
        for (qsizetype i = at; i < at + digits; ++i) {
            if (!isAsciiDigit(char32_t(text[i])))
                return -1;
            value = value * 10 + (text[i] - '0');
        }
        return value;
    };
    static constexpr std::array<const char *, 12> months = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int month = 0;
    for (int m = 0; m < 12; ++m) {
        if (std::memcmp(text.data() + 3, months[size_t(m)], 3) == 0) {
            month = m + 1;
            break;
        }
    }
    const int day = number(0, 2);
    const int year = number(7, 4);
    const int hour = number(12, 2);
    const int minute = number(15, 2);
    const int second = number(18, 2);
    const int offsetHours = number(22, 2);
    const int offsetMinutes = number(24, 2);
    static constexpr std::array<int, 12> monthDays = {31, 28, 31, 30, 31, 30,
                                                      31, 31, 30, 31, 30, 31};
    if (month == 0 || day < 1 || year < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
        second < 0 || second > 60 /* a leap second */ || offsetHours < 0 || offsetHours > 23 ||
        offsetMinutes < 0 || offsetMinutes > 59)
        return std::nullopt;
    const int daysInMonth = monthDays[size_t(month - 1)] + (month == 2 && isLeapYear(year));
    if (day > daysInMonth)
        return std::nullopt;

    const std::int64_t offsetSeconds =
        (text[21] == '-' ? -1 : 1) * (std::int64_t(offsetHours) * 3600 + offsetMinutes * 60);
    const std::int64_t localSeconds =
        daysFromCivil(year, month, day) * 86400 + std::int64_t(hour) * 3600 + minute * 60 + second;
    return (localSeconds - offsetSeconds) * 1000;
}

} // namespace twbench
