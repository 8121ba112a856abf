// The probe's stream framing (remote/framereader.h). An SSH channel cuts the stream anywhere,
// so the input is fed in chunks of varying size, and the result must be exactly what feeding
// it whole gives (the header promises that): a difference is reported as a crash.

#include "fuzzsupport.h"

#include "remote/framereader.h"

#include <cstdio>
#include <cstdlib>
#include <random>

using namespace twbench;

namespace {

struct Result
{
    std::vector<ProbeFrame> frames;
    std::vector<FrameReader::DroppedFrame> dropped;
    std::vector<ProbeHello> hellos;
    FrameReader::Stats stats;
};

// Collects as a worker does: after every feed, so takeHello() sees each restart's hello.
void collect(FrameReader &reader, Result &into)
{
    if (auto hello = reader.takeHello())
        into.hellos.push_back(std::move(*hello));
    for (ProbeFrame &frame : reader.takeFrames())
        into.frames.push_back(std::move(frame));
    for (const FrameReader::DroppedFrame &dropped : reader.takeDropped())
        into.dropped.push_back(dropped);
}

bool sameSection(const ProbeSection &a, const ProbeSection &b)
{
    return a.name == b.name && a.argument == b.argument && a.body == b.body &&
           a.errors == b.errors && a.droppedLines == b.droppedLines;
}

bool sameFrame(const ProbeFrame &a, const ProbeFrame &b)
{
    if (a.sequence != b.sequence || a.epochMs != b.epochMs ||
        a.sections.size() != b.sections.size())
        return false;
    for (qsizetype i = 0; i < a.sections.size(); ++i) {
        if (!sameSection(a.sections.at(i), b.sections.at(i)))
            return false;
    }
    return true;
}

bool sameStats(const FrameReader::Stats &a, const FrameReader::Stats &b)
{
    return a.bytes == b.bytes && a.lines == b.lines && a.hellos == b.hellos &&
           a.frames == b.frames && a.truncatedFrames == b.truncatedFrames &&
           a.oversizedFrames == b.oversizedFrames && a.mismatchedFrames == b.mismatchedFrames &&
           a.oversizedLines == b.oversizedLines && a.garbageLines == b.garbageLines &&
           a.unknownMarkers == b.unknownMarkers && a.badMarkers == b.badMarkers;
}

// The hellos are compared by count and content of the last one: takeHello() keeps only the
// latest, so how many a caller sees depends on where the chunks end (by design).
bool sameResult(const Result &a, const Result &b)
{
    if (!sameStats(a.stats, b.stats) || a.frames.size() != b.frames.size() ||
        a.dropped.size() != b.dropped.size() || a.hellos.empty() != b.hellos.empty())
        return false;
    for (std::size_t i = 0; i < a.frames.size(); ++i) {
        if (!sameFrame(a.frames[i], b.frames[i]))
            return false;
    }
    for (std::size_t i = 0; i < a.dropped.size(); ++i) {
        if (a.dropped[i].sequence != b.dropped[i].sequence ||
            a.dropped[i].reason != b.dropped[i].reason || a.dropped[i].bytes != b.dropped[i].bytes)
            return false;
    }
    if (!a.hellos.empty()) {
        const ProbeHello &x = a.hellos.back();
        const ProbeHello &y = b.hellos.back();
        if (x.protocolVersion != y.protocolVersion || x.fields != y.fields)
            return false;
    }
    return true;
}

Result readWhole(QByteArrayView text, FrameReader::Limits limits)
{
    FrameReader reader(limits);
    Result result;
    reader.feed(text);
    collect(reader, result);
    reader.finish();
    collect(reader, result);
    result.stats = reader.stats();
    return result;
}

// Chunk sizes from a generator seeded by the input itself: deterministic, and mostly small,
// where the cuts land inside markers and line ends.
Result readChunked(QByteArrayView text, FrameReader::Limits limits, std::uint32_t seed)
{
    std::minstd_rand random(seed);
    FrameReader reader(limits);
    Result result;
    qsizetype at = 0;
    while (at < text.size()) {
        const auto roll = random() % 16;
        const qsizetype wanted = roll < 10   ? qsizetype(1 + random() % 8)
                                 : roll < 15 ? qsizetype(1 + random() % 200)
                                             : qsizetype(1 + random() % 8192);
        const qsizetype chunk = std::min(wanted, text.size() - at);
        reader.feed(text.sliced(at, chunk));
        collect(reader, result);
        at += chunk;
    }
    reader.finish();
    collect(reader, result);
    result.stats = reader.stats();
    return result;
}

std::uint32_t fnv1a(QByteArrayView text)
{
    std::uint32_t hash = 2166136261u;
    for (const char c : text)
        hash = (hash ^ std::uint8_t(c)) * 16777619u;
    return hash;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz::startApplication(argc, argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size > fuzz::maxInputBytes)
        return -1;
    const QByteArrayView text = fuzz::view(data, size);
    // The real limits, and small ones that the fuzzer's inputs can reach, so the oversized
    // line and frame paths run too.
    FrameReader::Limits small;
    small.maxLineBytes = 64;
    small.maxFrameBytes = 1024;
    for (const FrameReader::Limits limits : {FrameReader::Limits{}, small}) {
        const Result whole = readWhole(text, limits);
        const Result chunked = readChunked(text, limits, fnv1a(text));
        if (!sameResult(whole, chunked)) {
            std::fprintf(stderr, "fuzz_framereader: chunked feeding gave another result\n");
            std::abort();
        }
    }
    return 0;
}
