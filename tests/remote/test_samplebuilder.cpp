#include "proberun.h"
#include "remotetestutil.h"

#include "model/attribution.h"
#include "remote/framereader.h"
#include "remote/samplebuilder.h"

#include <QFile>

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

using namespace twbench;
using twbench::test::readTestData;

namespace {

struct Capture
{
    ProbeHello hello;
    std::vector<ProbeFrame> frames;
};

Capture readCapture(const QString &name)
{
    FrameReader reader;
    reader.feed(readTestData(name));
    reader.finish();
    Capture capture;
    if (auto hello = reader.takeHello())
        capture.hello = *hello;
    capture.frames = reader.takeFrames();
    return capture;
}

qsizetype countLines(const QByteArray &body, QByteArrayView prefix)
{
    qsizetype count = 0;
    for (const QByteArray &line : body.split('\n')) {
        if (line.startsWith(prefix))
            ++count;
    }
    return count;
}

std::vector<Socket> withState(const Snapshot &table, TcpState state)
{
    std::vector<Socket> out;
    std::copy_if(table.sockets.begin(), table.sockets.end(), std::back_inserter(out),
                 [state](const Socket &socket) { return socket.state == state; });
    return out;
}

QString issuesText(const HostSample &sample)
{
    QString text;
    for (const SourceIssue &issue : sample.issues)
        text += issue.source + QStringLiteral(": ") + issue.message + QLatin1Char('\n');
    return text;
}

ProbeFrame frameFrom(const QByteArray &text)
{
    FrameReader reader;
    reader.feed(text);
    auto frames = reader.takeFrames();
    return frames.empty() ? ProbeFrame{} : frames.front();
}

} // namespace

TEST(SampleBuilder, CaptureWithSsGivesCountersCpuAndTable)
{
    const Capture capture = readCapture(QStringLiteral("probe_local.txt"));
    ASSERT_EQ(capture.frames.size(), 2u);
    SampleBuilder builder(QStringLiteral("local"));
    builder.setHello(capture.hello);
    const HostSamplePtr sample = builder.build(capture.frames[0]);
    ASSERT_TRUE(sample);
    EXPECT_TRUE(sample->issues.isEmpty()) << issuesText(*sample).toStdString();
    EXPECT_EQ(sample->hostId, QStringLiteral("local"));
    EXPECT_EQ(sample->sequence, 1u);
    EXPECT_EQ(sample->epochMs, capture.frames[0].epochMs);

    // One counter from each of the three counter files.
    EXPECT_TRUE(sample->counters.value(counter::TimeWait).has_value());
    EXPECT_TRUE(sample->counters.value(counter::TcpInUse).has_value());
    EXPECT_TRUE(sample->counters.value(counter::ActiveOpens).has_value());
    EXPECT_TRUE(sample->counters.value(counter::TwCreated).has_value());
    EXPECT_GE(*sample->counters.value(counter::TimeWait), 5);

    EXPECT_TRUE(sample->procStat.valid);
    EXPECT_GT(sample->procStat.all.total(), 0u);
    EXPECT_FALSE(sample->procStat.perCpu.isEmpty());

    ASSERT_TRUE(sample->table);
    const Snapshot &table = *sample->table;
    EXPECT_EQ(table.source, SocketSource::Ss);
    EXPECT_EQ(table.hostId, QStringLiteral("local"));
    EXPECT_EQ(table.sequence, 1u);
    const QByteArray body = capture.frames[0].section("ss")->body;
    EXPECT_EQ(qsizetype(table.sockets.size()), body.count('\n'));
    const auto timeWaits = withState(table, TcpState::TimeWait);
    EXPECT_EQ(qsizetype(timeWaits.size()), countLines(body, "TIME-WAIT"));
    ASSERT_FALSE(timeWaits.empty());
    // The capture's TIME_WAITs were made by a server that closed first: each one's local end
    // is a listening endpoint, which finalize() must have found.
    for (const Socket &socket : timeWaits) {
        EXPECT_TRUE(table.isListeningEndpoint(socket.local))
            << socket.local.toString().toStdString();
        EXPECT_EQ(socket.netns, capture.hello.netns());
    }
    EXPECT_FALSE(table.listening.empty());

    // The second frame carries a table too (the capture used a 1 s table interval).
    const HostSamplePtr second = builder.build(capture.frames[1]);
    EXPECT_EQ(second->sequence, 2u);
    EXPECT_TRUE(second->table);
}

