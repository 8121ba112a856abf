// The findings panel: the rules' conclusions for every host, most severe first, the selected
// one's evidence and remedies in full, and the other views pointed at that evidence.

#include "gui/chartsview.h"
#include "gui/connectionsview.h"
#include "gui/findingsrunner.h"
#include "gui/findingsview.h"
#include "gui/mainwindow.h"
#include "gui/workbench.h"
#include "guitestutil.h"
#include "model/connectionfilterproxy.h"
#include "model/diagnosis/findingsmodel.h"
#include "remote/hostspec.h"

#include <QDateTime>
#include <QDir>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTextBrowser>

#include <gtest/gtest.h>

using namespace twbench;
using test::endpoint;
using test::quietHost;

namespace {

// A service that closes its own connections: `timeWaits` TIME_WAIT sockets on its listening
// endpoint, from callers on ephemeral ports, and a few ESTABLISHED elsewhere.
HostSamplePtr closingServiceSample(const QString &hostId, std::uint64_t sequence,
                                   std::int64_t epochMs, int timeWaits)
{
    auto table = std::make_shared<Snapshot>();
    table->hostId = hostId;
    table->epochMs = epochMs;
    const Endpoint service = endpoint("10.61.4.20", 7443);
    Socket listener;
    listener.local = service;
    listener.remote = endpoint("0.0.0.0", 0);
    listener.state = TcpState::Listen;
    table->sockets.push_back(listener);
    for (int i = 0; i < timeWaits; ++i) {
        Socket socket;
        socket.local = service;
        socket.remote = endpoint("10.61.9.3", std::uint16_t(40000 + i));
        socket.state = TcpState::TimeWait;
        table->sockets.push_back(socket);
    }
    for (int i = 0; i < 3; ++i) {
        Socket socket;
        socket.local = endpoint("10.61.4.20", std::uint16_t(50000 + i));
        socket.remote = endpoint("10.61.7.7", 5432);
        socket.state = TcpState::Established;
        table->sockets.push_back(socket);
    }
    table->finalize();
    auto sample = std::make_shared<HostSample>();
    sample->hostId = hostId;
    sample->sequence = sequence;
    sample->epochMs = epochMs;
    sample->counters.values.insert(counter::TimeWait, timeWaits);
    sample->counters.values.insert(counter::CurrEstab, 3);
    sample->table = table;
    return sample;
}

class FindingsViewTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        m_workbench = std::make_unique<Workbench>();
        m_window = std::make_unique<MainWindow>(m_workbench.get());
        m_window->resize(1400, 900);
        m_window->show();
        m_workbench->addHost(quietHost(QStringLiteral("billing"), QStringLiteral("billing-07")));
        m_workbench->addHost(quietHost(QStringLiteral("quiet"), QStringLiteral("quiet-01")));
        ASSERT_TRUE(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void TearDown() override
    {
        m_window.reset();
        m_workbench.reset();
    }

    // The billing host's table with a service closing `timeWaits` connections; its rules run.
    void feedBilling(std::uint64_t sequence, std::int64_t epochMs, int timeWaits)
    {
        m_workbench->onSample(
            QStringLiteral("billing"),
            closingServiceSample(QStringLiteral("billing"), sequence, epochMs, timeWaits));
        m_window->findingsRunner()->runNow(QStringLiteral("billing"));
    }

    bool waitForFindings(const QString &hostId)
    {
        return QTest::qWaitFor(
            [&] { return !m_window->findingsRunner()->findings(hostId).isEmpty(); }, 10000);
    }

    // As the operator picks a finding: a click on its row.
    static void clickRow(FindingsView *view, int row)
    {
        QTableView *table = view->table();
        const QRect rect = table->visualRect(table->model()->index(row, 1));
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, rect.center());
    }

    std::unique_ptr<Workbench> m_workbench;
    std::unique_ptr<MainWindow> m_window;
};

} // namespace

TEST_F(FindingsViewTest, ListsTheServiceThatClosesAndShowsItsEvidence)
{
    const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
    feedBilling(1, now, 900);
    ASSERT_TRUE(waitForFindings(QStringLiteral("billing")));
    EXPECT_TRUE(m_window->findingsRunner()->findings(QStringLiteral("quiet")).isEmpty());

    FindingsView *view = m_window->findingsView();
    FindingsModel *model = view->model();
    ASSERT_GE(model->rowCount(), 1);
    int row = -1;
    for (int i = 0; i < model->rowCount(); ++i) {
        if (model->findingAt(i).id == u"server-closes")
            row = i;
    }
    ASSERT_GE(row, 0) << "no server-closes finding";
    // Most severe first.
    for (int i = 1; i < model->rowCount(); ++i)
        EXPECT_LE(int(model->findingAt(i - 1).severity), int(model->findingAt(i).severity));
    EXPECT_EQ(model->index(row, FindingsModel::HostColumn).data().toString(), u"billing-07");
    EXPECT_TRUE(m_window->tabs()->tabText(0).contains(QString::number(model->rowCount())));

    clickRow(view, row);
    const QString details = view->details()->toPlainText();
    EXPECT_TRUE(details.contains(u"7443")) << details.toStdString();
    EXPECT_TRUE(details.contains(QLocale().toString(900))) << details.toStdString();
    // Selecting it points the connection table at the service's sockets.
    const Finding finding = model->findingAt(row);
    EXPECT_FALSE(finding.tableFilter.isEmpty());
    EXPECT_EQ(m_window->connectionsView()->proxy()->textFilter(), finding.tableFilter);

    const QString directory = qEnvironmentVariable("TWBENCH_SCREENSHOT_DIR");
    if (!directory.isEmpty()) {
        QDir().mkpath(directory);
        m_window->grab().save(directory + QStringLiteral("/findings.png"));
    }
}

