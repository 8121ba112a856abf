// The stacked charts: hosts overlaid on one time axis, the legend that hides lines and remembers
// it, zoom / pan / live, and the crosshair's exact values. Samples are fed to the workbench as
// the fleet would deliver them (the views cannot tell), so the times and values are known.

#include "gui/chartsview.h"
#include "gui/plotlinesitem.h"
#include "gui/timechartview.h"
#include "gui/workbench.h"
#include "guitestutil.h"
#include "model/docker/dockerinventory.h"
#include "model/timeline.h"
#include "remote/hostspec.h"

#include <QDateTime>
#include <QHash>
#include <QImage>
#include <QSet>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>
#include <QTreeWidget>
#include <QValueAxis>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <utility>

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
    // Overlaid, a host is a colour and its lines on one chart differ by their dashes.
    const PlotLinesItem *lines = m_view->plotLines(ChartsView::Panel::States);
    QHash<QRgb, QSet<int>> stylesByColour;
    for (int i = 0; i < lines->lineCount(); ++i) {
        QSet<int> &styles = stylesByColour[lines->color(i).rgb()];
        EXPECT_FALSE(styles.contains(int(lines->penStyle(i))))
            << "two lines of one host alike on the States chart";
        styles.insert(int(lines->penStyle(i)));
    }
    EXPECT_EQ(stylesByColour.size(), 2);

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
    const PlotLinesItem *lines = m_view->plotLines(ChartsView::Panel::States);
    const auto shown = [lines] {
        int count = 0;
        for (int i = 0; i < lines->lineCount(); ++i)
            count += lines->isLineVisible(i) && !lines->polylines(i).isEmpty() ? 1 : 0;
        return count;
    };
    const int shownBefore = shown();
    item->setCheckState(0, Qt::Unchecked);
    EXPECT_EQ(shown(), shownBefore - 1);
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
    const TimeChartView *chart = m_view->chart(ChartsView::Panel::States);
    const PlotLinesItem *lines = m_view->plotLines(ChartsView::Panel::States);
    // Five minutes (300 samples) on fewer pixels than that is not the case here; an hour is.
    m_view->showWindow(m_start, m_start + 3600 * 1000);
    const QRectF area = chart->plotArea();
    const int width = int(area.width());
    ASSERT_GE(lines->lineCount(), 2); // TIME_WAIT, ESTABLISHED, …
    int drawn = 0;
    for (int i = 0; i < lines->lineCount(); ++i) {
        EXPECT_LE(lines->points(i).size(), 2 * std::max(50, width) + 2) << i;
        // At most the minimum and the maximum in each pixel column (a third where a column's
        // edge falls between two buckets'): 3,600 samples on fewer pixels would put more.
        QHash<int, int> perColumn;
        const QList<QPolygonF> polylines = lines->polylines(i);
        for (const QPolygonF &polyline : polylines) {
            for (const QPointF &point : polyline) {
                EXPECT_GE(point.x(), area.left() - 1) << i;
                EXPECT_LE(point.x(), area.right() + 1) << i;
                ++perColumn[int(std::floor(point.x()))];
                ++drawn;
            }
        }
        for (auto it = perColumn.cbegin(); it != perColumn.cend(); ++it)
            EXPECT_LE(it.value(), 3) << "line " << i << ", column " << it.key();
    }
    EXPECT_GT(drawn, width);
    EXPECT_GT(m_view->pointCount(Metric::TimeWait), width / 2);
}

// The pixels themselves: the States chart painted into an image (its viewport, as on screen)
// shows a line's colour where its samples map through the chart's own axes (not through the
// item's mapping), none across a break in the samples, and none beyond the plot area.
class ChartsPixelsTest : public ChartsViewTest
{
protected:
    // `seconds` samples of `level` ± 1 sockets a second from `start`, none in [gapFrom, gapTo):
    // the probe restarted (a sequence jump), so the timeline breaks there. The same level on
    // both sides: a line bridging the gap would cross it at that height.
    void feedWithGap(const QString &hostId, std::int64_t start, int seconds, int gapFrom, int gapTo,
                     std::int64_t level)
    {
        for (int i = 0; i < seconds; ++i) {
            if (i >= gapFrom && i < gapTo)
                continue;
            m_workbench->onSample(hostId,
                                  makeSample(hostId, std::uint64_t(i + 1), start + 1000LL * i,
                                             level + i % 2, 1000 + 7 * i));
        }
    }