TEST(SampleBuilder, CaptureWithProcNetTcpGivesTheSameKindOfTable)
{
    const Capture capture = readCapture(QStringLiteral("probe_local_proc.txt"));
    ASSERT_EQ(capture.frames.size(), 1u);
    SampleBuilder builder(QStringLiteral("local"));
    builder.setHello(capture.hello);
    const HostSamplePtr sample = builder.build(capture.frames[0]);
    EXPECT_TRUE(sample->issues.isEmpty()) << issuesText(*sample).toStdString();
    ASSERT_TRUE(sample->table);
    EXPECT_EQ(sample->table->source, SocketSource::ProcNetTcp);
    const qsizetype v4 = capture.frames[0].section("proc_tcp")->body.count('\n') - 1;
    const qsizetype v6 = capture.frames[0].section("proc_tcp6")->body.count('\n') - 1;
    EXPECT_EQ(qsizetype(sample->table->sockets.size()), v4 + v6);
    const auto timeWaits = withState(*sample->table, TcpState::TimeWait);
    ASSERT_FALSE(timeWaits.empty());
    for (const Socket &socket : timeWaits) {
        EXPECT_TRUE(socket.local.address.isLoopback());
        EXPECT_TRUE(sample->table->isListeningEndpoint(socket.local));
    }
    const bool hasV6 = std::any_of(sample->table->sockets.begin(), sample->table->sockets.end(),
                                   [](const Socket &s) { return !s.local.address.isV4(); });
    EXPECT_EQ(hasV6, v6 > 0);
}

TEST(SampleBuilder, HelloByteOrderReachesTheProcParser)
{
    Capture capture = readCapture(QStringLiteral("probe_local_proc.txt"));
    ASSERT_EQ(capture.frames.size(), 1u);
    capture.hello.fields.insert("endian", "big");
    SampleBuilder builder;
    builder.setHello(capture.hello);
    const HostSamplePtr sample = builder.build(capture.frames[0]);
    ASSERT_TRUE(sample->table);
    // Read as big-endian, 0100007F is 1.0.0.127: the little-endian capture's 127.0.0.1 is gone.
    const auto timeWaits = withState(*sample->table, TcpState::TimeWait);
    ASSERT_FALSE(timeWaits.empty());
    for (const Socket &socket : timeWaits)
        EXPECT_FALSE(socket.local.address.isLoopback());
}

TEST(SampleBuilder, SectionErrorBecomesAnIssueAndCountersStay)
{
    const ProbeFrame frame = frameFrom("@@twbench sample 4 1000\n"
                                       "@@section sockstat\n"
                                       "TCP: inuse 3 orphan 0 tw 7 alloc 3 mem 1\n"
                                       "@@section netstat\n"
                                       "@@error netstat cannot read /proc/net/netstat\n"
                                       "@@end 4\n");
    ProbeHello hello;
    hello.protocolVersion = 1;
    SampleBuilder builder(QStringLiteral("h"));
    builder.setHello(hello);
    const HostSamplePtr sample = builder.build(frame);
    EXPECT_EQ(sample->counters.value(counter::TimeWait), std::optional<std::int64_t>(7));
    ASSERT_EQ(sample->issues.size(), 1);
    EXPECT_EQ(sample->issues[0].source, QStringLiteral("netstat"));
    EXPECT_TRUE(sample->issues[0].message.contains(QStringLiteral("/proc/net/netstat")));
    EXPECT_FALSE(sample->table);
}

