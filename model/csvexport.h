#pragma once

#include <QChar>
#include <QString>

class QAbstractItemModel;

namespace twbench {

struct CsvOptions
{
    bool header = true;                          // the horizontal header as the first record
    QString lineEnding = QStringLiteral("\r\n"); // RFC 4180 says CRLF
    QChar separator = u',';
    // Cells that a spreadsheet would run as a formula (= + - @ TAB CR first) get a leading
    // single quote. Remote data (container names, paths, clients) reaches these tables.
    bool guardFormulas = true;
};

// The model's header and every top-level row as RFC 4180 CSV text, in the model's own row
// order (give it the proxy a view shows to get the rows as sorted and filtered there), display
// role only. Fields holding the separator, a quote, CR or LF are quoted and quotes doubled.
// A plain number such as "-5" or "+1.5e3" is not a formula and is left as it is.
QString csvFromModel(const QAbstractItemModel &model, const CsvOptions &options = {});

// One field as csvFromModel writes it (quoted and guarded as needed); for tests and callers
// that build their own records.
QString csvField(const QString &value, const CsvOptions &options = {});

} // namespace twbench
