// The socket-table and counter parsers, first on real captures (tests/data/capture.sh made them
// in a private network namespace, so every socket in them is known), then on edge cases.

#include "model/cputimes.h"
#include "model/parsers/counterparsers.h"
#include "model/parsers/netstatparser.h"
#include "model/parsers/procnettcp.h"
#include "model/parsers/ssparser.h"
#include "model/parsers/textscan.h"

#include <gtest/gtest.h>

#include <QFile>
#include <QRandomGenerator>

#include <algorithm>
#include <map>
#include <tuple>

using namespace twbench;

namespace {

QByteArray readCapture(const char *name)
{
    QFile file(QStringLiteral(TWBENCH_TEST_DATA_DIR "/") + QLatin1StringView(name));
    if (!file.open(QIODevice::ReadOnly)) {
        ADD_FAILURE() << "missing capture " << name << " (run tests/data/capture.sh as root)";
        return {};
    }
    return file.readAll();
}

Endpoint endpoint(const char *address, std::uint16_t port)
{
    const auto parsed = IpAddress::parse(address);
    EXPECT_TRUE(parsed) << address;
    return {parsed.value_or(IpAddress{}), port};
}

// What must be equal whichever tool listed a socket.
struct Row
{
    Endpoint local;
    Endpoint remote;
    TcpState state = TcpState::Unknown;

    friend auto operator<=>(const Row &, const Row &) = default;
    friend bool operator==(const Row &, const Row &) = default;
};

void PrintTo(const Row &row, std::ostream *os)
{
    *os << row.local.toString().toStdString() << " -> " << row.remote.toString().toStdString()
        << ' ' << tcpStateName(row.state).toStdString();
}

std::vector<Row> sortedRows(const std::vector<Socket> &sockets)
{
    std::vector<Row> rows;
    rows.reserve(sockets.size());
    for (const Socket &socket : sockets)
        rows.push_back({socket.local, socket.remote, socket.state});
    std::sort(rows.begin(), rows.end());
    return rows;
}

std::vector<Row> withoutListeners(std::vector<Row> rows)
{
    std::erase_if(rows, [](const Row &row) { return row.state == TcpState::Listen; });
    return rows;
}

// Every non-blank line is accounted for exactly once.
void expectBalanced(const ParseReport &report)
{
    EXPECT_EQ(report.linesRead,
              report.linesUsed + report.linesSkipped + report.linesRejected + report.duplicates);
}

std::vector<Socket> parseProcCaptures(ParseReport *report = nullptr)
{
    std::vector<Socket> sockets;
    ParseReport v4 = parseProcNetTcp(readCapture("proc_net_tcp.txt"), AddressFamily::V4,
                                     Endianness::Little, 0, sockets);
    const ParseReport v6 = parseProcNetTcp(readCapture("proc_net_tcp6.txt"), AddressFamily::V6,
                                           Endianness::Little, 0, sockets);
    v4.merge(v6);
    if (report)
        *report = v4;
    return sockets;
}

const Socket *find(const std::vector<Socket> &sockets, const Endpoint &local,
                   const Endpoint &remote)
{
    const auto it = std::find_if(sockets.begin(), sockets.end(), [&](const Socket &socket) {
        return socket.local == local && socket.remote == remote;
    });
    return it == sockets.end() ? nullptr : &*it;
}

// A /proc/net/tcp line as the kernel prints it (fields after inode trimmed to what TIME_WAIT
// lines have); `local` and `remote` are the hex words exactly as they should appear.
QByteArray procLine(const char *local, const char *remote, const char *state = "01",
                    const char *slot = "0")
{
    return QByteArray("   ") + slot + ": " + local + ' ' + remote + ' ' + state +
           " 00000010:00000020 00:00000000 00000000  1000        0 4242 1 0000000000000000"
           " 20 4 30 10 -1\n";
}

constexpr char procHeader[] = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when "
                              "retrnsmt   uid  timeout inode\n";

} // namespace

// ---- Real captures --------------------------------------------------------------------------

TEST(ParserCaptures, ProcReadsEverySocketOfTheCapture)
{
    ParseReport report;
    const std::vector<Socket> sockets = parseProcCaptures(&report);
    EXPECT_TRUE(report.ok()) << report.summary().toStdString();
    expectBalanced(report);
    EXPECT_EQ(report.linesSkipped, 2); // the two headers
    EXPECT_EQ(report.duplicates, 0);
    // capture.sh: 6 listeners, 16 ESTABLISHED, 400 TIME_WAIT.
    const auto count = [&](TcpState state) {
        return std::count_if(sockets.begin(), sockets.end(),
                             [state](const Socket &socket) { return socket.state == state; });
    };
    EXPECT_EQ(count(TcpState::Listen), 6);
    EXPECT_EQ(count(TcpState::Established), 16);
    EXPECT_EQ(count(TcpState::TimeWait), 400);
    EXPECT_EQ(qsizetype(sockets.size()), report.linesUsed);
}

TEST(ParserCaptures, ProcDecodesAddressesPortsAndOwners)
{
    const std::vector<Socket> sockets = parseProcCaptures();

    const Socket *listener = find(sockets, endpoint("127.0.0.11", 7001), endpoint("0.0.0.0", 0));
    ASSERT_TRUE(listener);
    EXPECT_EQ(listener->state, TcpState::Listen);
    EXPECT_EQ(listener->uid, 0);
    EXPECT_NE(listener->inode, 0u);

    // The server side of an IPv4 client on the dual-stack listener: listed in tcp6 as
    // ::ffff:127.0.0.1, read as plain IPv4.
    const Socket *mapped =
        find(sockets, endpoint("127.0.0.1", 7003), endpoint("127.0.0.23", 43001));
    ASSERT_TRUE(mapped);
    EXPECT_TRUE(mapped->local.address.isV4());
    EXPECT_EQ(mapped->state, TcpState::Established);

    // The dual-stack listener itself stays IPv6 "::", not 0.0.0.0.
    const Socket *dualStack = find(sockets, endpoint("::", 7003), endpoint("::", 0));
    ASSERT_TRUE(dualStack);
    EXPECT_FALSE(dualStack->local.address.isV4());

    const Socket *linkLocal = find(sockets, endpoint("fe80::1", 47001), endpoint("fe80::1", 7005));
    ASSERT_TRUE(linkLocal);
    EXPECT_EQ(linkLocal->state, TcpState::Established);

    const Socket *timeWait =
        find(sockets, endpoint("127.0.0.12", 7002), endpoint("127.0.0.22", 42123));
    ASSERT_TRUE(timeWait);
    EXPECT_EQ(timeWait->state, TcpState::TimeWait);
    EXPECT_EQ(timeWait->inode, 0u); // the kernel gives TIME_WAIT no inode

    const auto timeWaitsOnApiPort =
        std::count_if(sockets.begin(), sockets.end(), [](const Socket &s) {
            return s.state == TcpState::TimeWait && s.local == endpoint("127.0.0.12", 7002);
        });
    EXPECT_EQ(timeWaitsOnApiPort, 300);
}

TEST(ParserCaptures, SsAndProcGiveEqualSnapshots)
{
    const std::vector<Row> fromProc = sortedRows(parseProcCaptures());
    ASSERT_FALSE(fromProc.empty());

    std::vector<Socket> headless;
    const ParseReport headlessReport = parseSs(readCapture("ss_Htan.txt"), 0, headless);
    EXPECT_TRUE(headlessReport.ok()) << headlessReport.summary().toStdString();
    EXPECT_EQ(headlessReport.linesSkipped, 0);
    expectBalanced(headlessReport);
    EXPECT_EQ(sortedRows(headless), fromProc);

    std::vector<Socket> withHeader;
    const ParseReport headerReport = parseSs(readCapture("ss_tan.txt"), 0, withHeader);
    EXPECT_TRUE(headerReport.ok()) << headerReport.summary().toStdString();
    EXPECT_EQ(headerReport.linesSkipped, 1);
    EXPECT_EQ(sortedRows(withHeader), fromProc);
}

TEST(ParserCaptures, NetstatAndProcGiveEqualSnapshots)
{
    const std::vector<Row> fromProc = sortedRows(parseProcCaptures());
    ASSERT_FALSE(fromProc.empty());

    std::vector<Socket> all;
    const ParseReport allReport = parseNetstat(readCapture("netstat_ant.txt"), all);
    EXPECT_TRUE(allReport.ok()) << allReport.summary().toStdString();
    EXPECT_EQ(allReport.linesSkipped, 2);
    expectBalanced(allReport);
    EXPECT_EQ(sortedRows(all), fromProc);

    // -tn leaves listeners out.
    std::vector<Socket> connected;
    const ParseReport connectedReport = parseNetstat(readCapture("netstat_tn.txt"), connected);
    EXPECT_TRUE(connectedReport.ok()) << connectedReport.summary().toStdString();
    EXPECT_EQ(sortedRows(connected), withoutListeners(fromProc));
}

