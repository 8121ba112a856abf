#include "mainwindow.h"

#include "callersview.h"
#include "capturerecorder.h"
#include "chartsview.h"
#include "connectionsview.h"
#include "credentialdialog.h"
#include "endpointsview.h"
#include "export/exportactions.h"
#include "findingsrunner.h"
#include "findingsview.h"
#include "hostdialog.h"
#include "hostitemdelegate.h"
#include "hostkeydialog.h"
#include "hostkeyrefusaldialog.h"
#include "language.h"
#include "servertext.h"
#include "sshimportdialog.h"
#include "topologyview.h"
#include "workbench.h"

#include "replay/capturereplay.h"
#include "report/reportbuilder.h"

#include "model/redactor.h"

#include "model/hostlistmodel.h"
#include "remote/knownhosts.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QFrame>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSlider>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace twbench {

namespace {

constexpr int maxRecentFiles = 8;
const QString recentFilesKey = QStringLiteral("files/recent");
const QString lastFolderKey = QStringLiteral("files/lastFolder");
const QString sampleOfferedKey = QStringLiteral("firstStart/sampleOffered");
// A recording shorter than this is not worth a question on quit.
constexpr std::int64_t askToSaveFromSamples = 60;

QString captureFilter()
{
    return MainWindow::tr("twbench captures (*.twbench);;All files (*)");
}

QString timeText(std::int64_t epochMs)
{
    return QLocale().toString(QDateTime::fromMSecsSinceEpoch(epochMs),
                              QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString durationText(std::int64_t ms)
{
    const std::int64_t seconds = std::max<std::int64_t>(0, ms / 1000);
    if (seconds >= 3600)
        return QStringLiteral("%1:%2:%3")
            .arg(seconds / 3600)
            .arg(seconds / 60 % 60, 2, 10, QLatin1Char('0'))
            .arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

MainWindow::MainWindow(Workbench *workbench, QWidget *parent)
    : QMainWindow(parent)
    , m_workbench(workbench)
{
    setWindowTitle(tr("twbench — TIME_WAIT workbench"));
    setObjectName(QStringLiteral("MainWindow"));

    // The runner outlives a rebuild of the widgets (a language switch): its findings stay.
    m_findingsRunner = new FindingsRunner(workbench, this);
    buildUi();

    connect(m_workbench->hostListModel(), &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_workbench->currentHost().isEmpty())
            selectHostRow(0);
    });
    connect(m_workbench, &Workbench::currentHostChanged, this, &MainWindow::onCurrentHostChanged);
    connect(m_workbench, &Workbench::statusChanged, this, &MainWindow::updateStatusBar);
    // A password that could not be stored or deleted must not fail silently: the operator opted
    // in and would otherwise believe it was kept (or gone).
    connect(m_workbench, &Workbench::keychainProblem, this,
            [this](const QString &hostId, const QString &message) {
                HostListModel *hosts = m_workbench->hostListModel();
                const QString name =
                    hosts->index(hosts->rowOf(hostId), 0).data(Qt::DisplayRole).toString();
                statusBar()->showMessage(tr("Keychain, %1: %2").arg(name, message), 15000);
            });
    connect(m_workbench, &Workbench::sampleArrived, this, &MainWindow::updateStatusBar);
    connect(m_workbench, &Workbench::statusChanged, this, &MainWindow::updateHostActions);
    connect(m_workbench, &Workbench::currentHostChanged, this, &MainWindow::updateHostActions);
    connect(m_workbench, &Workbench::hostsChanged, this, &MainWindow::updateHostActions);
    connect(m_workbench, &Workbench::hostKeyQuestionQueued, this, &MainWindow::showHostKeyQuestion);
    connect(m_workbench, &Workbench::hostKeyQuestionDropped, this, [this](std::uint64_t id) {
        if (m_hostKeyDialog)
            m_hostKeyDialog->removeQuestion(id);
    });
    connect(m_workbench, &Workbench::hostKeyRefused, this, &MainWindow::showHostKeyRefusal);
    connect(m_workbench, &Workbench::credentialRequestQueued, this,
            &MainWindow::showNextCredentialRequest);

    resize(1280, 800);
    restoreSettings();
    if (m_hostsView->model()->rowCount() > 0 && m_workbench->currentHost().isEmpty())
        selectHostRow(0);
    updateStatusBar();
    updateHostActions();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildUi()
{
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("viewTabs"));
    m_tabs->setDocumentMode(true);
    m_endpoints = new EndpointsView(m_workbench, m_tabs);
    m_connections = new ConnectionsView(m_workbench, m_tabs);
    m_charts = new ChartsView(m_workbench, m_tabs);
    // Findings first: twbench's conclusions, each pointing at its evidence in the other views.
    // Then Endpoints: the grouped view answers the first question ("which endpoint holds the
    // TIME_WAITs?") that operators otherwise ask netstat | sort | uniq -c.
    m_findings = new FindingsView(m_workbench, m_findingsRunner, m_tabs);
    m_tabs->addTab(m_findings, m_findings->tabTitle());
    connect(m_findings, &FindingsView::tabTitleChanged, this, [this](const QString &title) {
        m_tabs->setTabText(m_tabs->indexOf(m_findings), title);
    });
    m_tabs->addTab(m_endpoints, tr("&Endpoints"));
    m_tabs->addTab(m_connections, tr("&Connections"));
    m_callers = new CallersView(m_workbench, m_tabs);
    m_tabs->addTab(m_callers, tr("C&allers"));
    // In a holder that stays, like the docks' (setDockContent()): a new central widget makes
    // the layout share the room with the docks anew.
    if (!centralWidget()) {
        auto *holder = new QWidget(this);
        auto *layout = new QVBoxLayout(holder);
        layout->setContentsMargins(0, 0, 0, 0);
        setCentralWidget(holder);
    }
    while (QLayoutItem *item = centralWidget()->layout()->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    centralWidget()->layout()->addWidget(m_tabs);
    // A bar across the window's top for offers that need no dialog ("Open sample
    // investigation", a recording left by a crash): seen, but in nobody's way.
    auto *infoToolBar = new QToolBar(tr("Notice"), this);
    infoToolBar->setObjectName(QStringLiteral("infoToolBar"));
    infoToolBar->setMovable(false);
    infoToolBar->setFloatable(false);
    infoToolBar->toggleViewAction()->setVisible(false);
    m_infoBar = infoToolBar;
    auto *infoFrame = new QFrame(infoToolBar);
    infoFrame->setObjectName(QStringLiteral("infoBar"));
    infoFrame->setStyleSheet(
        QStringLiteral("#infoBar { background: #eef4fb; border: 1px solid #b9cfe8; }"));
    auto *infoLayout = new QHBoxLayout(infoFrame);
    infoLayout->setContentsMargins(10, 4, 6, 4);
    m_infoLabel = new QLabel(infoFrame);
    m_infoLabel->setTextFormat(Qt::PlainText);
    auto *infoButton = new QToolButton(infoFrame);
    infoButton->setObjectName(QStringLiteral("infoBarButton"));
    m_infoAction = new QAction(this);
    infoButton->setDefaultAction(m_infoAction);
    auto *infoClose = new QToolButton(infoFrame);
    infoClose->setText(tr("Dismiss"));
    infoClose->setAutoRaise(true);
    connect(infoClose, &QToolButton::clicked, m_infoBar, &QWidget::hide);
    infoLayout->addWidget(m_infoLabel, 1);
    infoLayout->addWidget(infoButton);
    infoLayout->addWidget(infoClose);
    infoToolBar->addWidget(infoFrame);
    addToolBar(Qt::TopToolBarArea, infoToolBar);
    m_infoBar->hide();

    // The charts sit under the tables, not in a tab of their own: the pile (which endpoint) and
    // the curve (since when, how fast) are read together.
    bool created = false;
    QDockWidget *chartsDock =
        dockFor(QStringLiteral("chartsDock"), tr("Charts"), Qt::BottomDockWidgetArea, &created);
    chartsDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable |
                            QDockWidget::DockWidgetFloatable);
    setDockContent(chartsDock, m_charts);
    if (created)
        resizeDocks({chartsDock}, {340}, Qt::Vertical);

    // The graph is a dock beside the tables, not a tab: the operator reads callers → nginx →
    // API there and clicks an edge to see its sockets in the table next to it, both at once.
    m_topology = new TopologyView(m_workbench, this);
    QDockWidget *topologyDock =
        dockFor(QStringLiteral("topologyDock"), tr("Topology"), Qt::RightDockWidgetArea, &created);
    topologyDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable |
                              QDockWidget::DockWidgetFloatable);
    setDockContent(topologyDock, m_topology);
    if (created)
        resizeDocks({topologyDock}, {620}, Qt::Horizontal);
    connect(m_topology, &TopologyView::socketsPicked, this,
            [this](const QSet<SocketKey> &keys, const QString &display) {
                m_connections->showSockets(keys, display);
                m_tabs->setCurrentWidget(m_connections);
            });
    connect(m_topology, &TopologyView::pickCleared, m_connections, &ConnectionsView::clearGroup);
    connect(m_connections, &ConnectionsView::selectedSocketsChanged, m_topology,
            &TopologyView::highlightSockets);

    connect(m_findings, &FindingsView::findingSelected, this, &MainWindow::showFindingEvidence);
    connect(m_findings, &FindingsView::showConnectionsRequested, this,
            [this](const Finding &finding) {
                showFindingEvidence(finding);
                m_tabs->setCurrentWidget(m_connections);
            });

    connect(m_endpoints, &EndpointsView::drillDown, this,
            [this](Grouping grouping, const GroupKey &key, const QString &display) {
                m_connections->showGroup(grouping, key, display);
                m_tabs->setCurrentWidget(m_connections);
            });

    createHostsDock();
    createHostActions();
    createActions();
    createStatusBar();
    updateTitle();
}

void MainWindow::changeEvent(QEvent *event)
{
    QMainWindow::changeEvent(event);
    // Both translators (Qt's and ours) announce themselves: one rebuild for the two.
    if (event->type() == QEvent::LanguageChange && !m_rebuildPending) {
        m_rebuildPending = true;
        QTimer::singleShot(0, this, &MainWindow::rebuildForLanguage);
    }
}

void MainWindow::rebuildForLanguage()
{
    m_rebuildPending = false;
    // Every text was set when a widget was made: making them again is the one way that leaves
    // none behind. The data stays in the workbench, the recorder, the replay and the runner.
    const int tab = m_tabs->currentIndex();
    const bool infoShown = m_infoBar && m_infoBar->isVisible();
    delete m_exports;
    m_exports = nullptr;
    // The docks stay where the operator put them, with their sizes; only what is inside their
    // holders is made again (setDockContent()).
    for (QToolBar *bar : findChildren<QToolBar *>(QString(), Qt::FindDirectChildrenOnly)) {
        removeToolBar(bar);
        delete bar;
    }
    // The central widget is replaced by buildUi() (setCentralWidget() deletes the old one):
    // taken away first, the docks would grow into its room.
    setMenuBar(new QMenuBar(this));
    setStatusBar(new QStatusBar(this));
    qDeleteAll(findChildren<QAction *>(QString(), Qt::FindDirectChildrenOnly));
    qDeleteAll(findChildren<QActionGroup *>(QString(), Qt::FindDirectChildrenOnly));
    qDeleteAll(findChildren<QTimer *>(QString(), Qt::FindDirectChildrenOnly));
    m_replayBar = nullptr;
    m_replaySlider = nullptr;
    m_replayLabel = nullptr;
    m_seekTimer = nullptr;

    buildUi();
    if (m_recorder) {
        m_saveAction->setEnabled(true);
        m_saveAsAction->setEnabled(true);
    }
    if (m_replay) {
        for (QAction *action : {m_addHost, m_editHost, m_duplicateHost, m_removeHost, m_connectHost,
                                m_disconnectHost, m_importHosts, m_forgetHostKey})
            action->setVisible(false);
        m_hostMenu->menuAction()->setVisible(false);
        createReplayBar();
        const std::int64_t position = m_replay->positionMs();
        m_replaySlider->blockSignals(true);
        m_replaySlider->setValue(int((position - m_replay->startMs()) / 1000));
        m_replaySlider->blockSignals(false);
        m_charts->showWindow(m_replay->startMs(),
                             std::max(m_replay->endMs(), m_replay->startMs() + 1000));
        m_replay->seek(position);
    }
    m_tabs->setCurrentIndex(tab);
    if (infoShown && m_showInfo)
        m_showInfo();
    // The new views load the current host's latest table, as on a host switch.
    emit m_workbench->currentHostChanged(m_workbench->currentHost());
    updateStatusBar();
    updateHostActions();
    updateTitle();
}

void MainWindow::createHostActions()
{
    const auto make = [this](const QString &text, const char *name) {
        auto *action = new QAction(text, this);
        action->setObjectName(QString::fromLatin1(name));
        return action;
    };
    m_addHost = make(tr("&Add host…"), "addHostAction");
    m_addHost->setShortcut(QKeySequence::New);
    m_editHost = make(tr("&Edit…"), "editHostAction");
    m_editHost->setShortcut(QKeySequence(Qt::Key_F2));
    m_duplicateHost = make(tr("D&uplicate…"), "duplicateHostAction");
    m_removeHost = make(tr("&Remove"), "removeHostAction");
    m_removeHost->setShortcut(QKeySequence::Delete);
    m_connectHost = make(tr("&Connect"), "connectHostAction");
    m_disconnectHost = make(tr("&Disconnect"), "disconnectHostAction");
    m_importHosts = make(tr("&Import from ~/.ssh/config…"), "importHostsAction");
    m_forgetHostKey = make(tr("&Forget host key…"), "forgetHostKeyAction");
    m_forgetHostKey->setToolTip(
        tr("Remove this host's lines from known_hosts, after its key changed for a known "
           "reason."));

    // F2 and Delete belong to the hosts list: Delete in a table must not remove a host.
    auto *dock = findChild<QDockWidget *>(QStringLiteral("hostsDock"));
    for (QAction *action : {m_editHost, m_removeHost}) {
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        dock->addAction(action);
    }

    connect(m_addHost, &QAction::triggered, this, &MainWindow::addHost);
    connect(m_editHost, &QAction::triggered, this, &MainWindow::editHost);
    connect(m_duplicateHost, &QAction::triggered, this, &MainWindow::duplicateHost);
    connect(m_removeHost, &QAction::triggered, this, &MainWindow::removeHost);
    connect(m_connectHost, &QAction::triggered, this, &MainWindow::connectCurrentHost);
    connect(m_disconnectHost, &QAction::triggered, this, &MainWindow::disconnectCurrentHost);
    connect(m_importHosts, &QAction::triggered, this, &MainWindow::importHosts);
    connect(m_forgetHostKey, &QAction::triggered, this, &MainWindow::forgetHostKey);

    m_hostsView->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_hostsView, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        const QModelIndex index = m_hostsView->indexAt(pos);
        if (index.isValid())
            m_hostsView->setCurrentIndex(index);
        QMenu menu(this);
        menu.addActions({m_connectHost, m_disconnectHost});
        menu.addSeparator();
        menu.addActions({m_editHost, m_duplicateHost, m_removeHost});
        menu.addSeparator();
        menu.addActions({m_addHost, m_importHosts});
        menu.addSeparator();
        menu.addAction(m_forgetHostKey);
        menu.exec(m_hostsView->viewport()->mapToGlobal(pos));
    });
    connect(m_hostsView, &QAbstractItemView::doubleClicked, this, &MainWindow::editHost);
}

