#include "framereader.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace twbench {

namespace {

constexpr QByteArrayView helloOrSampleMarker("@@twbench ");
constexpr qsizetype maxNameBytes = 64;
constexpr qsizetype maxErrorBytes = 1024;
constexpr qsizetype maxErrorsPerSection = 16;
constexpr qsizetype maxHelloFields = 64;

// The next space-separated word of `rest`, which is advanced past it.
QByteArrayView nextWord(QByteArrayView &rest)
{
    qsizetype begin = 0;
    while (begin < rest.size() && rest[begin] == ' ')
        ++begin;
    qsizetype end = begin;
    while (end < rest.size() && rest[end] != ' ')
        ++end;
    const QByteArrayView word = rest.sliced(begin, end - begin);
    rest = rest.sliced(end);
    return word;
}

QByteArrayView trimmedLeft(QByteArrayView text)
{
    while (!text.isEmpty() && text.front() == ' ')
        text = text.sliced(1);
    return text;
}

bool isValidName(QByteArrayView name)
{
    if (name.isEmpty() || name.size() > maxNameBytes)
        return false;
    for (const char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
        if (!ok)
            return false;
    }
    return true;
}

std::optional<std::uint64_t> toUnsigned(QByteArrayView word)
{
    if (word.isEmpty() || word.size() > 20)
        return std::nullopt;
    bool ok = false;
    const auto value = word.toULongLong(&ok, 10);
    // toULongLong accepts a leading '+' and spaces; the probe never writes them.
    if (!ok || word.front() < '0' || word.front() > '9')
        return std::nullopt;
    return value;
}

std::optional<std::int64_t> toSigned(QByteArrayView word)
{
    if (word.isEmpty() || word.size() > 20)
        return std::nullopt;
    bool ok = false;
    const auto value = word.toLongLong(&ok, 10);
    if (!ok || (word.front() != '-' && (word.front() < '0' || word.front() > '9')))
        return std::nullopt;
    return value;
}

} // namespace

void FrameReader::feed(QByteArrayView chunk)
{
    m_stats.bytes += std::uint64_t(chunk.size());
    qsizetype pos = 0;
    while (pos < chunk.size()) {
        const char *start = chunk.data() + pos;
        const auto *newline =
            static_cast<const char *>(std::memchr(start, '\n', std::size_t(chunk.size() - pos)));
        const qsizetype end = newline ? qsizetype(newline - chunk.data()) : chunk.size();
        const QByteArrayView piece = chunk.sliced(pos, end - pos);
        const bool complete = newline != nullptr;

        if (m_skippingLine) {
            // The rest of a line already counted as too long.
            if (complete)
                m_skippingLine = false;
        } else if (m_partial.size() + piece.size() > m_limits.maxLineBytes) {
            m_partial.clear(); // frees it: memory stays bounded by the line limit
            lineTooLong();
            m_skippingLine = !complete;
        } else if (complete) {
            if (m_partial.isEmpty()) {
                processLine(piece);
            } else {
                m_partial.append(piece);
                processLine(m_partial);
                m_partial.resize(0); // keeps the capacity for the next long line
            }
        } else {
            m_partial.append(piece);
        }
        if (complete)
            ++m_stats.lines;
        pos = complete ? end + 1 : end;
    }
}

void FrameReader::finish()
{
    if (!m_skippingLine && !m_partial.isEmpty()) {
        ++m_stats.lines;
        const QByteArray last = std::exchange(m_partial, {});
        processLine(last);
    }
    m_partial.clear();
    m_skippingLine = false;
    if (m_state != State::Outside)
        dropOpenFrame(DropReason::Truncated);
}

std::optional<ProbeHello> FrameReader::takeHello()
{
    return std::exchange(m_hello, std::nullopt);
}

std::vector<ProbeFrame> FrameReader::takeFrames()
{
    return std::exchange(m_frames, {});
}

std::vector<FrameReader::DroppedFrame> FrameReader::takeDropped()
{
    return std::exchange(m_dropped, {});
}

void FrameReader::processLine(QByteArrayView line)
{
    if (line.endsWith('\r')) // a stream that went through a terminal
        line.chop(1);
    if (line.startsWith("@@")) {
        processMarker(line);
        return;
    }
    // A line cut short by a dying probe, or a banner without a final newline, glues itself to
    // the next probe's first marker: the marker still counts, the text before it does not.
    if (const qsizetype marker = line.indexOf(helloOrSampleMarker); marker > 0) {
        ++m_stats.garbageLines;
        processMarker(line.sliced(marker));
        return;
    }
    switch (m_state) {
    case State::Outside:
        ++m_stats.garbageLines;
        return;
    case State::Skipping:
        return;
    case State::InFrame:
        break;
    }
    if (m_currentSection < 0) {
        ++m_stats.garbageLines;
        return;
    }
    addToFrame(line.size() + 1);
    if (m_state != State::InFrame)
        return;
    QByteArray &body = m_frame.sections[m_currentSection].body;
    body.append(line);
    body.append('\n');
}

