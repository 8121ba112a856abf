// The stacked charts: hosts overlaid on one time axis, the legend that hides lines and remembers
// it, zoom / pan / live, and the crosshair's exact values. Samples are fed to the workbench as
// the fleet would deliver them (the views cannot tell), so the times and values are known.

#include "gui/chartsview.h"
#include "gui/timechartview.h"
#include "gui/workbench.h"
#include "guitestutil.h"
#include "model/docker/dockerinventory.h"
#include "model/timeline.h"
#include "remote/hostspec.h"

#include <QDateTime>
#include <QLineSeries>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>
#include <QTreeWidget>

#include <gtest/gtest.h>

using namespace twbench;
using test::endpoint;
using test::quietHost;
using Metric = Timeline::Metric;

namespace {

// A host the fleet cannot reach (a replay without a file): it only gets what the test feeds.

HostSamplePtr makeSample(const QString &hostId, std::uint64_t sequence, std::int64_t epochMs,
                         std::int64_t timeWait, std::int64_t opens, double requests = -1)
{
    auto sample = std::make_shared<HostSample>();
    sample->hostId = hostId;
    sample->sequence = sequence;
    sample->epochMs = epochMs;
    sample->counters.values.insert(counter::TimeWait, timeWait);
    sample->counters.values.insert(counter::CurrEstab, 5);
    sample->counters.values.insert(counter::ActiveOpens, opens);
    sample->counters.values.insert(counter::PassiveOpens, opens);
    sample->counters.values.insert(counter::TwCreated, opens);
    sample->procStat.valid = true;
    sample->procStat.all.user = 100 * sequence;
    sample->procStat.all.idle = 300 * sequence;
    if (requests >= 0) {
        LogWindow window;
        window.sourceId = QStringLiteral("/var/log/nginx/access.log");
        window.fromMs = epochMs - 1000;
        window.toMs = epochMs;
        window.requests = std::int64_t(requests);
        sample->logs.append(window);
    }
    return sample;
}

class ChartsViewTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        m_workbench = std::make_unique<Workbench>();
        m_workbench->addHost(quietHost(QStringLiteral("alpha"), QStringLiteral("alpha")));
        m_workbench->addHost(quietHost(QStringLiteral("beta"), QStringLiteral("beta")));
        m_workbench->setCurrentHost(QStringLiteral("alpha"));
        m_view = std::make_unique<ChartsView>(m_workbench.get());
        m_view->resize(1200, 800);
        m_view->show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(m_view.get()));
    }

    void TearDown() override
    {
        m_view.reset();
        m_workbench.reset();
    }

    // `seconds` samples a second apart, ending now on the host's clock (`skewMs` ahead of ours).
    void feed(const QString &hostId, int seconds, std::int64_t skewMs, std::int64_t timeWaitBase,
              double requests = -1)
    {
        const std::int64_t end = QDateTime::currentMSecsSinceEpoch() + skewMs;
        m_start = end - 1000LL * (seconds - 1);
        for (int i = 0; i < seconds; ++i)
            m_workbench->onSample(hostId,
                                  makeSample(hostId, std::uint64_t(i + 1), m_start + 1000LL * i,
                                             timeWaitBase + i, 1000 + 7 * i, requests));
    }

    QTreeWidgetItem *legendItem(const QString &host, const QString &label) const
    {
        QTreeWidget *legend = m_view->legend();
        for (int i = 0; i < legend->topLevelItemCount(); ++i) {
            QTreeWidgetItem *hostItem = legend->topLevelItem(i);
            if (hostItem->text(0) != host)
                continue;
            for (int j = 0; j < hostItem->childCount(); ++j) {
                if (hostItem->child(j)->text(0) == label)
                    return hostItem->child(j);
            }
        }
        return nullptr;
    }

    std::unique_ptr<Workbench> m_workbench;
    std::unique_ptr<ChartsView> m_view;
    std::int64_t m_start = 0;
};

} // namespace

TEST_F(ChartsViewTest, OverlaysHostsOnOneTimeAxisDespiteTheirClocks)
{
    feed(QStringLiteral("alpha"), 120, 0, 1000);
    // beta's clock runs 30 s ahead; its samples cover the same real minutes.
    feed(QStringLiteral("beta"), 120, 30000, 5000);
    m_view->setHostScope(ChartsView::HostScope::Current);
    m_view->redrawNow();
    EXPECT_FALSE(m_view->lineKeys().join(u',').contains(QStringLiteral("beta|")));
    const int alphaOnly = m_view->pointCount(Metric::TimeWait);
    EXPECT_GE(alphaOnly, 100);

    m_view->setHostScope(ChartsView::HostScope::All);
    m_view->redrawNow();
    EXPECT_TRUE(m_view->lineKeys().contains(QStringLiteral("beta|time_wait|")));
    EXPECT_GE(m_view->pointCount(Metric::TimeWait), alphaOnly + 100);
    EXPECT_EQ(m_view->legend()->topLevelItemCount(), 2);

    // The last point of both hosts sits at the same axis time (alpha's clock), within the
    // few milliseconds between the two feeds.
    const auto [from, to] = m_view->window();
    const QString values = m_view->valuesAt(ChartsView::Panel::States, to);
    EXPECT_TRUE(values.contains(QStringLiteral("alpha · TIME_WAIT"))) << values.toStdString();
    EXPECT_TRUE(values.contains(QStringLiteral("beta · TIME_WAIT"))) << values.toStdString();
    EXPECT_TRUE(values.contains(QLocale().toString(5119))) << values.toStdString();
    EXPECT_LT(to - from, 6 * 60 * 1000 + 1000); // the default range: five minutes
}

