#include "remotetestutil.h"

#include "remote/framereader.h"

#include <gtest/gtest.h>

#include <vector>

using namespace twbench;
using twbench::test::readTestData;

namespace {

struct Result
{
    std::optional<ProbeHello> hello;
    std::vector<ProbeFrame> frames;
    std::vector<FrameReader::DroppedFrame> dropped;
    FrameReader::Stats stats;
};

Result readAll(const QList<QByteArrayView> &chunks, FrameReader::Limits limits = {})
{
    FrameReader reader(limits);
    Result result;
    for (QByteArrayView chunk : chunks) {
        reader.feed(chunk);
        if (auto hello = reader.takeHello())
            result.hello = std::move(hello);
        for (ProbeFrame &frame : reader.takeFrames())
            result.frames.push_back(std::move(frame));
    }
    reader.finish();
    for (ProbeFrame &frame : reader.takeFrames())
        result.frames.push_back(std::move(frame));
    result.dropped = reader.takeDropped();
    result.stats = reader.stats();
    return result;
}

Result readWhole(QByteArrayView text, FrameReader::Limits limits = {})
{
    return readAll({text}, limits);
}

// Two frames are equal when every field the builder reads is.
bool sameFrames(const std::vector<ProbeFrame> &a, const std::vector<ProbeFrame> &b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].sequence != b[i].sequence || a[i].epochMs != b[i].epochMs ||
            a[i].sections.size() != b[i].sections.size())
            return false;
        for (qsizetype s = 0; s < a[i].sections.size(); ++s) {
            const ProbeSection &x = a[i].sections[s];
            const ProbeSection &y = b[i].sections[s];
            if (x.name != y.name || x.body != y.body || x.errors != y.errors ||
                x.droppedLines != y.droppedLines)
                return false;
        }
    }
    return true;
}

QList<QByteArray> sectionNames(const ProbeFrame &frame)
{
    QList<QByteArray> names;
    for (const ProbeSection &section : frame.sections)
        names.append(section.name);
    return names;
}

const QByteArray twoFrames = "@@twbench hello 1 endian=little netns=4026531833 ss=1 hostname=h\n"
                             "@@twbench sample 1 1700000000000\n"
                             "@@section sockstat\n"
                             "TCP: inuse 1 orphan 0 tw 2 alloc 3 mem 4\n"
                             "@@section ss\n"
                             "TIME-WAIT 0 0 10.0.0.1:80 10.0.0.2:5000\n"
                             "@@end 1\n"
                             "@@twbench sample 2 1700000001000\n"
                             "@@section sockstat\n"
                             "TCP: inuse 1 orphan 0 tw 3 alloc 3 mem 4\n"
                             "@@end 2\n";

} // namespace

TEST(FrameReader, CaptureGivesHelloAndEveryFrame)
{
    const QByteArray capture = readTestData(QStringLiteral("probe_local.txt"));
    ASSERT_FALSE(capture.isEmpty());
    const Result result = readWhole(capture);
    ASSERT_TRUE(result.hello);
    EXPECT_EQ(result.hello->protocolVersion, 1);
    EXPECT_TRUE(result.hello->isLittleEndian().has_value());
    EXPECT_GT(result.hello->netns(), 0u);
    EXPECT_EQ(result.hello->field("ss"), "1");
    ASSERT_EQ(result.frames.size(), 2u);
    EXPECT_EQ(result.frames[0].sequence, 1u);
    EXPECT_EQ(result.frames[1].sequence, 2u);
    EXPECT_GT(result.frames[0].epochMs, 1'600'000'000'000);
    EXPECT_GE(result.frames[1].epochMs, result.frames[0].epochMs);
    const QList<QByteArray> expected{"sockstat", "snmp", "netstat", "stat", "ss"};
    EXPECT_EQ(sectionNames(result.frames[0]), expected);
    EXPECT_TRUE(result.frames[0].section("sockstat")->body.startsWith("sockets: used"));
    EXPECT_TRUE(result.frames[0].section("ss")->body.contains("TIME-WAIT"));
    EXPECT_EQ(result.stats.frames, 2u);
    EXPECT_EQ(result.stats.garbageLines, 0u);
    EXPECT_EQ(result.stats.badMarkers, 0u);
    EXPECT_TRUE(result.dropped.empty());
}

