#pragma once

#include "remote/hostspec.h"
#include "remote/sshtypes.h"

#include <QHash>
#include <QMainWindow>
#include <QPointer>

#include <optional>

class QAction;
class QLabel;
class QListView;
class QMenu;
class QTabWidget;
class QTimer;

namespace twbench {

class ChartsView;
class CallersView;
class FindingsRunner;
class FindingsView;
struct Finding;
class ConnectionsView;
class CredentialDialog;
class HostKeyDialog;
class HostKeyRefusalDialog;
class EndpointsView;
class TopologyView;
class Workbench;
struct HostStatus;

class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(Workbench *workbench, QWidget *parent = nullptr);
    ~MainWindow() override;

    // For tests and screenshots.
    ConnectionsView *connectionsView() const { return m_connections; }
    CallersView *callersView() const { return m_callers; }
    FindingsView *findingsView() const { return m_findings; }
    FindingsRunner *findingsRunner() const { return m_findingsRunner; }
    // Points the graph, the charts and the connection table at the finding's evidence.
    void showFindingEvidence(const twbench::Finding &finding);
    EndpointsView *endpointsView() const { return m_endpoints; }
    ChartsView *chartsView() const { return m_charts; }
    TopologyView *topologyView() const { return m_topology; }
    QTabWidget *tabs() const { return m_tabs; }
    QListView *hostsView() const { return m_hostsView; }
    HostKeyDialog *hostKeyDialog() const;
    CredentialDialog *credentialDialog() const;
    // The Hosts menu's actions, by objectName ("addHostAction", "removeHostAction", …).
    QAction *hostAction(const QString &objectName) const;

    // The Hosts menu, also reachable from the hosts list's context menu.
    void addHost();
    void editHost();
    void duplicateHost();
    void removeHost();
    void undoRemoveHost();
    void connectCurrentHost();
    void disconnectCurrentHost();
    void importHosts();
    void forgetHostKey();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void createHostActions();
    void createHostsDock();
    void updateHostActions();
    std::optional<HostSpec> currentSpec() const;
    void showHostKeyQuestion(const HostKeyQuestion &question);
    void showHostKeyRefusal(const HostKeyQuestion &question);
    void showNextCredentialRequest();
    void createStatusBar();
    void restoreSettings();
    void saveSettings() const;
    void selectHostRow(int row);
    void onCurrentHostChanged(const QString &hostId);
    void updateStatusBar();
    void showAbout();

    Workbench *m_workbench; // Not owned.
    QTabWidget *m_tabs = nullptr;
    ConnectionsView *m_connections = nullptr;
    CallersView *m_callers = nullptr;
    FindingsRunner *m_findingsRunner = nullptr; // Owned (child).
    FindingsView *m_findings = nullptr;
    EndpointsView *m_endpoints = nullptr;
    ChartsView *m_charts = nullptr;
    TopologyView *m_topology = nullptr;
    QListView *m_hostsView = nullptr;
    QLabel *m_stateLabel = nullptr;
    QLabel *m_sampleLabel = nullptr;
    QLabel *m_socketsLabel = nullptr;
    QLabel *m_issuesLabel = nullptr;
    QTimer *m_statusTimer = nullptr;

    QMenu *m_hostMenu = nullptr;
    QAction *m_addHost = nullptr;
    QAction *m_editHost = nullptr;
    QAction *m_duplicateHost = nullptr;
    QAction *m_removeHost = nullptr;
    QAction *m_connectHost = nullptr;
    QAction *m_disconnectHost = nullptr;
    QAction *m_importHosts = nullptr;
    QAction *m_forgetHostKey = nullptr;
    QWidget *m_undoBox = nullptr; // "Host removed — Undo" in the status bar
    QLabel *m_undoLabel = nullptr;
    QTimer *m_undoTimer = nullptr;
    std::optional<HostSpec> m_lastRemoved;
    // Closed dialogs delete themselves; QPointer notices.
    QPointer<HostKeyDialog> m_hostKeyDialog;
    QPointer<CredentialDialog> m_credentialDialog;
    QHash<QString, QPointer<HostKeyRefusalDialog>> m_refusals; // by host id: one each
};

} // namespace twbench
