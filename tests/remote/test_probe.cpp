// The real probe (resources/probe.sh, as built into twbench_remote) run on this machine through
// LocalTransport: what it prints, under which shells, what it costs, that it only reads, and
// that it sees real TIME_WAIT sockets made by the loopback lab.
#include "proberun.h"
#include "remotetestutil.h"

#include "lab/timewaitlab.h"
#include "model/attribution.h"
#include "model/topologybuilder.h"
#include "remote/framereader.h"
#include "remote/localtransport.h"
#include "remote/samplebuilder.h"

#include <QCoreApplication>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

#include <gtest/gtest.h>

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <functional>
#include <memory>
#include <netinet/in.h>
#include <ostream>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <tuple>
#include <unistd.h>

// Readable parameter values in test names and failure messages.
QT_BEGIN_NAMESPACE
inline void PrintTo(const QStringList &list, std::ostream *os)
{
    *os << list.join(QLatin1Char(' ')).toStdString();
}
QT_END_NAMESPACE

namespace twbench {
inline void PrintTo(ProbeParameters::TableSource source, std::ostream *os)
{
    switch (source) {
    case ProbeParameters::TableSource::Auto:
        *os << "auto";
        break;
    case ProbeParameters::TableSource::Ss:
        *os << "ss";
        break;
    case ProbeParameters::TableSource::Proc:
        *os << "proc";
        break;
    case ProbeParameters::TableSource::Fold:
        *os << "fold";
        break;
    }
}
} // namespace twbench

using namespace twbench;
using namespace std::chrono_literals;
using twbench::test::ProbeRun;
using twbench::test::runProbe;
using twbench::test::waitUntil;

namespace {

// tableMaxSec 0: the table interval is not stretched (capped at tableSec), so which samples
// carry a table does not depend on how many sockets other programs have open.
ProbeParameters parameters(int counterSec, int tableSec, int maxSamples,
                           ProbeParameters::TableSource source = ProbeParameters::TableSource::Auto,
                           int tableMaxSec = 0)
{
    ProbeParameters p;
    p.counterIntervalSec = counterSec;
    p.tableIntervalSec = tableSec;
    p.maxSamples = maxSamples;
    p.tableSource = source;
    p.tableMaxIntervalSec = tableMaxSec > 0 ? tableMaxSec : tableSec;
    // No docker here: these tests are about counters and tables, and a docker CLI on the test
    // machine would make them depend on its daemon. Docker has its own (test_containers.cpp).
    p.dockerIntervalSec = 0;
    return p;
}

// inuse + tw from a frame's sockstat section: the size the probe stretches its interval by.
std::int64_t tcpLoad(const ProbeFrame &frame)
{
    const ProbeSection *sockstat = frame.section("sockstat");
    if (!sockstat)
        return -1;
    for (const QByteArray &line : sockstat->body.split('\n')) {
        if (!line.startsWith("TCP: "))
            continue;
        const QList<QByteArray> words = line.split(' ');
        std::int64_t load = 0;
        for (qsizetype i = 1; i + 1 < words.size(); ++i) {
            if (words[i] == "inuse" || words[i] == "tw")
                load += words[i + 1].toLongLong();
        }
        return load;
    }
    return -1;
}

// The rule the probe documents: a table on the first sample; after a table at time t with
// sockstat load L, the next on the first sample at least min(base + L / 10000, cap) seconds
// later, less half a counter interval of slack.
std::vector<bool> expectedTables(const std::vector<ProbeFrame> &frames, const ProbeParameters &p)
{
    std::vector<bool> expected;
    std::int64_t lastTableMs = 0;
    std::int64_t dueMs = 0;
    for (std::size_t i = 0; i < frames.size(); ++i) {
        const bool table = i == 0 || frames[i].epochMs - lastTableMs >= dueMs;
        expected.push_back(table);
        if (table) {
            lastTableMs = frames[i].epochMs;
            const std::int64_t dueSec = std::min<std::int64_t>(
                p.tableIntervalSec + tcpLoad(frames[i]) / 10000, p.tableMaxIntervalSec);
            dueMs = dueSec * 1000 - p.counterIntervalSec * 500;
        }
    }
    return expected;
}

// From this many TCP sockets (sockstat's inuse + tw) auto reads the table folded (probe.sh's
// fold_min).
constexpr std::int64_t foldMinSockets = 10000;

bool isBigTable(const ProbeFrame &frame)
{
    return tcpLoad(frame) >= foldMinSockets;
}

bool hasTable(const ProbeFrame &frame)
{
    return frame.section("ss") || frame.section("proc_tcp");
}

std::vector<bool> actualTables(const std::vector<ProbeFrame> &frames)
{
    std::vector<bool> actual;
    for (const ProbeFrame &frame : frames)
        actual.push_back(hasTable(frame));
    return actual;
}

QString issuesText(const HostSample &sample)
{
    QString text;
    for (const SourceIssue &issue : sample.issues)
        text += issue.source + QStringLiteral(": ") + issue.message + QLatin1Char('\n');
    return text;
}

void expectCleanSamples(const ProbeRun &run)
{
    ASSERT_TRUE(run.hello);
    SampleBuilder builder(QStringLiteral("local"));
    builder.setHello(*run.hello);
    for (const ProbeFrame &frame : run.frames) {
        const HostSamplePtr sample = builder.build(frame);
        EXPECT_TRUE(sample->issues.isEmpty())
            << "sample " << frame.sequence << ": " << issuesText(*sample).toStdString();
        EXPECT_TRUE(sample->counters.value(counter::TimeWait).has_value());
        EXPECT_TRUE(sample->counters.value(counter::ActiveOpens).has_value());
        EXPECT_TRUE(sample->counters.value(counter::TwCreated).has_value());
        EXPECT_TRUE(sample->procStat.valid);
        EXPECT_EQ(bool(sample->table), hasTable(frame));
    }
}

} // namespace