HostKeyDialog *MainWindow::hostKeyDialog() const
{
    return m_hostKeyDialog;
}

CredentialDialog *MainWindow::credentialDialog() const
{
    return m_credentialDialog;
}

QAction *MainWindow::hostAction(const QString &objectName) const
{
    return findChild<QAction *>(objectName);
}

std::optional<HostSpec> MainWindow::currentSpec() const
{
    return m_workbench->hostSpec(m_workbench->currentHost());
}

void MainWindow::updateHostActions()
{
    const std::optional<HostSpec> spec = currentSpec();
    const bool ssh = spec && spec->kind == HostSpec::Kind::Ssh;
    const HostState state = spec ? m_workbench->status(spec->id).state : HostState::Idle;
    const bool stopped =
        state == HostState::Stopped || state == HostState::Failed || state == HostState::Idle;
    m_editHost->setEnabled(spec.has_value());
    // The local workstation is fixed: one of it, always first.
    m_duplicateHost->setEnabled(ssh);
    m_removeHost->setEnabled(ssh);
    m_connectHost->setEnabled(spec.has_value() && stopped);
    m_disconnectHost->setEnabled(spec.has_value() && !stopped);
    m_forgetHostKey->setEnabled(ssh);
}

void MainWindow::addHost()
{
    HostSpec defaults;
    defaults.kind = HostSpec::Kind::Ssh;
    auto *dialog = new HostDialog(HostDialog::Mode::Add, defaults, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const HostSpec spec = dialog->spec();
        if (m_workbench->addHost(spec))
            m_workbench->setCurrentHost(spec.id);
    });
    dialog->open();
}

