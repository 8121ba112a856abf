#include "chartsview.h"

#include "workbench.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QSettings>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>

#include <cmath>

namespace twbench {

namespace {

constexpr int redrawIntervalMs = 200; // Wireshark's IO graph batches the same way
// The time axis spans at least this much, so its labels stay distinct while a host has
// only a few seconds of samples, and time visibly flows from the right.
constexpr qint64 minimumSpanMs = 60 * 1000;

struct RangeChoice
{
    const char *label;
    qint64 ms; // 0: everything the timeline holds
};

const RangeChoice rangeChoices[] = {
    {QT_TRANSLATE_NOOP("twbench::ChartsView", "Last 5 minutes"), 5 * 60 * 1000},
    {QT_TRANSLATE_NOOP("twbench::ChartsView", "Last 15 minutes"), 15 * 60 * 1000},
    {QT_TRANSLATE_NOOP("twbench::ChartsView", "Last hour"), 60 * 60 * 1000},
    {QT_TRANSLATE_NOOP("twbench::ChartsView", "Last 6 hours"), 6 * 60 * 60 * 1000},
    {QT_TRANSLATE_NOOP("twbench::ChartsView", "Last 24 hours"), 24 * 60 * 60 * 1000},
    {QT_TRANSLATE_NOOP("twbench::ChartsView", "Everything"), 0},
};

// A readable upper bound: 1, 2 or 5 times a power of ten above the data, so the axis labels are
// round numbers and the line never touches the top.
double niceCeiling(double value)
{
    if (value <= 0)
        return 1;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (double step : {1.0, 2.0, 5.0, 10.0}) {
        if (value <= step * magnitude)
            return step * magnitude;
    }
    return 10 * magnitude;
}

} // namespace

ChartsView::ChartsView(Workbench *workbench, QWidget *parent)
    : QWidget(parent)
    , m_workbench(workbench)
{
    setObjectName(QStringLiteral("chartsView"));

    m_range = new QComboBox(this);
    m_range->setObjectName(QStringLiteral("chartRange"));
    for (const RangeChoice &choice : rangeChoices)
        m_range->addItem(tr(choice.label), choice.ms);
    m_range->setCurrentIndex(qBound(0, QSettings().value(QStringLiteral("charts/range"), 0).toInt(),
                                    int(std::size(rangeChoices)) - 1));
    m_latest = new QLabel(this);
    m_latest->setObjectName(QStringLiteral("chartLatest"));

    m_connectionsView =
        makeChart(tr("TCP connections"), m_connectionsTime, m_connectionsCount, tr("sockets"));
    m_cpuView = makeChart(tr("CPU"), m_cpuTime, m_cpuPercent, tr("%"));
    m_cpuPercent->setRange(0, 100);
    addLine(m_connectionsView, Timeline::Metric::TimeWait, QColor(0xd6, 0x27, 0x28));
    addLine(m_connectionsView, Timeline::Metric::Established, QColor(0x1f, 0x77, 0xb4));
    addLine(m_cpuView, Timeline::Metric::CpuTotal, QColor(0x2c, 0x2c, 0x2c));
    addLine(m_cpuView, Timeline::Metric::CpuUser, QColor(0x2c, 0xa0, 0x2c));
    addLine(m_cpuView, Timeline::Metric::CpuSystem, QColor(0xff, 0x7f, 0x0e));

    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Range:"), this));
    bar->addWidget(m_range);
    bar->addWidget(m_latest, 1);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_connectionsView);
    splitter->addWidget(m_cpuView);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(bar);
    layout->addWidget(splitter, 1);

    m_redrawTimer = new QTimer(this);
    m_redrawTimer->setInterval(redrawIntervalMs);
    // Redrawn at least once a second even without samples: the axis follows the host's "now",
    // so a host that went silent shows a widening gap instead of a frozen chart.
    connect(m_redrawTimer, &QTimer::timeout, this, [this] {
        if (!isVisible())
            return;
        if (m_dirty || m_sinceRedraw.hasExpired(1000))
            redraw();
    });
    m_redrawTimer->start();

    connect(m_range, &QComboBox::currentIndexChanged, this, [this](int index) {
        QSettings().setValue(QStringLiteral("charts/range"), index);
        m_dirty = true;
    });
    connect(m_workbench, &Workbench::sampleArrived, this, &ChartsView::markDirty);
    connect(m_workbench, &Workbench::currentHostChanged, this, [this] { m_dirty = true; });
}

ChartsView::~ChartsView() = default;

QChartView *ChartsView::makeChart(const QString &title, QDateTimeAxis *&timeAxis,
                                  QValueAxis *&valueAxis, const QString &valueTitle)
{
    auto *chart = new QChart;
    chart->setTitle(title);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    timeAxis = new QDateTimeAxis(chart);
    timeAxis->setFormat(QStringLiteral("HH:mm:ss"));
    timeAxis->setTickCount(7);
    valueAxis = new QValueAxis(chart);
    valueAxis->setTitleText(valueTitle);
    valueAxis->setLabelFormat(QStringLiteral("%.0f"));
    valueAxis->setRange(0, 10);
    valueAxis->setTickCount(6); // upper bounds are 1, 2 or 5 × 10^k: steps stay round
    chart->addAxis(timeAxis, Qt::AlignBottom);
    chart->addAxis(valueAxis, Qt::AlignLeft);
    auto *view = new QChartView(chart, this); // takes ownership of the chart
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(180);
    return view;
}