TEST(ParserCaptures, CountersAgreeWithTheSocketTable)
{
    const std::vector<Socket> sockets = parseProcCaptures();
    const auto inState = [&](TcpState state) {
        return std::int64_t(std::count_if(sockets.begin(), sockets.end(),
                                          [state](const Socket &s) { return s.state == state; }));
    };

    KernelCounters counters;
    const ParseReport sockstat = parseSockstat(readCapture("proc_net_sockstat.txt"), counters);
    EXPECT_TRUE(sockstat.ok()) << sockstat.summary().toStdString();
    const ParseReport snmp = parseSnmpStyle(readCapture("proc_net_snmp.txt"), counters);
    EXPECT_TRUE(snmp.ok()) << snmp.summary().toStdString();
    expectBalanced(snmp);
    const ParseReport netstat = parseSnmpStyle(readCapture("proc_net_netstat.txt"), counters);
    EXPECT_TRUE(netstat.ok()) << netstat.summary().toStdString();

    EXPECT_EQ(counters.value(counter::TimeWait), inState(TcpState::TimeWait));
    EXPECT_EQ(counters.value(counter::CurrEstab), inState(TcpState::Established));
    // One active and one passive open per connection capture.sh made: 3 + 300 + 102 + 2 + 1.
    EXPECT_EQ(counters.value(counter::ActiveOpens), 408);
    EXPECT_EQ(counters.value(counter::PassiveOpens), 408);
    EXPECT_EQ(counters.value("Tcp.MaxConn"), -1); // a negative counter survives
    EXPECT_EQ(counters.value("sockstat.sockets.used"), 25);
    EXPECT_TRUE(counters.value(counter::TwRecycled).has_value());
    EXPECT_FALSE(counters.value("Tcp.NoSuchCounter").has_value());
}

TEST(ParserCaptures, ProcStatCapturesGiveAPlausibleUsage)
{
    ProcStat first;
    ProcStat second;
    const ParseReport firstReport = parseProcStat(readCapture("proc_stat_1.txt"), first);
    const ParseReport secondReport = parseProcStat(readCapture("proc_stat_2.txt"), second);
    EXPECT_TRUE(firstReport.ok()) << firstReport.summary().toStdString();
    EXPECT_TRUE(secondReport.ok());
    expectBalanced(firstReport);
    ASSERT_TRUE(first.valid && second.valid);
    EXPECT_GE(first.perCpu.size(), 1);
    EXPECT_EQ(first.perCpu.first().cpu, 0);
    EXPECT_GT(first.contextSwitches, 0u);
    EXPECT_GT(first.processesCreated, 0u);
    EXPECT_GE(second.contextSwitches, first.contextSwitches);
    // The aggregate line is the sum of the CPU lines (all online at capture time).
    std::uint64_t idleSum = 0;
    for (const CpuTimes &cpu : first.perCpu)
        idleSum += cpu.idle;
    EXPECT_NEAR(double(idleSum), double(first.all.idle), double(first.perCpu.size()) * 2);

    const CpuUsage usage = cpuUsageBetween(first, second);
    ASSERT_TRUE(usage.valid);
    EXPECT_EQ(usage.cpuCount, first.perCpu.size());
    EXPECT_GE(usage.total, 0.0);
    EXPECT_LE(usage.total, 100.0);
    EXPECT_LE(usage.user + usage.system + usage.irq + usage.steal + usage.iowait, 100.0 + 1e-9);
}

// ---- /proc/net/tcp edge cases -----------------------------------------------------------------

TEST(ProcNetTcp, DecodesLittleEndianWordsAndKeepsAllColumns)
{
    std::vector<Socket> sockets;
    const QByteArray text = procHeader + procLine("0100007F:1F90", "0200000A:C350", "06");
    const ParseReport report =
        parseProcNetTcp(text, AddressFamily::V4, Endianness::Little, 77, sockets);
    ASSERT_EQ(sockets.size(), 1u);
    EXPECT_EQ(report.linesRead, 2);
    EXPECT_EQ(report.linesSkipped, 1);
    EXPECT_EQ(report.linesUsed, 1);
    const Socket &socket = sockets.front();
    EXPECT_EQ(socket.local, endpoint("127.0.0.1", 8080));
    EXPECT_EQ(socket.remote, endpoint("10.0.0.2", 50000));
    EXPECT_EQ(socket.state, TcpState::TimeWait);
    EXPECT_EQ(socket.sendQueue, 0x10u);
    EXPECT_EQ(socket.receiveQueue, 0x20u);
    EXPECT_EQ(socket.uid, 1000);
    EXPECT_EQ(socket.inode, 4242u);
    EXPECT_EQ(socket.netns, 77u);
}

TEST(ProcNetTcp, DecodesBigEndianWords)
{
    // A big-endian kernel prints the same u32 most significant byte first: 127.0.0.1 is
    // 7F000001. Ports are printed after ntohs on either kind of machine.
    const QByteArray text = procLine("7F000001:1F90", "0A000002:C350");
    std::vector<Socket> big;
    parseProcNetTcp(text, AddressFamily::V4, Endianness::Big, 0, big);
    ASSERT_EQ(big.size(), 1u);
    EXPECT_EQ(big.front().local, endpoint("127.0.0.1", 8080));
    EXPECT_EQ(big.front().remote, endpoint("10.0.0.2", 50000));

    std::vector<Socket> little;
    parseProcNetTcp(text, AddressFamily::V4, Endianness::Little, 0, little);
    ASSERT_EQ(little.size(), 1u);
    EXPECT_EQ(little.front().local, endpoint("1.0.0.127", 8080));

    // tcp6 on a big-endian kernel: each of the four words reads in network order.
    const QByteArray v6 =
        procLine("20010DB8000000000000000000000001:01BB", "00000000000000000000FFFF0A000002:C350");
    std::vector<Socket> big6;
    const ParseReport report = parseProcNetTcp(v6, AddressFamily::V6, Endianness::Big, 0, big6);
    EXPECT_TRUE(report.ok()) << report.summary().toStdString();
    ASSERT_EQ(big6.size(), 1u);
    EXPECT_EQ(big6.front().local, endpoint("2001:db8::1", 443));
    EXPECT_EQ(big6.front().remote, endpoint("10.0.0.2", 50000));
    EXPECT_TRUE(big6.front().remote.address.isV4());
}

TEST(ProcNetTcp, DecodesTcp6LittleEndianIncludingMappedIpv4)
{
    const QByteArray text =
        procLine("B80D0120000000000000000001000000:01BB", "0000000000000000FFFF00000200000A:C350");
    std::vector<Socket> sockets;
    parseProcNetTcp(text, AddressFamily::V6, Endianness::Little, 0, sockets);
    ASSERT_EQ(sockets.size(), 1u);
    EXPECT_EQ(sockets.front().local, endpoint("2001:db8::1", 443));
    EXPECT_EQ(sockets.front().remote, endpoint("10.0.0.2", 50000));
    EXPECT_TRUE(sockets.front().remote.address.isV4());
    EXPECT_EQ(sockets.front().remote.address.toString(), QStringLiteral("10.0.0.2"));
}

TEST(ProcNetTcp, AcceptsLowercaseHexAndWideSlotNumbers)
{
    const QByteArray text = procLine("0100007f:1f90", "0200000a:c350", "0a", "123456");
    std::vector<Socket> sockets;
    const ParseReport report =
        parseProcNetTcp(text, AddressFamily::V4, Endianness::Little, 0, sockets);
    EXPECT_TRUE(report.ok()) << report.summary().toStdString();
    ASSERT_EQ(sockets.size(), 1u);
    EXPECT_EQ(sockets.front().state, TcpState::Listen);
}

TEST(ProcNetTcp, EmptyAndBlankInputGiveNothing)
{
    std::vector<Socket> sockets;
    const ParseReport empty =
        parseProcNetTcp({}, AddressFamily::V4, Endianness::Little, 0, sockets);
    EXPECT_TRUE(sockets.empty());
    EXPECT_EQ(empty.linesRead, 0);
    EXPECT_TRUE(empty.ok());

    const ParseReport blank =
        parseProcNetTcp("\n  \n\r\n", AddressFamily::V4, Endianness::Little, 0, sockets);
    EXPECT_TRUE(sockets.empty());
    EXPECT_EQ(blank.linesRead, 0);
}

TEST(ProcNetTcp, CrlfGivesTheSameSocketsAsLf)
{
    const QByteArray lf = procHeader + procLine("0100007F:1F90", "0200000A:C350") +
                          procLine("0100007F:1F90", "0300000A:C350");
    QByteArray crlf = lf;
    crlf.replace("\n", "\r\n");
    std::vector<Socket> fromLf;
    std::vector<Socket> fromCrlf;
    parseProcNetTcp(lf, AddressFamily::V4, Endianness::Little, 0, fromLf);
    const ParseReport report =
        parseProcNetTcp(crlf, AddressFamily::V4, Endianness::Little, 0, fromCrlf);
    EXPECT_TRUE(report.ok()) << report.summary().toStdString();
    ASSERT_EQ(fromCrlf.size(), 2u);
    EXPECT_EQ(sortedRows(fromCrlf), sortedRows(fromLf));
    EXPECT_EQ(fromCrlf.back().inode, 4242u); // the '\r' did not stick to a number
}

TEST(ProcNetTcp, LinesWithoutAFinalNewlineAreRead)
{
    QByteArray text = procLine("0100007F:1F90", "0200000A:C350");
    text.chop(1);
    std::vector<Socket> sockets;
    parseProcNetTcp(text, AddressFamily::V4, Endianness::Little, 0, sockets);
    EXPECT_EQ(sockets.size(), 1u);
}

