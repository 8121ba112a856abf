// LineSplitter: lines out of a stream that arrives in arbitrary chunks, cut at a cap, with "\r\n",
// and never more than the cap held. Every case is fed at every split point, and a random stream
// is checked against splitting the whole text at once.
#include "remote/linesplitter.h"

#include <QByteArray>
#include <QList>
#include <QRandomGenerator>

#include <gtest/gtest.h>

using namespace twbench;

namespace {

struct Line
{
    QByteArray text;
    bool truncated = false;
    friend bool operator==(const Line &, const Line &) = default;
};

std::ostream &operator<<(std::ostream &out, const Line &line)
{
    return out << '"' << line.text.toStdString() << '"' << (line.truncated ? " (cut)" : "");
}

struct Collector
{
    QList<Line> lines;
    qsizetype maxBuffered = 0;

    LineSplitter::Sink sink()
    {
        return [this](QByteArrayView line, bool truncated) {
            lines.append(Line{line.toByteArray(), truncated});
        };
    }
};

QList<Line> splitInChunks(const QByteArray &text, qsizetype cap, const QList<qsizetype> &cuts,
                          qsizetype *maxBuffered = nullptr, bool finish = true)
{
    LineSplitter splitter(cap);
    Collector collector;
    qsizetype from = 0;
    for (const qsizetype cut : cuts) {
        splitter.feed(QByteArrayView(text).sliced(from, cut - from), collector.sink());
        collector.maxBuffered = std::max(collector.maxBuffered, splitter.bufferedBytes());
        from = cut;
    }
    splitter.feed(QByteArrayView(text).sliced(from), collector.sink());
    collector.maxBuffered = std::max(collector.maxBuffered, splitter.bufferedBytes());
    if (finish)
        splitter.finish(collector.sink());
    if (maxBuffered)
        *maxBuffered = collector.maxBuffered;
    return collector.lines;
}

// The same text fed whole, and cut at every one and every pair of positions.
void expectAtEverySplit(const QByteArray &text, qsizetype cap, const QList<Line> &expected)
{
    EXPECT_EQ(splitInChunks(text, cap, {}), expected) << "whole: " << text.toStdString();
    for (qsizetype i = 0; i <= text.size(); ++i) {
        EXPECT_EQ(splitInChunks(text, cap, {i}), expected) << "cut at " << i;
        for (qsizetype j = i; j <= text.size(); ++j) {
            qsizetype buffered = 0;
            EXPECT_EQ(splitInChunks(text, cap, {i, j}, &buffered), expected)
                << "cut at " << i << " and " << j;
            EXPECT_LE(buffered, cap);
        }
    }
}

// What the splitter must do, on the whole text at once.
QList<Line> reference(const QByteArray &text, qsizetype cap)
{
    QList<Line> lines;
    qsizetype begin = 0;
    while (begin < text.size()) {
        qsizetype end = text.indexOf('\n', begin);
        const bool complete = end >= 0;
        if (!complete)
            end = text.size();
        QByteArray line = text.mid(begin, end - begin);
        if (complete && line.endsWith('\r'))
            line.chop(1);
        if (line.size() > cap)
            lines.append(Line{line.left(cap), true});
        else if (complete || !line.isEmpty())
            lines.append(Line{line, false});
        begin = end + 1;
    }
    return lines;
}

} // namespace

TEST(LineSplitter, LinesAcrossChunksWithCrLf)
{
    expectAtEverySplit("a\nbb\r\n\nccc\r\nlast", 16,
                       {{"a", false}, {"bb", false}, {"", false}, {"ccc", false}, {"last", false}});
}