TEST(SampleBuilder, FailedTableSourceLeavesTheTableOut)
{
    const ProbeFrame frame = frameFrom("@@twbench sample 4 1000\n"
                                       "@@section ss\n"
                                       "ESTAB 0 0 10.0.0.1:80 10.0.0.2:5000\n"
                                       "@@error ss ss exited with status 1\n"
                                       "@@end 4\n");
    SampleBuilder builder;
    builder.setHello(ProbeHello{1, {}});
    const HostSamplePtr sample = builder.build(frame);
    EXPECT_FALSE(sample->table);
    ASSERT_EQ(sample->issues.size(), 2);
    EXPECT_EQ(sample->issues[0].source, QStringLiteral("ss"));
    EXPECT_TRUE(sample->issues[0].message.contains(QStringLiteral("status 1")));
    EXPECT_EQ(sample->issues[1].source, QStringLiteral("table"));
}

// The fold (TABLE_SOURCE fold, or auto on a big table): the TIME_WAITs of proc_tcp_tw join the
// unfolded sockets in one table, as if the probe had sent the lines themselves.
TEST(SampleBuilder, FoldedTimeWaitsJoinTheTable)
{
    const ProbeFrame frame = frameFrom(
        "@@twbench sample 4 1000\n"
        "@@section proc_tcp\n"
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt"
        "   uid  timeout inode\n"
        "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000"
        "  1000        0 4242 1 0000000000000000 100 0 0 10 0\n"
        "@@section proc_tcp_tw\n"
        "0100007F:1F90 0200007F:* C350C351C352\n"
        "@@section proc_tcp6\n"
        "  sl  local_address                         remote_address                        "
        "st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
        "@@section proc_tcp6_tw\n"
        "00000000000000000000000001000000:* 00000000000000000000000001000000:01BB 9C40\n"
        "@@end 4\n");
    ProbeHello hello{1, {{"endian", "little"}, {"netns", "4026531840"}}};
    SampleBuilder builder(QStringLiteral("h"));
    builder.setHello(hello);
    const HostSamplePtr sample = builder.build(frame);
    EXPECT_TRUE(sample->issues.isEmpty()) << issuesText(*sample).toStdString();
    ASSERT_TRUE(sample->table);
    EXPECT_EQ(sample->table->source, SocketSource::ProcNetTcp);
    const auto timeWaits = withState(*sample->table, TcpState::TimeWait);
    ASSERT_EQ(timeWaits.size(), 4u);
    const Endpoint listening{*IpAddress::parse("127.0.0.1"), 8080};
    EXPECT_TRUE(sample->table->isListeningEndpoint(listening));
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(timeWaits[i].local, listening);
        EXPECT_EQ(timeWaits[i].remote,
                  (Endpoint{*IpAddress::parse("127.0.0.2"), std::uint16_t(50000 + i)}));
        EXPECT_EQ(timeWaits[i].netns, 4026531840u);
    }
    EXPECT_EQ(timeWaits[3].local, (Endpoint{*IpAddress::parse("::1"), 40000}));
    EXPECT_EQ(timeWaits[3].remote, (Endpoint{*IpAddress::parse("::1"), 443}));
}

// awk failing part-way names proc_tcp: the table is left out, not shown without its
// TIME_WAITs; a folded line that does not parse is an issue of its own section.
TEST(SampleBuilder, AFailedFoldLeavesTheTableOut)
{
    const ProbeFrame failed = frameFrom("@@twbench sample 4 1000\n"
                                        "@@section proc_tcp\n"
                                        "@@error proc_tcp awk exited with status 2\n"
                                        "@@end 4\n");
    SampleBuilder builder;
    builder.setHello(ProbeHello{1, {{"endian", "little"}}});
    const HostSamplePtr sample = builder.build(failed);
    EXPECT_FALSE(sample->table);
    ASSERT_EQ(sample->issues.size(), 2);
    EXPECT_EQ(sample->issues[1].source, QStringLiteral("table"));

    const HostSamplePtr bad = builder.build(frameFrom("@@twbench sample 5 2000\n"
                                                      "@@section proc_tcp_tw\n"
                                                      "0100007F:1F90 0200007F:* C35\n"
                                                      "@@end 5\n"));
    ASSERT_EQ(bad->issues.size(), 1);
    EXPECT_EQ(bad->issues[0].source, QStringLiteral("proc_tcp_tw"));
    ASSERT_TRUE(bad->table);
    EXPECT_TRUE(bad->table->sockets.empty());
}

