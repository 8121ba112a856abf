#include "procnettcp.h"

#include "repeatedsockets.h"
#include "textscan.h"

#include <QCoreApplication>

#include <algorithm>

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

bool readAddress(const char *&p, const char *end, AddressFamily family, Endianness endianness,
                 IpAddress &address)
{
    std::uint32_t word = 0;
    if (family == AddressFamily::V4) {
        if (!readFixedHex(p, end, 8, word))
            return false;
        address = IpAddress::fromV4(networkOrderWord(word, endianness));
        return true;
    }
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
    address = IpAddress::fromV6(bytes);
    return true;
}

bool readEndpoint(const char *&p, const char *end, AddressFamily family, Endianness endianness,
                  Endpoint &endpoint)
{
    if (!readAddress(p, end, family, endianness, endpoint.address))
        return false;
    std::uint32_t port = 0;
    if (!consume(p, end, ':') || !readFixedHex(p, end, 4, port))
        return false;
    endpoint.port = std::uint16_t(port);
    return true;
}

const char *badAddressReason(AddressFamily family, bool local)
{
    if (local)
        return family == AddressFamily::V4
                   ? QT_TRANSLATE_NOOP("Parser", "bad local address (expected IPv4 hex)")
                   : QT_TRANSLATE_NOOP("Parser", "bad local address (expected IPv6 hex)");
    return family == AddressFamily::V4
               ? QT_TRANSLATE_NOOP("Parser", "bad remote address (expected IPv4 hex)")
               : QT_TRANSLATE_NOOP("Parser", "bad remote address (expected IPv6 hex)");
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
        return badAddressReason(family, true);
    skipBlanks(p, end);
    if (!readEndpoint(p, end, family, endianness, socket.remote))
        return badAddressReason(family, false);
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

// One endpoint of a folded line: the address, then ':' and either 4 hex digits or '*' (the
// port that the line's list fills in).
bool readFoldedEndpoint(const char *&p, const char *end, AddressFamily family,
                        Endianness endianness, Endpoint &endpoint, bool &portListed)
{
    if (!readAddress(p, end, family, endianness, endpoint.address) || !consume(p, end, ':'))
        return false;
    portListed = consume(p, end, '*');
    std::uint32_t port = 0;
    if (!portListed && !readFixedHex(p, end, 4, port))
        return false;
    endpoint.port = std::uint16_t(port);
    return true;
}

// The TIME_WAIT sockets of one folded line, appended to `out`; on failure `out` is as it was
// and the reason is returned.
const char *readFoldedLine(QByteArrayView line, AddressFamily family, Endianness endianness,
                           std::uint64_t netns, std::vector<Socket> &out)
{
    const char *p = line.data();
    const char *end = p + line.size();
    Socket socket;
    socket.state = TcpState::TimeWait;
    socket.uid = 0; // as the kernel prints it for a TIME_WAIT socket
    socket.netns = netns;
    bool localListed = false;
    bool remoteListed = false;
    skipBlanks(p, end);
    if (!readFoldedEndpoint(p, end, family, endianness, socket.local, localListed))
        return badAddressReason(family, true);
    skipBlanks(p, end);
    if (!readFoldedEndpoint(p, end, family, endianness, socket.remote, remoteListed))
        return badAddressReason(family, false);
    if (localListed == remoteListed)
        return QT_TRANSLATE_NOOP("Parser", "expected exactly one endpoint with the port \"*\"");
    const QByteArrayView ports = nextToken(p, end);
    skipBlanks(p, end);
    if (ports.isEmpty() || ports.size() % 4 != 0 || p != end)
        return QT_TRANSLATE_NOOP("Parser", "bad port list (expected 4-digit hex ports)");
    // Checked whole before any socket is added, so a bad line adds none.
    for (const char c : ports) {
        if (hexDigitValue(c) == 0xff)
            return QT_TRANSLATE_NOOP("Parser", "bad port list (expected 4-digit hex ports)");
    }
    std::uint16_t &port = localListed ? socket.local.port : socket.remote.port;
    const char *digits = ports.data();
    const char *digitsEnd = digits + ports.size();
    while (digits < digitsEnd) {
        std::uint32_t value = 0;
        readFixedHex(digits, digitsEnd, 4, value);
        port = std::uint16_t(value);
        out.push_back(socket);
    }
    return nullptr;
}

} // namespace

ParseReport parseProcNetTcpTimeWaits(QByteArrayView text, AddressFamily family,
                                     Endianness endianness, std::uint64_t netns,
                                     std::vector<Socket> &out, std::size_t dedupFrom)
{
    ParseReport report;
    // At most one socket per 4 bytes of text: reserved once, never reallocated.
    out.reserve(out.size() + std::size_t(text.size() / 4) + 1);
    LineReader lines(text);
    QByteArrayView line;
    while (lines.next(line)) {
        if (isBlankLine(line))
            continue;
        ++report.linesRead;
        if (const char *reason = readFoldedLine(line, family, endianness, netns, out)) {
            report.reject(lines.lineNumber(), QCoreApplication::translate("Parser", reason), line);
            continue;
        }
        ++report.linesUsed;
    }
    report.duplicates += qsizetype(removeRepeatedSockets(out, std::min(dedupFrom, out.size())));
    return report;
}

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
