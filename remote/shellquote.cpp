#include "shellquote.h"

#include <QCoreApplication>

namespace twbench::shell {

namespace {

// Texts of free functions carry their context through this class: lupdate reads
// ShellQuoteText::tr("…") calls, where a free ShellQuoteText::tr() wrapper would hide the texts
// from it.
struct ShellQuoteText
{
    Q_DECLARE_TR_FUNCTIONS(ShellQuote)
};

bool isAsciiAlnum(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9');
}

} // namespace

QByteArray quote(QByteArrayView value)
{
    QByteArray quoted;
    quoted.reserve(value.size() + 2);
    quoted.append('\'');
    for (const char c : value) {
        if (c == '\'')
            quoted.append("'\\''");
        else
            quoted.append(c);
    }
    quoted.append('\'');
    return quoted;
}

QString quote(const QString &value)
{
    return QString::fromUtf8(quote(QByteArrayView(value.toUtf8())));
}

QByteArray quoteWords(const QStringList &words)
{
    QByteArray joined;
    for (const QString &word : words) {
        if (!joined.isEmpty())
            joined.append(' ');
        joined.append(quote(QByteArrayView(word.toUtf8())));
    }
    return joined;
}

QString containerNameError(const QString &name)
{
    if (name.isEmpty())
        return ShellQuoteText::tr("The container name is empty.");
    if (!isAsciiAlnum(name.front()))
        return ShellQuoteText::tr("A container name starts with a letter or a digit.");
    for (const QChar c : name) {
        if (!isAsciiAlnum(c) && c != u'_' && c != u'.' && c != u'-')
            return ShellQuoteText::tr(
                "A container name holds only letters, digits, '_', '.' and '-'.");
    }
    return {};
}

QString absolutePathError(const QString &path)
{
    if (!path.startsWith(u'/'))
        return ShellQuoteText::tr("The path must be absolute (start with '/').");
    if (path.contains(QChar(0)) || path.contains(u'\n'))
        return ShellQuoteText::tr("The path must not contain a NUL character or a line break.");
    return {};
}

QString plainWordError(const QString &word)
{
    if (word.isEmpty())
        return ShellQuoteText::tr("The value is empty.");
    for (const QChar c : word) {
        if (!isAsciiAlnum(c) && !QStringView(u"_.,:+=@%/-").contains(c))
            return ShellQuoteText::tr("The value may hold only letters, digits and _.,:+=@%/-.");
    }
    return {};
}

} // namespace twbench::shell