namespace {

// Captured as root from the probe's fold (TABLE_SOURCE fold) in a network namespace of its own
// (iproute2 6.1, kernel 6.18): "twb-api", two processes sharing the listeners 127.0.0.11:7101
// and [::1]:7101, "web x" the dual-stack [::]:7102 that ss prints as "*:7102", and three
// TIME_WAITs that 127.0.0.21 left on 127.0.0.11:7101 (the server closed first). ss_listeners is
// `ss -Htnp state listening`: no State column.
const char foldedFrameAsRoot[] =
    "@@twbench sample 1 1795705758210\n"
    "@@section proc_tcp\n"
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout "
    "inode                                                     \n"
    "   0: 0B00007F:1BBD 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 "
    "17846885 1 000000002ffa254b 100 0 0 10 0                  \n"
    "@@section proc_tcp_tw\n"
    "0B00007F:1BBD 1500007F:* A475A476A477\n"
    "@@section proc_tcp6\n"
    "  sl  local_address                         remote_address                        st "
    "tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
    "   0: 00000000000000000000000001000000:1BBD 00000000000000000000000000000000:0000 0A "
    "00000000:00000000 00:00000000 00000000     0        0 17846886 1 0000000059430163 100 0 0 "
    "10 0\n"
    "   1: 00000000000000000000000000000000:1BBE 00000000000000000000000000000000:0000 0A "
    "00000000:00000000 00:00000000 00000000     0        0 17846887 1 000000001e12e7db 100 0 0 "
    "10 0\n"
    "@@section proc_tcp6_tw\n"
    "@@section ss_listeners\n"
    "0      64     127.0.0.11:7101 0.0.0.0:* "
    "users:((\"twb-api\",pid=4984,fd=3),(\"twb-api\",pid=4983,fd=3))\n"
    "0      64          [::1]:7101    [::]:* "
    "users:((\"twb-api\",pid=4984,fd=4),(\"twb-api\",pid=4983,fd=4))\n"
    "0      64              *:7102       *:* users:((\"web x\",pid=4985,fd=5))"
    "                            \n"
    "@@end 1\n";

// `ss -Htanp` of the same sockets, a moment later: what the probe sends below 10,000 sockets.
const char ssFrameAsRoot[] = "@@twbench sample 2 1795705758500\n"
                             "@@section ss\n"
                             "LISTEN    0      64     127.0.0.11:7101    0.0.0.0:*     "
                             "users:((\"twb-api\",pid=4984,fd=3),(\"twb-api\",pid=4983,fd=3))\n"
                             "TIME-WAIT 0      0      127.0.0.11:7101 127.0.0.21:42101\n"
                             "TIME-WAIT 0      0      127.0.0.11:7101 127.0.0.21:42102\n"
                             "TIME-WAIT 0      0      127.0.0.11:7101 127.0.0.21:42103\n"
                             "LISTEN    0      64          [::1]:7101       [::]:*     "
                             "users:((\"twb-api\",pid=4984,fd=4),(\"twb-api\",pid=4983,fd=4))\n"
                             "LISTEN    0      64              *:7102          *:*     "
                             "users:((\"web x\",pid=4985,fd=5))\n"
                             "@@end 2\n";

ProbeHello rootHello()
{
    return ProbeHello{1, {{"endian", "little"}, {"netns", "4026532177"}, {"uid", "0"}}};
}

const Socket *socketOf(const Snapshot &table, const Socket &like)
{
    const auto it = std::find_if(table.sockets.begin(), table.sockets.end(),
                                 [&](const Socket &s) { return s.sameConnection(like); });
    return it == table.sockets.end() ? nullptr : &*it;
}

} // namespace

