#pragma once

#include <QList>
#include <QString>

namespace twbench {

// What a parser made of its input: how many lines it read, how many it could not use and why.
// Every parser returns one beside its values, so bad input is counted and shown, never silently
// dropped.
struct ParseReport
{
    struct LineError
    {
        qsizetype lineNumber = 0; // 1-based, within the parsed text
        QString reason;           // translated, for the operator
        QString excerpt;          // the start of the offending line, control characters escaped
    };

    qsizetype linesRead = 0;     // non-empty lines seen, headers included
    qsizetype linesUsed = 0;     // lines that produced a value
    qsizetype linesSkipped = 0;  // headers and other expected non-data lines
    qsizetype linesRejected = 0; // malformed lines
    qsizetype duplicates = 0;    // lines dropped as repeats of an earlier one in the same read
    QList<LineError> errors;     // the first maxKeptErrors rejected lines

    static constexpr qsizetype maxKeptErrors = 20;

    bool ok() const { return linesRejected == 0; }
    void reject(qsizetype lineNumber, const QString &reason, QByteArrayView line);
    void merge(const ParseReport &other);
    // "3 of 120 lines rejected: line 7: bad address …" — empty when ok().
    QString summary() const;
};

// Escapes control characters and cuts to maxChars so a hostile line cannot spoof the display.
QString printableExcerpt(QByteArrayView line, qsizetype maxChars = 120);

template<typename T>
struct Parsed
{
    T value{};
    ParseReport report;
};

} // namespace twbench