TEST(Probe, BuiltInScriptIsTheOneInTheSourceTree)
{
    QFile source(QStringLiteral(TWBENCH_SOURCE_DIR "/resources/probe.sh"));
    ASSERT_TRUE(source.open(QIODevice::ReadOnly));
    const QByteArray script = probeScript();
    EXPECT_FALSE(script.isEmpty());
    EXPECT_EQ(script, source.readAll());
}

TEST(Probe, StreamsCountersEverySampleAndTheTableRegularly)
{
    const ProbeParameters params = parameters(1, 2, 4);
    const ProbeRun run = runProbe(params, {}, 15000);
    ASSERT_TRUE(run.ended);
    EXPECT_TRUE(run.failure.isEmpty()) << run.failure.toStdString();
    EXPECT_EQ(run.exitCode, 0) << run.detail.toStdString() << run.stderrText.constData();
    ASSERT_TRUE(run.hello);
    EXPECT_EQ(run.hello->protocolVersion, probeProtocolVersion);
    EXPECT_EQ(run.hello->isLittleEndian(),
              std::optional<bool>(QSysInfo::ByteOrder == QSysInfo::LittleEndian));
    EXPECT_GT(run.hello->netns(), 0u);
    EXPECT_FALSE(run.hello->field("hostname").isEmpty());
    EXPECT_FALSE(run.hello->field("kernel").isEmpty());

    ASSERT_EQ(run.frames.size(), 4u);
    int tables = 0;
    int sinceTable = 0;
    for (std::size_t i = 0; i < run.frames.size(); ++i) {
        const ProbeFrame &frame = run.frames[i];
        EXPECT_EQ(frame.sequence, i + 1);
        if (i > 0) {
            // 1 s apart by the remote's clock, give or take the sample's own cost.
            const auto gap = frame.epochMs - run.frames[i - 1].epochMs;
            EXPECT_GE(gap, 900);
            EXPECT_LT(gap, 3000);
        }
        for (const char *name : {"sockstat", "snmp", "netstat", "stat"}) {
            const ProbeSection *section = frame.section(name);
            ASSERT_NE(section, nullptr) << name << " in sample " << frame.sequence;
            EXPECT_TRUE(section->errors.isEmpty()) << name;
            EXPECT_FALSE(section->body.isEmpty()) << name;
        }
        if (hasTable(frame)) {
            ++tables;
            sinceTable = 0;
        } else {
            ++sinceTable;
        }
        EXPECT_LE(sinceTable, 2) << "no table for too long at sample " << frame.sequence;
    }
    EXPECT_TRUE(hasTable(run.frames.front())); // the first sample always has one
    EXPECT_GE(tables, 2);
    EXPECT_LT(tables, 4); // a 2 s table interval with 1 s counters skips some
    EXPECT_EQ(actualTables(run.frames), expectedTables(run.frames, params));
    EXPECT_EQ(run.stats.garbageLines, 0u);
    EXPECT_EQ(run.stats.truncatedFrames, 0u);
    expectCleanSamples(run);
}

// Samples are paced by one vmstat's lines where there is vmstat, else by a sleep each; stamped by
// the boot clock between date's readings. Either way: every sample, 1 s apart, each stamped
// with this machine's wall clock (same machine: the stamp is never after the frame arrived, and
// not long before).
TEST(Probe, PacedByVmstatOrBySleepAndStampedByTheWallClock)
{
    const bool hasVmstat = !test::findTool(QStringLiteral("vmstat")).isEmpty();
    for (const bool forceSleep : {false, true}) {
        if (forceSleep)
            qputenv("TWBENCH_PACING", "sleep");
        const ProbeRun run = runProbe(parameters(1, 3600, 5), {}, 20000);
        qunsetenv("TWBENCH_PACING");
        ASSERT_TRUE(run.ended) << forceSleep;
        EXPECT_EQ(run.exitCode, 0) << run.reason().toStdString();
        EXPECT_TRUE(run.stderrText.isEmpty()) << run.stderrText.constData();
        ASSERT_TRUE(run.hello);
        EXPECT_EQ(run.hello->field("pacing"),
                  forceSleep || !hasVmstat ? QByteArray("sleep") : QByteArray("vmstat"));
        ASSERT_EQ(run.frames.size(), 5u) << forceSleep;
        for (std::size_t i = 0; i < run.frames.size(); ++i) {
            const ProbeFrame &frame = run.frames[i];
            EXPECT_EQ(frame.sequence, i + 1);
            EXPECT_LE(frame.epochMs, run.arrivedMs[i] + 20) << "sample " << i + 1;
            EXPECT_GE(frame.epochMs, run.arrivedMs[i] - 2000) << "sample " << i + 1;
            if (i > 0) {
                const auto gap = frame.epochMs - run.frames[i - 1].epochMs;
                EXPECT_GE(gap, 500) << "sample " << i + 1 << (forceSleep ? " (sleep)" : "");
                EXPECT_LT(gap, 3000) << "sample " << i + 1;
            }
            for (const char *name : {"sockstat", "snmp", "netstat", "stat"}) {
                const ProbeSection *section = frame.section(name);
                ASSERT_NE(section, nullptr) << name << " in sample " << frame.sequence;
                EXPECT_TRUE(section->errors.isEmpty()) << name;
                EXPECT_FALSE(section->body.isEmpty()) << name;
            }
        }
        expectCleanSamples(run);
    }
}