// As root the fold comes with ss_listeners: its LISTEN sockets get the processes `ss -Htanp`
// gives them, so the owner of every socket is the same whichever way the table was read (the
// TIME_WAITs have no process either way; their service is named by its listener).
TEST(SampleBuilder, FoldedListenersGetTheProcessesThatSsPGives)
{
    SampleBuilder builder(QStringLiteral("h"));
    builder.setHello(rootHello());
    const HostSamplePtr folded = builder.build(frameFrom(foldedFrameAsRoot));
    EXPECT_TRUE(folded->issues.isEmpty()) << issuesText(*folded).toStdString();
    ASSERT_TRUE(folded->table);
    EXPECT_EQ(folded->table->source, SocketSource::ProcNetTcp);
    const HostSamplePtr ss = builder.build(frameFrom(ssFrameAsRoot));
    EXPECT_TRUE(ss->issues.isEmpty()) << issuesText(*ss).toStdString();
    ASSERT_TRUE(ss->table);
    ASSERT_EQ(folded->table->sockets.size(), 6u);
    ASSERT_EQ(ss->table->sockets.size(), 6u);

    const auto listeners = withState(*folded->table, TcpState::Listen);
    ASSERT_EQ(listeners.size(), 3u);
    for (const Socket &listener : listeners) {
        const std::uint32_t pid = listener.local.port == 7101 ? 4984 : 4985;
        EXPECT_EQ(listener.pid, pid) << listener.local.toString().toStdString();
    }
    EXPECT_EQ(folded->table->processNames,
              (ProcessNames{{4984, QStringLiteral("twb-api")}, {4985, QStringLiteral("web x")}}));
    EXPECT_EQ(folded->table->processNames, ss->table->processNames);

    const DockerInventory none;
    const NamespaceMap host{4026532177, {}, {}};
    const Attribution fromFold(*folded->table, none, host);
    const Attribution fromSs(*ss->table, none, host);
    for (const Socket &socket : ss->table->sockets) {
        const Socket *same = socketOf(*folded->table, socket);
        ASSERT_NE(same, nullptr) << socket.local.toString().toStdString();
        EXPECT_EQ(same->pid, socket.pid) << socket.local.toString().toStdString();
        EXPECT_EQ(fromFold.ownerOfLocal(*same), fromSs.ownerOfLocal(socket))
            << socket.local.toString().toStdString();
        EXPECT_EQ(fromFold.sideOf(*same), fromSs.sideOf(socket));
    }
    const Socket listener = listeners.front();
    EXPECT_EQ(fromFold.describe(fromFold.ownerOfLocal(listener)),
              QStringLiteral("process twb-api (4984)"));
}

