#include "ssparser.h"

#include "repeatedsockets.h"
#include "textscan.h"

#include <QCoreApplication>
#include <QHash>

#include <algorithm>
#include <cstring>

namespace twbench {

namespace {

using namespace textscan;

// `ss -Htan` prints about 60 bytes for an IPv4 line without padding; 40 is a safe floor.
constexpr qsizetype shortestLine = 40;

// A token against a literal, without the strlen a QByteArrayView of a literal costs.
template<std::size_t N>
bool is(QByteArrayView token, const char (&literal)[N])
{
    return token.size() == qsizetype(N - 1) && std::memcmp(token.data(), literal, N - 1) == 0;
}

// The two states that make up nearly every line of a big table come first; everything else
// goes through the general lookup.
std::optional<TcpState> stateOf(QByteArrayView name)
{
    if (is(name, "TIME-WAIT"))
        return TcpState::TimeWait;
    if (is(name, "ESTAB"))
        return TcpState::Established;
    return tcpStateFromName(name);
}

// What `ss -an` (without -t) puts before the state; only tcp rows are ours.
bool isOtherNetid(QByteArrayView token)
{
    static constexpr const char *others[] = {"udp",   "raw",   "u_str", "u_dgr", "u_seq",
                                             "p_raw", "p_dgr", "nl",    "mptcp", "sctp",
                                             "dccp",  "tipc",  "xdp",   "v_str", "v_dgr"};
    for (const char *other : others) {
        if (token == QByteArrayView(other))
            return true;
    }
    return false;
}

// Every ss state name is in capitals ("ESTAB", "TIME-WAIT", "UNCONN"); netids ("tcp") and
// the header words ("State", "Netid") are not.
bool isStateStart(QByteArrayView token)
{
    return token.size() >= 2 && token[0] >= 'A' && token[0] <= 'Z' && token[1] >= 'A' &&
           token[1] <= 'Z';
}

bool isHeader(QByteArrayView firstToken)
{
    return is(firstToken, "State") || is(firstToken, "Netid");
}

// Fast path for the common "a.b.c.d:port"; everything else (IPv6, scopes, "*", and anything
// odd such as a leading zero) goes through the general endpoint reader.
bool readEndpoint(QByteArrayView token, Endpoint &endpoint)
{
    const char *p = token.data();
    const char *end = p + token.size();
    std::uint32_t v4 = 0;
    for (int part = 0; part < 4; ++part) {
        if (part > 0 && !consume(p, end, '.'))
            return parseEndpointText(token, endpoint);
        unsigned value = 0;
        const char *start = p;
        while (p < end && isDigit(*p) && p - start < 3 && !(p - start == 1 && value == 0)) {
            value = value * 10 + unsigned(*p - '0');
            ++p;
        }
        if (p == start || value > 255)
            return parseEndpointText(token, endpoint);
        v4 = (v4 << 8) | value;
    }
    if (!consume(p, end, ':'))
        return parseEndpointText(token, endpoint);
    std::uint64_t port = 0;
    if (p < end && *p == '*' && p + 1 == end) {
        port = 0;
    } else if (!readDecimal(p, end, port) || p != end || port > 65535) {
        return false;
    }
    endpoint.address = IpAddress::fromV4(v4);
    endpoint.port = std::uint16_t(port);
    return true;
}

// A process name as ss prints it: the comm of /proc/<pid>/stat (at most 15 bytes; ss stops at
// its first ')') between double quotes, unescaped, so it may hold '"', '(', ',' and blanks. Longer
// is not a name ss printed.
constexpr qsizetype longestProcessName = 64;

// One `("name",pid=N,fd=M)` entry of users:(…), from `p` at its '('. The name ends at the first
// `",pid=` that the rest of a well-formed entry follows: `digits,fd=digits)`. On success `p`
// ends after the entry's ')'.
bool readProcessEntry(const char *&p, const char *end, QByteArrayView &name, std::uint64_t &pid)
{
    if (!consume(p, end, '(') || !consume(p, end, '"'))
        return false;
    const char *nameStart = p;
    const char *limit = std::min(end, nameStart + longestProcessName + 1);
    for (const char *quote = nameStart; quote < limit; ++quote) {
        if (*quote != '"')
            continue;
        const char *q = quote + 1;
        std::uint64_t value = 0;
        std::uint64_t fd = 0;
        if (end - q < 5 || std::memcmp(q, ",pid=", 5) != 0)
            continue;
        q += 5;
        if (!readDecimal(q, end, value) || end - q < 4 || std::memcmp(q, ",fd=", 4) != 0)
            continue;
        q += 4;
        if (!readDecimal(q, end, fd) || !consume(q, end, ')'))
            continue;
        name = QByteArrayView(nameStart, quote - nameStart);
        pid = value;
        p = q;
        return true;
    }
    return false;
}

// The process column from `p` at "users:(": the first process into `socket` (and its name into
// `names`), then `p` past the whole column so the extras after it are read as tokens again.
// Returns false when the column is malformed or cut short (nothing is kept then).
bool readUsers(const char *&p, const char *end, Socket &socket, ProcessNames *names)
{
    p += 6; // "users:"
    if (!consume(p, end, '('))
        return false;
    QByteArrayView firstName;
    std::uint64_t firstPid = 0;
    if (!readProcessEntry(p, end, firstName, firstPid))
        return false;
    // The other entries (the same socket shared by forked workers) are only stepped over.
    while (p < end && *p == ',') {
        ++p;
        QByteArrayView name;
        std::uint64_t pid = 0;
        if (!readProcessEntry(p, end, name, pid))
            return false;
    }
    if (!consume(p, end, ')') || firstPid == 0 || firstPid > UINT32_MAX)
        return false;
    socket.pid = std::uint32_t(firstPid);
    if (names) {
        // One string per process: a busy worker holds thousands of sockets.
        if (!names->contains(socket.pid))
            names->insert(socket.pid, QString::fromUtf8(firstName));
    }
    return true;
}

const char *readLine(QByteArrayView firstToken, const char *p, const char *end, Socket &socket,
                     ProcessNames *processNames)
{
    const auto state = stateOf(firstToken);
    if (!state)
        return QT_TRANSLATE_NOOP("Parser", "unknown TCP state name");
    socket.state = *state;
    std::uint64_t receiveQueue = 0;
    std::uint64_t sendQueue = 0;
    if (!decimalToken(nextToken(p, end), receiveQueue) ||
        !decimalToken(nextToken(p, end), sendQueue) || receiveQueue > UINT32_MAX ||
        sendQueue > UINT32_MAX)
        return QT_TRANSLATE_NOOP("Parser", "bad Recv-Q/Send-Q columns");
    socket.receiveQueue = std::uint32_t(receiveQueue);
    socket.sendQueue = std::uint32_t(sendQueue);
    const QByteArrayView local = nextToken(p, end);
    if (local.isEmpty())
        return QT_TRANSLATE_NOOP("Parser", "line ends before the local address");
    if (!readEndpoint(local, socket.local))
        return QT_TRANSLATE_NOOP("Parser", "bad local address");
    const QByteArrayView remote = nextToken(p, end);
    if (remote.isEmpty())
        return QT_TRANSLATE_NOOP("Parser", "line ends before the peer address");
    if (!readEndpoint(remote, socket.remote))
        return QT_TRANSLATE_NOOP("Parser", "bad peer address");
    // Extras of -e/-p/-o/-i: only the first process, uid and inode are kept; anything else
    // (sk:…, timer:(…), cgroup:…) is left alone, and a malformed extra never rejects the socket.
    for (QByteArrayView extra = nextToken(p, end); !extra.isEmpty(); extra = nextToken(p, end)) {
        std::uint64_t value = 0;
        if (extra.startsWith("users:(")) {
            // A name may hold blanks: the column is read from its start, not as one token.
            const char *column = extra.data();
            if (readUsers(column, end, socket, processNames))
                p = column;
        } else if (extra.startsWith("uid:")) {
            if (decimalToken(extra.sliced(4), value) && value <= UINT32_MAX)
                socket.uid = std::int64_t(value);
        } else if (extra.startsWith("ino:")) {
            if (decimalToken(extra.sliced(4), value))
                socket.inode = value;
        }
    }
    return nullptr;
}

} // namespace

ParseReport parseSs(QByteArrayView text, std::uint64_t netns, std::vector<Socket> &out,
                    ProcessNames *processNames)
{
    ParseReport report;
    const std::size_t firstIndex = out.size();
    const auto expected = std::size_t(text.size() / shortestLine + 1);
    out.reserve(firstIndex + expected);

    LineReader lines(text);
    QByteArrayView line;
    while (lines.next(line)) {
        const char *p = line.data();
        const char *end = p + line.size();
        QByteArrayView first = nextToken(p, end);
        if (first.isEmpty())
            continue;
        ++report.linesRead;
        // Most lines start with a state; the netid column and headers are the rare case.
        if (!isStateStart(first)) {
            if (is(first, "tcp")) {
                first = nextToken(p, end);
            } else if (isOtherNetid(first) || isHeader(first)) {
                ++report.linesSkipped;
                continue;
            }
        }
        Socket &socket = out.emplace_back();
        if (const char *reason = readLine(first, p, end, socket, processNames)) {
            out.pop_back();
            report.reject(lines.lineNumber(), QCoreApplication::translate("Parser", reason), line);
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

ParseReport parseSsListeners(QByteArrayView text, std::uint64_t netns, std::vector<Socket> &table,
                             std::size_t from, ProcessNames &processNames)
{
    // The lines get back the state ss left out, so the one reader of ss lines reads them; the
    // header gets a "State" before it, which makes it the header parseSs skips. Line for line,
    // so a rejected line keeps its number.
    QByteArray withState;
    withState.reserve(text.size() + text.size() / 8 + 16);
    LineReader lines(text);
    QByteArrayView line;
    while (lines.next(line)) {
        const char *p = line.data();
        const QByteArrayView first = nextToken(p, line.data() + line.size());
        if (!first.isEmpty() && isDigit(first[0]))
            withState += "LISTEN ";
        else if (is(first, "Recv-Q"))
            withState += "State ";
        withState += line;
        withState += '\n';
    }
    std::vector<Socket> listeners;
    ProcessNames names;
    ParseReport report = parseSs(withState, netns, listeners, &names);
    // Every listener's endpoint, those ss saw no process for included: such a line still says
    // that the endpoint is there, so the wildcard rule below must not name it after another.
    QHash<Endpoint, std::uint32_t> pidOf;
    pidOf.reserve(qsizetype(listeners.size()));
    for (const Socket &listener : listeners) {
        if (listener.state != TcpState::Listen) {
            --report.linesUsed;
            ++report.linesSkipped;
            continue;
        }
        if (!pidOf.contains(listener.local))
            pidOf.insert(listener.local, listener.pid);
    }
    if (pidOf.isEmpty())
        return report;
    for (std::size_t i = from; i < table.size(); ++i) {
        Socket &socket = table[i];
        if (socket.state != TcpState::Listen || socket.pid != 0 || socket.netns != netns)
            continue;
        auto it = pidOf.constFind(socket.local);
        if (it == pidOf.cend() && socket.local.isWildcard() && socket.local.address.isV4())
            it = pidOf.constFind(Endpoint{IpAddress(), socket.local.port});
        if (it == pidOf.cend() || *it == 0)
            continue;
        socket.pid = *it;
        if (!processNames.contains(socket.pid))
            processNames.insert(socket.pid, names.value(socket.pid));
    }
    return report;
}

} // namespace twbench
