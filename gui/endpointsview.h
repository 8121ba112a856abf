#pragma once

#include "export/viewexporter.h"

#include "model/snapshot.h"
#include "model/socketgrouper.h"

#include <QFutureWatcher>
#include <QWidget>

class QComboBox;
class QLabel;
class QTableView;

namespace twbench {

class EndpointGroupModel;
class VariantSortProxy;
class Workbench;

// The GUI's `netstat -tn | awk '{print $4}' | sort | uniq -c | sort -nr`: the current host's
// sockets grouped by local endpoint (or another key), counts per state, largest first.
// Grouping 100k sockets takes milliseconds, so it runs on the thread pool, never on the GUI
// thread; only the latest table is grouped when tables arrive faster than that.
class EndpointsView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EndpointsView)

public:
    explicit EndpointsView(Workbench *workbench, QWidget *parent = nullptr);
    ~EndpointsView() override;

    QTableView *table() const { return m_table; }
    // The table as shown and, for CSV, its rows as sorted there.
    ExportSource exportSource() const;
    EndpointGroupModel *model() const { return m_model; }
    // True while a grouping runs in the background; for tests.
    bool isGrouping() const { return m_watcher.isRunning(); }
    // The table whose groups are shown (or being computed); for tests.
    SnapshotPtr shownTable() const { return m_shown; }

signals:
    void groupsApplied();
    // The operator asked for the sockets behind one group (double-click or Enter).
    void drillDown(twbench::Grouping grouping, const twbench::GroupKey &key,
                   const QString &display);

private:
    void onCurrentHostChanged(const QString &hostId);
    void onTable(const QString &hostId, const SnapshotPtr &table);
    void startGrouping();
    void onGroupingFinished();
    Grouping currentGrouping() const;
    QHash<std::uint64_t, QString> namespaceLabels() const;
    void activateRow(const QModelIndex &proxyIndex);

    Workbench *m_workbench;                // Not owned.
    EndpointGroupModel *m_model = nullptr; // Owned (child).
    VariantSortProxy *m_proxy = nullptr;   // Owned (child).
    QComboBox *m_groupBy = nullptr;
    QLabel *m_summary = nullptr;
    QTableView *m_table = nullptr;
    QFutureWatcher<QList<SocketGroup>> m_watcher;
    Grouping m_runningGrouping = Grouping::LocalEndpoint;
    SnapshotPtr m_pending; // the newest table not grouped yet
    SnapshotPtr m_shown;   // the table whose groups are on screen
};

} // namespace twbench
