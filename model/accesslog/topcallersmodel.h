#pragma once

#include "../rowdiffmodel.h"
#include "accesslogstats.h"

#include <QAbstractTableModel>
#include <QList>

namespace twbench {

// One row of TopCallersModel.
struct TopCallerRow
{
    AccessLogStats::CallerRow caller;
    int order = 0; // position in the last setRows() input; scratch during an update

    CallerKey key() const { return caller.callerKey(); }
};

// Who calls what, from the access logs (AccessLogStats::topCallers()): one row per source,
// client, method, path and status, in the order setRows() is given them — highest rate first,
// so without a proxy the row on top is the caller to look at. A view that sorts by another
// column puts a QSortFilterProxyModel with SortRole on top.
//
// setRows() is a diff keyed by CallerKey, as EndpointGroupModel::applyGroups: changed rows in
// merged dataChanged ranges, gone rows removed, new rows appended in one batch, then — only when
// the order changed — one layout change that carries persistent indexes (the selection) along.
// Only clear() resets.
class TopCallersModel final : public RowDiffModel<TopCallerRow, CallerKey>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TopCallersModel)

public:
    enum Column : int {
        SourceColumn,   // the log source: its path, or "container:<name>"
        ClientColumn,   // the address the log gives (behind a proxy: the proxy's)
        MethodColumn,   // GET, POST, …; "-" for lines without a request
        PathColumn,     // normalized: query dropped, ids folded to {id}
        StatusColumn,   // HTTP status; "-" when the log had none
        RequestsColumn, // requests in the span asked of AccessLogStats::topCallers()
        RateColumn,     // requests per second over that span
        SteadyColumn,   // "steady" when the steady-rate detector flags the caller
        ColumnCount
    };

    enum Role : int {
        // The unformatted value of the cell, for sorting: QString for the text columns, int
        // for the status (0 when none), qint64 for requests, double for the rate, bool for
        // steady.
        SortRole = Qt::UserRole + 1,
        // Same on every column: the row's CallerKey (QVariant::fromValue), to find the row
        // again or to drill down from it (the client's connections, the findings).
        CallerKeyRole,
        // Same on every column: the client as logged, for a connection filter.
        ClientRole,
    };

    explicit TopCallersModel(QObject *parent = nullptr);
    ~TopCallersModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Shows `rows` in their order, as a diff against what is shown.
    void setRows(const QList<AccessLogStats::CallerRow> &rows);
    // Empties the model with a reset: for switching hosts.
    void clear();

    const AccessLogStats::CallerRow &rowAt(int row) const { return m_rows[size_t(row)].caller; }

    // "12.3", "<0.1" for a positive rate that would round to zero: how the rate column and the
    // charts' labels write requests per second.
    static QString rateText(double requestsPerSec);

private:
    using Row = TopCallerRow;
};

} // namespace twbench