TEST(FrameReader, SplitAtEveryByteBoundaryGivesTheSameFrames)
{
    const QByteArray capture = readTestData(QStringLiteral("probe_local.txt"));
    ASSERT_FALSE(capture.isEmpty());
    const Result whole = readWhole(capture);
    ASSERT_EQ(whole.frames.size(), 2u);
    for (qsizetype cut = 0; cut <= capture.size(); ++cut) {
        const QByteArrayView view(capture);
        const Result split = readAll({view.first(cut), view.sliced(cut)});
        ASSERT_TRUE(sameFrames(whole.frames, split.frames)) << "cut at byte " << cut;
        ASSERT_TRUE(split.hello) << "cut at byte " << cut;
        ASSERT_EQ(split.hello->fields, whole.hello->fields) << "cut at byte " << cut;
        ASSERT_EQ(split.stats.lines, whole.stats.lines) << "cut at byte " << cut;
    }
}

TEST(FrameReader, OneByteAtATimeGivesTheSameFrames)
{
    const QByteArray capture = readTestData(QStringLiteral("probe_local_proc.txt"));
    ASSERT_FALSE(capture.isEmpty());
    const Result whole = readWhole(capture);
    ASSERT_EQ(whole.frames.size(), 1u);
    QList<QByteArrayView> bytes;
    for (qsizetype i = 0; i < capture.size(); ++i)
        bytes.append(QByteArrayView(capture).sliced(i, 1));
    const Result trickled = readAll(bytes);
    EXPECT_TRUE(sameFrames(whole.frames, trickled.frames));
    EXPECT_EQ(sectionNames(trickled.frames.at(0)),
              (QList<QByteArray>{"sockstat", "snmp", "netstat", "stat", "proc_tcp", "proc_tcp6"}));
}

TEST(FrameReader, GarbageBeforeInsideAndAfterFramesIsCountedAndIgnored)
{
    const QByteArray stream = "Welcome to Ubuntu 22.04 LTS\n"
                              "\n"
                              "Last login: Mon Jan  1 00:00:00 2024 from 10.0.0.9\n"
                              "@@ not a marker of ours\n"
                              "motd without a newline" +
                              twoFrames.first(twoFrames.indexOf("@@section sockstat")) +
                              "stray line before any section\n"
                              "@@future-marker x y\n" +
                              twoFrames.sliced(twoFrames.indexOf("@@section sockstat")) +
                              "@@end 2\n"
                              "logout\n"
                              "@@section sockstat\n"
                              "TCP: inuse 9\n";
    const Result result = readWhole(stream);
    ASSERT_TRUE(result.hello);
    EXPECT_EQ(result.hello->field("hostname"), "h");
    ASSERT_EQ(result.frames.size(), 2u);
    EXPECT_TRUE(sameFrames(result.frames, readWhole(twoFrames).frames));
    // Banner (3 lines + empty), the glued MOTD, the stray line, the duplicate end, "logout",
    // the section outside a frame and its line.
    EXPECT_EQ(result.stats.garbageLines, 9u);
    EXPECT_EQ(result.stats.unknownMarkers, 2u);
    EXPECT_TRUE(result.dropped.empty());
}

TEST(FrameReader, NewSampleBeforeEndDiscardsThePartialFrame)
{
    const QByteArray stream = "@@twbench hello 1 endian=little\n"
                              "@@twbench sample 7 1000\n"
                              "@@section ss\n"
                              "ESTAB 0 0 10.0.0.1:80 10.0.0.2:5000\n"
                              "TIME-WAIT 0 0 10.0.0.1:8"  // the probe died mid-line …
                              "@@twbench sample 1 2000\n" // … and a new one restarted
                              "@@section ss\n"
                              "LISTEN 0 128 0.0.0.0:80 0.0.0.0:*\n"
                              "@@end 1\n"
                              "@@twbench sample 2 3000\n"
                              "@@section sockstat\n"
                              "@@twbench hello 1 endian=big\n"
                              "@@twbench sample 1 4000\n"
                              "@@section stat\n"
                              "@@end 1\n"
                              "@@twbench sample 2 5000\n"
                              "@@section sockstat\n";
    const Result result = readWhole(stream);
    ASSERT_EQ(result.frames.size(), 2u);
    EXPECT_EQ(result.frames[0].sequence, 1u);
    EXPECT_EQ(result.frames[0].epochMs, 2000);
    EXPECT_EQ(result.frames[0].section("ss")->body, "LISTEN 0 128 0.0.0.0:80 0.0.0.0:*\n");
    EXPECT_EQ(result.frames[1].epochMs, 4000);
    ASSERT_TRUE(result.hello);
    EXPECT_EQ(result.hello->isLittleEndian(), std::optional<bool>(false));
    // 7 by the glued restart, 2 by the new hello, the last 2 by the end of the stream.
    ASSERT_EQ(result.dropped.size(), 3u);
    EXPECT_EQ(result.dropped[0].sequence, 7u);
    EXPECT_EQ(result.dropped[0].reason, FrameReader::DropReason::Truncated);
    EXPECT_EQ(result.dropped[1].sequence, 2u);
    EXPECT_EQ(result.dropped[2].sequence, 2u);
    EXPECT_EQ(result.stats.truncatedFrames, 3u);
    EXPECT_EQ(result.stats.hellos, 2u);
}