// The probe sends ss_listeners with the first folded table and then every 30 s: in between, a
// listener keeps its process while it is the same socket (inode and endpoint), a new one is
// left unnamed until the next ss_listeners, and a new run of the probe forgets them all.
TEST(SampleBuilder, FoldedTablesBetweenListenerSectionsKeepTheSameSocketsProcesses)
{
    SampleBuilder builder(QStringLiteral("h"));
    builder.setHello(rootHello());
    const HostSamplePtr named = builder.build(frameFrom(foldedFrameAsRoot));
    ASSERT_TRUE(named->table);
    ASSERT_EQ(withState(*named->table, TcpState::Listen).size(), 3u);

    const QByteArray withListeners(foldedFrameAsRoot);
    const QByteArray without =
        withListeners.left(withListeners.indexOf("@@section ss_listeners")) + "@@end 1\n";
    const auto pidsOf = [](const Snapshot &table) {
        std::map<QString, std::uint32_t> pids;
        for (const Socket &listener : withState(table, TcpState::Listen))
            pids[listener.local.toString()] = listener.pid;
        return pids;
    };
    const HostSamplePtr kept = builder.build(frameFrom(without));
    EXPECT_TRUE(kept->issues.isEmpty()) << issuesText(*kept).toStdString();
    ASSERT_TRUE(kept->table);
    EXPECT_EQ(pidsOf(*kept->table), pidsOf(*named->table));
    EXPECT_EQ(kept->table->processNames, named->table->processNames);

    // 127.0.0.11:7101 reopened (another inode): not taken for the one ss named.
    QByteArray reopened = without;
    reopened.replace(" 17846885 ", " 17846999 ");
    const HostSamplePtr fresh = builder.build(frameFrom(reopened));
    ASSERT_TRUE(fresh->table);
    std::map<QString, std::uint32_t> expected = pidsOf(*named->table);
    expected[QStringLiteral("127.0.0.11:7101")] = 0;
    EXPECT_EQ(pidsOf(*fresh->table), expected);

    // The same inode on another endpoint (reused after its socket closed): not named either.
    QByteArray moved = without;
    moved.replace("0B00007F:1BBD 00000000:0000 0A", "0C00007F:1BBD 00000000:0000 0A");
    const HostSamplePtr elsewhere = builder.build(frameFrom(moved));
    ASSERT_TRUE(elsewhere->table);
    EXPECT_EQ(pidsOf(*elsewhere->table).at(QStringLiteral("127.0.0.12:7101")), 0u);

    builder.setHello(rootHello()); // the probe restarted
    const HostSamplePtr restarted = builder.build(frameFrom(without));
    ASSERT_TRUE(restarted->table);
    for (const auto &[endpoint, pid] : pidsOf(*restarted->table))
        EXPECT_EQ(pid, 0u) << endpoint.toStdString();
    EXPECT_TRUE(restarted->table->processNames.isEmpty());
}

// ss failing, or printing what does not parse, is an issue of its own: the table stands with
// its listeners unnamed, as the fold gives them without root. Without a table it names nothing.
TEST(SampleBuilder, AFailedListenersSectionLeavesTheTableUnnamed)
{
    const QByteArray table =
        "@@section proc_tcp\n"
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
        "timeout inode\n"
        "   0: 0B00007F:1BBD 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        "
        "0 17265718 1 00000000d42b53a2 100 0 0 10 0\n"
        "@@section proc_tcp_tw\n"
        "0B00007F:1BBD 1500007F:* A477A475A476\n";
    SampleBuilder builder(QStringLiteral("h"));
    builder.setHello(rootHello());

    const HostSamplePtr failed = builder.build(
        frameFrom("@@twbench sample 1 1000\n" + table +
                  "@@section ss_listeners\n@@error ss_listeners ss exited with status 1\n"
                  "@@end 1\n"));
    ASSERT_EQ(failed->issues.size(), 1) << issuesText(*failed).toStdString();
    EXPECT_EQ(failed->issues[0].source, QStringLiteral("ss_listeners"));
    EXPECT_TRUE(failed->issues[0].message.contains(QStringLiteral("status 1")));
    ASSERT_TRUE(failed->table);
    EXPECT_EQ(failed->table->sockets.size(), 4u);
    for (const Socket &socket : failed->table->sockets)
        EXPECT_EQ(socket.pid, 0u);
    EXPECT_TRUE(failed->table->processNames.isEmpty());

    // A bad line is reported; the good one still names its listener.
    const HostSamplePtr garbled =
        builder.build(frameFrom("@@twbench sample 2 2000\n" + table +
                                "@@section ss_listeners\n0 64 127.0.0.11:7101 0.0.0.0:* "
                                "users:((\"twb-api\",pid=956,fd=3))\n0 what is this\n@@end 2\n"));
    ASSERT_EQ(garbled->issues.size(), 1) << issuesText(*garbled).toStdString();
    EXPECT_EQ(garbled->issues[0].source, QStringLiteral("ss_listeners"));
    ASSERT_TRUE(garbled->table);
    const auto listeners = withState(*garbled->table, TcpState::Listen);
    ASSERT_EQ(listeners.size(), 1u);
    EXPECT_EQ(listeners[0].pid, 956u);

    const HostSamplePtr alone = builder.build(
        frameFrom("@@twbench sample 3 3000\n@@section ss_listeners\n0 64 "
                  "127.0.0.11:7101 0.0.0.0:* users:((\"twb-api\",pid=956,fd=3))\n@@end 3\n"));
    EXPECT_TRUE(alone->issues.isEmpty()) << issuesText(*alone).toStdString();
    EXPECT_FALSE(alone->table);
}

