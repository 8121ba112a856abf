#include "mainwindow.h"

#include "callersview.h"
#include "chartsview.h"
#include "connectionsview.h"
#include "credentialdialog.h"
#include "endpointsview.h"
#include "findingsrunner.h"
#include "findingsview.h"
#include "hostdialog.h"
#include "hostitemdelegate.h"
#include "hostkeydialog.h"
#include "hostkeyrefusaldialog.h"
#include "servertext.h"
#include "sshimportdialog.h"
#include "topologyview.h"
#include "workbench.h"

#include "model/hostlistmodel.h"
#include "remote/knownhosts.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>

namespace twbench {

MainWindow::MainWindow(Workbench *workbench, QWidget *parent)
    : QMainWindow(parent)
    , m_workbench(workbench)
{
    setWindowTitle(tr("twbench — TIME_WAIT workbench"));
    setObjectName(QStringLiteral("MainWindow"));

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("viewTabs"));
    m_tabs->setDocumentMode(true);
    m_endpoints = new EndpointsView(workbench, m_tabs);
    m_connections = new ConnectionsView(workbench, m_tabs);
    m_charts = new ChartsView(workbench, m_tabs);
    // Findings first: twbench's conclusions, each pointing at its evidence in the other views.
    // Then Endpoints: the grouped view answers the first question ("which endpoint holds the
    // TIME_WAITs?") that operators otherwise ask netstat | sort | uniq -c.
    m_findingsRunner = new FindingsRunner(workbench, this);
    m_findings = new FindingsView(workbench, m_findingsRunner, m_tabs);
    m_tabs->addTab(m_findings, m_findings->tabTitle());
    connect(m_findings, &FindingsView::tabTitleChanged, this, [this](const QString &title) {
        m_tabs->setTabText(m_tabs->indexOf(m_findings), title);
    });
    m_tabs->addTab(m_endpoints, tr("&Endpoints"));
    m_tabs->addTab(m_connections, tr("&Connections"));
    m_callers = new CallersView(workbench, m_tabs);
    m_tabs->addTab(m_callers, tr("C&allers"));
    setCentralWidget(m_tabs);

    // The charts sit under the tables, not in a tab of their own: the pile (which endpoint) and
    // the curve (since when, how fast) are read together.
    auto *chartsDock = new QDockWidget(tr("Charts"), this);
    chartsDock->setObjectName(QStringLiteral("chartsDock"));
    chartsDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable |
                            QDockWidget::DockWidgetFloatable);
    chartsDock->setWidget(m_charts);
    addDockWidget(Qt::BottomDockWidgetArea, chartsDock);
    resizeDocks({chartsDock}, {340}, Qt::Vertical);

    // The graph is a dock beside the tables, not a tab: the operator reads callers → nginx →
    // API there and clicks an edge to see its sockets in the table next to it, both at once.
    m_topology = new TopologyView(workbench, this);
    auto *topologyDock = new QDockWidget(tr("Topology"), this);
    topologyDock->setObjectName(QStringLiteral("topologyDock"));
    topologyDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable |
                              QDockWidget::DockWidgetFloatable);
    topologyDock->setWidget(m_topology);
    addDockWidget(Qt::RightDockWidgetArea, topologyDock);
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
    QAction *quit = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
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

    m_hostMenu = menuBar()->addMenu(tr("H&osts"));
    m_hostMenu->addActions({m_addHost, m_importHosts});
    m_hostMenu->addSeparator();
    m_hostMenu->addActions({m_editHost, m_duplicateHost, m_removeHost});
    m_hostMenu->addSeparator();
    m_hostMenu->addActions({m_connectHost, m_disconnectHost});
    m_hostMenu->addSeparator();
    m_hostMenu->addAction(m_forgetHostKey);

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    helpMenu->addAction(tr("&About twbench"), this, &MainWindow::showAbout);
}

void MainWindow::createHostsDock()
{
    auto *dock = new QDockWidget(tr("Hosts"), this);
    dock->setObjectName(QStringLiteral("hostsDock"));
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable);
    m_hostsView = new QListView(dock);
    m_hostsView->setObjectName(QStringLiteral("hostsView"));
    m_hostsView->setModel(m_workbench->hostListModel());
    m_hostsView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_hostsView->setUniformItemSizes(true);
    m_hostsView->setItemDelegate(new HostItemDelegate(m_hostsView));
    m_hostsView->setMinimumWidth(180);
    dock->setWidget(m_hostsView);
    addDockWidget(Qt::LeftDockWidgetArea, dock);

    connect(m_hostsView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) {
                if (current.isValid())
                    m_workbench->setCurrentHost(current.data(HostListModel::HostIdRole).toString());
            });
    connect(m_workbench->hostListModel(), &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_workbench->currentHost().isEmpty())
            selectHostRow(0);
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
        m_sampleLabel->setText(tr("Sample #%1, %2 s ago")
                                   .arg(locale.toString(qulonglong(sample->sequence)))
                                   .arg(locale.toString(qMax<qint64>(0, ageMs) / 1000.0, 'f', 1)));
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

} // namespace twbench
