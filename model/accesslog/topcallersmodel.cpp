#include "topcallersmodel.h"

#include "../docker/dockerinventory.h"

#include <QLocale>

#include <algorithm>
#include <numeric>

namespace twbench {

namespace {

// What a changed row changes: every value but the key, so the same roles every time.
QList<int> changedRoles()
{
    return {Qt::DisplayRole, Qt::ToolTipRole, TopCallersModel::SortRole};
}

bool isNumberColumn(int column)
{
    return column == TopCallersModel::StatusColumn || column == TopCallersModel::RequestsColumn ||
           column == TopCallersModel::RateColumn;
}

} // namespace

TopCallersModel::TopCallersModel(QObject *parent)
    : RowDiffModel(parent)
{}

TopCallersModel::~TopCallersModel() = default;

int TopCallersModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TopCallersModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString TopCallersModel::rateText(double requestsPerSec)
{
    if (requestsPerSec > 0.0 && requestsPerSec < 0.05)
        return QLatin1Char('<') + QLocale().toString(0.1, 'f', 1);
    return QLocale().toString(requestsPerSec, 'f', requestsPerSec >= 100.0 ? 0 : 1);
}

QVariant TopCallersModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const AccessLogStats::CallerRow &row = m_rows[size_t(index.row())].caller;
    const int column = index.column();

    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case SourceColumn:
            return safeDisplayText(row.sourceId, 80);
        case ClientColumn:
            return row.key.client; // printable already: AccessLogParser made it so
        case MethodColumn:
            return row.key.method;
        case PathColumn:
            return row.key.path;
        case StatusColumn:
            return row.key.status > 0 ? QString::number(row.key.status) : QStringLiteral("-");
        case RequestsColumn:
            return QLocale().toString(qlonglong(row.requests));
        case RateColumn:
            return rateText(row.requestsPerSec);
        case SteadyColumn:
            return row.steady ? tr("steady") : QString();
        }
        return {};
    case SortRole:
        switch (column) {
        case SourceColumn:
            return row.sourceId;
        case ClientColumn:
            return row.key.client;
        case MethodColumn:
            return row.key.method;
        case PathColumn:
            return row.key.path;
        case StatusColumn:
            return row.key.status;
        case RequestsColumn:
            return qint64(row.requests);
        case RateColumn:
            return row.requestsPerSec;
        case SteadyColumn:
            return row.steady;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (isNumberColumn(column))
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return {};
    case Qt::ToolTipRole:
        if (column == PathColumn)
            return row.key.path; // the cell may be elided
        if (column == SteadyColumn && row.steady)
            return tr("This caller's request rate has stayed nearly constant for minutes, as a "
                      "program's loop does and people do not.");
        return {};
    case CallerKeyRole:
        return QVariant::fromValue(row.callerKey());
    case ClientRole:
        return row.key.client;
    default:
        return {};
    }
}

QVariant TopCallersModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::TextAlignmentRole && isNumberColumn(section))
        return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case ClientColumn:
            return tr("The address the log gives: behind a proxy or a published docker port, "
                      "the proxy or the docker gateway rather than the caller itself");
        case PathColumn:
            return tr("Query strings are dropped and identifiers folded to {id}, so that one "
                      "endpoint is one row");
        case RateColumn:
            return tr("Requests per second while the log was followed");
        case SteadyColumn:
            return tr("A near-constant request rate for minutes: a program calling in a loop");
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SourceColumn:
        return tr("Source");
    case ClientColumn:
        return tr("Client");
    case MethodColumn:
        return tr("Method");
    case PathColumn:
        return tr("Path");
    case StatusColumn:
        return tr("Status");
    case RequestsColumn:
        return tr("Requests");
    case RateColumn:
        return tr("Requests/s");
    case SteadyColumn:
        return tr("Steady");
    }
    return {};
}

QHash<int, QByteArray> TopCallersModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(SortRole, "sortValue");
    names.insert(CallerKeyRole, "callerKey");
    names.insert(ClientRole, "client");
    return names;
}

void TopCallersModel::clear()
{
    resetRows();
}

void TopCallersModel::setRows(const QList<AccessLogStats::CallerRow> &rows)
{
    std::vector<char> keep(m_rows.size(), 0);
    std::vector<Row> added;
    std::vector<ChangedRow> changed;
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const AccessLogStats::CallerRow &caller = rows.at(i);
        const qsizetype sizeBefore = m_index.size();
        int &slot = m_index[caller.callerKey()];
        if (m_index.size() != sizeBefore) {
            slot = -int(added.size()) - 1; // provisional: appendRows() assigns the row
            added.push_back({caller, int(i)});
            continue;
        }
        const int row = slot;
        if (row < 0 || keep[size_t(row)])
            continue; // a repeated key: topCallers() never gives one
        keep[size_t(row)] = 1;
        Row &current = m_rows[size_t(row)];
        current.order = int(i);
        if (!(current.caller == caller)) {
            current.caller = caller;
            changed.push_back({row, 0});
        }
    }

    announceChanged(std::move(changed), [](unsigned) { return changedRoles(); });
    dropRows(keep);
    appendRows(std::move(added));
    sortToOrder();
}

} // namespace twbench
