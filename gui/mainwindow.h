#pragma once

#include "remote/hostspec.h"
#include "remote/sshtypes.h"

#include <QHash>
#include <QMainWindow>
#include <QPointer>

#include <functional>
#include <memory>
#include <optional>

class QAction;
class QDockWidget;
class QLabel;
class QListView;
class QMenu;
class QSlider;
class QTabWidget;
class QTimer;
class QToolBar;

namespace twbench {

class CaptureReader;
class CaptureRecorder;
class CaptureReplay;
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
class ExportActions;
struct ExportCaption;
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

    // The live window: records what the workbench receives into `path` (the session's
    // recording file) so that File → Save can keep it. False with *error; the window works on
    // without recording.
    bool startRecording(const QString &path, QString *error);
    CaptureRecorder *recorder() const { return m_recorder; }
    // Commits and closes the recording file (saving stays possible only until then).
    void stopRecording();
    // A capture's window: shows `replay` (owned by the window from now on) with a time slider.
    void setReplay(CaptureReplay *replay);
    CaptureReplay *replay() const { return m_replay; }
    QSlider *replaySlider() const { return m_replaySlider; }
    ExportActions *exportActions() const { return m_exports; }

    // File menu.
    void open();
    // Reads the capture on the thread pool, then shows it in a window of its own.
    void openCapture(const QString &path);
    void openSampleInvestigation();
    bool save();
    bool saveAs();
    // File → Export report…: HTML or PDF of the capture shown (a capture's window) or of what
    // was recorded so far (the live window), redacted when File → Redact reports is on.
    void exportReport();
    bool exportReportTo(const QString &path, bool redact, QString *error);
    // A window for an opened capture (deletes itself on close).
    static MainWindow *showCapture(std::shared_ptr<const CaptureReader> reader);
    // Shown on the first start: "Open sample investigation".
    void showFirstStartOffer();
    void showFirstStartOfferNow();
    // A recording left by a twbench that did not close normally (a crash, a kill, a power
    // cut) is offered for opening; those older than two weeks are deleted. `current` is this
    // session's own recording.
    void offerLeftoverRecordings(const QString &current);

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
    void changeEvent(QEvent *event) override;

private:
    // Every widget, menu and action; again after a language switch (rebuildForLanguage()).
    void buildUi();
    void rebuildForLanguage();
    void createLanguageMenu(QMenu *viewMenu);
    void setDockContent(QDockWidget *dock, QWidget *content);
    // The dock of that name, made (and placed in `area`) the first time.
    QDockWidget *dockFor(const QString &objectName, const QString &title, Qt::DockWidgetArea area,
                         bool *created);
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
    void createFileMenu(QMenu *fileMenu);
    void createRetentionMenu(QMenu *fileMenu);
    void updateTitle();
    void rememberRecentFile(const QString &path);
    void fillRecentMenu();
    void createReplayBar();
    void seekReplaySlider(int seconds);
    void onReplayPositioned(std::int64_t epochMs);
    bool confirmClose();
    void createExportActions(QMenu *fileMenu);
    int currentExportSource() const;
    ExportCaption exportCaption() const;
    void showInfoBar(const QString &text, const QString &actionText,
                     const std::function<void()> &action);

    Workbench *m_workbench;                // Not owned.
    CaptureRecorder *m_recorder = nullptr; // Owned (child); live windows only
    CaptureReplay *m_replay = nullptr;     // Owned (child); capture windows only
    QToolBar *m_replayBar = nullptr;
    QSlider *m_replaySlider = nullptr;
    QLabel *m_replayLabel = nullptr;
    QTimer *m_seekTimer = nullptr; // coalesces slider moves into one seek
    QMenu *m_recentMenu = nullptr;
    QMenu *m_retentionMenu = nullptr;   // File → Recording keeps; live windows only
    ExportActions *m_exports = nullptr; // Owned (child).
    QAction *m_saveAction = nullptr;
    QAction *m_saveAsAction = nullptr;
    QAction *m_reportAction = nullptr;
    QAction *m_redactAction = nullptr;
    bool m_rebuildPending = false;
    // Shows the info bar's current offer again, in the language of the moment.
    std::function<void()> m_showInfo;
    QWidget *m_infoBar = nullptr;
    QLabel *m_infoLabel = nullptr;
    QAction *m_infoAction = nullptr;
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