void ChartsView::addLine(QChartView *view, Timeline::Metric metric, const QColor &color)
{
    Line line{metric, view->chart(), color, {}};
    newSegment(line, 0);
    m_lines.append(line);
}

QLineSeries *ChartsView::newSegment(Line &line, int index)
{
    auto *series = new QLineSeries;
    series->setName(Timeline::metricName(line.metric));
    QPen pen(line.color);
    pen.setWidthF(1.6);
    series->setPen(pen);
    series->setUseOpenGL(false);
    line.chart->addSeries(series); // takes ownership
    const QList<QAbstractAxis *> axes = line.chart->axes();
    for (QAbstractAxis *axis : axes)
        series->attachAxis(axis);
    if (index > 0) {
        // One legend entry per metric, however many segments it is drawn in.
        for (QLegendMarker *marker : line.chart->legend()->markers(series))
            marker->setVisible(false);
    }
    line.segments.append(series);
    return series;
}

int ChartsView::pointCount(Timeline::Metric metric) const
{
    int count = 0;
    for (const Line &line : m_lines) {
        if (line.metric != metric)
            continue;
        for (const QLineSeries *series : line.segments)
            count += int(series->count());
    }
    return count;
}

void ChartsView::markDirty(const QString &hostId)
{
    if (hostId == m_workbench->currentHost())
        m_dirty = true;
}

qint64 ChartsView::rangeMs() const
{
    return m_range->currentData().toLongLong();
}

void ChartsView::redraw()
{
    m_dirty = false;
    m_sinceRedraw.start();
    const Timeline *timeline = m_workbench->timeline(m_workbench->currentHost());
    const std::optional<std::int64_t> last = timeline ? timeline->lastMs() : std::nullopt;
    if (!timeline || !last) {
        for (Line &line : m_lines) {
            for (QLineSeries *series : line.segments)
                series->clear();
        }
        m_latest->setText(tr("Waiting for samples…"));
        return;
    }
    const std::int64_t first = *timeline->firstMs();
    const std::int64_t toMs =
        qMax(*last, m_workbench->remoteNowMs(m_workbench->currentHost()).value_or(*last));
    const std::int64_t fromMs = rangeMs() > 0 ? toMs - rangeMs() : first;
    const int buckets = qMax(50, m_connectionsView->width());

    double maxCount = 0;
    double maxCpu = 0;
    for (Line &line : m_lines) {
        const bool isCpu = line.chart == m_cpuView->chart();
        updateLine(line, *timeline, fromMs, toMs, buckets, isCpu ? maxCpu : maxCount);
    }
    const QDateTime to = QDateTime::fromMSecsSinceEpoch(toMs);
    const QDateTime from =
        QDateTime::fromMSecsSinceEpoch(qMin(qMax(fromMs, first), toMs - minimumSpanMs));
    m_connectionsTime->setRange(from, to);
    m_cpuTime->setRange(from, to);
    // At least 0..5 with six ticks: whole-number labels even before the first socket.
    m_connectionsCount->setRange(0, qMax(5.0, niceCeiling(maxCount * 1.1)));
    m_cpuPercent->setRange(0, qMin(100.0, niceCeiling(qMax(5.0, maxCpu * 1.1))));
    const QString format = to.toMSecsSinceEpoch() - from.toMSecsSinceEpoch() > 6 * 3600 * 1000
                               ? QStringLiteral("MM-dd HH:mm")
                               : QStringLiteral("HH:mm:ss");
    m_connectionsTime->setFormat(format);
    m_cpuTime->setFormat(format);

    const QLocale locale;
    const auto latest = [timeline](Timeline::Metric metric) {
        const std::optional<Timeline::Point> point = timeline->latest(metric);
        return point ? point->value : std::nan("");
    };
    const double timeWait = latest(Timeline::Metric::TimeWait);
    const double established = latest(Timeline::Metric::Established);
    const double cpu = latest(Timeline::Metric::CpuTotal);
    m_latest->setText(
        tr("Now: TIME_WAIT %1, ESTABLISHED %2, CPU %3 %")
            .arg(std::isnan(timeWait) ? QStringLiteral("–") : locale.toString(qlonglong(timeWait)),
                 std::isnan(established) ? QStringLiteral("–")
                                         : locale.toString(qlonglong(established)),
                 std::isnan(cpu) ? QStringLiteral("–") : locale.toString(cpu, 'f', 1)));
}

void ChartsView::updateLine(Line &line, const Timeline &timeline, std::int64_t fromMs,
                            std::int64_t toMs, int buckets, double &maxValue)
{
    const QList<Timeline::Point> points = timeline.downsampled(line.metric, fromMs, toMs, buckets);
    QList<QList<QPointF>> segments;
    std::optional<std::uint32_t> segmentId;
    for (const Timeline::Point &point : points) {
        if (!segmentId || *segmentId != point.segment) {
            segments.append(QList<QPointF>());
            segmentId = point.segment;
        }
        segments.last().append(QPointF(qreal(point.epochMs), point.value));
        maxValue = qMax(maxValue, point.value);
    }
    while (line.segments.size() < segments.size())
        newSegment(line, int(line.segments.size()));
    for (qsizetype i = 0; i < line.segments.size(); ++i) {
        if (i < segments.size())
            line.segments[i]->replace(segments[i]);
        else if (line.segments[i]->count() > 0)
            line.segments[i]->clear();
    }
}

} // namespace twbench
