#pragma once

#include <QString>

namespace twbench {

// One value made one literal word for a POSIX shell, for the commands the report prints for the
// operator to paste. The same rule as remote/shellquote.h (model/ may not include remote/):
// POSIX single quotes, a quote itself written as '\''. A word made only of characters no shell
// treats specially ([A-Za-z0-9_./:@%+=,-], not starting with '-') is left bare, so the common
// case ("10.0.0.1:6601", "/var/log/nginx/access.log") reads as an operator would type it.
inline QString shellWord(const QString &value)
{
    const auto plain = [](QChar c) {
        const char16_t u = c.unicode();
        return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') ||
               u == u'_' || u == u'.' || u == u'/' || u == u':' || u == u'@' || u == u'%' ||
               u == u'+' || u == u'=' || u == u',' || u == u'-';
    };
    bool bare = !value.isEmpty() && !value.startsWith(u'-');
    for (const QChar c : value)
        bare = bare && plain(c);
    if (bare)
        return value;
    QString quoted = QStringLiteral("'");
    for (const QChar c : value) {
        if (c == u'\'')
            quoted += QStringLiteral("'\\''");
        else
            quoted += c;
    }
    quoted += u'\'';
    return quoted;
}

// True when `value` holds what a terminal or a page would not show as typed (C0/C1 controls,
// DEL, bidirectional overrides, line separators): such a value is left out of a printed command
// rather than printed as something that reads differently from what it runs.
inline bool hasInvisibleCharacters(const QString &value)
{
    for (const QChar c : value) {
        const char16_t u = c.unicode();
        if (u < 0x20 || (u >= 0x7f && u < 0xa0) || (u >= 0x200b && u <= 0x200f) ||
            (u >= 0x2028 && u <= 0x202e) || (u >= 0x2066 && u <= 0x2069) || u == 0xfeff)
            return true;
    }
    return false;
}

} // namespace twbench