    TimeChartView *states() const { return m_view->chart(ChartsView::Panel::States); }

    QImage render() const
    {
        QImage image = states()->viewport()->grab().toImage();
        // Addressed in the view's logical pixels below; on a high-DPI screen averaged down, so
        // a one-device-pixel line stays (paler) rather than falling between sampled rows.
        image.setDevicePixelRatio(1);
        return image.scaled(states()->viewport()->size(), Qt::IgnoreAspectRatio,
                            Qt::SmoothTransformation);
    }

    // The line of the States chart whose first value is `level` (± 1); -1 if none.
    int lineAt(std::int64_t level) const
    {
        const PlotLinesItem *lines = m_view->plotLines(ChartsView::Panel::States);
        for (int i = 0; i < lines->lineCount(); ++i) {
            const QList<QPointF> &points = lines->points(i);
            if (!points.isEmpty() && std::abs(points.constFirst().y() - double(level)) <= 1)
                return i;
        }
        return -1;
    }

    int xAt(std::int64_t ms) const { return int(std::lround(states()->xAt(ms))); }
    int yAt(double value) const
    {
        const QRectF area = states()->plotArea();
        const double min = states()->valueAxis()->min();
        const double max = states()->valueAxis()->max();
        const double sceneY = area.bottom() - (value - min) / (max - min) * area.height();
        return int(std::lround(states()->mapFromScene(QPointF(area.left(), sceneY)).y()));
    }
    QRect plotArea() const { return states()->mapFromScene(states()->plotArea()).boundingRect(); }

    // The colour, alone or blended into the white background by antialiasing: each channel as
    // far from white as the colour's, in one proportion (grey text is not a pale red).
    static bool looksLike(QRgb pixel, const QColor &colour)
    {
        const int p[] = {qRed(pixel), qGreen(pixel), qBlue(pixel)};
        const int c[] = {colour.red(), colour.green(), colour.blue()};
        const auto farthest = size_t(
            std::max_element(std::begin(c), std::end(c), [](int a, int b) { return a > b; }) -
            std::begin(c));
        const double share = double(255 - p[farthest]) / double(255 - c[farthest]);
        if (share < 0.35)
            return false;
        for (size_t i = 0; i < 3; ++i) {
            if (std::abs(double(p[i]) - (255 - share * (255 - c[i]))) > 35)
                return false;
        }
        return true;
    }

    static bool near(const QImage &image, int x, int y, const QColor &colour)
    {
        for (int dy = -2; dy <= 2; ++dy) {
            for (int dx = -1; dx <= 1; ++dx) {
                const QPoint at(x + dx, y + dy);
                if (image.rect().contains(at) && looksLike(image.pixel(at), colour))
                    return true;
            }
        }
        return false;
    }

    bool inColumn(const QImage &image, int x, const QColor &colour) const
    {
        const QRect area = plotArea();
        for (int y = std::max(0, area.top()); y <= std::min(image.height() - 1, area.bottom());
             ++y) {
            if (looksLike(image.pixel(x, y), colour))
                return true;
        }
        return false;
    }
};