TEST(LineSplitter, PartialLineWaitsForItsNewline)
{
    LineSplitter splitter(64);
    Collector collector;
    splitter.feed("GET /a HTTP/1.1\" 200", collector.sink());
    EXPECT_TRUE(collector.lines.isEmpty());
    EXPECT_EQ(splitter.bufferedBytes(), 20);
    splitter.feed(" 5\nnext", collector.sink());
    ASSERT_EQ(collector.lines.size(), 1);
    EXPECT_EQ(collector.lines[0], (Line{"GET /a HTTP/1.1\" 200 5", false}));
    splitter.reset(); // a follow opened anew: the half line is gone
    splitter.feed("\nfresh\n", collector.sink());
    EXPECT_EQ(collector.lines.mid(1), (QList<Line>{{"", false}, {"fresh", false}}));
}

TEST(LineSplitter, LongLineIsCutAtTheCapAndTheRestSkipped)
{
    expectAtEverySplit("0123456789abc\nxy\n", 8, {{"01234567", true}, {"xy", false}});
    // Exactly the cap is not cut; one more byte is.
    expectAtEverySplit("01234567\n012345678\n", 8, {{"01234567", false}, {"01234567", true}});
    // A cut line that ends the stream without a newline is passed on once.
    expectAtEverySplit("0123456789", 8, {{"01234567", true}});
}

TEST(LineSplitter, CarriageReturnAtTheCap)
{
    // "\r\n" right after a line of exactly the cap ends it; any other '\r' is content.
    expectAtEverySplit("abcd\r\nx\n", 4, {{"abcd", false}, {"x", false}});
    expectAtEverySplit("abcd\r\r\nx\n", 4, {{"abcd", true}, {"x", false}});
    expectAtEverySplit("abcd\rz\nx\n", 4, {{"abcd", true}, {"x", false}});
    expectAtEverySplit("abcde\r\nx\n", 4, {{"abcd", true}, {"x", false}});
    expectAtEverySplit("abcd\r", 4, {{"abcd", true}});
    expectAtEverySplit("ab\rc\r\n", 4, {{"ab\rc", false}});
}

TEST(LineSplitter, MegabyteLineKeepsAtMostTheCap)
{
    constexpr qsizetype cap = 64 * 1024;
    LineSplitter splitter(cap);
    Collector collector;
    qsizetype maxBuffered = 0;
    splitter.feed("before\n", collector.sink());
    const QByteArray chunk(1000, 'x');
    for (int i = 0; i < 1024; ++i) { // 1 MB without a newline, in small chunks
        splitter.feed(chunk, collector.sink());
        maxBuffered = std::max(maxBuffered, splitter.bufferedBytes());
    }
    splitter.feed("tail of it\r\nafter\n", collector.sink());
    EXPECT_LE(maxBuffered, cap);
    EXPECT_EQ(splitter.bufferedBytes(), 0);
    ASSERT_EQ(collector.lines.size(), 3);
    EXPECT_EQ(collector.lines[0], (Line{"before", false}));
    EXPECT_EQ(collector.lines[1], (Line{QByteArray(cap, 'x'), true}));
    EXPECT_EQ(collector.lines[2], (Line{"after", false}));
    EXPECT_EQ(splitter.truncatedLines(), 1);
}

TEST(LineSplitter, RandomStreamsMatchSplittingTheWholeText)
{
    QRandomGenerator random(20240501); // fixed: a failure can be replayed
    const char alphabet[] = {'a', 'b', '\r', '\n', 'c', '\n'};
    for (int round = 0; round < 2000; ++round) {
        const qsizetype cap = 1 + random.bounded(12);
        QByteArray text;
        const int length = random.bounded(60);
        for (int i = 0; i < length; ++i)
            text.append(alphabet[random.bounded(int(sizeof alphabet))]);
        QList<qsizetype> cuts;
        for (qsizetype at = 0; at < text.size(); at += 1 + random.bounded(8))
            cuts.append(at);
        qsizetype buffered = 0;
        ASSERT_EQ(splitInChunks(text, cap, cuts, &buffered), reference(text, cap))
            << "round " << round << " cap " << cap << " text " << text.toPercentEncoding().data();
        ASSERT_LE(buffered, cap);
    }
}