void MainWindow::editHost()
{
    const std::optional<HostSpec> spec = currentSpec();
    if (!spec)
        return;
    auto *dialog = new HostDialog(HostDialog::Mode::Edit, *spec, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog] { m_workbench->updateHost(dialog->spec()); });
    dialog->open();
}

void MainWindow::duplicateHost()
{
    const std::optional<HostSpec> spec = currentSpec();
    if (!spec || spec->kind != HostSpec::Kind::Ssh)
        return;
    auto *dialog = new HostDialog(HostDialog::Mode::Duplicate, *spec, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const HostSpec copy = dialog->spec();
        if (m_workbench->addHost(copy))
            m_workbench->setCurrentHost(copy.id);
    });
    dialog->open();
}

void MainWindow::removeHost()
{
    const std::optional<HostSpec> spec = currentSpec();
    if (!spec || !m_workbench->removeHost(spec->id))
        return;
    // No confirmation: removing is one click, and so is bringing it back.
    m_lastRemoved = spec;
    m_undoLabel->setText(tr("Host %1 removed.").arg(escapeServerText(spec->displayName)));
    m_undoBox->show();
    m_undoTimer->start();
}

void MainWindow::undoRemoveHost()
{
    m_undoTimer->stop();
    m_undoBox->hide();
    if (!m_lastRemoved)
        return;
    const HostSpec spec = *std::exchange(m_lastRemoved, std::nullopt);
    if (m_workbench->addHost(spec))
        m_workbench->setCurrentHost(spec.id);
}

void MainWindow::connectCurrentHost()
{
    if (const std::optional<HostSpec> spec = currentSpec())
        m_workbench->connectHost(spec->id);
}

void MainWindow::disconnectCurrentHost()
{
    if (const std::optional<HostSpec> spec = currentSpec())
        m_workbench->disconnectHost(spec->id);
}

void MainWindow::importHosts()
{
    auto *dialog = new SshImportDialog(m_workbench->hostSpecs(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const QList<HostSpec> hosts = dialog->selectedHosts();
        for (const HostSpec &spec : hosts)
            m_workbench->addHost(spec);
        statusBar()->showMessage(tr("%n host(s) imported.", nullptr, int(hosts.size())), 5000);
    });
    dialog->open();
    dialog->loadFile(QSettings()
                         .value(QStringLiteral("importDialog/lastPath"),
                                QString(QDir::homePath() + QStringLiteral("/.ssh/config")))
                         .toString());
}

void MainWindow::forgetHostKey()
{
    const std::optional<HostSpec> spec = currentSpec();
    if (!spec || spec->kind != HostSpec::Kind::Ssh)
        return;
    const QString name = KnownHosts::hostName(spec->address, spec->port);
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Forget host key"),
                                tr("Forget the host key of %1?").arg(spec->displayName),
                                QMessageBox::NoButton, this);
    box->setTextFormat(Qt::PlainText);
    box->setInformativeText(
        tr("This removes the lines for %1 from %2, as \"ssh-keygen -R\" does. The next "
           "connection shows the server's key and asks you to trust it again.\n\n"
           "Do this only when you know why the key changed (the server was reinstalled or its "
           "keys were rotated) and have the new fingerprint from its administrator.")
            .arg(name, KnownHosts::defaultUserFile()));
    QPushButton *forget = box->addButton(tr("&Forget host key"), QMessageBox::DestructiveRole);
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    const QString hostId = spec->id;
    connect(box, &QMessageBox::buttonClicked, this, [this, box, forget, hostId, name](auto *b) {
        if (b != forget)
            return;
        const KnownHosts::Removal removal = m_workbench->forgetHostKey(hostId);
        if (!removal.error.isEmpty()) {
            auto *error = new QMessageBox(QMessageBox::Critical, tr("Forget host key"),
                                          removal.error, QMessageBox::Ok, this);
            error->setTextFormat(Qt::PlainText);
            error->setAttribute(Qt::WA_DeleteOnClose);
            error->open();
            return;
        }
        QString message =
            tr("Removed %n name(s) of %1 from known_hosts.", nullptr, removal.removedNames)
                .arg(name);
        if (!removal.leftLines.isEmpty()) {
            QStringList lines;
            for (const int line : removal.leftLines)
                lines << QString::number(line);
            message += u' ' + tr("Lines %1 still match it through a wildcard; edit them by hand.")
                                  .arg(lines.join(QStringLiteral(", ")));
        }
        statusBar()->showMessage(message, 15000);
        if (QPointer<HostKeyRefusalDialog> refusal = m_refusals.take(hostId))
            refusal->close();
        m_workbench->connectHost(hostId);
        Q_UNUSED(box)
    });
    box->open();
}

void MainWindow::showHostKeyQuestion(const HostKeyQuestion &question)
{
    if (!m_hostKeyDialog) {
        m_hostKeyDialog = new HostKeyDialog(this);
        m_hostKeyDialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_hostKeyDialog, &HostKeyDialog::answered, m_workbench, &Workbench::answerHostKey);
        // Everything pending, not only this question: some may have queued before.
        for (const HostKeyQuestion &pending : m_workbench->pendingHostKeyQuestions())
            m_hostKeyDialog->addQuestion(pending);
        m_hostKeyDialog->open();
    }
    m_hostKeyDialog->addQuestion(question);
}