class ProbeUnderShell : public ::testing::TestWithParam<QStringList>
{
};

TEST_P(ProbeUnderShell, GivesCleanSamples)
{
    const QStringList shell = GetParam();
    if (test::findTool(shell.first()).isEmpty())
        GTEST_SKIP() << shell.first().toStdString() << " is not installed";
    using Source = ProbeParameters::TableSource;
    for (const auto source : {Source::Auto, Source::Proc, Source::Fold}) {
        const ProbeRun run = runProbe(parameters(1, 1, 2, source), shell, 10000);
        ASSERT_TRUE(run.ended);
        EXPECT_EQ(run.exitCode, 0) << run.detail.toStdString() << run.failure.toStdString();
        EXPECT_TRUE(run.stderrText.isEmpty()) << run.stderrText.constData();
        ASSERT_EQ(run.frames.size(), 2u);
        for (const ProbeFrame &frame : run.frames) {
            EXPECT_TRUE(hasTable(frame));
            // Auto folds a big table: whether this one is depends on what else runs here.
            const bool folded =
                source == Source::Fold || (source == Source::Auto && isBigTable(frame));
            EXPECT_EQ(frame.section("proc_tcp") != nullptr, source == Source::Proc || folded);
            EXPECT_EQ(frame.section("proc_tcp_tw") != nullptr, folded);
        }
        EXPECT_EQ(run.hello->field("ss"), source == Source::Auto ? "1" : "0");
        EXPECT_EQ(run.stats.garbageLines, 0u);
        expectCleanSamples(run);
    }
}

INSTANTIATE_TEST_SUITE_P(
    Shells, ProbeUnderShell,
    ::testing::Values(QStringList{QStringLiteral("dash")},
                      QStringList{QStringLiteral("busybox"), QStringLiteral("sh")},
                      QStringList{QStringLiteral("bash"), QStringLiteral("--posix")}),
    [](const auto &param) { return param.param.first().toStdString(); });

TEST(Probe, StopEndsTheProbeAndEverythingItStarted)
{
    LocalTransport transport(parameters(1, 1, 0));
    qint64 pid = 0;
    int frames = 0;
    bool ended = false;
    FrameReader reader;
    QObject::connect(&transport, &Transport::bytesReceived, &transport,
                     [&](const QByteArray &data) {
                         reader.feed(data);
                         frames += int(reader.takeFrames().size());
                     });
    QObject::connect(&transport, &Transport::finished, &transport, [&] { ended = true; });
    QObject::connect(&transport, &Transport::failed, &transport, [&] { ended = true; });
    transport.start();
    pid = transport.processId();
    ASSERT_GT(pid, 0);
    // After the first frame the probe sits in `sleep`: a child of its shell, in its group.
    ASSERT_TRUE(waitUntil([&] { return frames >= 1; }, 10000));
    ASSERT_TRUE(transport.isRunning());
    EXPECT_EQ(::kill(-pid_t(pid), 0), 0) << "the probe should lead its own process group";
    transport.stop();
    EXPECT_FALSE(transport.isRunning());
    EXPECT_FALSE(ended) << "nothing is reported after stop()";
    // The group's last members are reaped by init a moment after they die.
    bool groupGone = false;
    for (int i = 0; i < 200 && !groupGone; ++i) {
        groupGone = ::kill(-pid_t(pid), 0) != 0 && errno == ESRCH;
        if (!groupGone)
            QTest::qWait(10);
    }
    EXPECT_TRUE(groupGone);
    EXPECT_TRUE(test::childProcesses().isEmpty());
}

TEST(Probe, ExitStatusAndStderrAreReported)
{
    const ProbeRun run = runProbe(parameters(1, 1, 1), {}, 5000, {},
                                  "echo '@@twbench hello 1 endian=little'; "
                                  "echo 'ss: something went wrong' >&2; exit 3");
    ASSERT_TRUE(run.ended);
    EXPECT_TRUE(run.failure.isEmpty());
    EXPECT_EQ(run.exitCode, 3);
    EXPECT_TRUE(run.detail.contains(QStringLiteral("3")));
    EXPECT_TRUE(run.detail.contains(QStringLiteral("ss: something went wrong")))
        << run.detail.toStdString();
    EXPECT_EQ(run.stderrText, "ss: something went wrong\n");
    EXPECT_TRUE(run.hello);
}

TEST(Probe, CrashAndFailedStartAreFailures)
{
    const ProbeRun crashed = runProbe(parameters(1, 1, 1), {}, 5000, {}, "kill -9 $$");
    ASSERT_TRUE(crashed.ended);
    EXPECT_FALSE(crashed.failure.isEmpty());
    EXPECT_EQ(crashed.exitCode, -1);

    const ProbeRun missing =
        runProbe(parameters(1, 1, 1), {QStringLiteral("/nonexistent/twbench-shell")}, 5000);
    ASSERT_TRUE(missing.ended);
    EXPECT_TRUE(missing.failure.contains(QStringLiteral("/nonexistent/twbench-shell")))
        << missing.failure.toStdString();
}

