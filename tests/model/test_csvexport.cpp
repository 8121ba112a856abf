// CSV from item models: RFC 4180 quoting, the spreadsheet-formula guard for remote text, and the
// rows in the order a proxy shows them. Read back with a small parser written from the RFC.

#include "model/csvexport.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <QStringList>

#include <gtest/gtest.h>

#include <vector>

using namespace twbench;

namespace {

// Rows of strings; the first row is the header.
class TextTable final : public QAbstractTableModel
{
public:
    explicit TextTable(std::vector<QStringList> rows)
        : m_rows(std::move(rows))
    {}
    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_rows.size()) - 1;
    }
    int columnCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_rows.front().size());
    }
    QVariant data(const QModelIndex &index, int role) const override
    {
        if (role != Qt::DisplayRole || !index.isValid())
            return {};
        return m_rows[size_t(index.row()) + 1].value(index.column());
    }
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override
    {
        if (role != Qt::DisplayRole || orientation != Qt::Horizontal)
            return {};
        return m_rows.front().value(section);
    }

private:
    std::vector<QStringList> m_rows;
};

// RFC 4180, section 2, as written: records end with CRLF, fields are plain or quoted, "" in a
// quoted field is one quote. Fails (empty result) on anything else.
std::vector<QStringList> parseCsv(const QString &text, bool *ok)
{
    std::vector<QStringList> records;
    QStringList record;
    QString field;
    *ok = false;
    qsizetype i = 0;
    while (i < text.size()) {
        if (text[i] == u'"') {
            ++i;
            for (;;) {
                if (i >= text.size())
                    return {};
                if (text[i] == u'"') {
                    if (i + 1 < text.size() && text[i + 1] == u'"') {
                        field += u'"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                field += text[i++];
            }
        } else {
            while (i < text.size() && text[i] != u',' && text[i] != u'\r') {
                if (text[i] == u'"' || text[i] == u'\n')
                    return {};
                field += text[i++];
            }
        }
        if (i >= text.size())
            return {}; // the last record must end with CRLF
        if (text[i] == u',') {
            record << field;
            field.clear();
            ++i;
        } else if (text[i] == u'\r' && i + 1 < text.size() && text[i + 1] == u'\n') {
            record << field;
            field.clear();
            records.push_back(record);
            record.clear();
            i += 2;
        } else {
            return {};
        }
    }
    *ok = true;
    return records;
}

} // namespace

TEST(CsvExport, HeaderAndRowsWithCrlf)
{
    TextTable model(
        {{QStringLiteral("Local"), QStringLiteral("State"), QStringLiteral("Count")},
         {QStringLiteral("10.0.0.1:80"), QStringLiteral("TIME_WAIT"), QStringLiteral("12")},
         {QStringLiteral("10.0.0.1:443"), QStringLiteral("ESTABLISHED"), QStringLiteral("3")}});
    EXPECT_EQ(csvFromModel(model), QStringLiteral("Local,State,Count\r\n"
                                                  "10.0.0.1:80,TIME_WAIT,12\r\n"
                                                  "10.0.0.1:443,ESTABLISHED,3\r\n"));
    CsvOptions noHeader;
    noHeader.header = false;
    EXPECT_EQ(csvFromModel(model, noHeader),
              QStringLiteral("10.0.0.1:80,TIME_WAIT,12\r\n10.0.0.1:443,ESTABLISHED,3\r\n"));
}

TEST(CsvExport, QuotesCommasQuotesAndLineBreaks)
{
    EXPECT_EQ(csvField(QStringLiteral("plain")), u"plain");
    EXPECT_EQ(csvField(QStringLiteral("a,b")), u"\"a,b\"");
    EXPECT_EQ(csvField(QStringLiteral("say \"hi\"")), u"\"say \"\"hi\"\"\"");
    EXPECT_EQ(csvField(QStringLiteral("two\nlines")), u"\"two\nlines\"");
    EXPECT_EQ(csvField(QStringLiteral("cr\rhere")), u"\"cr\rhere\"");
    EXPECT_EQ(csvField(QString()), u"");
    EXPECT_EQ(csvField(QStringLiteral("[2001:db8::1]:443")), u"[2001:db8::1]:443");
}

// OWASP's CSV injection: a container name or a request path from a remote host must not become
// a formula when the operator opens the file in a spreadsheet.
TEST(CsvExport, FormulaInjectionIsDefused)
{
    EXPECT_EQ(csvField(QStringLiteral("=HYPERLINK(\"http://x\",\"y\")")),
              u"\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    EXPECT_EQ(csvField(QStringLiteral("+cmd|' /C calc'!A0")), u"'+cmd|' /C calc'!A0");
    EXPECT_EQ(csvField(QStringLiteral("-2+3+cmd|' /C calc'!A0")), u"'-2+3+cmd|' /C calc'!A0");
    EXPECT_EQ(csvField(QStringLiteral("@SUM(1+1)")), u"'@SUM(1+1)");
    EXPECT_EQ(csvField(QStringLiteral("\tx")), u"'\tx");
    EXPECT_EQ(csvField(QStringLiteral("\rx")), u"\"'\rx\"");
    EXPECT_EQ(csvField(QStringLiteral("-")), u"'-");
    // Plain numbers are numbers, never formulas: a negative delta stays a number.
    EXPECT_EQ(csvField(QStringLiteral("-5")), u"-5");
    EXPECT_EQ(csvField(QStringLiteral("+1.5e3")), u"+1.5e3");
    // Only the first character matters.
    EXPECT_EQ(csvField(QStringLiteral("a=b")), u"a=b");
    CsvOptions raw;
    raw.guardFormulas = false;
    EXPECT_EQ(csvField(QStringLiteral("=1+1"), raw), u"=1+1");
}

TEST(CsvExport, RoundTripsThroughAnRfcParser)
{
    const std::vector<QStringList> rows = {
        {QStringLiteral("Container"), QStringLiteral("Path"), QStringLiteral("Note")},
        {QStringLiteral("shop-php-1"), QStringLiteral("/orders/{id}?a=1,b=2"),
         QStringLiteral("said \"no\"\r\nthen left")},
        {QStringLiteral("web,nginx"), QString(), QStringLiteral("中文 ünïcode")},
        {QStringLiteral("=evil()"), QStringLiteral("@x"), QStringLiteral("-12")},
    };
    TextTable model(rows);
    bool ok = false;
    const std::vector<QStringList> parsed = parseCsv(csvFromModel(model), &ok);
    ASSERT_TRUE(ok);
    ASSERT_EQ(parsed.size(), rows.size());
    for (size_t r = 0; r < rows.size(); ++r) {
        ASSERT_EQ(parsed[r].size(), rows[r].size()) << r;
        for (qsizetype c = 0; c < rows[r].size(); ++c) {
            QString expected = rows[r][c];
            if (expected.startsWith(u'=') || expected.startsWith(u'@'))
                expected.prepend(u'\'');
            EXPECT_EQ(parsed[r][c], expected) << r << ',' << c;
        }
    }
}

TEST(CsvExport, RowsFollowTheProxysOrder)
{
    TextTable model({{QStringLiteral("Endpoint"), QStringLiteral("TIME_WAIT")},
                     {QStringLiteral("b"), QStringLiteral("2")},
                     {QStringLiteral("c"), QStringLiteral("3")},
                     {QStringLiteral("a"), QStringLiteral("1")}});
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.sort(1, Qt::DescendingOrder);
    EXPECT_EQ(csvFromModel(proxy), QStringLiteral("Endpoint,TIME_WAIT\r\nc,3\r\nb,2\r\na,1\r\n"));
    proxy.setFilterKeyColumn(0);
    proxy.setFilterFixedString(QStringLiteral("a"));
    EXPECT_EQ(csvFromModel(proxy), QStringLiteral("Endpoint,TIME_WAIT\r\na,1\r\n"));
}

TEST(CsvExport, EmptyModelGivesTheHeaderOnly)
{
    TextTable model({{QStringLiteral("One"), QStringLiteral("Two")}});
    EXPECT_EQ(csvFromModel(model), QStringLiteral("One,Two\r\n"));
}