void MainWindow::showHostKeyRefusal(const HostKeyQuestion &question)
{
    // One per host: a host refused again on each retry must not stack windows.
    if (QPointer<HostKeyRefusalDialog> shown = m_refusals.value(question.hostId)) {
        shown->raise();
        return;
    }
    auto *dialog = new HostKeyRefusalDialog(question, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_refusals.insert(question.hostId, dialog);
    dialog->show();
}

void MainWindow::showNextCredentialRequest()
{
    // One at a time; the next one opens when this one is answered.
    if (m_credentialDialog)
        return;
    const std::optional<CredentialRequest> request = m_workbench->takeCredentialRequest();
    if (!request)
        return;
    m_credentialDialog = new CredentialDialog(*request, this);
    m_credentialDialog->setAttribute(Qt::WA_DeleteOnClose);
    const QString hostId = request->hostId;
    connect(m_credentialDialog, &CredentialDialog::replied, this,
            [this, hostId](const CredentialReply &reply) {
                m_workbench->provideCredentials(hostId, reply);
            });
    connect(m_credentialDialog, &QDialog::finished, this, [this] {
        // Queued: the finished dialog is still m_credentialDialog until it is destroyed.
        QTimer::singleShot(0, this, &MainWindow::showNextCredentialRequest);
    });
    m_credentialDialog->open();
}

void MainWindow::createActions()
{
    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    createFileMenu(fileMenu);
    createExportActions(fileMenu);
    fileMenu->addSeparator();
    QAction *quit = fileMenu->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *viewMenu = menuBar()->addMenu(tr("&View"));
    const QList<QPair<QString, QWidget *>> pages = {
        {tr("&Endpoints"), m_endpoints},
        {tr("&Connections"), m_connections},
    };
    for (int i = 0; i < pages.size(); ++i) {
        QWidget *page = pages[i].second;
        QAction *show = viewMenu->addAction(pages[i].first, this,
                                            [this, page] { m_tabs->setCurrentWidget(page); });
        show->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + i)));
    }
    viewMenu->addSeparator();
    QAction *hostsToggle =
        findChild<QDockWidget *>(QStringLiteral("hostsDock"))->toggleViewAction();
    hostsToggle->setText(tr("Hosts &list"));
    hostsToggle->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_H));
    viewMenu->addAction(hostsToggle);
    QAction *chartsToggle =
        findChild<QDockWidget *>(QStringLiteral("chartsDock"))->toggleViewAction();
    chartsToggle->setText(tr("C&harts"));
    chartsToggle->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_3));
    viewMenu->addAction(chartsToggle);
    QAction *topologyToggle =
        findChild<QDockWidget *>(QStringLiteral("topologyDock"))->toggleViewAction();
    topologyToggle->setText(tr("&Topology"));
    topologyToggle->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_4));
    viewMenu->addAction(topologyToggle);
    viewMenu->addSeparator();
    createLanguageMenu(viewMenu);

    m_hostMenu = menuBar()->addMenu(tr("H&osts"));
    m_hostMenu->addActions({m_addHost, m_importHosts});
    m_hostMenu->addSeparator();
    m_hostMenu->addActions({m_editHost, m_duplicateHost, m_removeHost});
    m_hostMenu->addSeparator();
    m_hostMenu->addActions({m_connectHost, m_disconnectHost});
    m_hostMenu->addSeparator();
    m_hostMenu->addAction(m_forgetHostKey);

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    helpMenu->addAction(tr("Open &sample investigation"), this,
                        &MainWindow::openSampleInvestigation);
    helpMenu->addAction(tr("&About twbench"), this, &MainWindow::showAbout);
}

QDockWidget *MainWindow::dockFor(const QString &objectName, const QString &title,
                                 Qt::DockWidgetArea area, bool *created)
{
    auto *dock = findChild<QDockWidget *>(objectName, Qt::FindDirectChildrenOnly);
    *created = dock == nullptr;
    if (!dock) {
        dock = new QDockWidget(this);
        dock->setObjectName(objectName);
        addDockWidget(area, dock);
    }
    dock->setWindowTitle(title);
    return dock;
}

void MainWindow::setDockContent(QDockWidget *dock, QWidget *content)
{
    // A holder that stays: replacing a dock's own widget makes the layout share the room
    // anew, and the docks would lose the sizes the operator gave them.
    QWidget *holder = dock->widget();
    if (!holder) {
        holder = new QWidget(dock);
        auto *layout = new QVBoxLayout(holder);
        layout->setContentsMargins(0, 0, 0, 0);
        dock->setWidget(holder);
    }
    while (QLayoutItem *item = holder->layout()->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    holder->layout()->addWidget(content);
}

void MainWindow::createLanguageMenu(QMenu *viewMenu)
{
    QMenu *menu = viewMenu->addMenu(tr("&Language"));
    menu->setObjectName(QStringLiteral("languageMenu"));
    auto *group = new QActionGroup(this);
    group->setExclusive(true);
    for (const Language::Choice choice : {Language::Choice::System, Language::Choice::English,
                                          Language::Choice::SimplifiedChinese}) {
        QAction *action = menu->addAction(Language::menuText(choice));
        action->setObjectName(QStringLiteral("language_") + Language::key(choice));
        action->setCheckable(true);
        action->setChecked(Language::current() == choice);
        group->addAction(action);
        // Queued: the switch rebuilds this menu, which must not go while it is handling the
        // click.
        connect(action, &QAction::triggered, this, [choice] {
            Language::save(choice);
            QTimer::singleShot(0, qApp, [choice] { Language::apply(choice); });
        });
    }
}

void MainWindow::createHostsDock()
{
    bool created = false;
    QDockWidget *dock =
        dockFor(QStringLiteral("hostsDock"), tr("Hosts"), Qt::LeftDockWidgetArea, &created);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable);
    m_hostsView = new QListView(dock);
    m_hostsView->setObjectName(QStringLiteral("hostsView"));
    m_hostsView->setModel(m_workbench->hostListModel());
    m_hostsView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_hostsView->setUniformItemSizes(true);
    m_hostsView->setItemDelegate(new HostItemDelegate(m_hostsView));
    m_hostsView->setMinimumWidth(180);
    setDockContent(dock, m_hostsView);
    Q_UNUSED(created)

    connect(m_hostsView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) {
                if (current.isValid())
                    m_workbench->setCurrentHost(current.data(HostListModel::HostIdRole).toString());
            });
}

void MainWindow::selectHostRow(int row)
{
    const QModelIndex index = m_hostsView->model()->index(row, 0);
    if (index.isValid())
        m_hostsView->setCurrentIndex(index);
}

void MainWindow::createStatusBar()
{
    m_stateLabel = new QLabel(this);
    m_sampleLabel = new QLabel(this);
    m_socketsLabel = new QLabel(this);
    m_issuesLabel = new QLabel(this);
    m_stateLabel->setObjectName(QStringLiteral("hostStateLabel"));
    m_issuesLabel->setObjectName(QStringLiteral("issuesLabel"));
    for (QLabel *label : {m_stateLabel, m_sampleLabel, m_socketsLabel}) {
        label->setContentsMargins(6, 0, 12, 0);
        statusBar()->addWidget(label);
    }
    statusBar()->addPermanentWidget(m_issuesLabel);

    m_undoBox = new QWidget(this);
    m_undoBox->setObjectName(QStringLiteral("undoRemoveBox"));
    m_undoLabel = new QLabel(m_undoBox);
    m_undoLabel->setTextFormat(Qt::PlainText);
    auto *undo = new QToolButton(m_undoBox);
    undo->setObjectName(QStringLiteral("undoRemoveButton"));
    auto *undoAction = new QAction(tr("&Undo"), this);
    undoAction->setObjectName(QStringLiteral("undoRemoveHostAction"));
    undo->setDefaultAction(undoAction);
    connect(undoAction, &QAction::triggered, this, &MainWindow::undoRemoveHost);
    auto *undoLayout = new QHBoxLayout(m_undoBox);
    undoLayout->setContentsMargins(6, 0, 6, 0);
    undoLayout->addWidget(m_undoLabel);
    undoLayout->addWidget(undo);
    statusBar()->addPermanentWidget(m_undoBox);
    m_undoBox->hide();
    m_undoTimer = new QTimer(this);
    m_undoTimer->setSingleShot(true);
    m_undoTimer->setInterval(15000);
    connect(m_undoTimer, &QTimer::timeout, m_undoBox, &QWidget::hide);
    // "2 s ago" must age even when no sample arrives: that is how a stalled host shows.
    m_statusTimer = new QTimer(this);
    m_statusTimer->setInterval(1000);
    connect(m_statusTimer, &QTimer::timeout, this, [this] {
        updateStatusBar();
        // The hosts list counts down "retrying in N s" too; a repaint is all it needs.
        m_hostsView->viewport()->update();
    });
    m_statusTimer->start();
}