TEST(ProcNetTcp, EveryCutBeforeTheInodeIsRejectedNeverMisread)
{
    const QByteArray full = procLine("0100007F:1F90", "0200000A:C350");
    const qsizetype inodeEnd = full.indexOf("4242") + 4;
    for (qsizetype length = 1; length < full.size(); ++length) {
        const QByteArray cut = full.left(length);
        std::vector<Socket> sockets;
        const ParseReport report =
            parseProcNetTcp(cut, AddressFamily::V4, Endianness::Little, 0, sockets);
        expectBalanced(report);
        if (cut.trimmed().isEmpty()) {
            EXPECT_EQ(report.linesRead, 0); // only the leading blanks: a blank line
        } else if (length < inodeEnd - 3) {
            // Cut before the inode has even one digit: nothing usable.
            EXPECT_EQ(report.linesRejected, 1) << "cut at " << length << ": " << cut.constData();
            EXPECT_TRUE(sockets.empty()) << "cut at " << length;
        } else if (length >= inodeEnd) {
            EXPECT_EQ(report.linesUsed, 1) << "cut at " << length;
        }
    }
}

TEST(ProcNetTcp, ALineCutMidHexIsRejectedWithItsLineNumber)
{
    const QByteArray text = procHeader + procLine("0100007F:1F90", "0200000A:C350") +
                            "   1: 0100007F:1F\n" + procLine("0100007F:1F90", "0300000A:C350");
    std::vector<Socket> sockets;
    const ParseReport report =
        parseProcNetTcp(text, AddressFamily::V4, Endianness::Little, 0, sockets);
    EXPECT_EQ(sockets.size(), 2u);
    EXPECT_EQ(report.linesRead, 4);
    EXPECT_EQ(report.linesUsed, 2);
    EXPECT_EQ(report.linesRejected, 1);
    ASSERT_EQ(report.errors.size(), 1);
    EXPECT_EQ(report.errors.first().lineNumber, 3);
    EXPECT_FALSE(report.errors.first().reason.isEmpty());
    EXPECT_TRUE(report.errors.first().excerpt.contains(QStringLiteral("0100007F:1F")));
    EXPECT_FALSE(report.summary().isEmpty());
}

TEST(ProcNetTcp, GarbageIsRejectedAndCountedAndTheRestStillRead)
{
    const QByteArray text = QByteArray("hello world\n") + "\x01\x02\xff\n" +
                            procLine("0100007F:1F90", "0200000A:C350") +
                            "   0: ZZ00007F:1F90 0200000A:C350 01\n" +
                            procLine("0100007F:1F90", "0300000A:C350", "00")   // no state 0
                            + procLine("0100007F:1F90", "0300000A:C350", "0D") // nor 13
                            + procLine("0100007F:1F90", "0300000A:C350", "0G");
    std::vector<Socket> sockets;
    const ParseReport report =
        parseProcNetTcp(text, AddressFamily::V4, Endianness::Little, 0, sockets);
    EXPECT_EQ(sockets.size(), 1u);
    EXPECT_EQ(report.linesRejected, 6);
    EXPECT_EQ(report.linesUsed, 1);
    EXPECT_EQ(report.errors.size(), 6);
    EXPECT_TRUE(report.errors.at(1).excerpt.contains(QStringLiteral("\\x01")));
    expectBalanced(report);
}

TEST(ProcNetTcp, AddressOfTheWrongFamilyIsRejected)
{
    std::vector<Socket> sockets;
    const ParseReport asV6 = parseProcNetTcp(procLine("0100007F:1F90", "0200000A:C350"),
                                             AddressFamily::V6, Endianness::Little, 0, sockets);
    EXPECT_EQ(asV6.linesRejected, 1);
    const ParseReport asV4 = parseProcNetTcp(
        procLine("00000000000000000000000001000000:0016", "00000000000000000000000001000000:C350"),
        AddressFamily::V4, Endianness::Little, 0, sockets);
    EXPECT_EQ(asV4.linesRejected, 1);
    EXPECT_TRUE(sockets.empty());
}

TEST(ProcNetTcp, RepeatedFourTuplesAreDroppedAndCounted)
{
    // The kernel can list a socket twice when the table changes between two reads of one dump.
    const QByteArray text = procHeader + procLine("0100007F:1F90", "0200000A:C350", "01", "0") +
                            procLine("0100007F:1F90", "0300000A:C350", "01", "1") +
                            procLine("0100007F:1F90", "0200000A:C350", "06", "2");
    std::vector<Socket> sockets{Socket{}}; // appended to, never cleared
    const ParseReport report =
        parseProcNetTcp(text, AddressFamily::V4, Endianness::Little, 0, sockets);
    EXPECT_EQ(report.duplicates, 1);
    EXPECT_EQ(report.linesUsed, 2);
    ASSERT_EQ(sockets.size(), 3u);
    EXPECT_EQ(sockets[1].state, TcpState::Established); // the first listing is kept
    EXPECT_EQ(sockets[2].remote, endpoint("10.0.0.3", 50000));
    expectBalanced(report);
}

TEST(ProcNetTcp, DuplicatesAreFoundAmongManySockets)
{
    // Thousands of sockets that share most of their bytes, each listed twice, far apart: every
    // repeat must be found however the hash table fills, and the first listing kept in order.
    QByteArray text;
    for (int round = 0; round < 2; ++round) {
        for (int i = 0; i < 3000; ++i) {
            char local[16];
            std::snprintf(local, sizeof local, "%08X:%04X",
                          0x0100007Fu + unsigned(i % 7) * 0x01000000u, unsigned(20000 + i));
            text += procLine(local, "0200000A:C350");
        }
    }
    std::vector<Socket> sockets;
    const ParseReport report =
        parseProcNetTcp(text, AddressFamily::V4, Endianness::Little, 0, sockets);
    ASSERT_EQ(sockets.size(), 3000u);
    EXPECT_EQ(report.duplicates, 3000);
    EXPECT_EQ(report.linesUsed, 3000);
    EXPECT_TRUE(report.ok());
    EXPECT_EQ(sockets.front().local.port, 20000);
    EXPECT_EQ(sockets.back().local.port, 22999);
}

// ---- the probe's fold of TIME_WAIT lines -------------------------------------------------------

// A TIME_WAIT line as the kernel prints one (get_timewait4_sock): zero queues, uid and inode.
QByteArray timeWaitLine(const QByteArray &local, const QByteArray &remote)
{
    return "   7: " + local + ' ' + remote +
           " 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000\n";
}

// Everything a socket carries, to compare the two ways of reading one.
using FullRow = std::tuple<Endpoint, Endpoint, TcpState, std::uint32_t, std::uint32_t, std::int64_t,
                           std::uint64_t, std::uint64_t>;

std::vector<FullRow> fullRows(const std::vector<Socket> &sockets)
{
    std::vector<FullRow> rows;
    for (const Socket &s : sockets)
        rows.emplace_back(s.local, s.remote, s.state, s.sendQueue, s.receiveQueue, s.uid, s.inode,
                          s.netns);
    std::sort(rows.begin(), rows.end());
    return rows;
}

TEST(ProcNetTcpTimeWaits, GiveTheSocketsOfTheLinesUnfolded)
{
    // The server's side (remote ports listed) and the client's side (local ports listed).
    const QByteArray unfolded = timeWaitLine("0100007F:1F90", "0200000A:C350") +
                                timeWaitLine("0100007F:1F90", "0200000A:C351") +
                                timeWaitLine("0100007F:1F90", "0300000A:1000") +
                                timeWaitLine("0500000A:8000", "0600000A:0050") +
                                timeWaitLine("0500000A:FFFF", "0600000A:0050");
    const QByteArray folded = "0100007F:1F90 0200000A:* C350C351\n"
                              "0100007F:1F90 0300000A:* 1000\n"
                              "0500000A:* 0600000A:0050 8000FFFF\n";
    std::vector<Socket> expected;
    ASSERT_TRUE(parseProcNetTcp(unfolded, AddressFamily::V4, Endianness::Little, 9, expected).ok());
    std::vector<Socket> sockets;
    const ParseReport report =
        parseProcNetTcpTimeWaits(folded, AddressFamily::V4, Endianness::Little, 9, sockets, 0);
    EXPECT_TRUE(report.ok()) << report.summary().toStdString();
    EXPECT_EQ(report.linesRead, 3);
    EXPECT_EQ(report.linesUsed, 3);
    ASSERT_EQ(sockets.size(), 5u);
    EXPECT_EQ(fullRows(sockets), fullRows(expected));
    EXPECT_EQ(sockets.front().local, endpoint("127.0.0.1", 8080));
    EXPECT_EQ(sockets.front().remote, endpoint("10.0.0.2", 50000));
    EXPECT_EQ(sockets.back().local, endpoint("10.0.0.5", 65535));
    EXPECT_EQ(sockets.back().remote, endpoint("10.0.0.6", 80));
}