// Fewer samples than pixels: antialiased polylines.
TEST_F(ChartsPixelsTest, SparseLinesArePaintedWhereTheSamplesAreAndNotAcrossAGap)
{
    const std::int64_t start = QDateTime::currentMSecsSinceEpoch() - 159'000;
    feedWithGap(QStringLiteral("alpha"), start, 160, 60, 100, 3000);
    m_view->redrawNow();
    const PlotLinesItem *lines = m_view->plotLines(ChartsView::Panel::States);
    const int timeWait = lineAt(3000);
    ASSERT_GE(timeWait, 0);
    EXPECT_EQ(lines->polylines(timeWait).size(), 2) << "one polyline each side of the break";
    const QColor colour = lines->color(timeWait);
    ASSERT_GT(colour.red() - colour.green(), 100); // TIME_WAIT is red: nothing else here is

    QImage image = render();
    for (int second : {10, 30, 50, 110, 130, 150}) {
        const int x = xAt(start + 1000LL * second);
        EXPECT_TRUE(near(image, x, yAt(3000.5), colour)) << "no line at " << second << " s";
        // Far from the level, nothing: the line is where its values are, not anywhere.
        EXPECT_FALSE(near(image, x, yAt(1500), colour)) << second << " s";
    }
    for (int second : {64, 70, 80, 90, 96})
        EXPECT_FALSE(inColumn(image, xAt(start + 1000LL * second), colour))
            << "drawn across the gap at " << second << " s";

    // Zoomed into the first stretch: the samples run on past both edges of the window, the
    // line stops at the plot area.
    m_view->showWindow(start + 20'000, start + 40'000);
    image = render();
    const QRect area = plotArea();
    const int level = yAt(3000.5);
    EXPECT_TRUE(near(image, area.center().x(), level, colour));
    // Two pixels of slack: antialiasing and the half pixel the clip gives a line on the edge.
    for (int x = 0; x < area.left() - 2; ++x)
        EXPECT_FALSE(near(image, x, level, colour)) << "left of the plot area at " << x;
    for (int x = area.right() + 3; x < image.width(); ++x)
        EXPECT_FALSE(near(image, x, level, colour)) << "right of the plot area at " << x;
}

// An hour on about a thousand pixels: the minimum and the maximum of each pixel's samples, more
// points than pixels, filled as pixel columns, topmost line first. Two hosts overlaid at two
// levels: the one drawn first must still show where the other does not cover it.
TEST_F(ChartsPixelsTest, DenseLinesArePaintedWhereTheSamplesAreAndNotAcrossAGap)
{
    const std::int64_t start = QDateTime::currentMSecsSinceEpoch() - 3'599'000;
    feedWithGap(QStringLiteral("alpha"), start, 3600, 1500, 2100, 3000);
    feedWithGap(QStringLiteral("beta"), start, 3600, 0, 0, 1000);
    m_view->setHostScope(ChartsView::HostScope::All);
    m_view->showWindow(start, start + 3'600'000);
    const PlotLinesItem *lines = m_view->plotLines(ChartsView::Panel::States);
    const int alpha = lineAt(3000);
    const int beta = lineAt(1000);
    ASSERT_GE(alpha, 0);
    ASSERT_GE(beta, 0);
    ASSERT_LT(alpha, beta) << "beta's lines are drawn over alpha's";
    ASSERT_EQ(lines->polylines(alpha).size(), 2);
    const double pixels = states()->plotArea().width();
    EXPECT_GT(double(lines->points(alpha).size()), pixels * 0.8) << "dense: columns, not lines";
    const QColor alphaColour = lines->color(alpha);
    const QColor betaColour = lines->color(beta);
    ASSERT_NE(alphaColour, betaColour);

    const QImage image = render();
    for (int second : {300, 1000, 1400, 2300, 3000, 3500}) {
        const int x = xAt(start + 1000LL * second);
        EXPECT_TRUE(near(image, x, yAt(3000.5), alphaColour)) << "alpha at " << second << " s";
        EXPECT_TRUE(near(image, x, yAt(1000.5), betaColour)) << "beta at " << second << " s";
        EXPECT_FALSE(near(image, x, yAt(2000), alphaColour)) << second << " s";
        EXPECT_FALSE(near(image, x, yAt(2000), betaColour)) << second << " s";
    }
    for (int second : {1560, 1800, 2040}) {
        const int x = xAt(start + 1000LL * second);
        EXPECT_FALSE(inColumn(image, x, alphaColour)) << "alpha across its gap at " << second;
        EXPECT_TRUE(near(image, x, yAt(1000.5), betaColour)) << "beta has no gap: " << second;
    }
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
