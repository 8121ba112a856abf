#include "parsereport.h"

#include <QCoreApplication>

namespace twbench {

void ParseReport::reject(qsizetype lineNumber, const QString &reason, QByteArrayView line)
{
    ++linesRejected;
    if (errors.size() < maxKeptErrors)
        errors.append({lineNumber, reason, printableExcerpt(line)});
}

void ParseReport::merge(const ParseReport &other)
{
    linesRead += other.linesRead;
    linesUsed += other.linesUsed;
    linesSkipped += other.linesSkipped;
    linesRejected += other.linesRejected;
    duplicates += other.duplicates;
    for (const LineError &error : other.errors) {
        if (errors.size() >= maxKeptErrors)
            break;
        errors.append(error);
    }
}

QString ParseReport::summary() const
{
    if (ok())
        return {};
    QString text = QCoreApplication::translate("ParseReport", "%1 of %2 lines rejected")
                       .arg(linesRejected)
                       .arg(linesRead);
    if (!errors.isEmpty()) {
        const LineError &first = errors.first();
        text += QCoreApplication::translate("ParseReport", ": line %1: %2 (%3)")
                    .arg(first.lineNumber)
                    .arg(first.reason, first.excerpt);
    }
    return text;
}

QString printableExcerpt(QByteArrayView line, qsizetype maxChars)
{
    QString text;
    text.reserve(qMin(line.size(), maxChars) + 8);
    for (qsizetype i = 0; i < line.size(); ++i) {
        if (text.size() >= maxChars) {
            text += QChar(0x2026); // …
            break;
        }
        const auto byte = static_cast<unsigned char>(line[i]);
        if (byte >= 0x20 && byte < 0x7f)
            text += QLatin1Char(char(byte));
        else
            text += QStringLiteral("\\x%1").arg(byte, 2, 16, QLatin1Char('0'));
    }
    return text;
}

} // namespace twbench
