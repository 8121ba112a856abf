#pragma once

#include "probeframe.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <cstdint>
#include <optional>
#include <vector>

namespace twbench {

// Splits the probe's byte stream into its hello and complete frames. Pure: no I/O, no Qt
// objects, no threads; fed arbitrary chunks (an SSH channel cuts anywhere), it gives the same
// result as if fed the whole stream at once.
//
// It survives what a real stream carries besides frames: login banners and MOTD before the
// hello, noise between frames, a frame cut short by a restarting probe (a new "@@twbench" line
// before "@@end" discards the partial frame), lines and frames too large to keep. Everything
// it throws away is counted in stats() and, for frames, listed by takeDropped().
class FrameReader final
{
public:
    struct Limits
    {
        // The longest line kept. /proc/stat's "intr" line is the longest in practice (tens of
        // KiB with thousands of interrupts); a longer line is dropped, not the frame.
        qsizetype maxLineBytes = 1024 * 1024;
        // The largest frame kept: 64 MiB holds ~400k sockets of /proc/net/tcp or ~1M of ss.
        qsizetype maxFrameBytes = 64 * 1024 * 1024;
    };

    enum class DropReason : std::uint8_t {
        Truncated, // the stream restarted or ended before "@@end"
        Oversized, // the frame passed Limits::maxFrameBytes
        Mismatched // "@@end N" named another sequence than the open frame
    };

    struct DroppedFrame
    {
        std::uint64_t sequence = 0;
        DropReason reason = DropReason::Truncated;
        qsizetype bytes = 0; // how much of it had arrived (for Oversized: at least the limit)
    };

    struct Stats
    {
        std::uint64_t bytes = 0; // fed in total
        std::uint64_t lines = 0; // complete lines seen
        std::uint64_t hellos = 0;
        std::uint64_t frames = 0; // complete frames yielded
        std::uint64_t truncatedFrames = 0;
        std::uint64_t oversizedFrames = 0;
        std::uint64_t mismatchedFrames = 0;
        std::uint64_t oversizedLines = 0;
        std::uint64_t garbageLines = 0;   // outside a frame, or inside before any section
        std::uint64_t unknownMarkers = 0; // "@@…" lines this build does not know, ignored
        std::uint64_t badMarkers = 0;     // known markers with unreadable arguments
    };

    FrameReader() = default;
    explicit FrameReader(Limits limits)
        : m_limits(limits)
    {}

    void feed(QByteArrayView chunk);
    // End of stream: a last line without '\n' is read, an open frame is dropped as Truncated.
    // The reader may then be fed a new stream.
    void finish();

    // The latest hello since the last call (a restarted probe sends a new one).
    std::optional<ProbeHello> takeHello();
    std::vector<ProbeFrame> takeFrames();
    std::vector<DroppedFrame> takeDropped();
    bool hasPending() const { return !m_frames.empty() || m_hello.has_value(); }

    const Stats &stats() const { return m_stats; }
    const Limits &limits() const { return m_limits; }
    bool inFrame() const { return m_state != State::Outside; }

private:
    enum class State : std::uint8_t {
        Outside,  // between frames
        InFrame,  // collecting m_frame
        Skipping, // inside an oversized frame: wait for its end, keep nothing
    };

    void processLine(QByteArrayView line);
    void processMarker(QByteArrayView line);
    void beginFrame(QByteArrayView arguments);
    void dropOpenFrame(DropReason reason);
    void addToFrame(qsizetype bytes);
    void lineTooLong();
    ProbeSection *sectionNamed(QByteArrayView name);

    Limits m_limits;
    Stats m_stats;
    State m_state = State::Outside;
    QByteArray m_partial;        // an incomplete line, at most maxLineBytes
    bool m_skippingLine = false; // dropping the rest of an over-long line
    ProbeFrame m_frame;
    qsizetype m_currentSection = -1; // index in m_frame.sections that takes data lines
    qsizetype m_frameBytes = 0;
    std::optional<ProbeHello> m_hello;
    std::vector<ProbeFrame> m_frames;
    std::vector<DroppedFrame> m_dropped;
};

} // namespace twbench