TEST(Probe, StderrIsCapped)
{
    LocalTransport transport(parameters(1, 1, 1));
    transport.setScript("i=0; while [ $i -lt 2000 ]; do echo 'noise noise noise noise' >&2; "
                        "i=$((i+1)); done; exit 1");
    bool ended = false;
    QString detail;
    QObject::connect(&transport, &Transport::finished, &transport, [&](int, const QString &d) {
        ended = true;
        detail = d;
    });
    transport.start();
    ASSERT_TRUE(waitUntil([&] { return ended; }, 10000));
    EXPECT_LE(transport.stderrTail().size(), LocalTransport::maxStderrTail);
    EXPECT_TRUE(transport.stderrTail().endsWith("noise noise\n"));
    EXPECT_LT(detail.size(), 1000);
}

// Bigger tables are read less often: with 10,000 more sockets the table interval grows by 1 s.
TEST(Probe, TableIntervalStretchesWithTheTableSize)
{
    const QByteArray subnet = test::randomLoopbackSubnet();
    test::TimeWaitLab lab(subnet + '1');
    ASSERT_TRUE(lab.listen()) << lab.error().toStdString();
    ASSERT_GE(lab.makeTimeWaits(10000, {subnet + '2', subnet + '3'}, 30s), 10000)
        << lab.error().toStdString();

    const ProbeParameters params = parameters(1, 1, 3, ProbeParameters::TableSource::Auto, 30);
    const ProbeRun run = runProbe(params, {}, 15000);
    ASSERT_EQ(run.frames.size(), 3u) << run.detail.toStdString();
    ASSERT_GE(tcpLoad(run.frames[0]), 10000);
    EXPECT_TRUE(hasTable(run.frames[0]));
    // A 1 s interval would have read it again one second later; the stretched one does not.
    EXPECT_FALSE(hasTable(run.frames[1]));
    EXPECT_EQ(actualTables(run.frames), expectedTables(run.frames, params));
}

// The incident in miniature: a server that closes first holds the TIME_WAITs on its listening
// endpoint. The probe's next table must show every one of them there, and the kernel's counter
// must agree.
class ProbeSeesTimeWaits : public ::testing::TestWithParam<ProbeParameters::TableSource>
{
};

TEST_P(ProbeSeesTimeWaits, OnTheListeningEndpoint)
{
    const QByteArray subnet = test::randomLoopbackSubnet();
    test::TimeWaitLab lab(subnet + '1');
    ASSERT_TRUE(lab.listen()) << lab.error().toStdString();
    const int made = lab.makeTimeWaits(500, {subnet + '2'}, 20s);
    ASSERT_GE(made, 500) << lab.error().toStdString();

    const ProbeRun run = runProbe(parameters(1, 1, 1, GetParam()), {}, 15000);
    ASSERT_TRUE(run.ended);
    ASSERT_EQ(run.frames.size(), 1u) << run.detail.toStdString() << run.stderrText.constData();
    ASSERT_TRUE(run.hello);
    SampleBuilder builder(QStringLiteral("local"));
    builder.setHello(*run.hello);
    const HostSamplePtr sample = builder.build(run.frames.front());
    EXPECT_TRUE(sample->issues.isEmpty()) << issuesText(*sample).toStdString();
    ASSERT_TRUE(sample->table);
    const bool fromProc =
        GetParam() != ProbeParameters::TableSource::Auto || isBigTable(run.frames.front());
    EXPECT_EQ(sample->table->source, fromProc ? SocketSource::ProcNetTcp : SocketSource::Ss);

    const auto serverIp = IpAddress::parse(lab.serverIp());
    ASSERT_TRUE(serverIp);
    const Endpoint listening{*serverIp, lab.port()};
    const auto clientIp = IpAddress::parse(QByteArray(subnet + '2'));
    int onServer = 0;
    int onClient = 0;
    for (const Socket &socket : sample->table->sockets) {
        if (socket.state != TcpState::TimeWait)
            continue;
        if (socket.local == listening && socket.remote.address == *clientIp)
            ++onServer;
        if (socket.local.address == *clientIp)
            ++onClient;
    }
    EXPECT_GE(onServer, 500);
    EXPECT_EQ(onClient, 0) << "the client closed second: it must hold none";
    EXPECT_TRUE(sample->table->isListeningEndpoint(listening));
    const auto tw = sample->counters.value(counter::TimeWait);
    ASSERT_TRUE(tw);
    EXPECT_GE(*tw, 500);
}

INSTANTIATE_TEST_SUITE_P(TableSources, ProbeSeesTimeWaits,
                         ::testing::Values(ProbeParameters::TableSource::Auto,
                                           ProbeParameters::TableSource::Proc,
                                           ProbeParameters::TableSource::Fold),
                         [](const auto &param) {
                             switch (param.param) {
                             case ProbeParameters::TableSource::Proc:
                                 return "proc";
                             case ProbeParameters::TableSource::Fold:
                                 return "fold";
                             default:
                                 return "auto";
                             }
                         });