TEST(ProcNetTcpTimeWaits, DecodeTcp6MappedAddressesAndBigEndianWords)
{
    const QByteArray v6 = "00000000000000000000000001000000:0050 "
                          "0000000000000000FFFF00000200000A:* C350C351\n";
    std::vector<Socket> sockets;
    EXPECT_TRUE(
        parseProcNetTcpTimeWaits(v6, AddressFamily::V6, Endianness::Little, 0, sockets, 0).ok());
    ASSERT_EQ(sockets.size(), 2u);
    EXPECT_EQ(sockets[0].local, endpoint("::1", 80));
    EXPECT_EQ(sockets[1].remote, endpoint("10.0.0.2", 50001)); // mapped: IPv4, as unfolded
    EXPECT_EQ(sockets[1].state, TcpState::TimeWait);

    std::vector<Socket> big;
    EXPECT_TRUE(parseProcNetTcpTimeWaits("7F000001:* 0A000002:0050 9C40\n", AddressFamily::V4,
                                         Endianness::Big, 0, big, 0)
                    .ok());
    ASSERT_EQ(big.size(), 1u);
    EXPECT_EQ(big[0].local, endpoint("127.0.0.1", 40000));
    EXPECT_EQ(big[0].remote, endpoint("10.0.0.2", 80));
}

TEST(ProcNetTcpTimeWaits, ABadLineIsRejectedWholeAndTheRestRead)
{
    const QByteArray text = "0100007F:1F90 0200000A:* C350\n"     // 1: good
                            "0100007F:* 0200000A:* C350\n"        // 2: both ports listed
                            "0100007F:1F90 0200000A:C350 C350\n"  // 3: neither
                            "0100007F:1F90 0200000A:* C350C\n"    // 4: half a port
                            "0100007F:1F90 0200000A:* C350C35G\n" // 5: not hex
                            "0100007F:1F90 0200000A:*\n"          // 6: no ports
                            "0100007F:1F90 0200000A:* C350 1\n"   // 7: something after them
                            "0100007F:1F90 02000A:* C351\n"       // 8: short address
                            "\n"
                            "0100007F:1F90 0200000A:* C352\n"; // 10: good
    std::vector<Socket> sockets;
    const ParseReport report =
        parseProcNetTcpTimeWaits(text, AddressFamily::V4, Endianness::Little, 0, sockets, 0);
    EXPECT_EQ(report.linesRead, 9);
    EXPECT_EQ(report.linesUsed, 2);
    EXPECT_EQ(report.linesRejected, 7);
    ASSERT_EQ(report.errors.size(), 7);
    EXPECT_EQ(report.errors[0].lineNumber, 2);
    EXPECT_EQ(report.errors[6].lineNumber, 8);
    ASSERT_EQ(sockets.size(), 2u); // a rejected line adds none of its ports
    EXPECT_EQ(sockets[0].remote.port, 0xC350);
    EXPECT_EQ(sockets[1].remote.port, 0xC352);

    // An IPv6 fold read as IPv4 is rejected, not misread.
    std::vector<Socket> wrongFamily;
    const ParseReport asV4 = parseProcNetTcpTimeWaits(
        "00000000000000000000000001000000:0050 00000000000000000000000001000000:* C350\n",
        AddressFamily::V4, Endianness::Little, 0, wrongFamily, 0);
    EXPECT_EQ(asV4.linesRejected, 1);
    EXPECT_TRUE(wrongFamily.empty());
}

TEST(ProcNetTcpTimeWaits, ASocketAlsoListedUnfoldedIsDroppedAndCounted)
{
    // A socket read as FIN_WAIT2 in the unfolded half and as TIME_WAIT in the fold, as when it
    // changes state between two reads of one dump: the first listing is kept.
    std::vector<Socket> sockets;
    ASSERT_TRUE(parseProcNetTcp(procLine("0100007F:1F90", "0200000A:C350", "05"), AddressFamily::V4,
                                Endianness::Little, 0, sockets)
                    .ok());
    const ParseReport report =
        parseProcNetTcpTimeWaits("0100007F:1F90 0200000A:* C350C351C351\n", AddressFamily::V4,
                                 Endianness::Little, 0, sockets, 0);
    EXPECT_EQ(report.duplicates, 2); // sockets: the one listed unfolded, and a repeat
    EXPECT_EQ(report.linesUsed, 1);
    ASSERT_EQ(sockets.size(), 2u);
    EXPECT_EQ(sockets[0].state, TcpState::FinWait2);
    EXPECT_EQ(sockets[1].remote.port, 0xC351);

    // Before dedupFrom nothing is looked at: another namespace's sockets may share a 4-tuple.
    std::vector<Socket> other{sockets.front()};
    EXPECT_EQ(parseProcNetTcpTimeWaits("0100007F:1F90 0200000A:* C350\n", AddressFamily::V4,
                                       Endianness::Little, 0, other, 1)
                  .duplicates,
              0);
    EXPECT_EQ(other.size(), 2u);
}

// ---- ss ----------------------------------------------------------------------------------------

TEST(SsParser, ReadsEveryAddressSpelling)
{
    const QByteArray text = "State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n"
                            "LISTEN 0 4096 127.0.0.53%lo:53 0.0.0.0:*\n"
                            "LISTEN 0 128 [::]:22 [::]:*\n"
                            "LISTEN 0 511 *:80 *:*\n"
                            "ESTAB 5 7 [::1]:8080 [::1]:50000\n"
                            "ESTAB 0 0 [fe80::1]%eth0:22 [fe80::2]:41000\n"
                            "ESTAB 0 0 fe80::1%eth0:22 fe80::3:41000\n"
                            "TIME-WAIT 0 0 [::ffff:10.0.0.1]:80 [::ffff:10.0.0.9]:41001\n"
                            "SYN-SENT 0 1 10.0.0.1:41002 10.0.0.2:443\n";
    std::vector<Socket> sockets;
    const ParseReport report = parseSs(text, 5, sockets);
    EXPECT_TRUE(report.ok()) << report.summary().toStdString();
    EXPECT_EQ(report.linesSkipped, 1);
    ASSERT_EQ(sockets.size(), 8u);
    EXPECT_EQ(sockets[0].local, endpoint("127.0.0.53", 53));
    EXPECT_EQ(sockets[0].remote, endpoint("0.0.0.0", 0));
    EXPECT_EQ(sockets[1].local, endpoint("::", 22));
    EXPECT_FALSE(sockets[1].local.address.isV4());
    EXPECT_EQ(sockets[2].local, endpoint("::", 80)); // "*": the dual-stack wildcard
    EXPECT_EQ(sockets[2].remote, endpoint("::", 0));
    EXPECT_EQ(sockets[3].local, endpoint("::1", 8080));
    EXPECT_EQ(sockets[3].receiveQueue, 5u);
    EXPECT_EQ(sockets[3].sendQueue, 7u);
    EXPECT_EQ(sockets[4].local, endpoint("fe80::1", 22));
    EXPECT_EQ(sockets[4].remote, endpoint("fe80::2", 41000));
    EXPECT_EQ(sockets[5].local, endpoint("fe80::1", 22));
    EXPECT_EQ(sockets[5].remote, endpoint("fe80::3", 41000));
    EXPECT_EQ(sockets[6].local, endpoint("10.0.0.1", 80));
    EXPECT_TRUE(sockets[6].local.address.isV4());
    EXPECT_EQ(sockets[6].state, TcpState::TimeWait);
    EXPECT_EQ(sockets[7].state, TcpState::SynSent);
    EXPECT_EQ(sockets[7].netns, 5u);
    EXPECT_EQ(sockets[7].uid, -1); // plain ss gives no owner
}

TEST(SsParser, ReadsUidAndInodeAndIgnoresOtherExtras)
{
    const QByteArray text = "ESTAB 0 0 10.0.0.1:22 10.0.0.2:50000 users:((\"sshd\",pid=9,fd=4)) "
                            "timer:(keepalive,119min,0) uid:1000 ino:123456 sk:3f cgroup:/ <->\n"
                            "ESTAB 0 0 10.0.0.1:22 10.0.0.3:50000 uid:x ino:\n";
    std::vector<Socket> sockets;
    const ParseReport report = parseSs(text, 0, sockets);
    EXPECT_TRUE(report.ok()) << report.summary().toStdString();
    ASSERT_EQ(sockets.size(), 2u);
    EXPECT_EQ(sockets[0].uid, 1000);
    EXPECT_EQ(sockets[0].inode, 123456u);
    EXPECT_EQ(sockets[1].uid, -1);
    EXPECT_EQ(sockets[1].inode, 0u);
}

TEST(SsParser, ReadsTcpRowsOfAllProtocolListings)
{
    const QByteArray text = "Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port\n"
                            "udp UNCONN 0 0 0.0.0.0:68 0.0.0.0:*\n"
                            "tcp ESTAB 0 0 10.0.0.1:22 10.0.0.2:50000\n"
                            "u_str ESTAB 0 0 * 1234 * 5678\n";
    std::vector<Socket> sockets;
    const ParseReport report = parseSs(text, 0, sockets);
    EXPECT_TRUE(report.ok()) << report.summary().toStdString();
    ASSERT_EQ(sockets.size(), 1u);
    EXPECT_EQ(report.linesSkipped, 3);
    EXPECT_EQ(sockets[0].remote, endpoint("10.0.0.2", 50000));
}

