#pragma once

#include "export/viewexporter.h"

#include "model/diagnosis/finding.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;
class QTextBrowser;

namespace twbench {

class FindingsModel;
class FindingsRunner;
class Workbench;

// What twbench concludes, every host's findings most severe first, and the selected one in
// full: its explanation, the evidence with numbers, and the remedies. Selecting a finding says
// so (findingSelected) so the main window can point the other views at its evidence: the graph's
// edges, the charts' time range, the connection table's filter.
class FindingsView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FindingsView)

public:
    FindingsView(Workbench *workbench, FindingsRunner *runner, QWidget *parent = nullptr);
    ~FindingsView() override;

    QTableView *table() const { return m_table; }
    // The whole panel (list and details) as shown; CSV: the findings list. Not const: the
    // source renders this widget.
    ExportSource exportSource();
    FindingsModel *model() const { return m_model; }
    QTextBrowser *details() const { return m_details; }
    // "Findings (3)" for the tab, "Findings" when none.
    QString tabTitle() const;
    // Finding::Evidence, remedies and explanation as rich text (escaped), as the panel shows it.
    static QString detailsHtml(const Finding &finding);

signals:
    // The operator picked a finding (a click, the keys, or a click on the one the panel had
    // shown by itself): the other views show its evidence. A finding the panel shows by itself
    // (the first one when none is selected, the next one when the selected one went) is not
    // announced: its evidence would take the operator's host and connection filter away from
    // under them.
    void findingSelected(const twbench::Finding &finding);
    // The operator asked to see the finding's sockets in the connection table.
    void showConnectionsRequested(const twbench::Finding &finding);
    void tabTitleChanged(const QString &title);

protected:
    // Marks the table's mouse presses and keys as the operator's, for onCurrentRowChanged().
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void refresh();
    void onCurrentRowChanged();

    Workbench *m_workbench;           // Not owned.
    FindingsRunner *m_runner;         // Not owned.
    FindingsModel *m_model = nullptr; // Owned (child).
    QLabel *m_summary = nullptr;
    QTableView *m_table = nullptr;
    QTextBrowser *m_details = nullptr;
    QPushButton *m_showConnections = nullptr;
    // Set while the table handles the operator's mouse press or key: a current row that
    // changes then is their pick. Every other change (refresh() putting the first finding
    // forward, Qt moving the current row off a finding that went) is the panel's own.
    bool m_operatorInput = false;
    bool m_evidencePending = false; // the current finding was not the operator's pick
    QString m_currentKey;           // FindingsModel::KeyRole of the current finding
};

} // namespace twbench
