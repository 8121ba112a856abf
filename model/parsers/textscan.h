#pragma once

// Byte-level scanning shared by the parsers. Everything works on [p, end) pointer pairs and
// never reads at or past `end`, so a parser built from these is safe on any input, however
// hostile or cut short. The hot parsers (/proc/net/tcp, ss) call these per field instead of
// splitting lines or building strings: that is what keeps them near memory speed.

#include "../endpoint.h"

#include <QByteArrayView>

#include <array>
#include <cstdint>
#include <cstring>

namespace twbench::textscan {

// 0..15 for a hex digit, 0xff for anything else; the high bits make a bad digit detectable
// after OR-ing a run of lookups together, without a branch per digit.
inline constexpr std::array<std::uint8_t, 256> hexDigitValues = [] {
    std::array<std::uint8_t, 256> table{};
    for (auto &value : table)
        value = 0xff;
    for (int c = '0'; c <= '9'; ++c)
        table[std::size_t(c)] = std::uint8_t(c - '0');
    for (int c = 'a'; c <= 'f'; ++c)
        table[std::size_t(c)] = std::uint8_t(c - 'a' + 10);
    for (int c = 'A'; c <= 'F'; ++c)
        table[std::size_t(c)] = std::uint8_t(c - 'A' + 10);
    return table;
}();

inline std::uint8_t hexDigitValue(char c)
{
    return hexDigitValues[static_cast<unsigned char>(c)];
}

inline bool isBlank(char c)
{
    return c == ' ' || c == '\t';
}

inline bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

inline void skipBlanks(const char *&p, const char *end)
{
    while (p < end && isBlank(*p))
        ++p;
}

// The next blank-separated token (empty at the end of the line); `p` ends after it.
inline QByteArrayView nextToken(const char *&p, const char *end)
{
    skipBlanks(p, end);
    const char *start = p;
    while (p < end && !isBlank(*p))
        ++p;
    return QByteArrayView(start, p - start);
}

// Exactly `digits` hex digits (at most 8) into `value`.
inline bool readFixedHex(const char *&p, const char *end, int digits, std::uint32_t &value)
{
    if (end - p < digits)
        return false;
    std::uint32_t result = 0;
    std::uint8_t seen = 0;
    for (int i = 0; i < digits; ++i) {
        const std::uint8_t digit = hexDigitValue(p[i]);
        seen |= digit;
        result = (result << 4) | (digit & 0x0fu);
    }
    if (seen & 0xf0u)
        return false;
    p += digits;
    value = result;
    return true;
}

// One or more decimal digits into `value`; false on no digit or on overflow.
inline bool readDecimal(const char *&p, const char *end, std::uint64_t &value)
{
    if (p >= end || !isDigit(*p))
        return false;
    std::uint64_t result = 0;
    while (p < end && isDigit(*p)) {
        const auto digit = std::uint64_t(*p - '0');
        if (result > (UINT64_MAX - digit) / 10)
            return false;
        result = result * 10 + digit;
        ++p;
    }
    value = result;
    return true;
}

// A whole token that must be a decimal number, no sign, no trailing characters.
inline bool decimalToken(QByteArrayView token, std::uint64_t &value)
{
    const char *p = token.data();
    const char *end = p + token.size();
    return readDecimal(p, end, value) && p == end;
}

// A whole token that must be a decimal integer with an optional leading '-'.
bool signedDecimalToken(QByteArrayView token, std::int64_t &value);

inline bool consume(const char *&p, const char *end, char expected)
{
    if (p >= end || *p != expected)
        return false;
    ++p;
    return true;
}

// Walks a text line by line. Lines end at '\n'; a '\r' before it (a paste from Windows, a
// CRLF capture) is dropped. The final line needs no newline.
class LineReader
{
public:
    explicit LineReader(QByteArrayView text)
        : m_p(text.data())
        , m_end(text.data() + text.size())
    {}

    bool next(QByteArrayView &line)
    {
        if (m_p >= m_end)
            return false;
        const auto *newline =
            static_cast<const char *>(std::memchr(m_p, '\n', size_t(m_end - m_p)));
        const char *lineEnd = newline ? newline : m_end;
        const char *contentEnd = lineEnd;
        if (contentEnd > m_p && contentEnd[-1] == '\r')
            --contentEnd;
        line = QByteArrayView(m_p, contentEnd - m_p);
        m_p = newline ? newline + 1 : m_end;
        ++m_lineNumber;
        return true;
    }

    qsizetype lineNumber() const { return m_lineNumber; } // 1-based, of the last line returned

private:
    const char *m_p;
    const char *m_end;
    qsizetype m_lineNumber = 0;
};

inline bool isBlankLine(QByteArrayView line)
{
    for (char c : line) {
        if (!isBlank(c))
            return false;
    }
    return true;
}

// Dotted quad, exactly four parts of 1–3 digits each ≤ 255, no leading zeros (as inet_pton);
// `hostOrder` as IpAddress::fromV4.
bool parseIpv4Text(const char *p, const char *end, std::uint32_t &hostOrder);

// Any RFC 4291 text form ("::", "fe80::1", "::ffff:1.2.3.4", eight full groups); no brackets,
// no scope. Hand-written because the ss parser meets an address on every line and inet_pton
// needs a NUL-terminated copy.
bool parseIpv6Text(const char *p, const char *end, std::array<std::uint8_t, 16> &bytes);

// "1.2.3.4", "fe80::1", "*" (ss's "any address" of a dual-stack socket, i.e. ::). A "%scope"
// suffix is accepted and dropped. Brackets are not accepted here.
bool parseAddressText(QByteArrayView text, IpAddress &address);

// An endpoint as ss and netstat print it: the port follows the last ':' ("*" is port 0); the
// address before it may be bracketed ("[::1]", "[fe80::1]%eth0") or bare ("::1", "1.2.3.4",
// "127.0.0.53%lo", "*").
bool parseEndpointText(QByteArrayView text, Endpoint &endpoint);

} // namespace twbench::textscan
