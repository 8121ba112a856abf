#include "servertext.h"

namespace twbench {

QString escapeServerText(const QString &text, bool keepNewlines, int maxChars)
{
    QString out;
    out.reserve(qMin(text.size(), qsizetype(maxChars)) + 8);
    for (const QChar c : text) {
        if (out.size() >= maxChars) {
            out += QChar(0x2026); // …
            break;
        }
        if (c == u'\n' && keepNewlines) {
            out += c;
            continue;
        }
        const QChar::Category category = c.category();
        if (category == QChar::Other_Control || category == QChar::Other_Format ||
            category == QChar::Separator_Line || category == QChar::Separator_Paragraph) {
            const ushort code = c.unicode();
            out += code < 0x100 ? QStringLiteral("\\x%1").arg(code, 2, 16, QLatin1Char('0'))
                                : QStringLiteral("\\u%1").arg(code, 4, 16, QLatin1Char('0'));
            continue;
        }
        out += c;
    }
    return out;
}

} // namespace twbench
