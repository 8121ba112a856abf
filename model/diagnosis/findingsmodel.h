#pragma once

#include "finding.h"

#include "model/rowdiffmodel.h"

#include <QList>
#include <QString>

#include <functional>

namespace twbench {

// One row of FindingsModel.
struct FindingRow
{
    Finding finding;
    int order = 0; // position in the last setFindings() input; scratch during an update

    // A rule may fire more than once on a host (two services that close): what it points at
    // tells them apart.
    QString key() const
    {
        return finding.hostId + QLatin1Char('\n') + finding.id + QLatin1Char('\n') +
               finding.tableFilter + QLatin1Char('\n') + finding.topologyEdges.join(u' ');
    }
};

// The findings of every host, most severe first, as the findings panel lists them. setFindings()
// is a diff keyed by FindingRow::key(), so a selected finding stays selected while the rules run
// again and its numbers change.
class FindingsModel final : public RowDiffModel<FindingRow, QString>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FindingsModel)

public:
    enum Column : int {
        SeverityColumn, // "Critical", "Warning", "Info"
        HostColumn,     // the host's display name (hostLabel())
        TitleColumn,    // the finding's one-line title
        ColumnCount
    };
    enum Role : int {
        SortRole = Qt::UserRole + 1, // severity as a number (critical highest), host, title
        RuleIdRole,                  // "server-closes", …
        KeyRole,                     // FindingRow::key()
    };

    explicit FindingsModel(QObject *parent = nullptr);
    ~FindingsModel() override;

    // How a host id is shown; the host id itself when unset.
    void setHostLabeler(std::function<QString(const QString &)> labeler);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Shows `findings` sorted by severity, then host, then rule.
    void setFindings(QList<Finding> findings);
    const Finding &findingAt(int row) const { return m_rows[size_t(row)].finding; }

private:
    using Row = FindingRow;

    std::function<QString(const QString &)> m_hostLabel;
};

} // namespace twbench
