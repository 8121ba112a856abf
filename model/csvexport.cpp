#include "csvexport.h"

#include <QAbstractItemModel>

namespace twbench {

namespace {

// True for text that is only a number ("-5", "+1.5", "-2e3"): a spreadsheet reads it as that
// number, never as a formula, so quoting it would only damage negative values.
bool isPlainNumber(const QString &text)
{
    for (const QChar c : text) {
        if (!(c.isDigit() || c == u'+' || c == u'-' || c == u'.' || c == u'e' || c == u'E'))
            return false;
    }
    bool ok = false;
    text.toDouble(&ok);
    return ok;
}

bool startsLikeFormula(const QString &text)
{
    if (text.isEmpty())
        return false;
    switch (text.front().unicode()) {
    case u'=':
    case u'+':
    case u'-':
    case u'@':
    case u'\t':
    case u'\r':
        return !isPlainNumber(text);
    default:
        return false;
    }
}

} // namespace

QString csvField(const QString &value, const CsvOptions &options)
{
    QString text = value;
    if (options.guardFormulas && startsLikeFormula(text))
        text.prepend(u'\'');
    const bool quote = text.contains(options.separator) || text.contains(u'"') ||
                       text.contains(u'\r') || text.contains(u'\n');
    if (!quote)
        return text;
    text.replace(QStringLiteral("\""), QStringLiteral("\"\""));
    return u'"' + text + u'"';
}

QString csvFromModel(const QAbstractItemModel &model, const CsvOptions &options)
{
    const int columns = model.columnCount();
    const int rows = model.rowCount();
    QString csv;
    QStringList record;
    record.reserve(columns);
    auto appendRecord = [&] {
        csv += record.join(options.separator);
        csv += options.lineEnding;
        record.clear();
    };
    if (options.header && columns > 0) {
        for (int column = 0; column < columns; ++column)
            record << csvField(model.headerData(column, Qt::Horizontal, Qt::DisplayRole).toString(),
                               options);
        appendRecord();
    }
    for (int row = 0; row < rows; ++row) {
        for (int column = 0; column < columns; ++column)
            record << csvField(model.index(row, column).data(Qt::DisplayRole).toString(), options);
        appendRecord();
    }
    return csv;
}

} // namespace twbench