TEST(SsParser, RejectsMalformedLines)
{
    const char *bad[] = {
        "ESTAB 0 0 10.0.0.1:22\n",                // no peer
        "ESTAB 0 0 10.0.0.1:22 10.0.0.2:65536\n", // port out of range
        "ESTAB 0 0 10.0.0.1:22 10.0.0.2:\n",      // no port
        "ESTAB 0 0 [::1:22 10.0.0.2:5\n",         // unclosed bracket
        "ESTAB 0 0 [10.0.0.1]:22 10.0.0.2:5\n",   // IPv4 in brackets
        "ESTAB 0 0 01.0.0.1:22 10.0.0.2:5\n",     // leading zero
        "ESTAB 0 0 10.0.0.1.5:22 10.0.0.2:5\n",   // five parts
        "ESTAB 0 0 10.0.0.256:22 10.0.0.2:5\n",   // octet out of range
        "ESTAB 0 0 1:2:3:4:5:6:7:8:9:22 ::1:5\n", // nine groups
        "ESTAB 0 0 [fe80::1]%:22 ::1:5\n",        // empty scope
        "ESTAB x 0 10.0.0.1:22 10.0.0.2:5\n",     // Recv-Q not a number
        "WAITING 0 0 10.0.0.1:22 10.0.0.2:5\n",   // no such state
        "ESTAB 0 0 10.0.0.1:22 10.0.0.2:5:\n",    // trailing colon
    };
    for (const char *line : bad) {
        std::vector<Socket> sockets;
        const ParseReport report = parseSs(line, 0, sockets);
        EXPECT_EQ(report.linesRejected, 1) << line;
        EXPECT_TRUE(sockets.empty()) << line;
    }
}

TEST(SsParser, RepeatedFourTuplesAreDropped)
{
    const QByteArray text = "ESTAB 0 0 10.0.0.1:22 10.0.0.2:50000\n"
                            "TIME-WAIT 0 0 10.0.0.1:22 10.0.0.2:50000\n"
                            "ESTAB 0 0 [::ffff:10.0.0.1]:22 10.0.0.2:50000\n" // same, mapped
                            "ESTAB 0 0 10.0.0.1:22 10.0.0.2:50001\n";
    std::vector<Socket> sockets;
    const ParseReport report = parseSs(text, 0, sockets);
    EXPECT_EQ(report.duplicates, 2);
    EXPECT_EQ(sockets.size(), 2u);
}

TEST(SsParser, CrlfAndEmptyInput)
{
    std::vector<Socket> sockets;
    EXPECT_EQ(parseSs({}, 0, sockets).linesRead, 0);
    const ParseReport report = parseSs("ESTAB 0 0 10.0.0.1:22 10.0.0.2:5 ino:42\r\n", 0, sockets);
    EXPECT_TRUE(report.ok()) << report.summary().toStdString();
    ASSERT_EQ(sockets.size(), 1u);
    EXPECT_EQ(sockets[0].inode, 42u);
}

// ---- ss -p: the process column ----------------------------------------------------------------

namespace {

const Socket *findSocket(const std::vector<Socket> &sockets, const Endpoint &local,
                         const Endpoint &remote)
{
    const auto it = std::find_if(sockets.begin(), sockets.end(), [&](const Socket &s) {
        return s.local == local && s.remote == remote;
    });
    return it == sockets.end() ? nullptr : &*it;
}

} // namespace

// tests/data/capture_ss_p.sh: `ss -Htanp` (iproute2 6.1) of named processes in a private
// namespace. ss prints the comm up to its first ')', unescaped: 'q"uo(te)s,x' reads 'q"uo(te'.
TEST(SsProcesses, ReadsARealCapture)
{
    const QByteArray text = readCapture("ss_Htanp.txt");
    ASSERT_TRUE(text.contains("users:((")) << "the capture has no process column";
    std::vector<Socket> sockets;
    ProcessNames names;
    const ParseReport report = parseSs(text, 0, sockets, &names);
    EXPECT_TRUE(report.ok()) << report.summary().toStdString();
    expectBalanced(report);
    ASSERT_EQ(sockets.size(), 9u);

    const Endpoint any{IpAddress::fromV4(0), 0};
    const Socket *web = findSocket(sockets, endpoint("127.0.0.11", 7101), any);
    const Socket *quoted = findSocket(sockets, endpoint("127.0.0.12", 7102), any);
    ASSERT_TRUE(web && quoted);
    EXPECT_NE(web->pid, 0u);
    EXPECT_EQ(names.value(web->pid), QStringLiteral("web-server"));
    EXPECT_NE(quoted->pid, 0u);
    EXPECT_EQ(names.value(quoted->pid), QStringLiteral("q\"uo(te"));

    int clientEnds = 0;
    int serverEnds = 0;
    for (const Socket &socket : sockets) {
        if (socket.state == TcpState::TimeWait) {
            EXPECT_EQ(socket.pid, 0u) << "a TIME_WAIT socket has no process";
        } else if (socket.state == TcpState::Established && socket.local.port == 7101) {
            ++serverEnds;
            EXPECT_EQ(socket.pid, web->pid); // the first of the two workers, as on the listener
        } else if (socket.state == TcpState::Established) {
            ++clientEnds;
            EXPECT_EQ(names.value(socket.pid), QStringLiteral("client a")); // a blank in a name
        }
    }
    EXPECT_EQ(serverEnds, 2);
    EXPECT_EQ(clientEnds, 2);
    // Names once per process: web-server, client a, q"uo(te.
    EXPECT_EQ(names.size(), 3);

    // The same table without the out-parameter: the pids, and the same sockets otherwise.
    std::vector<Socket> withoutNames;
    EXPECT_TRUE(parseSs(text, 0, withoutNames).ok());
    ASSERT_EQ(withoutNames.size(), sockets.size());
    for (std::size_t i = 0; i < sockets.size(); ++i)
        EXPECT_EQ(withoutNames[i].pid, sockets[i].pid);
}

TEST(SsProcesses, NamesWithQuotesParenthesesCommasAndBlanks)
{
    const QByteArray text =
        "ESTAB 0 0 10.0.0.1:80 10.0.0.2:50001 users:((\"nginx\",pid=1234,fd=6),"
        "(\"nginx\",pid=1235,fd=6))\n"
        "ESTAB 0 0 10.0.0.1:80 10.0.0.2:50002 users:((\"a\\\"b(c,d e\",pid=77,fd=3))\n"
        "ESTAB 0 0 10.0.0.1:80 10.0.0.2:50003 users:((\"\",pid=78,fd=3))\n"
        // A name that looks like the rest of an entry: ss stops names at ')', so the first
        // well-formed end is the real one; a name cannot forge another pid.
        "ESTAB 0 0 10.0.0.1:80 10.0.0.2:50004 users:((\"x\",pid=1\",pid=79,fd=3))\n"
        "ESTAB 0 0 10.0.0.1:80 10.0.0.2:50005 users:((\"php-fpm: pool\",pid=80,fd=9)) uid:33 "
        "ino:4242 sk:1 <->\n"
        "ESTAB 0 0 10.0.0.1:80 10.0.0.2:50006 users:((\"nginx\",pid=1234,fd=7))\n"
        "ESTAB 0 0 10.0.0.1:80 10.0.0.2:50007 users:((\"caf\xc3\xa9\x1b\",pid=81,fd=3))\n";
    std::vector<Socket> sockets;
    ProcessNames names;
    const ParseReport report = parseSs(text, 0, sockets, &names);
    EXPECT_TRUE(report.ok()) << report.summary().toStdString();
    ASSERT_EQ(sockets.size(), 7u);
    EXPECT_EQ(sockets[0].pid, 1234u); // the first of several
    EXPECT_EQ(sockets[1].pid, 77u);
    EXPECT_EQ(names.value(77), QStringLiteral("a\\\"b(c,d e"));
    EXPECT_EQ(sockets[2].pid, 78u);
    EXPECT_TRUE(names.contains(78));
    EXPECT_TRUE(names.value(78).isEmpty());
    EXPECT_EQ(sockets[3].pid, 79u);
    EXPECT_EQ(names.value(79), QStringLiteral("x\",pid=1"));
    EXPECT_FALSE(names.contains(1));
    EXPECT_EQ(sockets[4].pid, 80u);
    EXPECT_EQ(names.value(80), QStringLiteral("php-fpm: pool"));
    EXPECT_EQ(sockets[4].uid, 33); // the extras after a name with a blank are still read
    EXPECT_EQ(sockets[4].inode, 4242u);
    EXPECT_EQ(sockets[5].pid, 1234u);
    EXPECT_EQ(names.value(81), QString::fromUtf8("caf\xc3\xa9\x1b")); // raw: escaped for display
    EXPECT_EQ(names.size(), 6);
}

TEST(SsProcesses, MissingMalformedAndCutShortColumnsKeepTheSocket)
{
    const char *lines[] = {
        "ESTAB 0 0 10.0.0.1:80 10.0.0.2:5",                                  // no users:
        "ESTAB 0 0 10.0.0.1:80 10.0.0.2:5 users:((\"ngi",                    // cut in the name
        "ESTAB 0 0 10.0.0.1:80 10.0.0.2:5 users:((\"nginx\",pid=12",         // cut in the pid
        "ESTAB 0 0 10.0.0.1:80 10.0.0.2:5 users:((\"nginx\",pid=12,fd=6)",   // no closing ')'
        "ESTAB 0 0 10.0.0.1:80 10.0.0.2:5 users:((\"nginx\",pid=12,fd=6),(", // cut in the 2nd
        "ESTAB 0 0 10.0.0.1:80 10.0.0.2:5 users:((\"nginx\",pid=,fd=6))",    // no pid
        "ESTAB 0 0 10.0.0.1:80 10.0.0.2:5 users:((\"nginx\",pid=0,fd=6))",   // pid 0
        "ESTAB 0 0 10.0.0.1:80 10.0.0.2:5 users:((\"nginx\",pid=99999999999,fd=6))",
        "ESTAB 0 0 10.0.0.1:80 10.0.0.2:5 users:((nginx,pid=12,fd=6))", // no quotes
        "ESTAB 0 0 10.0.0.1:80 10.0.0.2:5 users:(",
        "ESTAB 0 0 10.0.0.1:80 10.0.0.2:5 users:",
    };
    for (const char *line : lines) {
        std::vector<Socket> sockets;
        ProcessNames names;
        const ParseReport report = parseSs(line, 0, sockets, &names);
        EXPECT_TRUE(report.ok()) << line;
        ASSERT_EQ(sockets.size(), 1u) << line;
        EXPECT_EQ(sockets[0].pid, 0u) << line;
        EXPECT_TRUE(names.isEmpty()) << line;
    }
    // A name longer than any ss prints is not taken for one.
    const QByteArray longName =
        "ESTAB 0 0 10.0.0.1:80 10.0.0.2:5 users:((\"" + QByteArray(100, 'n') + "\",pid=12,fd=6))";
    std::vector<Socket> sockets;
    ProcessNames names;
    EXPECT_TRUE(parseSs(longName, 0, sockets, &names).ok());
    ASSERT_EQ(sockets.size(), 1u);
    EXPECT_EQ(sockets[0].pid, 0u);
}

