#include "findingsmodel.h"

#include <algorithm>

namespace twbench {

FindingsModel::FindingsModel(QObject *parent)
    : RowDiffModel(parent)
{}

FindingsModel::~FindingsModel() = default;

void FindingsModel::setHostLabeler(std::function<QString(const QString &)> labeler)
{
    m_hostLabel = std::move(labeler);
    if (!m_rows.empty())
        emit dataChanged(index(0, HostColumn), index(int(m_rows.size()) - 1, HostColumn),
                         {Qt::DisplayRole, SortRole});
}

int FindingsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int FindingsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FindingsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Finding &finding = m_rows[size_t(index.row())].finding;
    const QString host = m_hostLabel ? m_hostLabel(finding.hostId) : finding.hostId;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case SeverityColumn:
            return severityName(finding.severity);
        case HostColumn:
            return host;
        case TitleColumn:
            return finding.title;
        }
        return {};
    case Qt::ToolTipRole:
        return finding.explanation;
    case SortRole:
        switch (index.column()) {
        case SeverityColumn:
            return 2 - int(finding.severity); // critical sorts highest
        case HostColumn:
            return host;
        case TitleColumn:
            return finding.title;
        }
        return {};
    case RuleIdRole:
        return finding.id;
    case KeyRole:
        return m_rows[size_t(index.row())].key();
    }
    return {};
}

QVariant FindingsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SeverityColumn:
        return tr("Severity");
    case HostColumn:
        return tr("Host");
    case TitleColumn:
        return tr("Finding");
    }
    return {};
}

void FindingsModel::setFindings(QList<Finding> findings)
{
    std::stable_sort(findings.begin(), findings.end(), [](const Finding &a, const Finding &b) {
        if (a.severity != b.severity)
            return a.severity < b.severity;
        if (a.hostId != b.hostId)
            return a.hostId < b.hostId;
        return a.id < b.id;
    });
    std::vector<char> keep(m_rows.size(), 0);
    std::vector<Row> added;
    std::vector<ChangedRow> changed;
    for (qsizetype i = 0; i < findings.size(); ++i) {
        Row row{std::move(findings[i]), int(i)};
        const QString key = row.key();
        const qsizetype sizeBefore = m_index.size();
        int &slot = m_index[key];
        if (m_index.size() != sizeBefore) {
            slot = -int(added.size()) - 1; // provisional: appendRows() assigns the row
            added.push_back(std::move(row));
            continue;
        }
        const int existing = slot;
        if (existing < 0 || keep[size_t(existing)])
            continue; // the same key twice: the first one stands
        keep[size_t(existing)] = 1;
        Row &current = m_rows[size_t(existing)];
        current.order = row.order;
        if (!(current.finding == row.finding)) {
            current.finding = std::move(row.finding);
            changed.push_back({existing, 0});
        }
    }
    announceChanged(std::move(changed), [](unsigned) {
        return QList<int>{Qt::DisplayRole, Qt::ToolTipRole, SortRole};
    });
    dropRows(keep);
    appendRows(std::move(added));
    sortToOrder();
}

} // namespace twbench