namespace {

// The sockets of one sample's table on `subnet` ("127.A.B."), every field of each, sorted.
using SocketFields = std::tuple<Endpoint, Endpoint, TcpState, std::uint32_t, std::uint32_t,
                                std::int64_t, std::uint64_t>;

std::vector<SocketFields> socketsOn(const Snapshot &table, const QByteArray &subnet)
{
    std::vector<SocketFields> out;
    for (const Socket &s : table.sockets) {
        if (s.local.address.toString().startsWith(QLatin1String(subnet)))
            out.emplace_back(s.local, s.remote, s.state, s.sendQueue, s.receiveQueue, s.uid,
                             s.inode);
    }
    std::sort(out.begin(), out.end());
    return out;
}

struct TableRead
{
    HostSamplePtr sample;
    QByteArray folded; // proc_tcp_tw's body
};

// "127.A.B." as the kernel prints its addresses' last three bytes in /proc/net/tcp: the u32 in
// this machine's byte order, "..BBAA7F" on little-endian ones.
QByteArray procHexOfSubnet(const QByteArray &subnet)
{
    const QList<QByteArray> octets = subnet.split('.');
    char text[8];
    if (QSysInfo::ByteOrder == QSysInfo::LittleEndian)
        std::snprintf(text, sizeof text, "%02X%02X%02X", octets.value(2).toUInt(),
                      octets.value(1).toUInt(), octets.value(0).toUInt());
    else
        std::snprintf(text, sizeof text, "%02X%02X%02X", octets.value(0).toUInt(),
                      octets.value(1).toUInt(), octets.value(2).toUInt());
    return text;
}

// The bytes of the folded lines about `subnet`'s sockets (other programs' may be there too).
qsizetype foldedBytesOf(const QByteArray &folded, const QByteArray &subnet)
{
    const QByteArray hex = procHexOfSubnet(subnet);
    qsizetype bytes = 0;
    for (const QByteArray &line : folded.split('\n')) {
        if (line.contains(hex))
            bytes += line.size() + 1;
    }
    return bytes;
}

TableRead readTable(ProbeParameters::TableSource source)
{
    TableRead read;
    const ProbeRun run = runProbe(parameters(1, 1, 1, source), {}, 15000);
    if (run.frames.size() != 1u || !run.hello) {
        ADD_FAILURE() << "no sample: " << run.reason().toStdString() << run.stderrText.constData();
        return read;
    }
    SampleBuilder builder(QStringLiteral("local"));
    builder.setHello(*run.hello);
    read.sample = builder.build(run.frames.front());
    if (const ProbeSection *folded = run.frames.front().section("proc_tcp_tw"))
        read.folded = folded->body;
    return read;
}

// `count` TIME_WAITs on the client's side: the client closes first, from its own port each time,
// to the server at `server`. Returns how many it made; bounded by count and by 2 s per step.
int makeClientSideTimeWaits(const QByteArray &clientIp, const sockaddr_in &server, int count)
{
    int made = 0;
    const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener < 0 ||
        ::bind(listener, reinterpret_cast<const sockaddr *>(&server), sizeof server) != 0 ||
        ::listen(listener, 512) != 0) {
        if (listener >= 0)
            ::close(listener);
        return 0;
    }
    const timeval timeout{2, 0};
    for (int i = 0; i < count; ++i) {
        const int client = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in local{};
        local.sin_family = AF_INET;
        inet_pton(AF_INET, clientIp.constData(), &local.sin_addr);
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        if (::bind(client, reinterpret_cast<const sockaddr *>(&local), sizeof local) != 0 ||
            ::connect(client, reinterpret_cast<const sockaddr *>(&server), sizeof server) != 0) {
            ::close(client);
            break;
        }
        const int accepted = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
        ::close(client); // the client closes first: its side ends in TIME_WAIT
        if (accepted < 0)
            break;
        setsockopt(accepted, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        char byte = 0;
        const bool sawEof = ::recv(accepted, &byte, 1, 0) == 0;
        ::close(accepted);
        made += sawEof;
    }
    ::close(listener);
    return made;
}

} // namespace

// The fold is only a shorter spelling of the same table: on real sockets of both sides, it
// gives every field of every socket that the unfolded file gives, with the service listening
// and after it stopped (when the rule that picks the side to fold has no listener to go by).
TEST(Probe, FoldGivesTheSocketsOfTheFileInAFewBytesEach)
{
    const QByteArray subnet = test::randomLoopbackSubnet();
    auto lab = std::make_unique<test::TimeWaitLab>(subnet + '1');
    ASSERT_TRUE(lab->listen()) << lab->error().toStdString();
    constexpr int serverSide = 3000;
    ASSERT_GE(lab->makeTimeWaits(serverSide, {subnet + '2', subnet + '3'}, 30s), serverSide)
        << lab->error().toStdString();
    sockaddr_in upstream{};
    upstream.sin_family = AF_INET;
    upstream.sin_port = htons(lab->port() == 65535 ? 1024 : std::uint16_t(lab->port() + 1));
    inet_pton(AF_INET, QByteArray(subnet + "9").constData(), &upstream.sin_addr);
    constexpr int clientSide = 500;
    ASSERT_EQ(makeClientSideTimeWaits(subnet + '4', upstream, clientSide), clientSide);

    for (const bool listening : {true, false}) {
        if (!listening)
            lab.reset(); // the service stops; its TIME_WAITs stay
        const TableRead file = readTable(ProbeParameters::TableSource::Proc);
        const TableRead folded = readTable(ProbeParameters::TableSource::Fold);
        ASSERT_TRUE(file.sample && file.sample->table);
        ASSERT_TRUE(folded.sample && folded.sample->table);
        EXPECT_TRUE(folded.sample->issues.isEmpty()) << issuesText(*folded.sample).toStdString();
        const auto expected = socketsOn(*file.sample->table, subnet);
        const auto got = socketsOn(*folded.sample->table, subnet);
        EXPECT_EQ(expected.size(), std::size_t(serverSide + clientSide + (listening ? 1 : 0)))
            << "listening " << listening;
        EXPECT_TRUE(got == expected) << "listening " << listening << ": " << got.size()
                                     << " sockets folded, " << expected.size() << " in the file";
        // 4 bytes a socket, and about 30 for each line of at most 128 of them (a few more
        // lines when the rule had no listener to go by), instead of 150 a socket unfolded.
        const qsizetype bytes = foldedBytesOf(folded.folded, subnet);
        EXPECT_GE(bytes, 4 * (serverSide + clientSide)) << "listening " << listening;
        EXPECT_LT(bytes, 5 * (serverSide + clientSide)) << "listening " << listening;
    }
}

