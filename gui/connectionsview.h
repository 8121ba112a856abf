#pragma once

#include "export/viewexporter.h"

#include "model/attribution.h"
#include "model/connectiontablemodel.h"
#include "model/docker/dockerinventory.h"
#include "model/snapshot.h"
#include "model/socketgrouper.h"

#include <QSet>
#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;
class QToolButton;

namespace twbench {

class ConnectionFilterProxy;
class ConnectionTableModel;
class Workbench;

// Every socket of the current host: sortable, filterable by state and by text. New tables are
// applied as diffs, so the selection and scroll position survive each sample.
class ConnectionsView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionsView)

public:
    explicit ConnectionsView(Workbench *workbench, QWidget *parent = nullptr);
    ~ConnectionsView() override;

    QTableView *table() const { return m_table; }
    // The table as shown and, for CSV, its rows as filtered and sorted there.
    ExportSource exportSource() const;
    ConnectionTableModel *model() const { return m_model; }
    ConnectionFilterProxy *proxy() const { return m_proxy; }

    // Shows only the sockets of one group of the Endpoints view, with a visible way back.
    void showGroup(Grouping grouping, const GroupKey &key, const QString &display);
    // Shows only these sockets (a node or an edge picked in the topology graph), same way back.
    void showSockets(const QSet<SocketKey> &keys, const QString &display);
    void clearGroup();
    // Puts `text` into the text filter (a finding's endpoint), as if typed.
    void setTextFilter(const QString &text);

    // Shows a table with its host's inventory and namespace map (the Container column and
    // filter, per-namespace sides). What the workbench's tables go through; public for tests.
    void applyTable(const SnapshotPtr &table, std::shared_ptr<const DockerInventory> inventory,
                    std::shared_ptr<const NamespaceMap> namespaces);
    QComboBox *containerFilter() const { return m_containerFilter; }

signals:
    // The sockets of the selected rows (the graph highlights their edges).
    void selectedSocketsChanged(const QList<twbench::SocketKey> &keys);

private:
    void onCurrentHostChanged(const QString &hostId);
    void onTable(const QString &hostId, const SnapshotPtr &table);
    void applyPrepared(const PreparedTablePtr &prepared);
    void applyStateFilter();
    void applyContainerFilter();
    void updateContainerFilter(const DockerInventory *inventory);
    void emitSelection();
    void updateCount();

    Workbench *m_workbench;                   // Not owned.
    ConnectionTableModel *m_model = nullptr;  // Owned (child).
    ConnectionFilterProxy *m_proxy = nullptr; // Owned (child).
    QComboBox *m_stateFilter = nullptr;
    QComboBox *m_containerFilter = nullptr;
    QLineEdit *m_textFilter = nullptr;
    QLabel *m_countLabel = nullptr;
    QLabel *m_groupLabel = nullptr;
    QToolButton *m_clearGroup = nullptr;
    QTableView *m_table = nullptr;
};

} // namespace twbench