// ---- ss state listening: the listeners' processes beside a folded table ----------------------

// The probe's ss_listeners section holds the LISTEN lines of `ss -Htanp` (without their State
// column, which `state listening` leaves out; here with it): merged into the same sockets read
// without processes (the fold), they give each listener what `ss -Htanp` gives it, and nothing
// to the others.
TEST(SsListeners, GiveTheListenersWhatSsPGivesThem)
{
    const QByteArray text = readCapture("ss_Htanp.txt");
    std::vector<Socket> withProcesses;
    ProcessNames names;
    ASSERT_TRUE(parseSs(text, 7, withProcesses, &names).ok());
    QByteArray listenerLines;
    QByteArray withoutState;
    for (const QByteArray &line : text.split('\n')) {
        if (line.startsWith("LISTEN")) {
            listenerLines += line + '\n';
            withoutState += line.sliced(6).trimmed() + '\n';
        }
    }
    std::vector<Socket> table = withProcesses;
    for (Socket &socket : table)
        socket.pid = 0;

    ProcessNames merged;
    const ParseReport report = parseSsListeners(listenerLines, 7, table, 0, merged);
    EXPECT_TRUE(report.ok()) << report.summary().toStdString();
    expectBalanced(report);
    EXPECT_EQ(report.linesUsed, 2);
    ASSERT_EQ(table.size(), withProcesses.size());
    ProcessNames listenerNames;
    for (std::size_t i = 0; i < table.size(); ++i) {
        if (withProcesses[i].state != TcpState::Listen) {
            EXPECT_EQ(table[i].pid, 0u) << "only listeners are named";
            continue;
        }
        EXPECT_NE(table[i].pid, 0u);
        EXPECT_EQ(table[i].pid, withProcesses[i].pid);
        listenerNames.insert(table[i].pid, names.value(table[i].pid));
    }
    EXPECT_EQ(merged, listenerNames);
    EXPECT_EQ(merged.size(), 2); // web-server, q"uo(te

    // As the probe sends them: the same.
    std::vector<Socket> again = withProcesses;
    for (Socket &socket : again)
        socket.pid = 0;
    ProcessNames mergedAgain;
    EXPECT_TRUE(parseSsListeners(withoutState, 7, again, 0, mergedAgain).ok());
    EXPECT_EQ(mergedAgain, merged);
    for (std::size_t i = 0; i < again.size(); ++i)
        EXPECT_EQ(again[i].pid, table[i].pid);
}

TEST(SsListeners, MatchTheLocalEndpointInTheNamespaceOnly)
{
    const auto socket = [](TcpState state, Endpoint local, std::uint64_t netns,
                           std::uint32_t pid = 0) {
        Socket s;
        s.state = state;
        s.local = local;
        s.netns = netns;
        s.pid = pid;
        return s;
    };
    const Endpoint any4{IpAddress::fromV4(0), 0};
    std::vector<Socket> table{
        socket(TcpState::Listen, endpoint("10.0.0.1", 80), 5),    // before `from`: left alone
        socket(TcpState::Listen, endpoint("10.0.0.1", 80), 5),    // the line's
        socket(TcpState::Listen, endpoint("10.0.0.1", 80), 6),    // a container's namespace
        socket(TcpState::TimeWait, endpoint("10.0.0.1", 80), 5),  // not a listener
        socket(TcpState::Listen, endpoint("10.0.0.1", 81), 5, 3), // already named
        socket(TcpState::Listen, endpoint("0.0.0.0", 82), 5),     // an old ss's "*:82"
        socket(TcpState::Listen, endpoint("::", 82), 5),          // the same line, exactly
        socket(TcpState::Listen, endpoint("0.0.0.0", 83), 5),     // its own line has no process
        socket(TcpState::Listen, endpoint("::", 84), 5),          // no line of [::]: not 0.0.0.0's
        socket(TcpState::Listen, endpoint("10.0.0.1", 85), 5),    // reuseport: the first line
        socket(TcpState::Listen, endpoint("fe80::1", 86), 5),     // a scope in ss, none in /proc
        socket(TcpState::Listen, endpoint("10.0.0.2", 80), 5),    // no line at all
    };
    for (Socket &s : table)
        s.remote = s.state == TcpState::Listen ? any4 : endpoint("10.0.0.9", 5000);
    // `ss -tnp state listening`: its header, and no State column but on the one line that has
    // it (as `ss -tlnp` prints it) and on the stray ESTAB line.
    const QByteArray text = "Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n"
                            "0 511 10.0.0.1:80 0.0.0.0:* users:((\"nginx\",pid=10,fd=6),"
                            "(\"nginx\",pid=11,fd=6))\n"
                            "LISTEN 0 511 10.0.0.1:81 0.0.0.0:* users:((\"other\",pid=12,fd=6))\n"
                            "0 511 *:82 *:* users:((\"old\",pid=13,fd=3))\n"
                            "0 511 0.0.0.0:83 0.0.0.0:*\n"
                            "0 511 [::]:83 [::]:* users:((\"v6\",pid=14,fd=3))\n"
                            "0 511 0.0.0.0:84 0.0.0.0:* users:((\"v4\",pid=15,fd=3))\n"
                            "0 511 10.0.0.1:85 0.0.0.0:* users:((\"first\",pid=16,fd=3))\n"
                            "0 511 10.0.0.1:85 0.0.0.0:* users:((\"second\",pid=17,fd=3))\n"
                            "0 511 [fe80::1]%eth0:86 [::]:* users:((\"link\",pid=18,fd=3))\n"
                            "ESTAB 0 0 10.0.0.2:80 10.0.0.9:5000 users:((\"stray\",pid=19,fd=3))\n";
    ProcessNames names{{3, QStringLiteral("kept")}};
    const ParseReport report = parseSsListeners(text, 5, table, 1, names);
    EXPECT_TRUE(report.ok()) << report.summary().toStdString();
    expectBalanced(report);
    EXPECT_EQ(report.linesSkipped, 2); // the header and the ESTAB line
    EXPECT_EQ(report.duplicates, 1);   // the second listener of 10.0.0.1:85

    std::vector<std::uint32_t> pids;
    for (const Socket &s : table)
        pids.push_back(s.pid);
    EXPECT_EQ(pids, (std::vector<std::uint32_t>{0, 10, 0, 0, 3, 13, 13, 0, 0, 16, 18, 0}));
    EXPECT_EQ(names, (ProcessNames{{3, QStringLiteral("kept")},
                                   {10, QStringLiteral("nginx")},
                                   {13, QStringLiteral("old")},
                                   {16, QStringLiteral("first")},
                                   {18, QStringLiteral("link")}}));
}

TEST(SsListeners, EmptyAndGarbledTextNamesNothingAndSaysSo)
{
    std::vector<Socket> table(1);
    table[0].state = TcpState::Listen;
    table[0].local = endpoint("10.0.0.1", 80);
    ProcessNames names;
    EXPECT_TRUE(parseSsListeners("", 0, table, 0, names).ok());
    const ParseReport report = parseSsListeners("0 511 10.0.0.1:80\n"
                                                "users:((\"nginx\",pid=10,fd=6))\n"
                                                "Recv-Q\n",
                                                0, table, 0, names);
    EXPECT_EQ(report.linesRejected, 2); // a line cut in two is two bad lines
    ASSERT_EQ(report.errors.size(), 2);
    EXPECT_EQ(report.errors[0].lineNumber, 1);
    EXPECT_EQ(report.errors[1].lineNumber, 2);
    EXPECT_EQ(report.linesSkipped, 1); // a header, however short
    expectBalanced(report);
    EXPECT_EQ(table[0].pid, 0u);
    EXPECT_TRUE(names.isEmpty());
}

// ---- netstat ----------------------------------------------------------------------------------