void MainWindow::onCurrentHostChanged(const QString &hostId)
{
    const QModelIndex current = m_hostsView->currentIndex();
    if (!current.isValid() || current.data(HostListModel::HostIdRole).toString() != hostId) {
        const int row = m_workbench->hostListModel()->rowOf(hostId);
        if (row >= 0)
            selectHostRow(row);
    }
    updateStatusBar();
}

void MainWindow::updateStatusBar()
{
    const QString hostId = m_workbench->currentHost();
    if (hostId.isEmpty()) {
        m_stateLabel->setText(tr("No host selected"));
        m_sampleLabel->clear();
        m_socketsLabel->clear();
        m_issuesLabel->clear();
        return;
    }
    const HostStatus status = m_workbench->status(hostId);
    QString stateText = hostStateText(status.state);
    const std::int64_t retryMs = status.retryRemainingMs(QDateTime::currentMSecsSinceEpoch());
    if (status.state == HostState::Retrying && retryMs > 0)
        stateText = tr("retrying in %1 s").arg((retryMs + 999) / 1000);
    if (!status.detail.isEmpty())
        stateText += QStringLiteral(": ") + status.detail;
    m_stateLabel->setText(stateText);

    const QLocale locale;
    const HostSamplePtr sample = m_workbench->latestSample(hostId);
    if (sample) {
        const qint64 ageMs = QDateTime::currentMSecsSinceEpoch() - sample->epochMs;
        if (m_replay) {
            // A recorded sample's age means nothing; its time does.
            m_sampleLabel->setText(
                tr("Sample #%1 at %2")
                    .arg(locale.toString(qulonglong(sample->sequence)), timeText(sample->epochMs)));
        } else {
            m_sampleLabel->setText(
                tr("Sample #%1, %2 s ago")
                    .arg(locale.toString(qulonglong(sample->sequence)))
                    .arg(locale.toString(qMax<qint64>(0, ageMs) / 1000.0, 'f', 1)));
        }
        if (sample->issues.isEmpty()) {
            m_issuesLabel->clear();
            m_issuesLabel->setToolTip({});
        } else {
            m_issuesLabel->setText(tr("%n source problem(s)", nullptr, int(sample->issues.size())));
            QStringList lines;
            for (const SourceIssue &issue : sample->issues)
                lines << issue.source + QStringLiteral(": ") + issue.message;
            m_issuesLabel->setToolTip(lines.join(u'\n'));
        }
    } else {
        m_sampleLabel->setText(tr("Waiting for the first sample…"));
    }
    const SnapshotPtr table = m_workbench->latestTable(hostId);
    if (table) {
        m_socketsLabel->setText(
            tr("%Ln socket(s) in the last table", nullptr, int(table->sockets.size())));
    } else {
        m_socketsLabel->clear();
    }
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About twbench"),
                       tr("<h3>twbench %1</h3><p>The TIME_WAIT workbench: finds out who opens and "
                          "who closes the connections that pile up on a Linux server, and what "
                          "they cost.</p>")
                           .arg(QStringLiteral(TWBENCH_VERSION)));
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("mainWindow/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("mainWindow/state")).toByteArray());
    m_tabs->setCurrentIndex(settings.value(QStringLiteral("mainWindow/tab"), 0).toInt());
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("mainWindow/state"), saveState());
    settings.setValue(QStringLiteral("mainWindow/tab"), m_tabs->currentIndex());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!confirmClose()) {
        event->ignore();
        return;
    }
    // A capture's window must not overwrite the live window's remembered layout.
    if (!m_replay)
        saveSettings();
    event->accept();
}

void MainWindow::showFindingEvidence(const Finding &finding)
{
    // The evidence is the finding's host's: the views follow the current host.
    if (!finding.hostId.isEmpty() && finding.hostId != m_workbench->currentHost()) {
        const int row = m_workbench->hostListModel()->rowOf(finding.hostId);
        if (row >= 0)
            selectHostRow(row);
    }
    m_topology->highlightEdges(finding.topologyEdges);
    m_charts->markRange(finding.timeRange);
    m_connections->setTextFilter(finding.tableFilter); // empty: the filter of the last one goes
}

void MainWindow::createFileMenu(QMenu *fileMenu)
{
    QAction *openAction = fileMenu->addAction(tr("&Open capture…"), this, &MainWindow::open);
    openAction->setObjectName(QStringLiteral("openCaptureAction"));
    openAction->setShortcut(QKeySequence::Open);
    m_recentMenu = fileMenu->addMenu(tr("Open &recent"));
    m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
    fileMenu->addAction(tr("Open &sample investigation"), this,
                        &MainWindow::openSampleInvestigation);
    fileMenu->addSeparator();
    m_saveAction = fileMenu->addAction(tr("&Save"), this, &MainWindow::save);
    m_saveAction->setObjectName(QStringLiteral("saveAction"));
    m_saveAction->setShortcut(QKeySequence::Save);
    m_saveAsAction = fileMenu->addAction(tr("Save &as…"), this, &MainWindow::saveAs);
    m_saveAsAction->setObjectName(QStringLiteral("saveAsAction"));
    m_saveAsAction->setShortcut(QKeySequence::SaveAs);
    // Saving belongs to the live window, which records; a capture's window shows a file as
    // it is.
    m_saveAction->setEnabled(false);
    m_saveAsAction->setEnabled(false);
    createRetentionMenu(fileMenu);
    fileMenu->addSeparator();
}

void MainWindow::createRetentionMenu(QMenu *fileMenu)
{
    // The recording's rolling window (CaptureRecorder): what an operator who leaves twbench
    // running for days chooses between, disk against history. Kept for the next sessions too.
    m_retentionMenu = fileMenu->addMenu(tr("Recording &keeps"));
    m_retentionMenu->setObjectName(QStringLiteral("retentionMenu"));
    m_retentionMenu->menuAction()->setVisible(m_replay == nullptr);
    auto *group = new QActionGroup(this);
    group->setExclusive(true);
    constexpr std::int64_t hourMs = 3600 * 1000;
    const std::int64_t current =
        m_recorder ? m_recorder->retentionMs() : CaptureRecorder::savedRetentionMs();
    const QList<QPair<QString, std::int64_t>> choices = {
        {tr("The last 6 hours"), 6 * hourMs},
        {tr("The last 24 hours"), 24 * hourMs},
        {tr("The last 3 days"), 72 * hourMs},
        {tr("Everything (the file grows without limit)"), 0},
    };
    for (const auto &[text, keepMs] : choices) {
        QAction *action = m_retentionMenu->addAction(text);
        action->setCheckable(true);
        action->setChecked(keepMs == current);
        action->setData(qint64(keepMs));
        group->addAction(action);
        connect(action, &QAction::triggered, this, [this, keepMs] {
            CaptureRecorder::saveRetentionMs(keepMs);
            if (m_recorder)
                m_recorder->setRetention(keepMs);
        });
    }
    // The cap is said, not chosen here: a window narrower than the menu's when many hosts
    // send big tables.
    const std::int64_t sizeCap =
        m_recorder ? m_recorder->sizeCap() : CaptureRecorder::savedSizeCapBytes();
    if (sizeCap > 0) {
        m_retentionMenu->addSeparator();
        QAction *cap = m_retentionMenu->addAction(
            tr("At most %1 on disk: with many hosts, the oldest go first")
                .arg(QLocale().formattedDataSize(sizeCap)));
        cap->setObjectName(QStringLiteral("retentionCapAction"));
        cap->setEnabled(false);
    }
}