TEST_F(ChartsViewTest, CrosshairShowsTheExactValueAtThatTime)
{
    feed(QStringLiteral("alpha"), 90, 0, 20000);
    m_view->redrawNow();
    const std::int64_t at = m_start + 41 * 1000 + 300; // 0.3 s after the 42nd sample
    const QString values = m_view->valuesAt(ChartsView::Panel::States, at);
    EXPECT_TRUE(values.contains(QLocale().toString(20041))) << values.toStdString();
    // 14 opens a second (7 active + 7 passive).
    const QString churn = m_view->valuesAt(ChartsView::Panel::Churn, at);
    EXPECT_TRUE(churn.contains(QLocale().toString(14.0, 'f', 1))) << churn.toStdString();
    // Before the first sample there is nothing to read.
    EXPECT_TRUE(m_view->valuesAt(ChartsView::Panel::States, m_start - 60000).isEmpty());
}

TEST_F(ChartsViewTest, LegendHidesALineAndRemembersIt)
{
    feed(QStringLiteral("alpha"), 30, 0, 100);
    m_view->redrawNow();
    ASSERT_GT(m_view->pointCount(Metric::Established), 0);
    QTreeWidgetItem *item = legendItem(QStringLiteral("alpha"), QStringLiteral("ESTABLISHED"));
    ASSERT_NE(item, nullptr);
    item->setCheckState(0, Qt::Unchecked);
    EXPECT_EQ(m_view->pointCount(Metric::Established), 0);
    EXPECT_GT(m_view->pointCount(Metric::TimeWait), 0);
    EXPECT_FALSE(m_view->valuesAt(ChartsView::Panel::States, m_start + 10000)
                     .contains(QStringLiteral("ESTABLISHED")));
    // iowait and steal start hidden.
    const QTreeWidgetItem *iowait =
        legendItem(QStringLiteral("alpha"), Timeline::metricName(Metric::CpuIowait));
    ASSERT_NE(iowait, nullptr);
    EXPECT_EQ(iowait->checkState(0), Qt::Unchecked);

    // A new view (the next start) keeps ESTABLISHED hidden.
    m_view = std::make_unique<ChartsView>(m_workbench.get());
    m_view->redrawNow();
    EXPECT_EQ(m_view->pointCount(Metric::Established), 0);
    EXPECT_EQ(legendItem(QStringLiteral("alpha"), QStringLiteral("ESTABLISHED"))->checkState(0),
              Qt::Unchecked);
}

TEST_F(ChartsViewTest, DragZoomsPanMovesAndEscapeGoesLive)
{
    feed(QStringLiteral("alpha"), 240, 0, 100);
    m_view->redrawNow();
    ASSERT_TRUE(m_view->isLive());
    const auto [liveFrom, liveTo] = m_view->window();

    TimeChartView *chart = m_view->chart(ChartsView::Panel::States);
    const QRectF area = chart->plotArea();
    const QPoint start(int(area.left() + area.width() * 0.25), int(area.center().y()));
    const QPoint end(int(area.left() + area.width() * 0.75), int(area.center().y()));
    const std::int64_t expectedFrom = chart->timeAt(start.x());
    const std::int64_t expectedTo = chart->timeAt(end.x());
    QTest::mousePress(chart->viewport(), Qt::LeftButton, {}, start);
    QTest::mouseMove(chart->viewport(), end);
    QTest::mouseRelease(chart->viewport(), Qt::LeftButton, {}, end);
    EXPECT_FALSE(m_view->isLive());
    auto [from, to] = m_view->window();
    EXPECT_NEAR(double(from), double(expectedFrom), 2000.0);
    EXPECT_NEAR(double(to), double(expectedTo), 2000.0);
    EXPECT_LT(to - from, (liveTo - liveFrom) * 3 / 4);
    // Every chart shows the same window.
    for (int i = 0; i < ChartsView::PanelCount; ++i) {
        EXPECT_EQ(m_view->chart(ChartsView::Panel(i))->timeRange(), std::make_pair(from, to));
    }

    // The arrow keys pan by a tenth of the window, keeping its width.
    QTest::keyClick(m_view.get(), Qt::Key_Left);
    const auto [panFrom, panTo] = m_view->window();
    EXPECT_EQ(panTo - panFrom, to - from);
    EXPECT_EQ(panFrom, from - (to - from) / 10);

    // Samples arriving do not move a zoomed window.
    m_workbench->onSample(QStringLiteral("alpha"),
                          makeSample(QStringLiteral("alpha"), 241, m_start + 240000, 400, 5000));
    m_view->redrawNow();
    EXPECT_EQ(m_view->window().first, panFrom);

    QTest::keyClick(m_view.get(), Qt::Key_Escape);
    EXPECT_TRUE(m_view->isLive());
    EXPECT_GE(m_view->window().second, m_start + 240000);
}