// As root the probe names the host's processes: with `ss -Htanp` for a small table (each
// socket), with the fold and its ss_listeners for a big one (each listener). The listener this
// test holds is this test's process, by its comm (at most 15 bytes). Ss keeps ss -p itself
// covered whatever this machine holds; auto, the default, names the listener whichever of the
// two this machine's socket count makes it take (the fold has its own test below).
TEST(Probe, AsRootNamesTheProcessOfEachSocket)
{
    if (::geteuid() != 0)
        GTEST_SKIP() << "needs root: ss -p names other processes only for root";
    const QByteArray subnet = test::randomLoopbackSubnet();
    test::TimeWaitLab lab(subnet + '1');
    ASSERT_TRUE(lab.listen()) << lab.error().toStdString();
    QFile comm(QStringLiteral("/proc/self/comm"));
    ASSERT_TRUE(comm.open(QIODevice::ReadOnly));
    const QString name = QString::fromUtf8(comm.readAll().trimmed());

    using Source = ProbeParameters::TableSource;
    for (const Source source : {Source::Ss, Source::Auto}) {
        SCOPED_TRACE(source == Source::Ss ? "ss" : "auto");
        const ProbeRun run = runProbe(parameters(1, 1, 1, source), {}, 15000);
        ASSERT_TRUE(run.ended);
        ASSERT_EQ(run.frames.size(), 1u) << run.detail.toStdString() << run.stderrText.constData();
        ASSERT_TRUE(run.hello);
        EXPECT_EQ(run.hello->field("uid"), "0");
        const ProbeFrame &frame = run.frames.front();
        const ProbeSection *ss = frame.section("ss");
        if (source == Source::Auto && isBigTable(frame))
            ss = frame.section("ss_listeners");
        ASSERT_NE(ss, nullptr) << "no ss on this machine";
        EXPECT_TRUE(ss->body.contains("users:((\"")) << ss->body.left(400).constData();

        SampleBuilder builder(QStringLiteral("local"));
        builder.setHello(*run.hello);
        const HostSamplePtr sample = builder.build(frame);
        EXPECT_TRUE(sample->issues.isEmpty()) << issuesText(*sample).toStdString();
        ASSERT_TRUE(sample->table);
        const auto serverIp = IpAddress::parse(lab.serverIp());
        ASSERT_TRUE(serverIp);
        const Endpoint listening{*serverIp, lab.port()};
        const auto it =
            std::find_if(sample->table->sockets.begin(), sample->table->sockets.end(),
                         [&](const Socket &socket) {
                             return socket.state == TcpState::Listen && socket.local == listening;
                         });
        ASSERT_NE(it, sample->table->sockets.end());
        EXPECT_EQ(qint64(it->pid), QCoreApplication::applicationPid());
        EXPECT_EQ(sample->table->processNames.value(it->pid), name);
    }
}

namespace {

// A listener held by a child process of its own name (its comm, what ss -p prints), which
// accepts and closes first: each connection leaves a TIME_WAIT on the listener's endpoint. The
// child is forked from this threaded process, so it only makes system calls until it is killed
// (here, or by the kernel when this process dies first).
class NamedListener
{
public:
    NamedListener(const QByteArray &ip, const char *name)
    {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        inet_pton(AF_INET, ip.constData(), &address.sin_addr);
        socklen_t length = sizeof address;
        if (fd < 0 || ::bind(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) ||
            ::listen(fd, 64) ||
            ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length)) {
            if (fd >= 0)
                ::close(fd);
            return;
        }
        m_address = address;
        const pid_t parent = ::getpid();
        m_pid = ::fork();
        if (m_pid == 0) {
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (::getppid() != parent)
                ::_exit(1);
            ::prctl(PR_SET_NAME, name);
            for (int i = 0; i < 100000; ++i) {
                const int accepted = ::accept4(fd, nullptr, nullptr, SOCK_CLOEXEC);
                if (accepted >= 0)
                    ::close(accepted);
            }
            ::_exit(0);
        }
        ::close(fd); // the child's alone: ss -p names it and only it
    }
    ~NamedListener()
    {
        if (m_pid > 0) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, nullptr, 0);
        }
    }
    Q_DISABLE_COPY_MOVE(NamedListener)

    bool ok() const { return m_pid > 0; }
    qint64 pid() const { return m_pid; }
    std::uint16_t port() const { return ntohs(m_address.sin_port); }

    // Connects `count` times from `clientIp` and waits for the child's close each time (2 s at
    // most each): the child closed first, so the TIME_WAIT is on its side. Returns how many.
    int makeTimeWaits(const QByteArray &clientIp, int count) const
    {
        const timeval timeout{2, 0};
        int made = 0;
        for (int i = 0; i < count; ++i) {
            const int client = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            sockaddr_in local{};
            local.sin_family = AF_INET;
            inet_pton(AF_INET, clientIp.constData(), &local.sin_addr);
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
            char byte = 0;
            const bool closedFirst =
                ::bind(client, reinterpret_cast<const sockaddr *>(&local), sizeof local) == 0 &&
                ::connect(client, reinterpret_cast<const sockaddr *>(&m_address),
                          sizeof m_address) == 0 &&
                ::recv(client, &byte, 1, 0) == 0;
            ::close(client);
            made += closedFirst;
        }
        return made;
    }

