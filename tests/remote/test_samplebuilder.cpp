#include "proberun.h"
#include "remotetestutil.h"

#include "remote/framereader.h"
#include "remote/samplebuilder.h"

#include <QFile>

#include <gtest/gtest.h>

#include <algorithm>

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