TEST_F(ChartsViewTest, RequestsChartAppearsWithAnAccessLog)
{
    feed(QStringLiteral("alpha"), 60, 0, 100, 12);
    m_view->redrawNow();
    EXPECT_GT(m_view->pointCount(Metric::RequestsPerSec), 50);
    const QString values = m_view->valuesAt(ChartsView::Panel::Requests, m_start + 30000);
    // Named by the path's last two parts: what tells one host's logs apart.
    EXPECT_TRUE(values.contains(QStringLiteral("…/nginx/access.log"))) << values.toStdString();
    EXPECT_TRUE(values.contains(QLocale().toString(12.0, 'f', 1)));
}

TEST_F(ChartsViewTest, EachSegmentIsDownsampledToThePixels)
{
    feed(QStringLiteral("alpha"), 3600, 0, 100);
    m_view->redrawNow();
    const auto series = m_view->chart(ChartsView::Panel::States)->chart()->series();
    const int width = int(m_view->chart(ChartsView::Panel::States)->plotArea().width());
    // Five minutes (300 samples) on fewer pixels than that is not the case here; an hour is.
    QTest::keyClick(m_view.get(), Qt::Key_Minus);
    m_view->showWindow(m_start, m_start + 3600 * 1000);
    for (const QAbstractSeries *one : series) {
        const auto *line = static_cast<const QLineSeries *>(one);
        EXPECT_LE(line->count(), 2 * std::max(50, width) + 2);
    }
    EXPECT_GT(m_view->pointCount(Metric::TimeWait), width / 2);
}

TEST_F(ChartsViewTest, PlotAreasLineUpAndFollowAResize)
{
    feed(QStringLiteral("alpha"), 120, 0, 100000); // six-digit labels on the states chart only
    for (const QSize size : {QSize(1200, 800), QSize(700, 600), QSize(1500, 900)}) {
        m_view->resize(size);
        QTest::qWait(20);
        m_view->redrawNow();
        const QRectF first = m_view->chart(ChartsView::Panel::States)->plotArea();
        for (int i = 1; i < ChartsView::PanelCount; ++i) {
            const QRectF area = m_view->chart(ChartsView::Panel(i))->plotArea();
            EXPECT_NEAR(area.left(), first.left(), 1.0) << i << " at " << size.width();
            EXPECT_NEAR(area.right(), first.right(), 1.0) << i << " at " << size.width();
        }
        // The chart fits its view: nothing drawn beyond the widget's right edge.
        TimeChartView *chart = m_view->chart(ChartsView::Panel::States);
        EXPECT_LE(first.right(), chart->viewport()->width()) << size.width();
        EXPECT_GT(first.width(), chart->viewport()->width() / 2) << size.width();
    }
}

TEST_F(ChartsViewTest, EachContainerGetsItsCpuLineNamedFromTheInventory)
{
    const QString web = QString(64, u'a');
    auto inventory = std::make_shared<DockerInventory>();
    Container container;
    container.id = web;
    container.name = QStringLiteral("shop-api-1\u202e\u001b[31m"); // hostile: bidi and ANSI
    container.running = true;
    inventory->containers.push_back(container);
    const std::int64_t start = QDateTime::currentMSecsSinceEpoch() - 60000;
    for (int i = 0; i < 60; ++i) {
        auto sample = std::const_pointer_cast<HostSample>(
            makeSample(QStringLiteral("alpha"), std::uint64_t(i + 1), start + 1000LL * i, 10, 10));
        ContainerCpuTime cpu;
        cpu.containerId = web;
        cpu.usageUsec = 5'000'000ULL + 400'000ULL * std::uint64_t(i); // 40 % of one core
        cpu.source = QStringLiteral("v2-pid");
        sample->containerCpu = {cpu};
        sample->onlineCpus = 2;
        if (i == 0)
            sample->docker = inventory;
        m_workbench->onSample(QStringLiteral("alpha"), sample);
    }
    m_view->redrawNow();
    EXPECT_TRUE(m_view->lineKeys().contains(QStringLiteral("alpha|container_cpu|") + web));
    EXPECT_GE(m_view->pointCount(Metric::ContainerCpu), 50);
    const QString values = m_view->valuesAt(ChartsView::Panel::Cpu, start + 30000);
    EXPECT_TRUE(values.contains(QStringLiteral("shop-api-1"))) << values.toStdString();
    EXPECT_FALSE(values.contains(QChar(0x202e))) << "a bidi override reached the screen";
    EXPECT_FALSE(values.contains(QChar(0x1b))) << "an escape reached the screen";
    EXPECT_TRUE(values.contains(QLocale().toString(40.0, 'f', 1))) << values.toStdString();
}
