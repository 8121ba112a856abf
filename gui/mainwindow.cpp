#include "mainwindow.h"

#include "chartsview.h"
#include "connectionsview.h"
#include "endpointsview.h"
#include "hostitemdelegate.h"
#include "workbench.h"

#include "model/hostlistmodel.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDockWidget>
#include <QLabel>
#include <QListView>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>

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
    // Endpoints first: the grouped view answers the first question ("which endpoint holds the
    // TIME_WAITs?") that operators otherwise ask netstat | sort | uniq -c.
    m_tabs->addTab(m_endpoints, tr("&Endpoints"));
    m_tabs->addTab(m_connections, tr("&Connections"));
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

    connect(m_endpoints, &EndpointsView::drillDown, this,
            [this](Grouping grouping, const GroupKey &key, const QString &display) {
                m_connections->showGroup(grouping, key, display);
                m_tabs->setCurrentWidget(m_connections);
            });

    createHostsDock();
    createActions();
    createStatusBar();

    connect(m_workbench, &Workbench::currentHostChanged, this, &MainWindow::onCurrentHostChanged);
    connect(m_workbench, &Workbench::statusChanged, this, &MainWindow::updateStatusBar);
    connect(m_workbench, &Workbench::sampleArrived, this, &MainWindow::updateStatusBar);

    resize(1280, 800);
    restoreSettings();
    if (m_hostsView->model()->rowCount() > 0 && m_workbench->currentHost().isEmpty())
        selectHostRow(0);
    updateStatusBar();
}

MainWindow::~MainWindow() = default;

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
    // "2 s ago" must age even when no sample arrives: that is how a stalled host shows.
    m_statusTimer = new QTimer(this);
    m_statusTimer->setInterval(1000);
    connect(m_statusTimer, &QTimer::timeout, this, &MainWindow::updateStatusBar);
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
    if (status.state == HostState::Retrying && status.retryInMs > 0)
        stateText = tr("retrying in %1 s").arg((status.retryInMs + 999) / 1000);
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
        m_socketsLabel->setText(tr("%1 sockets in the last table")
                                    .arg(locale.toString(qulonglong(table->sockets.size()))));
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

} // namespace twbench