TEST(FrameReader, EndOfAnotherSequenceDropsTheFrame)
{
    const Result result = readWhole("@@twbench sample 6 1000\n@@section ss\nx\n@@end 7\n"
                                    "@@twbench sample 8 1000\n@@end nonsense\n"
                                    "@@twbench sample 9 1000\n@@end 9\n");
    ASSERT_EQ(result.frames.size(), 1u);
    EXPECT_EQ(result.frames[0].sequence, 9u);
    ASSERT_EQ(result.dropped.size(), 2u);
    EXPECT_EQ(result.dropped[0].reason, FrameReader::DropReason::Mismatched);
    EXPECT_EQ(result.dropped[1].sequence, 8u);
    EXPECT_EQ(result.stats.mismatchedFrames, 2u);
    EXPECT_EQ(result.stats.badMarkers, 1u);
}

TEST(FrameReader, UnreadableMarkersAreCountedNotTrusted)
{
    const Result result = readWhole("@@twbench hello x endian=little\n"
                                    "@@twbench sample one 1000\n"
                                    "@@section ss\n"
                                    "TIME-WAIT 0 0 10.0.0.1:80 10.0.0.2:5000\n"
                                    "@@end one\n"
                                    "@@twbench sample 3 -5\n"
                                    "@@section bad/name\n"
                                    "line of the bad section\n"
                                    "@@section ok\n"
                                    "kept\n"
                                    "@@end 3\n");
    EXPECT_FALSE(result.hello);
    ASSERT_EQ(result.frames.size(), 1u);
    EXPECT_EQ(result.frames[0].epochMs, -5);
    ASSERT_EQ(result.frames[0].sections.size(), 1);
    EXPECT_EQ(result.frames[0].sections[0].body, "kept\n");
    EXPECT_EQ(result.stats.badMarkers, 3u);   // hello, sample, section
    EXPECT_EQ(result.stats.garbageLines, 4u); // the lost frame's 3 lines and the bad section's
}

TEST(FrameReader, ErrorsAttachToTheirSection)
{
    const Result result = readWhole("@@twbench sample 1 1000\n"
                                    "@@section ss\n"
                                    "ESTAB 0 0 10.0.0.1:80 10.0.0.2:5000\n"
                                    "@@error ss ss exited with status 1\n"
                                    "@@section proc_tcp6\n"
                                    "@@error proc_tcp6   cannot read /proc/net/tcp6\n"
                                    "@@error docker docker: permission denied\n"
                                    "after the foreign error\n"
                                    "@@end 1\n");
    ASSERT_EQ(result.frames.size(), 1u);
    const ProbeFrame &frame = result.frames[0];
    ASSERT_EQ(frame.sections.size(), 3);
    EXPECT_EQ(frame.section("ss")->body, "ESTAB 0 0 10.0.0.1:80 10.0.0.2:5000\n");
    EXPECT_EQ(frame.section("ss")->errors, QList<QByteArray>{"ss exited with status 1"});
    EXPECT_EQ(frame.section("proc_tcp6")->errors, QList<QByteArray>{"cannot read /proc/net/tcp6"});
    EXPECT_EQ(frame.section("docker")->errors, QList<QByteArray>{"docker: permission denied"});
    EXPECT_TRUE(frame.section("docker")->body.isEmpty());
    EXPECT_TRUE(frame.section("proc_tcp6")->body.isEmpty());
    EXPECT_EQ(result.stats.garbageLines, 1u);
}

TEST(FrameReader, CarriageReturnsFromATerminalAreStripped)
{
    QByteArray crlf = twoFrames;
    crlf.replace("\n", "\r\n");
    const Result result = readWhole(crlf);
    EXPECT_TRUE(sameFrames(result.frames, readWhole(twoFrames).frames));
    ASSERT_TRUE(result.hello);
    EXPECT_EQ(result.hello->field("hostname"), "h");
}

