#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <functional>

namespace twbench {

// Splits a byte stream that arrives in arbitrary chunks (a follow's output) into lines, with a
// cap on a line's length. Pure: no I/O, no clock.
//
// A line is passed on without its "\n" or "\r\n". A line longer than maxLineBytes is passed on
// as soon as its first maxLineBytes bytes are there, with truncated = true, and the rest of it
// up to its newline is skipped: whatever the stream holds, the splitter keeps at most
// maxLineBytes bytes (the start of a line whose newline has not come yet). Lines that fit in
// one chunk are passed as views into that chunk, without a copy.
class LineSplitter final
{
public:
    // line: valid only during the call.
    using Sink = std::function<void(QByteArrayView line, bool truncated)>;

    explicit LineSplitter(qsizetype maxLineBytes);

    qsizetype maxLineBytes() const { return m_maxLineBytes; }

    void feed(QByteArrayView data, const Sink &sink);
    // The end of the stream: a last line without newline is passed on as it is.
    void finish(const Sink &sink);
    // Forgets a partial line (a stream that ended in the middle of a line and is opened anew).
    void reset();

    // Bytes held for the line in progress: at most maxLineBytes().
    qsizetype bufferedBytes() const { return m_partial.size(); }
    // How many lines were cut since construction.
    qint64 truncatedLines() const { return m_truncatedLines; }

private:
    void appendToLine(QByteArrayView part, const Sink &sink);
    void cut(const Sink &sink);

    qsizetype m_maxLineBytes;
    QByteArray m_partial;      // the line in progress, at most m_maxLineBytes
    bool m_pendingCr = false;  // a '\r' after a full m_partial: the end of the line, or not
    bool m_discarding = false; // the line was cut: skip up to its newline
    qint64 m_truncatedLines = 0;
};

} // namespace twbench