TEST(SampleBuilder, RejectedLinesAndDroppedLinesBecomeIssues)
{
    ProbeFrame frame = frameFrom("@@twbench sample 5 1000\n"
                                 "@@section ss\n"
                                 "ESTAB 0 0 10.0.0.1:80 10.0.0.2:5000\n"
                                 "this is not a socket line at all\n"
                                 "@@section stat\n"
                                 "cpu  1 2 3 4 5 6 7 0 0 0\n"
                                 "@@end 5\n");
    ASSERT_EQ(frame.sections.size(), 2);
    frame.sections[1].droppedLines = 2;
    SampleBuilder builder;
    builder.setHello(ProbeHello{1, {}});
    const QList<SourceIssue> carried{{QStringLiteral("probe"), QStringLiteral("sample 4 lost")}};
    const HostSamplePtr sample = builder.build(frame, carried);
    // The rejected line is reported, the good one kept: a parse problem is not a read failure.
    ASSERT_TRUE(sample->table);
    EXPECT_EQ(sample->table->sockets.size(), 1u);
    EXPECT_EQ(sample->table->report.linesRejected, 1);
    ASSERT_EQ(sample->issues.size(), 3) << issuesText(*sample).toStdString();
    EXPECT_EQ(sample->issues[0].message, QStringLiteral("sample 4 lost"));
    EXPECT_EQ(sample->issues[1].source, QStringLiteral("ss"));
    EXPECT_EQ(sample->issues[2].source, QStringLiteral("stat"));
    EXPECT_TRUE(sample->procStat.valid);
}

TEST(SampleBuilder, WithoutHelloItSaysSo)
{
    const ProbeFrame frame = frameFrom("@@twbench sample 1 1000\n@@section sockstat\n"
                                       "TCP: inuse 3 orphan 0 tw 7 alloc 3 mem 1\n@@end 1\n");
    const HostSamplePtr sample = SampleBuilder().build(frame);
    ASSERT_EQ(sample->issues.size(), 1);
    EXPECT_EQ(sample->issues[0].source, QStringLiteral("probe"));
    EXPECT_EQ(sample->counters.value(counter::TimeWait), std::optional<std::int64_t>(7));
}

TEST(SampleBuilder, UnknownSectionsAreIgnored)
{
    const ProbeFrame frame = frameFrom("@@twbench sample 1 1000\n@@section docker\nabc\n"
                                       "@@error docker permission denied\n@@end 1\n");
    SampleBuilder builder;
    builder.setHello(ProbeHello{1, {}});
    const HostSamplePtr sample = builder.build(frame);
    EXPECT_TRUE(sample->issues.isEmpty());
    EXPECT_TRUE(sample->counters.isEmpty());
    EXPECT_FALSE(sample->table);
}