private:
    sockaddr_in m_address{};
    pid_t m_pid = -1;
};

// The service node of `port` on host "local", as the topology of `table` names it.
QString serviceLabel(const Snapshot &table, std::uint64_t hostNetns, std::uint16_t port)
{
    const DockerInventory none;
    const Attribution attribution(table, none, NamespaceMap{hostNetns, {}, {}});
    const Topology topology = buildTopology(attribution);
    const TopologyNode *node =
        topology.node(topologyid::hostService(QStringLiteral("local"), port));
    return node ? node->label : QStringLiteral("(no node)");
}

} // namespace

// A big table is read folded, which has no process column: as root the probe adds the
// listeners' processes from `ss -Htnp state listening`, so the listener keeps its process, and its
// service, which owns the TIME_WAITs on its endpoint, is named after it as with `ss -Htanp`.
TEST(Probe, AsRootTheFoldNamesTheListenersProcess)
{
    if (::geteuid() != 0)
        GTEST_SKIP() << "needs root: ss -p names other processes only for root";
    const QByteArray subnet = test::randomLoopbackSubnet();
    const NamedListener listener(subnet + '1', "twb-listener");
    ASSERT_TRUE(listener.ok());
    constexpr int timeWaits = 20;
    ASSERT_EQ(listener.makeTimeWaits(subnet + '2', timeWaits), timeWaits);
    const Endpoint listening{*IpAddress::parse(QByteArray(subnet + '1')), listener.port()};

    QString labels[2];
    using Source = ProbeParameters::TableSource;
    for (const Source source : {Source::Fold, Source::Ss}) {
        SCOPED_TRACE(source == Source::Fold ? "fold" : "ss");
        const ProbeRun run = runProbe(parameters(1, 1, 1, source), {}, 15000);
        ASSERT_EQ(run.frames.size(), 1u)
            << run.reason().toStdString() << run.stderrText.constData();
        ASSERT_TRUE(run.hello);
        const ProbeFrame &frame = run.frames.front();
        EXPECT_EQ(frame.section("ss_listeners") != nullptr, source == Source::Fold);
        if (source == Source::Fold) {
            ASSERT_NE(frame.section("proc_tcp_tw"), nullptr);
            EXPECT_TRUE(frame.section("ss_listeners")->body.contains("\"twb-listener\""));
        }

        SampleBuilder builder(QStringLiteral("local"));
        builder.setHello(*run.hello);
        const HostSamplePtr sample = builder.build(frame);
        EXPECT_TRUE(sample->issues.isEmpty()) << issuesText(*sample).toStdString();
        ASSERT_TRUE(sample->table);
        EXPECT_EQ(sample->table->source,
                  source == Source::Fold ? SocketSource::ProcNetTcp : SocketSource::Ss);
        int onEndpoint = 0;
        bool named = false;
        for (const Socket &socket : sample->table->sockets) {
            if (socket.local != listening)
                continue;
            if (socket.state == TcpState::Listen) {
                EXPECT_EQ(qint64(socket.pid), listener.pid());
                EXPECT_EQ(sample->table->processNames.value(socket.pid),
                          QStringLiteral("twb-listener"));
                named = true;
            } else if (socket.state == TcpState::TimeWait) {
                EXPECT_EQ(socket.pid, 0u) << "a TIME_WAIT socket has no process";
                ++onEndpoint;
            }
        }
        EXPECT_TRUE(named);
        EXPECT_EQ(onEndpoint, timeWaits);
        labels[source == Source::Fold ? 0 : 1] =
            serviceLabel(*sample->table, run.hello->netns(), listener.port());
    }
    EXPECT_TRUE(labels[0].contains(QStringLiteral("twb-listener"))) << labels[0].toStdString();
    EXPECT_EQ(labels[0], labels[1]);
}

