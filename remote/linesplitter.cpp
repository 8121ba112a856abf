#include "linesplitter.h"

#include <algorithm>

namespace twbench {

LineSplitter::LineSplitter(qsizetype maxLineBytes)
    : m_maxLineBytes(std::max<qsizetype>(maxLineBytes, 1))
{}

void LineSplitter::feed(QByteArrayView data, const Sink &sink)
{
    qsizetype begin = 0;
    while (begin < data.size()) {
        const qsizetype newline = data.indexOf('\n', begin);
        const qsizetype end = newline < 0 ? data.size() : newline;
        QByteArrayView part = data.sliced(begin, end - begin);
        begin = newline < 0 ? data.size() : newline + 1;

        if (m_discarding) {
            if (newline >= 0)
                m_discarding = false;
            continue;
        }
        if (m_pendingCr) {
            // A full line and a '\r' after it: "\r\n" ends a line of exactly the cap; anything
            // else makes the '\r' part of a line that is then too long.
            m_pendingCr = false;
            if (part.isEmpty() && newline >= 0) {
                sink(QByteArrayView(m_partial), false);
                m_partial.clear();
                continue;
            }
            cut(sink);
            if (newline >= 0)
                m_discarding = false;
            continue;
        }
        if (newline < 0) {
            appendToLine(part, sink);
            continue;
        }
        // A complete line: its "\r" before "\n" is not part of it, even when the chunk before
        // ended with it.
        const bool crHere = part.endsWith('\r');
        if (crHere)
            part.chop(1);
        if (m_partial.isEmpty() && part.size() <= m_maxLineBytes) {
            sink(part, false); // the common case: no copy
            continue;
        }
        appendToLine(part, sink);
        if (m_pendingCr) {
            // Its terminating "\r" is already off: that one is content, past the cap.
            m_pendingCr = false;
            cut(sink);
        }
        if (m_discarding) {
            m_discarding = false; // the newline that ends the cut line is this one
            continue;
        }
        if (part.isEmpty() && !crHere && m_partial.endsWith('\r'))
            m_partial.chop(1);
        sink(QByteArrayView(m_partial), false);
        m_partial.clear();
    }
}

void LineSplitter::appendToLine(QByteArrayView part, const Sink &sink)
{
    if (part.isEmpty())
        return;
    const qsizetype room = m_maxLineBytes - m_partial.size();
    if (part.size() <= room) {
        m_partial.append(part);
        return;
    }
    m_partial.append(part.first(room));
    const QByteArrayView rest = part.sliced(room);
    // One '\r' just past the cap may still be the "\r\n" that ends a line of exactly the cap.
    if (rest.size() == 1 && rest.front() == '\r') {
        m_pendingCr = true;
        return;
    }
    cut(sink);
}

void LineSplitter::cut(const Sink &sink)
{
    ++m_truncatedLines;
    m_discarding = true;
    sink(QByteArrayView(m_partial), true);
    m_partial.clear();
}

void LineSplitter::finish(const Sink &sink)
{
    if (m_pendingCr) {
        // "\r" as the very last byte of the stream: part of the line, which is then too long.
        m_pendingCr = false;
        cut(sink);
    } else if (!m_partial.isEmpty()) {
        sink(QByteArrayView(m_partial), false);
    }
    reset();
}

void LineSplitter::reset()
{
    m_partial.clear();
    m_pendingCr = false;
    m_discarding = false;
}

} // namespace twbench
