#pragma once

#include "export/viewexporter.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QTableView;
class QTimer;

namespace twbench {

class TopCallersModel;
class VariantSortProxy;
class Workbench;

// Who calls what, from the current host's access logs: requests per second per client, method,
// normalized path and status over the last minutes, highest first, the callers the steady-rate
// detector flags marked and named in a banner above the table. The access-log equivalent of
// `awk '{print $1, $7}' access.log | sort | uniq -c | sort -nr`, live.
//
// The rows are recomputed from AccessLogStats at most once a second (a host logging thousands
// of requests a second sends a window with every sample) and applied as a diff, so a selected
// row stays selected while the numbers change.
class CallersView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CallersView)

public:
    explicit CallersView(Workbench *workbench, QWidget *parent = nullptr);
    ~CallersView() override;

    QTableView *table() const { return m_table; }
    // The table as shown and, for CSV, its rows as sorted there.
    ExportSource exportSource() const;
    TopCallersModel *model() const { return m_model; }
    QLabel *steadyBanner() const { return m_steady; }
    void refreshNow() { refresh(); }

protected:
    void showEvent(QShowEvent *event) override;

private:
    void refresh();
    void updateSources();
    qint64 spanMs() const;

    Workbench *m_workbench;              // Not owned.
    TopCallersModel *m_model = nullptr;  // Owned (child).
    VariantSortProxy *m_proxy = nullptr; // Owned (child).
    QComboBox *m_source = nullptr;
    QComboBox *m_span = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_steady = nullptr;
    QLabel *m_empty = nullptr;
    QTableView *m_table = nullptr;
    QTimer *m_refreshTimer = nullptr;
    bool m_dirty = true;
};

} // namespace twbench