// The hello's limits (portrange=, twbuckets=, twreuse=) reach every sample; "unknown", a
// malformed value or an older probe without them leave each limit unknown on its own.
TEST(SampleBuilder, HelloKernelLimitsReachTheSample)
{
    const ProbeFrame frame = frameFrom("@@twbench sample 1 1000\n@@section sockstat\n"
                                       "TCP: inuse 3 orphan 0 tw 7 alloc 3 mem 1\n@@end 1\n");
    const auto helloOf = [](const QByteArray &line) {
        FrameReader reader;
        reader.feed(line);
        return reader.takeHello().value_or(ProbeHello{});
    };
    SampleBuilder builder(QStringLiteral("h"));
    builder.setHello(helloOf("@@twbench hello 1 endian=little netns=4026531840 cpus=2 "
                             "portrange=20000-29999 twbuckets=4096 twreuse=1 run=7-1\n"));
    KernelLimits limits = builder.build(frame)->limits;
    EXPECT_EQ(limits.localPortRange, (std::optional<std::pair<int, int>>({20000, 29999})));
    EXPECT_EQ(limits.localPortCount(), 10000);
    EXPECT_EQ(limits.maxTimeWaitBuckets, std::optional<std::int64_t>(4096));
    EXPECT_EQ(limits.timeWaitReuse, std::optional<bool>(true));
    EXPECT_EQ(limits.timeWaitReuseMode, std::optional<int>(1));

    builder.setHello(helloOf("@@twbench hello 1 endian=little portrange=unknown "
                             "twbuckets=12x twreuse=2 run=7-1\n"));
    limits = builder.build(frame)->limits;
    EXPECT_FALSE(limits.localPortRange);
    EXPECT_EQ(limits.localPortCount(), 0);
    EXPECT_FALSE(limits.maxTimeWaitBuckets);
    EXPECT_EQ(limits.timeWaitReuse, std::optional<bool>(true)); // 2: loopback only
    EXPECT_EQ(limits.timeWaitReuseMode, std::optional<int>(2));

    builder.setHello(helloOf("@@twbench hello 1 endian=little portrange=60999-32768 run=7-1\n"));
    EXPECT_EQ(builder.build(frame)->limits, KernelLimits{}); // backwards, and nothing else
    EXPECT_EQ(KernelLimits::fromHello("1-70000", "-5", ""), KernelLimits{});
}

// The real probe reads the limits this machine has (under its default shell).
TEST(SampleBuilder, ProbeHelloGivesThisMachinesKernelLimits)
{
    const auto sysctl = [](const char *name) {
        QFile file(QStringLiteral("/proc/sys/net/ipv4/") + QLatin1String(name));
        return file.open(QIODevice::ReadOnly) ? file.readAll().simplified() : QByteArray();
    };
    const QByteArray range = sysctl("ip_local_port_range");
    const QByteArray buckets = sysctl("tcp_max_tw_buckets");
    const QByteArray reuse = sysctl("tcp_tw_reuse");
    if (range.isEmpty() || buckets.isEmpty() || reuse.isEmpty())
        GTEST_SKIP() << "no /proc/sys/net/ipv4 here";

    ProbeParameters parameters;
    parameters.counterIntervalSec = 1;
    parameters.tableIntervalSec = 1;
    parameters.tableMaxIntervalSec = 1;
    parameters.maxSamples = 1;
    parameters.dockerIntervalSec = 0;
    const test::ProbeRun run = test::runProbe(parameters);
    ASSERT_TRUE(run.hello) << run.reason().toStdString();
    EXPECT_EQ(run.hello->field("portrange"), QByteArray(range).replace(' ', '-'));
    EXPECT_EQ(run.hello->field("twbuckets"), buckets);
    EXPECT_EQ(run.hello->field("twreuse"), reuse);
    ASSERT_FALSE(run.frames.empty());
    SampleBuilder builder(QStringLiteral("local"));
    builder.setHello(*run.hello);
    const KernelLimits limits = builder.build(run.frames.front())->limits;
    EXPECT_GT(limits.localPortCount(), 0);
    EXPECT_EQ(limits.maxTimeWaitBuckets, std::optional<std::int64_t>(buckets.toLongLong()));
    EXPECT_EQ(limits.timeWaitReuseMode, std::optional<int>(reuse.toInt()));
}