// Findings come and go with every table: the first one is shown in the panel by itself, but
// its evidence waits for the operator, so what they typed into the connection filter and the
// host they look at stay as they were.
TEST_F(FindingsViewTest, TheFirstFindingWaitsForTheOperatorBeforeMovingTheOtherViews)
{
    m_workbench->setCurrentHost(QStringLiteral("quiet"));
    ConnectionsView *connections = m_window->connectionsView();
    connections->setTextFilter(QStringLiteral("10.61.7.7"));
    const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
    feedBilling(1, now, 900);
    ASSERT_TRUE(waitForFindings(QStringLiteral("billing")));
    FindingsView *view = m_window->findingsView();
    ASSERT_TRUE(QTest::qWaitFor([&] { return view->table()->currentIndex().isValid(); }, 5000));
    EXPECT_EQ(view->table()->currentIndex().row(), 0);
    EXPECT_FALSE(view->details()->toPlainText().isEmpty()); // shown in the panel
    QTest::qWait(50);
    EXPECT_EQ(connections->proxy()->textFilter(), QStringLiteral("10.61.7.7"));
    EXPECT_EQ(m_workbench->currentHost(), QStringLiteral("quiet"));

    // Another host's findings sort above it: the same finding, a row lower, still waits.
    const QString key = view->table()->currentIndex().data(FindingsModel::KeyRole).toString();
    m_workbench->addHost(quietHost(QStringLiteral("alpha"), QStringLiteral("alpha-01")));
    m_workbench->onSample(QStringLiteral("alpha"),
                          closingServiceSample(QStringLiteral("alpha"), 1, now, 900));
    m_window->findingsRunner()->runNow(QStringLiteral("alpha"));
    ASSERT_TRUE(waitForFindings(QStringLiteral("alpha")));
    ASSERT_TRUE(QTest::qWaitFor([&] { return view->table()->currentIndex().row() > 0; }, 5000));
    EXPECT_EQ(view->table()->currentIndex().data(FindingsModel::KeyRole).toString(), key);
    QTest::qWait(50);
    EXPECT_EQ(connections->proxy()->textFilter(), QStringLiteral("10.61.7.7"));
    EXPECT_EQ(m_workbench->currentHost(), QStringLiteral("quiet"));

    // A click on it is the operator's pick: its host and its sockets.
    const int row = view->table()->currentIndex().row();
    clickRow(view, row);
    const Finding finding = view->model()->findingAt(row);
    const QString picked = view->table()->currentIndex().data(FindingsModel::KeyRole).toString();
    EXPECT_EQ(m_workbench->currentHost(), QStringLiteral("billing"));
    EXPECT_EQ(connections->proxy()->textFilter(), finding.tableFilter);

    // The operator moves on; then the picked finding goes, and Qt makes the one above it
    // current. That is the panel's doing: the operator's host and filter stay.
    m_workbench->setCurrentHost(QStringLiteral("quiet"));
    connections->setTextFilter(QStringLiteral("10.61.7.7"));
    feedBilling(2, now + 1000, 0);
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            const QModelIndex current = view->table()->currentIndex();
            return current.isValid() && current.data(FindingsModel::KeyRole).toString() != picked;
        },
        10000));
    QTest::qWait(50);
    EXPECT_EQ(connections->proxy()->textFilter(), QStringLiteral("10.61.7.7"));
    EXPECT_EQ(m_workbench->currentHost(), QStringLiteral("quiet"));
}

TEST_F(FindingsViewTest, DetailsEscapeWhatTheRemoteNamed)
{
    Finding finding;
    finding.id = QStringLiteral("server-closes");
    finding.title = QStringLiteral("<img src=x onerror=alert(1)> closes");
    finding.explanation = QStringLiteral("<b>bold</b>");
    finding.evidence.append({QStringLiteral("<i>label</i>"), QStringLiteral("<u>1</u>"), 1});
    finding.remedies = {QStringLiteral("Add this:\nupstream x { keepalive 16; }")};
    const QString html = FindingsView::detailsHtml(finding);
    EXPECT_FALSE(html.contains(u"<img")) << html.toStdString();
    EXPECT_FALSE(html.contains(u"<i>label")) << html.toStdString();
    EXPECT_TRUE(html.contains(u"&lt;img")) << html.toStdString();
    // The snippet after the first line of a remedy stays preformatted, for copying.
    EXPECT_TRUE(html.contains(u"<pre>upstream x { keepalive 16; }</pre>")) << html.toStdString();
}

TEST_F(FindingsViewTest, SelectionSurvivesARerunAndGoneFindingsLeave)
{
    const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
    feedBilling(1, now, 900);
    ASSERT_TRUE(waitForFindings(QStringLiteral("billing")));
    FindingsView *view = m_window->findingsView();
    view->table()->selectRow(0);
    const QString key = view->model()->index(0, 0).data(FindingsModel::KeyRole).toString();

    // More TIME_WAIT: the same finding with new numbers stays selected.
    feedBilling(2, now + 1000, 1200);
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            const auto found = m_window->findingsRunner()->findings(QStringLiteral("billing"));
            return !found.isEmpty() && found.first().title.contains(QLocale().toString(1200));
        },
        10000));
    const QModelIndex current = view->table()->currentIndex();
    ASSERT_TRUE(current.isValid());
    EXPECT_EQ(current.data(FindingsModel::KeyRole).toString(), key);

    // The service stops closing first: its finding goes.
    feedBilling(3, now + 2000, 0);
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            const auto found = m_window->findingsRunner()->findings(QStringLiteral("billing"));
            return std::none_of(found.begin(), found.end(),
                                [](const Finding &f) { return f.id == u"server-closes"; });
        },
        10000));
}