TEST(FrameReader, OverlongLineIsDroppedAndTheFrameKept)
{
    FrameReader::Limits limits;
    limits.maxLineBytes = 100;
    const QByteArray longLine = "intr " + QByteArray(500, '7') + '\n';
    const QByteArray stream =
        "@@twbench sample 1 1000\n@@section stat\ncpu 1 2 3\n" + longLine + "ctxt 5\n@@end 1\n";
    // In one piece, and cut inside the long line so its parts arrive separately.
    const qsizetype cut = stream.indexOf(longLine) + 50;
    for (const Result &result :
         {readWhole(stream, limits),
          readAll({QByteArrayView(stream).first(cut), QByteArrayView(stream).sliced(cut, 200),
                   QByteArrayView(stream).sliced(cut + 200)},
                  limits)}) {
        ASSERT_EQ(result.frames.size(), 1u);
        const ProbeSection *stat = result.frames[0].section("stat");
        ASSERT_NE(stat, nullptr);
        EXPECT_EQ(stat->body, "cpu 1 2 3\nctxt 5\n");
        EXPECT_EQ(stat->droppedLines, 1);
        EXPECT_EQ(result.stats.oversizedLines, 1u);
    }
}

TEST(FrameReader, EndlessLineWithoutNewlineStaysBounded)
{
    FrameReader::Limits limits;
    limits.maxLineBytes = 4096;
    FrameReader reader(limits);
    const QByteArray noise(64 * 1024, 'x');
    for (int i = 0; i < 160; ++i) // 10 MiB without a line break
        reader.feed(noise);
    EXPECT_EQ(reader.stats().oversizedLines, 1u);
    reader.feed(QByteArray("\n" + twoFrames));
    EXPECT_EQ(reader.takeFrames().size(), 2u);
    EXPECT_TRUE(reader.takeHello().has_value());
}

TEST(FrameReader, OversizedFrameIsDroppedAndTheNextOneKept)
{
    FrameReader::Limits limits;
    limits.maxFrameBytes = 1000;
    QByteArray big = "@@twbench sample 1 1000\n@@section ss\n";
    for (int i = 0; i < 100; ++i)
        big += "TIME-WAIT 0 0 10.0.0.1:80 10.0.0.2:" + QByteArray::number(5000 + i) + '\n';
    big += "@@error ss late error\n@@section stat\ncpu 1\n@@end 1\n";
    const Result result = readWhole(QByteArray(big + twoFrames), limits);
    ASSERT_EQ(result.dropped.size(), 1u);
    EXPECT_EQ(result.dropped[0].sequence, 1u);
    EXPECT_EQ(result.dropped[0].reason, FrameReader::DropReason::Oversized);
    EXPECT_GT(result.dropped[0].bytes, 1000);
    EXPECT_EQ(result.stats.oversizedFrames, 1u);
    ASSERT_EQ(result.frames.size(), 2u);
    EXPECT_EQ(result.frames[0].section("sockstat")->body,
              "TCP: inuse 1 orphan 0 tw 2 alloc 3 mem 4\n");
}

TEST(FrameReader, OversizedFrameCutByARestartIsCountedOnce)
{
    FrameReader::Limits limits;
    limits.maxFrameBytes = 200; // above either of twoFrames' frames
    const Result result =
        readWhole(QByteArray("@@twbench sample 1 1000\n@@section ss\n" + QByteArray(120, 'a') +
                             "\n" + QByteArray(120, 'b') + "\n" + twoFrames),
                  limits);
    EXPECT_EQ(result.dropped.size(), 1u);
    EXPECT_EQ(result.stats.oversizedFrames, 1u);
    EXPECT_EQ(result.stats.truncatedFrames, 0u);
    EXPECT_EQ(result.frames.size(), 2u);
}

TEST(FrameReader, HelloFieldsAreRead)
{
    const Result result = readWhole("@@twbench hello 1 endian=big netns=4026532000 ss=0 "
                                    "hostname=web-1 kernel=6.1.0-18-amd64 novalue =x future=a=b\n");
    ASSERT_TRUE(result.hello);
    EXPECT_EQ(result.hello->protocolVersion, 1);
    EXPECT_EQ(result.hello->isLittleEndian(), std::optional<bool>(false));
    EXPECT_EQ(result.hello->netns(), 4026532000u);
    EXPECT_EQ(result.hello->field("kernel"), "6.1.0-18-amd64");
    EXPECT_EQ(result.hello->field("future"), "a=b");
    EXPECT_FALSE(result.hello->fields.contains("novalue"));
    EXPECT_EQ(result.hello->fields.size(), 6);

    const Result unknown = readWhole("@@twbench hello 2 endian=middle\n");
    ASSERT_TRUE(unknown.hello);
    EXPECT_EQ(unknown.hello->protocolVersion, 2);
    EXPECT_FALSE(unknown.hello->isLittleEndian().has_value());
    EXPECT_EQ(unknown.hello->netns(), 0u);
}