// The order of the sources, for currentExportSource().
enum class ExportView { Findings, Endpoints, Connections, Callers, Charts, Topology };

void MainWindow::createExportActions(QMenu *fileMenu)
{
    m_exports = new ExportActions(
        {
            {tr("Findings"),
             [this] {
                 return m_findings->exportSource();
             }},
            {tr("Endpoints"),
             [this] {
                 return m_endpoints->exportSource();
             }},
            {tr("Connections"),
             [this] {
                 return m_connections->exportSource();
             }},
            {tr("Callers"),
             [this] {
                 return m_callers->exportSource();
             }},
            {tr("Charts"),
             [this] {
                 return ExportSource::ofWidget(tr("Charts"), m_charts);
             }},
            {tr("Topology"),
             [this] {
                 return m_topology->exportSource();
             }},
        },
        [this] { return exportCaption(); }, this);
    m_exports->setCurrentSource([this] { return currentExportSource(); });
    m_exports->exportAction()->setObjectName(QStringLiteral("exportViewAction"));
    m_exports->copyAction()->setObjectName(QStringLiteral("copyViewAction"));
    fileMenu->addAction(m_exports->exportAction());
    fileMenu->addAction(m_exports->copyAction());
    m_reportAction = fileMenu->addAction(tr("Export &report…"), this, &MainWindow::exportReport);
    m_reportAction->setObjectName(QStringLiteral("exportReportAction"));
    m_reportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    m_redactAction = fileMenu->addAction(tr("Re&dact addresses and host names in reports"));
    m_redactAction->setObjectName(QStringLiteral("redactReportsAction"));
    m_redactAction->setCheckable(true);
    m_redactAction->setChecked(QSettings().value(QStringLiteral("report/redact"), false).toBool());
    connect(m_redactAction, &QAction::toggled, this,
            [](bool on) { QSettings().setValue(QStringLiteral("report/redact"), on); });
    connect(m_exports, &ExportActions::exported, this, [this](const QString &path) {
        statusBar()->showMessage(tr("Exported to %1.").arg(QDir::toNativeSeparators(path)), 5000);
    });
    connect(m_exports, &ExportActions::copied, this, [this](const QString &title) {
        statusBar()->showMessage(tr("%1 copied to the clipboard.").arg(title), 5000);
    });
}

int MainWindow::currentExportSource() const
{
    // The view the operator is in: a dock that holds the focus, else the tab shown.
    const QWidget *focus = QApplication::focusWidget();
    if (focus && (focus == m_charts || m_charts->isAncestorOf(focus)))
        return int(ExportView::Charts);
    if (focus && (focus == m_topology || m_topology->isAncestorOf(focus)))
        return int(ExportView::Topology);
    const QWidget *page = m_tabs->currentWidget();
    if (page == m_findings)
        return int(ExportView::Findings);
    if (page == m_endpoints)
        return int(ExportView::Endpoints);
    if (page == m_connections)
        return int(ExportView::Connections);
    if (page == m_callers)
        return int(ExportView::Callers);
    return -1;
}