TEST(NetstatParser, ReadsAPasteWithHeadersAndOtherProtocols)
{
    const QByteArray text =
        "Active Internet connections (servers and established)\n"
        "Proto Recv-Q Send-Q Local Address           Foreign Address         State\n"
        "tcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN\n"
        "tcp        0     36 10.25.20.251:6601       172.17.0.3:41234        TIME_WAIT\n"
        "tcp6       0      0 :::80                   :::*                    LISTEN\n"
        "tcp6       0      0 ::ffff:1.2.3.4:80       ::ffff:1.2.3.5:5000     ESTABLISHED\n"
        "tcp6       0      0 2001:db8::1:443         2001:db8::2:60000       FIN_WAIT2\n"
        "udp        0      0 0.0.0.0:68              0.0.0.0:*\n"
        "udp6       0      0 :::546                  :::*\n"
        "Active UNIX domain sockets (servers and established)\n"
        "Proto RefCnt Flags       Type       State         I-Node   Path\n"
        "unix  2      [ ACC ]     STREAM     LISTENING     16371    /run/x.sock\n";
    std::vector<Socket> sockets;
    const ParseReport report = parseNetstat(text, sockets);
    EXPECT_TRUE(report.ok()) << report.summary().toStdString();
    EXPECT_EQ(report.linesSkipped, 7);
    expectBalanced(report);
    ASSERT_EQ(sockets.size(), 5u);
    EXPECT_EQ(sockets[1].local, endpoint("10.25.20.251", 6601));
    EXPECT_EQ(sockets[1].sendQueue, 36u);
    EXPECT_EQ(sockets[1].state, TcpState::TimeWait);
    EXPECT_EQ(sockets[2].local, endpoint("::", 80));
    EXPECT_EQ(sockets[2].remote, endpoint("::", 0));
    EXPECT_EQ(sockets[3].local, endpoint("1.2.3.4", 80));
    EXPECT_TRUE(sockets[3].remote.address.isV4());
    EXPECT_EQ(sockets[4].remote, endpoint("2001:db8::2", 60000));
    EXPECT_EQ(sockets[4].state, TcpState::FinWait2);
}

TEST(NetstatParser, ReadsUserAndInodeOfDashE)
{
    const QByteArray text = "Proto Recv-Q Send-Q Local Address Foreign Address State User Inode "
                            "PID/Program name\n"
                            "tcp 0 0 127.0.0.1:631 0.0.0.0:* LISTEN 0 20831 1234/cupsd\n"
                            "tcp 0 0 127.0.0.1:5000 127.0.0.1:631 ESTABLISHED root 20832 -\n";
    std::vector<Socket> sockets;
    const ParseReport report = parseNetstat(text, sockets);
    EXPECT_TRUE(report.ok()) << report.summary().toStdString();
    ASSERT_EQ(sockets.size(), 2u);
    EXPECT_EQ(sockets[0].uid, 0);
    EXPECT_EQ(sockets[0].inode, 20831u);
    EXPECT_EQ(sockets[1].uid, -1); // a user name, not a number
    EXPECT_EQ(sockets[1].inode, 20832u);
}

TEST(NetstatParser, RejectsPromptsAndBrokenRows)
{
    const QByteArray text =
        "root@web1:~# netstat -tn | head\n"
        "tcp 0 0 10.0.0.1:80\n"
        "tcp 0 0 10.0.0.1:80 10.0.0.2:5 SLEEPING\n"
        "tcp 0 0 ::ffff:192.168.42:44444 10.0.0.2:5 TIME_WAIT\n" // cut by netstat
        "tcp 0 0 10.0.0.1:80 10.0.0.2:5 TIME_WAIT\r\n";
    std::vector<Socket> sockets;
    const ParseReport report = parseNetstat(text, sockets);
    EXPECT_EQ(report.linesRejected, 4);
    EXPECT_EQ(sockets.size(), 1u);
    ASSERT_EQ(report.errors.size(), 4);
    EXPECT_EQ(report.errors.first().lineNumber, 1);
}

// ---- counters -----------------------------------------------------------------------------------

TEST(CounterParsers, SockstatQualifiesNames)
{
    KernelCounters counters;
    const ParseReport report = parseSockstat("sockets: used 9\n"
                                             "TCP: inuse 5 orphan 0 tw 12 alloc 7 mem 1\n"
                                             "FRAG: inuse 0 memory 0\n",
                                             counters);
    EXPECT_TRUE(report.ok());
    EXPECT_EQ(counters.value("sockstat.sockets.used"), 9);
    EXPECT_EQ(counters.value(counter::TimeWait), 12);
    EXPECT_EQ(counters.value(counter::TcpAlloc), 7);
    EXPECT_EQ(counters.value("sockstat.FRAG.memory"), 0);
    EXPECT_EQ(counters.values.size(), 8);
}

TEST(CounterParsers, SockstatRejectsAWholeBadLine)
{
    KernelCounters counters;
    const ParseReport report = parseSockstat("TCP: inuse 5 tw\n"
                                             "UDP: inuse x\n"
                                             "no colon here\n"
                                             "RAW: inuse 3\n",
                                             counters);
    EXPECT_EQ(report.linesRejected, 3);
    EXPECT_EQ(report.linesUsed, 1);
    EXPECT_FALSE(counters.value("sockstat.TCP.inuse").has_value()); // not half-stored
    EXPECT_EQ(counters.value("sockstat.RAW.inuse"), 3);
}

TEST(CounterParsers, SnmpPairsWithMismatchedCountsAreRejected)
{
    KernelCounters counters;
    const ParseReport report = parseSnmpStyle("Ip: Forwarding DefaultTTL\n"
                                              "Ip: 1 64\n"
                                              "Tcp: RtoAlgorithm ActiveOpens CurrEstab\n"
                                              "Tcp: 1 408\n"
                                              "Udp: InDatagrams OutDatagrams\n"
                                              "Udp: 5 6 7\n"
                                              "TcpExt: TW TWRecycled\n"
                                              "TcpExt: 400 -3\n",
                                              counters);
    EXPECT_EQ(report.linesRejected, 2);
    EXPECT_EQ(report.linesUsed, 2);
    EXPECT_EQ(report.linesSkipped, 4);
    expectBalanced(report);
    EXPECT_EQ(counters.value("Ip.DefaultTTL"), 64);
    EXPECT_FALSE(counters.value(counter::ActiveOpens).has_value());
    EXPECT_FALSE(counters.value("Udp.InDatagrams").has_value());
    EXPECT_EQ(counters.value(counter::TwCreated), 400);
    EXPECT_EQ(counters.value(counter::TwRecycled), -3);
    ASSERT_EQ(report.errors.size(), 2);
    EXPECT_EQ(report.errors[0].lineNumber, 4);
    EXPECT_EQ(report.errors[1].lineNumber, 6);
}

TEST(CounterParsers, SnmpOrphanLinesAreRejected)
{
    KernelCounters counters;
    const ParseReport report = parseSnmpStyle("Tcp: 1 2 3\n"                // values, no names
                                              "Ip: Forwarding DefaultTTL\n" // names, then another
                                              "Udp: InDatagrams\n"
                                              "Udp: 5\n"
                                              "Icmp: InMsgs\n"        // names at the end
                                              "Tcp: A B\nTcp: 1 x\n", // not a number
                                              counters);
    EXPECT_EQ(report.linesRejected, 4);
    EXPECT_EQ(counters.values.size(), 1);
    EXPECT_EQ(counters.value("Udp.InDatagrams"), 5);
    expectBalanced(report);
}

TEST(CounterParsers, ProcStatReadsShortLinesOfOldKernels)
{
    ProcStat stat;
    const ParseReport report = parseProcStat("cpu  10 20 30 40\n"
                                             "cpu0 10 20 30 40 5 6 7\n"
                                             "cpu1 1 2 3\n" // too short even for 2.4
                                             "intr 1 2 3\n"
                                             "ctxt 99\n"
                                             "btime 1700000000\n"
                                             "processes 7\n",
                                             stat);
    ASSERT_TRUE(stat.valid);
    EXPECT_EQ(report.linesRejected, 1);
    EXPECT_EQ(report.linesSkipped, 2);
    EXPECT_EQ(stat.all.idle, 40u);
    EXPECT_EQ(stat.all.iowait, 0u);
    EXPECT_EQ(stat.all.total(), 100u);
    ASSERT_EQ(stat.perCpu.size(), 1);
    EXPECT_EQ(stat.perCpu[0].softirq, 7u);
    EXPECT_EQ(stat.perCpu[0].steal, 0u);
    EXPECT_EQ(stat.contextSwitches, 99u);
    EXPECT_EQ(stat.processesCreated, 7u);
}

TEST(CounterParsers, ProcStatKeepsGapsOfHotPluggedCpus)
{
    ProcStat stat;
    const ParseReport report = parseProcStat("cpu 1 1 1 1 1 1 1 1 1 1\n"
                                             "cpu0 1 1 1 1 1 1 1 1 1 1\n"
                                             "cpu3 1 1 1 1 1 1 1 1 1 1 1 1\n" // future fields
                                             "cpu3 2 2 2 2\n"                 // listed twice
                                             "cpux 1 1 1 1\n",
                                             stat);
    EXPECT_EQ(report.linesRejected, 2);
    ASSERT_EQ(stat.perCpu.size(), 2);
    EXPECT_EQ(stat.perCpu[0].cpu, 0);
    EXPECT_EQ(stat.perCpu[1].cpu, 3);
    EXPECT_EQ(stat.perCpu[1].guestNice, 1u);
}

TEST(CounterParsers, ProcStatWithoutACpuLineIsInvalid)
{
    ProcStat stat;
    stat.valid = true;
    parseProcStat("ctxt 5\n", stat);
    EXPECT_FALSE(stat.valid);
}