// What the probe opens, as the kernel sees it: nothing for writing, nothing created.
TEST(Probe, OnlyReadsUnderStrace)
{
    const QString strace = test::findTool(QStringLiteral("strace"));
    const QString dash = test::findTool(QStringLiteral("dash"));
    if (strace.isEmpty() || dash.isEmpty())
        GTEST_SKIP() << "strace or dash is not installed";
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    for (const char *source : {"auto", "proc", "fold"}) {
        const QString tracePath = dir.filePath(QStringLiteral("trace-") + QLatin1String(source));
        QProcess process;
        process.setProgram(strace);
        process.setArguments({QStringLiteral("-f"), QStringLiteral("-qq"), QStringLiteral("-e"),
                              QStringLiteral("trace=open,openat,openat2,creat,truncate,unlink,"
                                             "unlinkat,rename,renameat,renameat2,mkdir,mkdirat,"
                                             "link,linkat,symlink,symlinkat,chmod,fchmodat"),
                              QStringLiteral("-o"), tracePath, dash, QStringLiteral("-c"),
                              QString::fromUtf8(probeScript()), QStringLiteral("twbench-probe"),
                              QStringLiteral("1"), QStringLiteral("1"), QStringLiteral("2"),
                              QLatin1String(source), QStringLiteral("30"), QStringLiteral("10"),
                              QStringLiteral("user"),
                              QStringLiteral(TWBENCH_TEST_DATA_DIR "/docker/fake-docker")});
        process.start();
        ASSERT_TRUE(process.waitForFinished(15000));
        if (process.exitCode() != 0 &&
            process.readAllStandardError().contains("Operation not permitted"))
            GTEST_SKIP() << "ptrace is not allowed here";
        ASSERT_EQ(process.exitCode(), 0) << process.readAllStandardError().constData();
        EXPECT_TRUE(process.readAllStandardOutput().contains("@@end 2"));

        QFile trace(tracePath);
        ASSERT_TRUE(trace.open(QIODevice::ReadOnly));
        const QByteArray text = trace.readAll();
        // The trace must have seen the probe's reads, or an empty trace would pass.
        EXPECT_TRUE(text.contains("\"/proc/net/sockstat\"")) << source;
        EXPECT_TRUE(text.contains("\"/proc/stat\"")) << source;
        // The docker slot ran too (through the stand-in), and read only as well.
        EXPECT_TRUE(text.contains("inspect_bridge_published.json")) << source;
        if (QByteArrayView(source) != "auto") {
            EXPECT_TRUE(text.contains("\"/proc/net/tcp\"")) << source;
        }
        int opens = 0;
        for (const QByteArray &line : text.split('\n')) {
            if (line.contains("open"))
                ++opens;
            const bool writes = line.contains("O_WRONLY") || line.contains("O_RDWR") ||
                                line.contains("O_CREAT") || line.contains("O_TRUNC");
            const bool changes =
                QRegularExpression(QStringLiteral("\\b(creat|truncate|unlink|unlinkat|rename|"
                                                  "renameat2?|mkdir|mkdirat|link|linkat|symlink|"
                                                  "symlinkat|chmod|fchmodat)\\("))
                    .match(QString::fromLatin1(line))
                    .hasMatch();
            EXPECT_FALSE(writes || changes) << line.constData();
        }
        EXPECT_GT(opens, 10);
    }
}

// The same promise read from the text, where strace cannot run: no redirection into a file, no
// command built at run time.
TEST(Probe, ScriptHasNoWritesAndNoEval)
{
    const QString script = QString::fromUtf8(probeScript());
    ASSERT_FALSE(script.isEmpty());
    int codeLines = 0;
    for (QString line : script.split(QLatin1Char('\n'))) {
        const QString trimmed = line.trimmed();
        if (trimmed.startsWith(QLatin1Char('#')) || trimmed.isEmpty())
            continue;
        ++codeLines;
        // Drop quoted text and trailing comments, which may hold '>' as prose.
        line.remove(QRegularExpression(QStringLiteral("'[^']*'")));
        line.remove(QRegularExpression(QStringLiteral("\"[^\"]*\"")));
        line.remove(QRegularExpression(QStringLiteral("\\s#\\s.*$")));
        // Allowed: ">&-", "2>&1", ">&2" (duplication); anything else after '>' names a file.
        const QRegularExpression toFile(QStringLiteral(">>?\\s*(?!&)"));
        EXPECT_FALSE(toFile.match(line).hasMatch()) << line.toStdString();
        for (const char *word :
             {"eval", "tee", "dd", "touch", "rm", "mv", "cp", "mkdir", "sed -i", "sudo", "exec "}) {
            EXPECT_FALSE(QRegularExpression(QStringLiteral("(^|[\\s;|&(])") +
                                            QRegularExpression::escape(QLatin1String(word)) +
                                            QStringLiteral("(\\s|$)"))
                             .match(line)
                             .hasMatch())
                << word << " in: " << line.toStdString();
        }
    }
    EXPECT_GT(codeLines, 50);
}

TEST(Probe, CheckbashismsFindsNothing)
{
    const QString checkbashisms = test::findTool(QStringLiteral("checkbashisms"));
    if (checkbashisms.isEmpty())
        GTEST_SKIP() << "checkbashisms (devscripts) is not installed";
    QProcess process;
    // --posix: also flag what dash accepts but POSIX does not; --extra: more checks.
    process.start(checkbashisms,
                  {QStringLiteral("--force"), QStringLiteral("--posix"), QStringLiteral("--extra"),
                   QStringLiteral(TWBENCH_SOURCE_DIR "/resources/probe.sh")});
    ASSERT_TRUE(process.waitForFinished(30000));
    EXPECT_EQ(process.exitCode(), 0) << process.readAllStandardError().constData();
}