ExportCaption MainWindow::exportCaption() const
{
    ExportCaption caption;
    QStringList names;
    const QString current = m_workbench->currentHost();
    for (const HostSpec &spec : m_workbench->hostSpecs()) {
        if (spec.id == current || (currentExportSource() == int(ExportView::Charts) &&
                                   m_charts->hostScope() == ChartsView::HostScope::All))
            names << spec.displayName;
    }
    caption.hosts = names.join(QStringLiteral(", "));
    const QLocale locale;
    const auto text = [&locale](std::int64_t ms, const QString &format) {
        return locale.toString(QDateTime::fromMSecsSinceEpoch(ms), format);
    };
    if (currentExportSource() == int(ExportView::Charts)) {
        const auto [fromMs, toMs] = m_charts->window();
        caption.timeRange = tr("%1 – %2").arg(text(fromMs, QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                                              text(toMs, QStringLiteral("HH:mm:ss")));
    } else if (const SnapshotPtr table = m_workbench->latestTable(current)) {
        caption.timeRange =
            tr("table of %1").arg(text(table->epochMs, QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    }
    return caption;
}

void MainWindow::exportReport()
{
    if (!m_replay && !m_recorder) {
        statusBar()->showMessage(tr("Nothing is recorded: there is nothing to report."), 10000);
        return;
    }
    QSettings settings;
    const QString folder = settings
                               .value(QStringLiteral("report/lastFolder"),
                                      settings.value(lastFolderKey, QDir::homePath()))
                               .toString();
    QString selectedFilter;
    QString path = QFileDialog::getSaveFileName(
        this, tr("Export report"),
        folder + QStringLiteral("/twbench-report-%1.pdf")
                     .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmm"))),
        tr("PDF (*.pdf);;HTML (*.html)"), &selectedFilter);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += selectedFilter.contains(QLatin1String("html")) ? QStringLiteral(".html")
                                                               : QStringLiteral(".pdf");
    settings.setValue(QStringLiteral("report/lastFolder"), QFileInfo(path).absolutePath());
    statusBar()->showMessage(tr("Building the report…"));
    QApplication::setOverrideCursor(Qt::BusyCursor);
    QString error;
    const bool ok = exportReportTo(path, m_redactAction->isChecked(), &error);
    QApplication::restoreOverrideCursor();
    if (ok) {
        statusBar()->showMessage(tr("Report written to %1.").arg(QDir::toNativeSeparators(path)),
                                 10000);
        return;
    }
    statusBar()->clearMessage();
    auto *box = new QMessageBox(QMessageBox::Critical, tr("Export report"),
                                tr("The report was not written."), QMessageBox::Ok, this);
    box->setTextFormat(Qt::PlainText);
    box->setInformativeText(error);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

bool MainWindow::exportReportTo(const QString &path, bool redact, QString *error)
{
    // The report reads a capture: a capture's window has one; the live window first copies
    // what it recorded so far (a consistent snapshot, as File → Save makes).
    std::shared_ptr<const CaptureReader> reader;
    QTemporaryDir snapshotFolder;
    if (m_replay) {
        reader = m_replay->sharedReader();
    } else {
        const QString snapshot = snapshotFolder.filePath(QStringLiteral("report.twbench"));
        if (!snapshotFolder.isValid() || !m_recorder->saveAndWait(snapshot, error))
            return false;
        reader = CaptureReader::open(snapshot, error);
        if (!reader)
            return false;
    }
    const std::shared_ptr<Redactor> redactor = redact ? std::make_shared<Redactor>() : nullptr;
    CaptureReplay replay(reader, redactor);
    if (!replay.seekAndWait(replay.endMs(), error))
        return false;
    ReportOptions options;
    options.redactor = redactor;
    ReportBuilder builder(&replay, options);
    builder.build();
    return path.endsWith(QLatin1String(".html"), Qt::CaseInsensitive)
               ? builder.writeHtml(path, error)
               : builder.writePdf(path, error);
}

bool MainWindow::startRecording(const QString &recordingPath, QString *error)
{
    if (m_recorder)
        return true;
    auto *recorder = new CaptureRecorder(m_workbench, m_findingsRunner, this);
    recorder->setRetention(CaptureRecorder::savedRetentionMs());
    recorder->setSizeCap(CaptureRecorder::savedSizeCapBytes());
    if (!recorder->start(recordingPath, error)) {
        delete recorder;
        return false;
    }
    m_recorder = recorder;
    m_saveAction->setEnabled(true);
    m_saveAsAction->setEnabled(true);
    connect(m_recorder, &CaptureRecorder::modifiedChanged, this, &MainWindow::updateTitle);
    connect(m_recorder, &CaptureRecorder::saved, this, [this](const QString &path) {
        rememberRecentFile(path);
        updateTitle();
        statusBar()->showMessage(tr("Saved %1.").arg(QDir::toNativeSeparators(path)), 5000);
    });
    connect(
        m_recorder, &CaptureRecorder::saveFailed, this,
        [this](const QString &path, const QString &message) {
            auto *box = new QMessageBox(
                QMessageBox::Critical, tr("Save"),
                tr("The investigation was not saved to %1.").arg(QDir::toNativeSeparators(path)),
                QMessageBox::Ok, this);
            box->setTextFormat(Qt::PlainText);
            box->setInformativeText(message);
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
        });
    connect(m_recorder, &CaptureRecorder::recordingFailed, this, [this](const QString &message) {
        statusBar()->showMessage(tr("Recording stopped: %1").arg(message), 30000);
    });
    updateTitle();
    return true;
}

void MainWindow::stopRecording()
{
    delete std::exchange(m_recorder, nullptr);
    m_saveAction->setEnabled(false);
    m_saveAsAction->setEnabled(false);
}

void MainWindow::updateTitle()
{
    QString name;
    if (m_replay) {
        name = QFileInfo(m_replay->reader().path()).fileName();
        setWindowTitle(tr("%1 (recorded) — twbench").arg(name));
        return;
    }
    if (m_recorder && !m_recorder->documentPath().isEmpty())
        name = QFileInfo(m_recorder->documentPath()).fileName();
    else
        name = tr("Untitled investigation");
    setWindowTitle(tr("%1[*] — twbench").arg(name));
    setWindowModified(m_recorder && m_recorder->isModified());
}

void MainWindow::open()
{
    QSettings settings;
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open capture"), settings.value(lastFolderKey, QDir::homePath()).toString(),
        captureFilter());
    if (path.isEmpty())
        return;
    settings.setValue(lastFolderKey, QFileInfo(path).absolutePath());
    openCapture(path);
}

void MainWindow::openCapture(const QString &path)
{
    struct Opened
    {
        std::shared_ptr<const CaptureReader> reader;
        QString error;
    };
    statusBar()->showMessage(tr("Opening %1…").arg(QDir::toNativeSeparators(path)));
    QApplication::setOverrideCursor(Qt::BusyCursor);
    // open() checks and decodes the whole file: seconds for a big one, never on this thread.
    auto *watcher = new QFutureWatcher<Opened>(this);
    connect(watcher, &QFutureWatcher<Opened>::finished, this, [this, watcher, path] {
        QApplication::restoreOverrideCursor();
        statusBar()->clearMessage();
        const Opened opened = watcher->result();
        watcher->deleteLater();
        if (!opened.reader) {
            auto *box =
                new QMessageBox(QMessageBox::Warning, tr("Open capture"),
                                tr("%1 cannot be opened.").arg(QDir::toNativeSeparators(path)),
                                QMessageBox::Ok, this);
            box->setTextFormat(Qt::PlainText);
            box->setInformativeText(opened.error);
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
            return;
        }
        rememberRecentFile(path);
        showCapture(opened.reader);
    });
    watcher->setFuture(QtConcurrent::run([path] {
        Opened opened;
        opened.reader = CaptureReader::open(path, &opened.error);
        return opened;
    }));
}

MainWindow *MainWindow::showCapture(std::shared_ptr<const CaptureReader> reader)
{
    auto *replay = new CaptureReplay(std::move(reader));
    auto *window = new MainWindow(replay->workbench());
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->setReplay(replay);
    window->show();
    return window;
}

void MainWindow::openSampleInvestigation()
{
    // SQLite needs a real file: the copy in the binary goes to the cache folder first.
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
    QDir().mkpath(folder);
    const QString path = folder + QStringLiteral("/sample-investigation.twbench");
    QFile::remove(path);
    if (!QFile::copy(QStringLiteral(":/samples/sample-investigation.twbench"), path)) {
        statusBar()->showMessage(tr("The sample investigation could not be copied to %1.")
                                     .arg(QDir::toNativeSeparators(path)),
                                 10000);
        return;
    }
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    openCapture(path);
}

void MainWindow::showFirstStartOffer()
{
    QSettings settings;
    if (settings.value(sampleOfferedKey, false).toBool())
        return;
    settings.setValue(sampleOfferedKey, true);
    m_showInfo = [this] {
        showFirstStartOfferNow();
    };
    m_showInfo();
}

void MainWindow::showFirstStartOfferNow()
{
    showInfoBar(tr("twbench is watching this workstation. To see a whole investigation, open "
                   "the sample: an API behind nginx piling up TIME_WAIT, recorded in the lab."),
                tr("Open sample investigation"), [this] { openSampleInvestigation(); });
}

void MainWindow::offerLeftoverRecordings(const QString &current)
{
    const QFileInfo currentInfo(current);
    QDir folder = currentInfo.absoluteDir();
    const QFileInfoList recordings = folder.entryInfoList(
        {QStringLiteral("session-*.twbench"), QStringLiteral("recovered-*.twbench")}, QDir::Files,
        QDir::Time);
    const QDateTime tooOld = QDateTime::currentDateTime().addDays(-14);
    static const QRegularExpression pidPattern(QStringLiteral("-(\\d+)\\.twbench$"));
    QFileInfo newest;
    for (const QFileInfo &recording : recordings) {
        if (recording.absoluteFilePath() == currentInfo.absoluteFilePath())
            continue;
        // Another twbench that still runs owns its recording.
        const QRegularExpressionMatch match = pidPattern.match(recording.fileName());
        const QString cmdline = match.hasMatch()
                                    ? QStringLiteral("/proc/%1/cmdline").arg(match.captured(1))
                                    : QString();
        QFile command(cmdline);
        if (!cmdline.isEmpty() && command.open(QIODevice::ReadOnly) &&
            command.readAll().contains("twbench"))
            continue;
        if (recording.lastModified() < tooOld) {
            for (const QString &suffix :
                 {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
                QFile::remove(recording.absoluteFilePath() + suffix);
            continue;
        }
        if (!newest.exists() && recording.fileName().startsWith(QLatin1String("session-")))
            newest = recording;
    }
    if (!newest.exists())
        return;
    // Offered once: renamed with its WAL (which holds the last committed seconds), so the next
    // start does not ask again; kept like the others for two weeks.
    const QString path = folder.filePath(QStringLiteral("recovered-") + newest.fileName());
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")}) {
        if (QFile::exists(newest.absoluteFilePath() + suffix))
            QFile::rename(newest.absoluteFilePath() + suffix, path + suffix);
    }
    const QDateTime when = newest.lastModified();
    m_showInfo = [this, path, when] {
        showInfoBar(tr("twbench did not close normally on %1. What it recorded until then is "
                       "kept.")
                        .arg(QLocale().toString(when, QLocale::ShortFormat)),
                    tr("Open that recording"), [this, path] { openCapture(path); });
    };
    m_showInfo();
}

void MainWindow::showInfoBar(const QString &text, const QString &actionText,
                             const std::function<void()> &action)
{
    m_infoLabel->setText(text);
    m_infoAction->setText(actionText);
    disconnect(m_infoAction, &QAction::triggered, nullptr, nullptr);
    connect(m_infoAction, &QAction::triggered, this, [this, action] {
        m_infoBar->hide();
        action();
    });
    m_infoBar->show();
}

bool MainWindow::save()
{
    if (!m_recorder)
        return false;
    if (m_recorder->documentPath().isEmpty())
        return saveAs();
    QString error;
    // Waited for: the copy of a long recording takes a moment, and the operator asked for it.
    QApplication::setOverrideCursor(Qt::BusyCursor);
    const bool ok = m_recorder->saveAndWait(m_recorder->documentPath(), &error);
    QApplication::restoreOverrideCursor();
    return ok;
}

bool MainWindow::saveAs()
{
    if (!m_recorder)
        return false;
    QSettings settings;
    const QString suggested =
        settings.value(lastFolderKey, QDir::homePath()).toString() +
        QStringLiteral("/twbench-%1.twbench")
            .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmm")));
    QString path =
        QFileDialog::getSaveFileName(this, tr("Save investigation"), suggested, captureFilter());
    if (path.isEmpty())
        return false;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".twbench");
    settings.setValue(lastFolderKey, QFileInfo(path).absolutePath());
    QString error;
    QApplication::setOverrideCursor(Qt::BusyCursor);
    const bool ok = m_recorder->saveAndWait(path, &error);
    QApplication::restoreOverrideCursor();
    return ok;
}

bool MainWindow::confirmClose()
{
    if (!m_recorder || !m_recorder->isModified())
        return true;
    if (m_recorder->documentPath().isEmpty() &&
        m_recorder->samplesRecorded() < askToSaveFromSamples)
        return true;
    QMessageBox box(QMessageBox::Question, tr("Quit twbench"),
                    tr("Save the investigation before quitting?"), QMessageBox::NoButton, this);
    box.setTextFormat(Qt::PlainText);
    box.setInformativeText(tr("What was recorded since the last save is lost otherwise."));
    box.setStandardButtons(QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
    box.setDefaultButton(QMessageBox::Save);
    switch (box.exec()) {
    case QMessageBox::Save:
        return save();
    case QMessageBox::Discard:
        return true;
    default:
        return false;
    }
}

void MainWindow::rememberRecentFile(const QString &path)
{
    QSettings settings;
    QStringList recent = settings.value(recentFilesKey).toStringList();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    recent.removeAll(absolute);
    recent.prepend(absolute);
    while (recent.size() > maxRecentFiles)
        recent.removeLast();
    settings.setValue(recentFilesKey, recent);
}

void MainWindow::fillRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(recentFilesKey).toStringList();
    for (int i = 0; i < recent.size(); ++i) {
        const QString path = recent[i];
        QAction *action = m_recentMenu->addAction(
            QStringLiteral("&%1 %2").arg(i + 1).arg(QFileInfo(path).fileName()), this,
            [this, path] { openCapture(path); });
        action->setToolTip(QDir::toNativeSeparators(path));
        action->setEnabled(QFileInfo::exists(path));
    }
    if (recent.isEmpty())
        m_recentMenu->addAction(tr("No recent captures"))->setEnabled(false);
    else {
        m_recentMenu->addSeparator();
        m_recentMenu->addAction(tr("&Clear list"), this,
                                [] { QSettings().remove(recentFilesKey); });
    }
}

void MainWindow::setReplay(CaptureReplay *replay)
{
    m_replay = replay;
    replay->setParent(this);
    // Nothing connects in a capture: the host actions have nothing to act on.
    for (QAction *action : {m_addHost, m_editHost, m_duplicateHost, m_removeHost, m_connectHost,
                            m_disconnectHost, m_importHosts, m_forgetHostKey})
        action->setVisible(false);
    m_hostMenu->menuAction()->setVisible(false);
    // A capture is a file as it was saved: nothing is recorded into it.
    m_retentionMenu->menuAction()->setVisible(false);
    createReplayBar();
    connect(replay, &CaptureReplay::positioned, this, &MainWindow::onReplayPositioned);
    connect(replay, &CaptureReplay::seekFailed, this, [this](const QString &message) {
        statusBar()->showMessage(tr("Could not read the capture: %1").arg(message), 15000);
    });
    updateTitle();
    selectHostRow(0);
    // The whole capture on the charts, the moment shown at its end.
    m_charts->showWindow(replay->startMs(), std::max(replay->endMs(), replay->startMs() + 1000));
    replay->seek(replay->endMs());
}

void MainWindow::createReplayBar()
{
    m_replayBar = new QToolBar(tr("Replay"), this);
    m_replayBar->setObjectName(QStringLiteral("replayBar"));
    m_replayBar->setMovable(false);
    addToolBar(Qt::TopToolBarArea, m_replayBar);

    const std::int64_t spanSeconds =
        std::max<std::int64_t>(0, (m_replay->endMs() - m_replay->startMs()) / 1000);
    m_replaySlider = new QSlider(Qt::Horizontal, m_replayBar);
    m_replaySlider->setObjectName(QStringLiteral("replaySlider"));
    m_replaySlider->setRange(0, int(std::min<std::int64_t>(spanSeconds, INT_MAX)));
    m_replaySlider->setValue(m_replaySlider->maximum());
    m_replaySlider->setSingleStep(1);
    m_replaySlider->setPageStep(10);
    m_replaySlider->setMinimumWidth(300);
    m_replaySlider->setToolTip(tr("Drag to show the tables and the graph as they were then "
                                  "(← → one second, Page Up/Down ten)"));
    m_replayLabel = new QLabel(m_replayBar);
    m_replayLabel->setObjectName(QStringLiteral("replayTimeLabel"));
    m_replayLabel->setContentsMargins(8, 0, 8, 0);

    const auto step = [this](int seconds) {
        m_replaySlider->setValue(m_replaySlider->value() + seconds);
    };
    QAction *start =
        m_replayBar->addAction(tr("Start"), this, [this] { m_replaySlider->setValue(0); });
    start->setToolTip(tr("The capture's first moment (Home)"));
    m_replayBar->addAction(tr("−10 s"), this, [step] { step(-10); });
    m_replayBar->addWidget(m_replaySlider);
    m_replayBar->addAction(tr("+10 s"), this, [step] { step(10); });
    QAction *end = m_replayBar->addAction(
        tr("End"), this, [this] { m_replaySlider->setValue(m_replaySlider->maximum()); });
    end->setToolTip(tr("The capture's last moment (End)"));
    m_replayBar->addWidget(m_replayLabel);

    m_seekTimer = new QTimer(this);
    m_seekTimer->setSingleShot(true);
    m_seekTimer->setInterval(60);
    connect(m_seekTimer, &QTimer::timeout, this,
            [this] { seekReplaySlider(m_replaySlider->value()); });
    connect(m_replaySlider, &QSlider::valueChanged, this, [this] {
        // While dragging, the label follows at once and the tables at most every 60 ms.
        m_replayLabel->setText(
            timeText(m_replay->startMs() + std::int64_t(m_replaySlider->value()) * 1000));
        m_seekTimer->start();
    });
    m_replayLabel->setText(timeText(m_replay->endMs()));
}

void MainWindow::seekReplaySlider(int seconds)
{
    const std::int64_t ms = seconds >= m_replaySlider->maximum()
                                ? m_replay->endMs()
                                : m_replay->startMs() + std::int64_t(seconds) * 1000;
    m_replay->seek(ms);
}

void MainWindow::onReplayPositioned(std::int64_t epochMs)
{
    m_charts->setCursorTime(epochMs);
    m_replayLabel->setText(tr("%1 (%2 of %3)")
                               .arg(timeText(epochMs), durationText(epochMs - m_replay->startMs()),
                                    durationText(m_replay->endMs() - m_replay->startMs())));
    updateStatusBar();
}

} // namespace twbench