void FrameReader::processMarker(QByteArrayView line)
{
    QByteArrayView rest = line;
    const QByteArrayView marker = nextWord(rest);

    if (marker == "@@twbench") {
        const QByteArrayView kind = nextWord(rest);
        if (kind == "hello") {
            if (m_state != State::Outside)
                dropOpenFrame(DropReason::Truncated);
            bool ok = false;
            const int version = nextWord(rest).toInt(&ok);
            if (!ok || version <= 0) {
                ++m_stats.badMarkers;
                return;
            }
            ProbeHello hello;
            hello.protocolVersion = version;
            for (QByteArrayView word = nextWord(rest); !word.isEmpty(); word = nextWord(rest)) {
                const qsizetype equals = word.indexOf('=');
                if (equals <= 0 || hello.fields.size() >= maxHelloFields)
                    continue;
                hello.fields.insert(word.first(equals).toByteArray(),
                                    word.sliced(equals + 1).toByteArray());
            }
            m_hello = std::move(hello);
            ++m_stats.hellos;
        } else if (kind == "sample") {
            if (m_state != State::Outside)
                dropOpenFrame(DropReason::Truncated);
            beginFrame(rest);
            if (m_state == State::InFrame)
                addToFrame(line.size() + 1);
        } else {
            ++m_stats.unknownMarkers;
        }
        return;
    }

    if (marker == "@@section") {
        if (m_state == State::Skipping)
            return;
        if (m_state == State::Outside) {
            ++m_stats.garbageLines;
            return;
        }
        const QByteArrayView name = nextWord(rest);
        if (!isValidName(name)) {
            ++m_stats.badMarkers;
            m_currentSection = -1; // its lines are not attributed to the previous section
            return;
        }
        // An argument that is not a plain name is ignored, not trusted: the section still counts.
        const QByteArrayView argument = nextWord(rest);
        addToFrame(line.size() + 1);
        if (m_state != State::InFrame)
            return;
        m_frame.sections.append(
            ProbeSection{name.toByteArray(),
                         isValidName(argument) ? argument.toByteArray() : QByteArray(),
                         {},
                         {},
                         0});
        m_currentSection = m_frame.sections.size() - 1;
        return;
    }

    if (marker == "@@error") {
        if (m_state == State::Skipping)
            return;
        if (m_state == State::Outside) {
            ++m_stats.garbageLines;
            return;
        }
        const QByteArrayView name = nextWord(rest);
        if (!isValidName(name)) {
            ++m_stats.badMarkers;
            return;
        }
        addToFrame(line.size() + 1);
        if (m_state != State::InFrame)
            return;
        ProbeSection *section = sectionNamed(name);
        if (!section) {
            // An error for a section that never started: it still belongs to this frame, but
            // the lines that follow are not its body.
            m_frame.sections.append(ProbeSection{name.toByteArray(), {}, {}, {}, 0});
            section = &m_frame.sections.last();
            m_currentSection = -1;
        }
        if (section->errors.size() < maxErrorsPerSection) {
            const QByteArrayView message = trimmedLeft(rest);
            section->errors.append(
                message.first(std::min(message.size(), maxErrorBytes)).toByteArray());
        }
        return;
    }

    if (marker == "@@end") {
        const auto sequence = toUnsigned(nextWord(rest));
        switch (m_state) {
        case State::Outside:
            ++m_stats.garbageLines;
            return;
        case State::Skipping:
            // The oversized frame is over (or another one's end arrived): read on.
            m_state = State::Outside;
            m_currentSection = -1;
            return;
        case State::InFrame:
            break;
        }
        if (!sequence || *sequence != m_frame.sequence) {
            if (!sequence)
                ++m_stats.badMarkers;
            dropOpenFrame(DropReason::Mismatched);
            return;
        }
        m_frames.push_back(std::exchange(m_frame, {}));
        m_frameBytes = 0;
        m_currentSection = -1;
        m_state = State::Outside;
        ++m_stats.frames;
        return;
    }

    ++m_stats.unknownMarkers;
}

void FrameReader::beginFrame(QByteArrayView arguments)
{
    const auto sequence = toUnsigned(nextWord(arguments));
    const auto epochMs = toSigned(nextWord(arguments));
    if (!sequence || !epochMs) {
        ++m_stats.badMarkers;
        m_state = State::Outside;
        return;
    }
    m_frame = ProbeFrame{};
    m_frame.sequence = *sequence;
    m_frame.epochMs = *epochMs;
    m_frameBytes = 0;
    m_currentSection = -1;
    m_state = State::InFrame;
}

void FrameReader::dropOpenFrame(DropReason reason)
{
    if (m_state == State::InFrame) {
        m_dropped.push_back(DroppedFrame{m_frame.sequence, reason, m_frameBytes});
        switch (reason) {
        case DropReason::Truncated:
            ++m_stats.truncatedFrames;
            break;
        case DropReason::Oversized:
            ++m_stats.oversizedFrames;
            break;
        case DropReason::Mismatched:
            ++m_stats.mismatchedFrames;
            break;
        }
    }
    // A Skipping frame was already counted as oversized when it passed the limit.
    m_frame = ProbeFrame{};
    m_frameBytes = 0;
    m_currentSection = -1;
    m_state = State::Outside;
}

void FrameReader::addToFrame(qsizetype bytes)
{
    m_frameBytes += bytes;
    if (m_frameBytes <= m_limits.maxFrameBytes)
        return;
    m_dropped.push_back(DroppedFrame{m_frame.sequence, DropReason::Oversized, m_frameBytes});
    ++m_stats.oversizedFrames;
    m_frame = ProbeFrame{}; // frees what was collected
    m_frameBytes = 0;
    m_currentSection = -1;
    m_state = State::Skipping;
}

void FrameReader::lineTooLong()
{
    ++m_stats.oversizedLines;
    if (m_state == State::InFrame && m_currentSection >= 0)
        ++m_frame.sections[m_currentSection].droppedLines;
}

ProbeSection *FrameReader::sectionNamed(QByteArrayView name)
{
    for (auto it = m_frame.sections.rbegin(); it != m_frame.sections.rend(); ++it) {
        if (it->name == name)
            return &*it;
    }
    return nullptr;
}

} // namespace twbench
