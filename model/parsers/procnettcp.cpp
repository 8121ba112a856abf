#include "procnettcp.h"

#include "repeatedsockets.h"
#include "textscan.h"

#include <QCoreApplication>

namespace twbench {

namespace {

using namespace textscan;

// The shortest real line: a TIME_WAIT entry of /proc/net/tcp is about 105 bytes, tcp6 about
// 155. Reserving by this bound never reallocates and over-reserves by less than half.
constexpr qsizetype shortestLineV4 = 100;
constexpr qsizetype shortestLineV6 = 150;

// The kernel prints each address word as "%08X" of a u32 in its own byte order; the bytes of
// that u32 in memory are the address in network order.
std::uint32_t networkOrderWord(std::uint32_t printed, Endianness endianness)
{
    if (endianness == Endianness::Big)
        return printed;
    return ((printed & 0xffu) << 24) | ((printed & 0xff00u) << 8) | ((printed >> 8) & 0xff00u) |
           (printed >> 24);
}

bool readEndpoint(const char *&p, const char *end, AddressFamily family, Endianness endianness,
                  Endpoint &endpoint)
{
    std::uint32_t word = 0;
    if (family == AddressFamily::V4) {
        if (!readFixedHex(p, end, 8, word))
            return false;
        endpoint.address = IpAddress::fromV4(networkOrderWord(word, endianness));
    } else {
        std::array<std::uint8_t, 16> bytes{};
        for (std::size_t i = 0; i < 4; ++i) {
            if (!readFixedHex(p, end, 8, word))
                return false;
            const std::uint32_t network = networkOrderWord(word, endianness);
            bytes[4 * i] = std::uint8_t(network >> 24);
            bytes[4 * i + 1] = std::uint8_t(network >> 16);
            bytes[4 * i + 2] = std::uint8_t(network >> 8);
            bytes[4 * i + 3] = std::uint8_t(network);
        }
        // fromV6 keeps ::ffff:a.b.c.d in the same form as fromV4, so a mapped peer is IPv4.
        endpoint.address = IpAddress::fromV6(bytes);
    }
    std::uint32_t port = 0;
    if (!consume(p, end, ':') || !readFixedHex(p, end, 4, port))
        return false;
    endpoint.port = std::uint16_t(port);
    return true;
}

bool skipToken(const char *&p, const char *end)
{
    return !nextToken(p, end).isEmpty();
}

bool isHeader(QByteArrayView line)
{
    const char *p = line.data();
    const QByteArrayView first = nextToken(p, line.data() + line.size());
    return first == "sl";
}

// Reads one data line into `socket`; on failure returns the reason.
const char *readLine(QByteArrayView line, AddressFamily family, Endianness endianness,
                     Socket &socket)
{
    const char *p = line.data();
    const char *end = p + line.size();
    std::uint64_t number = 0;
    skipBlanks(p, end);
    if (!readDecimal(p, end, number) || !consume(p, end, ':'))
        return QT_TRANSLATE_NOOP("Parser", "not a socket line (no slot number)");
    skipBlanks(p, end);
    if (!readEndpoint(p, end, family, endianness, socket.local))
        return family == AddressFamily::V4
                   ? QT_TRANSLATE_NOOP("Parser", "bad local address (expected IPv4 hex)")
                   : QT_TRANSLATE_NOOP("Parser", "bad local address (expected IPv6 hex)");
    skipBlanks(p, end);
    if (!readEndpoint(p, end, family, endianness, socket.remote))
        return family == AddressFamily::V4
                   ? QT_TRANSLATE_NOOP("Parser", "bad remote address (expected IPv4 hex)")
                   : QT_TRANSLATE_NOOP("Parser", "bad remote address (expected IPv6 hex)");
    std::uint32_t code = 0;
    skipBlanks(p, end);
    if (!readFixedHex(p, end, 2, code))
        return QT_TRANSLATE_NOOP("Parser", "bad state code");
    const auto state = tcpStateFromProcCode(code);
    if (!state)
        return QT_TRANSLATE_NOOP("Parser", "unknown TCP state code");
    socket.state = *state;
    std::uint32_t sendQueue = 0;
    std::uint32_t receiveQueue = 0;
    skipBlanks(p, end);
    if (!readFixedHex(p, end, 8, sendQueue) || !consume(p, end, ':') ||
        !readFixedHex(p, end, 8, receiveQueue))
        return QT_TRANSLATE_NOOP("Parser", "bad queue sizes");
    socket.sendQueue = sendQueue;
    socket.receiveQueue = receiveQueue;
    // "tr:tm->when" and "retrnsmt": timer state, not needed. The kernel prints them as
    // " %02X:%08lX %08X", so the usual line skips them in one step; a wider timer (a negative
    // tm->when prints 16 digits) takes the token-by-token way.
    constexpr int timerColumnsWidth = 21;
    if (end - p > timerColumnsWidth && p[0] == ' ' && p[3] == ':' && p[12] == ' ' &&
        p[timerColumnsWidth] == ' ')
        p += timerColumnsWidth;
    else if (!skipToken(p, end) || !skipToken(p, end))
        return QT_TRANSLATE_NOOP("Parser", "line ends before the uid column");
    std::uint64_t uid = 0;
    skipBlanks(p, end);
    if (!readDecimal(p, end, uid) || uid > UINT32_MAX)
        return QT_TRANSLATE_NOOP("Parser", "bad uid");
    socket.uid = std::int64_t(uid);
    // "timeout" (zero-window probes sent): not needed.
    if (!skipToken(p, end))
        return QT_TRANSLATE_NOOP("Parser", "line ends before the inode column");
    std::uint64_t inode = 0;
    skipBlanks(p, end);
    if (!readDecimal(p, end, inode) || (p < end && !isBlank(*p)))
        return QT_TRANSLATE_NOOP("Parser", "bad inode");
    socket.inode = inode;
    return nullptr;
}

} // namespace

ParseReport parseProcNetTcp(QByteArrayView text, AddressFamily family, Endianness endianness,
                            std::uint64_t netns, std::vector<Socket> &out)
{
    ParseReport report;
    const std::size_t firstIndex = out.size();
    const auto expected = std::size_t(
        text.size() / (family == AddressFamily::V4 ? shortestLineV4 : shortestLineV6) + 1);
    out.reserve(firstIndex + expected);

    LineReader lines(text);
    QByteArrayView line;
    while (lines.next(line)) {
        if (isBlankLine(line))
            continue;
        ++report.linesRead;
        Socket &socket = out.emplace_back();
        if (const char *reason = readLine(line, family, endianness, socket)) {
            out.pop_back();
            // The header is checked only on failure: it is one line in thousands.
            if (isHeader(line))
                ++report.linesSkipped;
            else
                report.reject(lines.lineNumber(), QCoreApplication::translate("Parser", reason),
                              line);
            continue;
        }
        socket.netns = netns;
        ++report.linesUsed;
    }
    const auto repeats = qsizetype(removeRepeatedSockets(out, firstIndex));
    report.duplicates += repeats;
    report.linesUsed -= repeats;
    return report;
}

} // namespace twbench
