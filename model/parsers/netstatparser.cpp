#include "netstatparser.h"

#include "textscan.h"

#include <QCoreApplication>

namespace twbench {

namespace {

using namespace textscan;

bool isOtherProtocol(QByteArrayView proto)
{
    static constexpr const char *others[] = {"udp", "udp6", "udpl", "udpl6", "raw", "raw6", "unix"};
    for (const char *other : others) {
        if (proto == QByteArrayView(other))
            return true;
    }
    return false;
}

// "Active Internet connections (…)", "Active UNIX domain sockets (…)", the column header rows.
bool isHeader(QByteArrayView first)
{
    return first == "Active" || first == "Proto";
}

struct Columns
{
    QByteArrayView proto, receiveQueue, sendQueue, local, remote, state;
    const char *rest = nullptr; // what follows the state column
};

Columns columnsOf(QByteArrayView line)
{
    Columns columns;
    const char *p = line.data();
    const char *end = p + line.size();
    columns.proto = nextToken(p, end);
    columns.receiveQueue = nextToken(p, end);
    columns.sendQueue = nextToken(p, end);
    columns.local = nextToken(p, end);
    columns.remote = nextToken(p, end);
    columns.state = nextToken(p, end);
    columns.rest = p;
    return columns;
}

bool isTcpProto(QByteArrayView proto)
{
    return proto == "tcp" || proto == "tcp6";
}

} // namespace

ParseReport parseNetstat(QByteArrayView text, std::vector<Socket> &out)
{
    ParseReport report;
    bool hasUserAndInode = false; // -e adds "User Inode" after "State"

    LineReader lines(text);
    QByteArrayView line;
    while (lines.next(line)) {
        if (isBlankLine(line))
            continue;
        ++report.linesRead;
        const Columns columns = columnsOf(line);
        const auto reject = [&](const char *reason) {
            report.reject(lines.lineNumber(), QCoreApplication::translate("Parser", reason), line);
        };
        if (isHeader(columns.proto)) {
            if (columns.proto == "Proto")
                hasUserAndInode = line.contains("Inode");
            ++report.linesSkipped;
            continue;
        }
        if (isOtherProtocol(columns.proto)) {
            ++report.linesSkipped;
            continue;
        }
        if (!isTcpProto(columns.proto)) {
            reject(QT_TRANSLATE_NOOP("Parser", "not a netstat row"));
            continue;
        }
        Socket socket;
        std::uint64_t receiveQueue = 0;
        std::uint64_t sendQueue = 0;
        if (!decimalToken(columns.receiveQueue, receiveQueue) ||
            !decimalToken(columns.sendQueue, sendQueue) || receiveQueue > UINT32_MAX ||
            sendQueue > UINT32_MAX) {
            reject(QT_TRANSLATE_NOOP("Parser", "bad Recv-Q/Send-Q columns"));
            continue;
        }
        socket.receiveQueue = std::uint32_t(receiveQueue);
        socket.sendQueue = std::uint32_t(sendQueue);
        if (columns.state.isEmpty()) {
            reject(QT_TRANSLATE_NOOP("Parser", "line ends before the state column"));
            continue;
        }
        if (!parseEndpointText(columns.local, socket.local)) {
            reject(QT_TRANSLATE_NOOP("Parser", "bad local address"));
            continue;
        }
        if (!parseEndpointText(columns.remote, socket.remote)) {
            reject(QT_TRANSLATE_NOOP("Parser", "bad foreign address"));
            continue;
        }
        const auto state = tcpStateFromName(columns.state);
        if (!state) {
            reject(QT_TRANSLATE_NOOP("Parser", "unknown TCP state name"));
            continue;
        }
        socket.state = *state;
        if (hasUserAndInode) {
            // With -n the user is numeric; a name (no -n) cannot be mapped here, so it stays
            // unknown rather than failing the row.
            const char *p = columns.rest;
            const char *end = line.data() + line.size();
            std::uint64_t uid = 0;
            std::uint64_t inode = 0;
            if (decimalToken(nextToken(p, end), uid) && uid <= UINT32_MAX)
                socket.uid = std::int64_t(uid);
            if (decimalToken(nextToken(p, end), inode))
                socket.inode = inode;
        }
        out.push_back(socket);
        ++report.linesUsed;
    }
    return report;
}

} // namespace twbench