// ---- cpuUsageBetween ----------------------------------------------------------------------------

namespace {

CpuTimes cpuTimes(int cpu, std::uint64_t user, std::uint64_t system, std::uint64_t idle,
                  std::uint64_t iowait = 0)
{
    CpuTimes times;
    times.cpu = cpu;
    times.user = user;
    times.system = system;
    times.idle = idle;
    times.iowait = iowait;
    return times;
}

ProcStat procStat(QList<CpuTimes> perCpu)
{
    ProcStat stat;
    stat.valid = true;
    stat.all.cpu = -1;
    for (const CpuTimes &cpu : perCpu) {
        stat.all.user += cpu.user;
        stat.all.system += cpu.system;
        stat.all.idle += cpu.idle;
        stat.all.iowait += cpu.iowait;
    }
    stat.perCpu = std::move(perCpu);
    return stat;
}

} // namespace

TEST(CpuUsage, SharesOfTheWholeMachine)
{
    const ProcStat before = procStat({cpuTimes(0, 100, 100, 100), cpuTimes(1, 100, 100, 100)});
    const ProcStat after = procStat({cpuTimes(0, 130, 110, 160), cpuTimes(1, 110, 100, 190)});
    const CpuUsage usage = cpuUsageBetween(before, after);
    ASSERT_TRUE(usage.valid);
    EXPECT_EQ(usage.cpuCount, 2);
    EXPECT_DOUBLE_EQ(usage.user, 20.0);  // 40 of 200 ticks
    EXPECT_DOUBLE_EQ(usage.system, 5.0); // 10 of 200
    EXPECT_DOUBLE_EQ(usage.total, 25.0);
}

TEST(CpuUsage, MatchesCpusByNumberNotPosition)
{
    const ProcStat before = procStat({cpuTimes(0, 0, 0, 0), cpuTimes(1, 1000, 0, 0)});
    // Listed in another order: matching by position would see cpu1's counters go backwards.
    const ProcStat after = procStat({cpuTimes(1, 1000, 0, 100), cpuTimes(0, 100, 0, 0)});
    const CpuUsage usage = cpuUsageBetween(before, after);
    ASSERT_TRUE(usage.valid);
    EXPECT_DOUBLE_EQ(usage.user, 50.0);
    EXPECT_DOUBLE_EQ(usage.total, 50.0);
}

TEST(CpuUsage, LeavesOutCpusPresentInOnlyOneReading)
{
    const ProcStat before =
        procStat({cpuTimes(0, 0, 0, 0), cpuTimes(1, 0, 0, 0), cpuTimes(2, 0, 0, 0)});
    // cpu1 went offline; cpu3 came online with counters that have no "before".
    const ProcStat after =
        procStat({cpuTimes(0, 50, 0, 50), cpuTimes(2, 0, 0, 100), cpuTimes(3, 5000, 0, 0)});
    const CpuUsage usage = cpuUsageBetween(before, after);
    ASSERT_TRUE(usage.valid);
    EXPECT_EQ(usage.cpuCount, 2);
    EXPECT_DOUBLE_EQ(usage.user, 25.0);
}

TEST(CpuUsage, NegativeDeltasAreClampedToZero)
{
    // cpu1's counters restarted (taken offline and back): its fields count as zero, never
    // negative, and cpu0's progress still shows.
    const ProcStat before =
        procStat({cpuTimes(0, 100, 100, 100, 50), cpuTimes(1, 900, 900, 900, 900)});
    const ProcStat after = procStat({cpuTimes(0, 150, 100, 150, 40), cpuTimes(1, 10, 10, 10, 10)});
    const CpuUsage usage = cpuUsageBetween(before, after);
    ASSERT_TRUE(usage.valid);
    EXPECT_DOUBLE_EQ(usage.user, 50.0);
    EXPECT_DOUBLE_EQ(usage.iowait, 0.0);
    EXPECT_GE(usage.system, 0.0);
    EXPECT_DOUBLE_EQ(usage.total, 50.0);
}

TEST(CpuUsage, FallsBackToTheAggregateLine)
{
    ProcStat before;
    before.valid = true;
    before.all = cpuTimes(-1, 10, 10, 80);
    ProcStat after = before;
    after.all = cpuTimes(-1, 20, 10, 70); // idle backwards: clamped
    const CpuUsage usage = cpuUsageBetween(before, after);
    ASSERT_TRUE(usage.valid);
    EXPECT_DOUBLE_EQ(usage.user, 100.0);
}

TEST(CpuUsage, NoTicksOrInvalidReadingsGiveAnInvalidUsage)
{
    const ProcStat stat = procStat({cpuTimes(0, 1, 1, 1)});
    EXPECT_FALSE(cpuUsageBetween(stat, stat).valid);
    EXPECT_FALSE(cpuUsageBetween(ProcStat{}, stat).valid);
    EXPECT_FALSE(cpuUsageBetween(stat, ProcStat{}).valid);
}

// ---- Robustness ---------------------------------------------------------------------------------

TEST(AddressText, AgreesWithInetPton)
{
    // The hand-written address reader of the hot paths against the libc one IpAddress::parse
    // uses, on every spelling from a small alphabet and on random strings of it.
    const auto check = [](const QByteArray &text) {
        IpAddress ours;
        const bool accepted = textscan::parseAddressText(text, ours);
        const std::optional<IpAddress> libc = IpAddress::parse(text);
        EXPECT_EQ(accepted, libc.has_value()) << text.constData();
        if (accepted && libc) {
            EXPECT_EQ(ours, *libc) << text.constData();
        }
    };
    for (const char *text : {"::",
                             "::1",
                             "1::",
                             "1:2:3:4:5:6:7:8",
                             "1:2:3:4:5:6:7::",
                             "::2:3:4:5:6:7:8",
                             "1:2:3:4:5:6:7:8:9",
                             "1::2::3",
                             ":1::",
                             "1:::2",
                             "::ffff:1.2.3.4",
                             "1:2:3:4:5:6:1.2.3.4",
                             "1:2:3:4:5:6:7:1.2.3.4",
                             "1.2.3.4::",
                             "::1.2.3",
                             "fe80::abcd:ef01",
                             "12345::",
                             "0.0.0.0",
                             "255.255.255.255",
                             "256.1.1.1",
                             "1.2.3",
                             "1.2.3.4.5",
                             "01.2.3.4",
                             "0.0.0.00",
                             ""})
        check(text);
    QRandomGenerator random(20240611);
    static constexpr char alphabet[] = "0123456789abcdefABCDEF:.:.::";
    for (int i = 0; i < 20000; ++i) {
        QByteArray text;
        const int length = int(random.bounded(0, 40));
        for (int j = 0; j < length; ++j)
            text += alphabet[random.bounded(int(sizeof alphabet - 1))];
        check(text);
    }
}

TEST(ParserRobustness, MutatedCapturesAreAccountedLineByLine)
{
    // Random byte flips, insertions and cuts of the real captures: every parser must count each
    // line once and never read outside the buffer (the sanitizer build checks the latter).
    const QByteArray captures[] = {
        readCapture("proc_net_tcp.txt"),  readCapture("proc_net_tcp6.txt"),
        readCapture("ss_tan.txt"),        readCapture("netstat_ant.txt"),
        readCapture("proc_net_snmp.txt"), readCapture("proc_stat_1.txt")};
    QRandomGenerator random(7);
    static constexpr char nasty[] = ":[]%*. \t\r\n\0x0123456789ABCDEF-";
    for (int round = 0; round < 300; ++round) {
        QByteArray text = captures[round % std::size(captures)];
        if (text.isEmpty())
            continue;
        for (int edit = 0; edit < 20; ++edit) {
            const auto at = qsizetype(random.bounded(int(text.size())));
            if (edit % 3 == 0)
                text[at] = nasty[random.bounded(int(sizeof nasty - 1))];
            else if (edit % 3 == 1)
                text.insert(at, nasty[random.bounded(int(sizeof nasty - 1))]);
            else
                text[at] = char(random.bounded(256));
        }
        text.truncate(qsizetype(random.bounded(int(text.size()) + 1)));
        // A copy with no spare capacity, so reading one byte past the end is caught by ASan.
        const std::vector<char> exact(text.begin(), text.end());
        const QByteArrayView view(exact.data(), qsizetype(exact.size()));

        std::vector<Socket> sockets;
        const ParseReport v4 =
            parseProcNetTcp(view, AddressFamily::V4, Endianness::Little, 0, sockets);
        expectBalanced(v4);
        EXPECT_EQ(qsizetype(sockets.size()), v4.linesUsed);
        sockets.clear();
        const ParseReport v6 =
            parseProcNetTcp(view, AddressFamily::V6, Endianness::Big, 0, sockets);
        expectBalanced(v6);
        sockets.clear();
        const ParseReport ss = parseSs(view, 0, sockets);
        expectBalanced(ss);
        EXPECT_EQ(qsizetype(sockets.size()), ss.linesUsed);
        sockets.clear();
        const ParseReport netstat = parseNetstat(view, sockets);
        expectBalanced(netstat);
        KernelCounters counters;
        expectBalanced(parseSockstat(view, counters));
        expectBalanced(parseSnmpStyle(view, counters));
        ProcStat stat;
        expectBalanced(parseProcStat(view, stat));
        EXPECT_LE(v4.errors.size(), ParseReport::maxKeptErrors);
    }
}
