#include "textscan.h"

namespace twbench::textscan {

bool signedDecimalToken(QByteArrayView token, std::int64_t &value)
{
    const char *p = token.data();
    const char *end = p + token.size();
    const bool negative = p < end && *p == '-';
    if (negative)
        ++p;
    std::uint64_t magnitude = 0;
    if (!readDecimal(p, end, magnitude) || p != end)
        return false;
    // The most negative value has no positive twin, hence the asymmetric limits.
    constexpr auto maxPositive = std::uint64_t(INT64_MAX);
    if (negative) {
        if (magnitude > maxPositive + 1)
            return false;
        value = magnitude == maxPositive + 1 ? INT64_MIN : -std::int64_t(magnitude);
    } else {
        if (magnitude > maxPositive)
            return false;
        value = std::int64_t(magnitude);
    }
    return true;
}

bool parseIpv4Text(const char *p, const char *end, std::uint32_t &hostOrder)
{
    std::uint32_t result = 0;
    for (int part = 0; part < 4; ++part) {
        if (part > 0 && !consume(p, end, '.'))
            return false;
        unsigned value = 0;
        int digits = 0;
        while (p < end && isDigit(*p) && digits < 3) {
            if (digits == 1 && value == 0)
                return false; // "01": inet_pton refuses leading zeros (octal ambiguity)
            value = value * 10 + unsigned(*p - '0');
            ++p;
            ++digits;
        }
        if (digits == 0 || value > 255)
            return false;
        result = (result << 8) | value;
    }
    if (p != end)
        return false;
    hostOrder = result;
    return true;
}

bool parseIpv6Text(const char *p, const char *end, std::array<std::uint8_t, 16> &bytes)
{
    std::array<std::uint16_t, 8> groups{};
    int groupCount = 0;
    int gapAt = -1; // where "::" stands, as a group index
    if (end - p >= 2 && p[0] == ':' && p[1] == ':') {
        gapAt = 0;
        p += 2;
    } else if (p < end && *p == ':') {
        return false; // a single leading colon
    }
    while (p < end) {
        // A trailing dotted quad fills the last two groups.
        const char *fieldEnd = p;
        bool dotted = false;
        while (fieldEnd < end && *fieldEnd != ':') {
            dotted = dotted || *fieldEnd == '.';
            ++fieldEnd;
        }
        if (dotted) {
            std::uint32_t v4 = 0;
            if (fieldEnd != end || groupCount > 6 || !parseIpv4Text(p, end, v4))
                return false;
            groups[std::size_t(groupCount++)] = std::uint16_t(v4 >> 16);
            groups[std::size_t(groupCount++)] = std::uint16_t(v4 & 0xffff);
            p = end;
            break;
        }
        const auto digits = fieldEnd - p;
        if (digits < 1 || digits > 4 || groupCount >= 8)
            return false;
        unsigned value = 0;
        for (const char *q = p; q < fieldEnd; ++q) {
            const std::uint8_t digit = hexDigitValue(*q);
            if (digit > 15)
                return false;
            value = (value << 4) | digit;
        }
        groups[std::size_t(groupCount++)] = std::uint16_t(value);
        p = fieldEnd;
        if (p == end)
            break;
        ++p; // the ':'
        if (p < end && *p == ':') {
            if (gapAt >= 0)
                return false; // a second "::"
            gapAt = groupCount;
            ++p;
        } else if (p == end) {
            return false; // a single trailing colon
        }
    }
    if (gapAt < 0 ? groupCount != 8 : groupCount > 7)
        return false;
    std::array<std::uint16_t, 8> expanded{};
    const int tail = groupCount - (gapAt < 0 ? groupCount : gapAt);
    const int head = groupCount - tail;
    for (int i = 0; i < head; ++i)
        expanded[std::size_t(i)] = groups[std::size_t(i)];
    for (int i = 0; i < tail; ++i)
        expanded[std::size_t(8 - tail + i)] = groups[std::size_t(head + i)];
    for (std::size_t i = 0; i < 8; ++i) {
        bytes[2 * i] = std::uint8_t(expanded[i] >> 8);
        bytes[2 * i + 1] = std::uint8_t(expanded[i] & 0xff);
    }
    return true;
}

bool parseAddressText(QByteArrayView text, IpAddress &address)
{
    const qsizetype percent = text.indexOf('%');
    if (percent >= 0) {
        if (percent + 1 == text.size())
            return false; // "%" with no scope name
        text = text.first(percent);
    }
    if (text.size() == 1 && text[0] == '*') {
        address = IpAddress::fromV6({});
        return true;
    }
    const char *p = text.data();
    const char *end = p + text.size();
    if (text.contains(':')) {
        std::array<std::uint8_t, 16> bytes{};
        if (!parseIpv6Text(p, end, bytes))
            return false;
        address = IpAddress::fromV6(bytes); // a mapped ::ffff:a.b.c.d is IPv4 from here on
        return true;
    }
    std::uint32_t v4 = 0;
    if (!parseIpv4Text(p, end, v4))
        return false;
    address = IpAddress::fromV4(v4);
    return true;
}

bool parseEndpointText(QByteArrayView text, Endpoint &endpoint)
{
    const qsizetype colon = text.lastIndexOf(':');
    if (colon <= 0)
        return false;
    const QByteArrayView portText = text.sliced(colon + 1);
    std::uint64_t port = 0;
    if (portText.size() == 1 && portText[0] == '*')
        port = 0;
    else if (!decimalToken(portText, port) || port > 65535)
        return false;

    QByteArrayView addressText = text.first(colon);
    if (addressText[0] == '[') {
        const qsizetype close = addressText.indexOf(']');
        if (close < 0)
            return false;
        const QByteArrayView scope = addressText.sliced(close + 1);
        if (!scope.isEmpty() && (scope[0] != '%' || scope.size() == 1))
            return false;
        addressText = addressText.sliced(1, close - 1);
        // Inside brackets only IPv6 is valid ("[1.2.3.4]" is not something ss prints).
        if (!addressText.contains(':'))
            return false;
    }
    IpAddress address;
    if (!parseAddressText(addressText, address))
        return false;
    endpoint.address = address;
    endpoint.port = std::uint16_t(port);
    return true;
}

} // namespace twbench::textscan
