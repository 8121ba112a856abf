#include "chartsview.h"

#include "plotlinesitem.h"
#include "timechartview.h"
#include "workbench.h"

#include "model/docker/dockerinventory.h"

#include <QCategoryAxis>
#include <QChart>
#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QSettings>
#include <QSplitter>
#include <QTimer>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QValueAxis>

#include <cmath>
#include <limits>

namespace twbench {

namespace {

// A log's name in the legend: its last two path parts ("…/api/access.log") tell the logs of
// one host apart where the start of the path ("/var/log/nginx/…") is the same for all. A long
// one is cut in the middle: the file's own name stays.
QString logLabel(const QString &sourceId)
{
    const QStringList parts = sourceId.split(u'/', Qt::SkipEmptyParts);
    if (sourceId.startsWith(u'/') && parts.size() > 2)
        return safeDisplayTextKeepingEnd(
            QStringLiteral("…/") + parts.mid(parts.size() - 2).join(u'/'), 60);
    return safeDisplayTextKeepingEnd(sourceId, 60);
}

using Metric = Timeline::Metric;

constexpr int redrawIntervalMs = 200; // Wireshark's IO graph batches the same way
// The time axis spans at least this much, so its labels stay distinct while a host has
// only a few seconds of samples, and time visibly flows from the right.
constexpr std::int64_t minimumSpanMs = 60 * 1000;
constexpr std::int64_t minimumZoomMs = 10 * 1000;
const QString hiddenSettingsKey = QStringLiteral("charts/hiddenSeries");

struct RangeChoice
{
    const char *label;
    qint64 ms; // 0: everything the timelines hold
};

const RangeChoice rangeChoices[] = {
    {QT_TRANSLATE_NOOP("twbench::ChartsView", "Last 5 minutes"), 5 * 60 * 1000},
    {QT_TRANSLATE_NOOP("twbench::ChartsView", "Last 15 minutes"), 15 * 60 * 1000},
    {QT_TRANSLATE_NOOP("twbench::ChartsView", "Last hour"), 60 * 60 * 1000},
    {QT_TRANSLATE_NOOP("twbench::ChartsView", "Last 6 hours"), 6 * 60 * 60 * 1000},
    {QT_TRANSLATE_NOOP("twbench::ChartsView", "Last 24 hours"), 24 * 60 * 60 * 1000},
    {QT_TRANSLATE_NOOP("twbench::ChartsView", "Everything"), 0},
};

// Stable names for the settings (the enum's order may change).
QString metricId(Metric metric)
{
    static const char *const ids[] = {
        "time_wait",         "established",        "close_wait",    "syn_recv", "new_connections",
        "time_wait_entered", "time_wait_overflow", "cpu_total",     "cpu_user", "cpu_system",
        "cpu_iowait",        "cpu_steal",          "container_cpu", "requests",
    };
    static_assert(std::size(ids) == Timeline::MetricCount);
    return QLatin1StringView(ids[int(metric)]);
}

QColor metricColor(Metric metric)
{
    switch (metric) {
    case Metric::TimeWait:
        return QColor(0xd6, 0x27, 0x28);
    case Metric::Established:
        return QColor(0x1f, 0x77, 0xb4);
    case Metric::CloseWait:
        return QColor(0x94, 0x67, 0xbd);
    case Metric::SynRecv:
        return QColor(0x8c, 0x56, 0x4b);
    case Metric::NewConnectionsPerSec:
        return QColor(0x2c, 0xa0, 0x2c);
    case Metric::TimeWaitPerSec:
        return QColor(0xd6, 0x27, 0x28);
    case Metric::TimeWaitOverflowPerSec:
        return QColor(0x7f, 0x00, 0x00);
    case Metric::CpuTotal:
        return QColor(0x2c, 0x2c, 0x2c);
    case Metric::CpuUser:
        return QColor(0x2c, 0xa0, 0x2c);
    case Metric::CpuSystem:
        return QColor(0xff, 0x7f, 0x0e);
    case Metric::CpuIowait:
        return QColor(0x94, 0x67, 0xbd);
    case Metric::CpuSteal:
        return QColor(0x8c, 0x56, 0x4b);
    case Metric::ContainerCpu:
    case Metric::RequestsPerSec:
        break;
    }
    return QColor(0x17, 0xbe, 0xcf);
}

// For keyed lines (containers, logs) and for hosts when several are overlaid.
QColor paletteColor(int index)
{
    static const QColor palette[] = {
        QColor(0x1f, 0x77, 0xb4), QColor(0xd6, 0x27, 0x28), QColor(0x2c, 0xa0, 0x2c),
        QColor(0xff, 0x7f, 0x0e), QColor(0x94, 0x67, 0xbd), QColor(0x17, 0xbe, 0xcf),
        QColor(0xe3, 0x77, 0xc2), QColor(0xbc, 0xbd, 0x22), QColor(0x8c, 0x56, 0x4b),
        QColor(0x7f, 0x7f, 0x7f),
    };
    return palette[size_t(index) % std::size(palette)];
}

Qt::PenStyle styleFor(int index)
{
    static const Qt::PenStyle styles[] = {Qt::SolidLine, Qt::DashLine, Qt::DotLine, Qt::DashDotLine,
                                          Qt::DashDotDotLine};
    return styles[size_t(index) % std::size(styles)];
}

QIcon swatch(const QColor &color, Qt::PenStyle style)
{
    QPixmap pixmap(24, 12);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    QPen pen(color, 2.5, style);
    painter.setPen(pen);
    painter.drawLine(QPointF(1, 6), QPointF(23, 6));
    return QIcon(pixmap);
}

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

ChartsView::Panel panelOf(Metric metric)
{
    switch (metric) {
    case Metric::TimeWait:
    case Metric::Established:
    case Metric::CloseWait:
    case Metric::SynRecv:
        return ChartsView::Panel::States;
    case Metric::NewConnectionsPerSec:
    case Metric::TimeWaitPerSec:
    case Metric::TimeWaitOverflowPerSec:
        return ChartsView::Panel::Churn;
    case Metric::CpuTotal:
    case Metric::CpuUser:
    case Metric::CpuSystem:
    case Metric::CpuIowait:
    case Metric::CpuSteal:
    case Metric::ContainerCpu:
        return ChartsView::Panel::Cpu;
    case Metric::RequestsPerSec:
        break;
    }
    return ChartsView::Panel::Requests;
}

} // namespace

QString ChartsView::Line::settingsKey() const
{
    return metricId(series.metric) + QLatin1Char('|') + series.key;
}

ChartsView::ChartsView(Workbench *workbench, QWidget *parent)
    : QWidget(parent)
    , m_workbench(workbench)
{
    setObjectName(QStringLiteral("chartsView"));
    setFocusPolicy(Qt::StrongFocus);
    QSettings settings;

    m_range = new QComboBox(this);
    m_range->setObjectName(QStringLiteral("chartRange"));
    for (const RangeChoice &choice : rangeChoices)
        m_range->addItem(tr(choice.label), choice.ms);
    m_range->setCurrentIndex(qBound(0, settings.value(QStringLiteral("charts/range"), 0).toInt(),
                                    int(std::size(rangeChoices)) - 1));
    m_scopeBox = new QComboBox(this);
    m_scopeBox->setObjectName(QStringLiteral("chartHostScope"));
    m_scopeBox->addItem(tr("Current host"), int(HostScope::Current));
    m_scopeBox->addItem(tr("All hosts overlaid"), int(HostScope::All));
    m_scope = settings.value(QStringLiteral("charts/hostScope"), 0).toInt() == int(HostScope::All)
                  ? HostScope::All
                  : HostScope::Current;
    m_scopeBox->setCurrentIndex(int(m_scope));
    m_liveButton = new QToolButton(this);
    m_liveButton->setObjectName(QStringLiteral("chartLive"));
    m_liveButton->setText(tr("Live"));
    m_liveButton->setCheckable(true);
    m_liveButton->setToolTip(tr("Follow the newest samples again (Esc)"));
    m_windowLabel = new QLabel(this);
    m_windowLabel->setObjectName(QStringLiteral("chartWindow"));
    m_latest = new QLabel(this);
    m_latest->setObjectName(QStringLiteral("chartLatest"));
    m_latest->setAlignment(Qt::AlignRight | Qt::AlignVCenter);

    const QStringList hidden =
        settings
            .value(hiddenSettingsKey,
                   QStringList{QStringLiteral("cpu_iowait|"), QStringLiteral("cpu_steal|"),
                               QStringLiteral("time_wait_overflow|")})
            .toStringList();
    m_hiddenSeries = QSet<QString>(hidden.begin(), hidden.end());

    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setChildrenCollapsible(false);
    const QString titles[PanelCount] = {
        tr("TCP states (sockets)"),
        tr("Connection churn (per second)"),
        tr("CPU (%, 100 = one core for a container)"),
        tr("Requests per second (access logs)"),
    };
    for (int i = 0; i < PanelCount; ++i) {
        auto *chart = new TimeChartView(titles[i], m_splitter);
        chart->setObjectName(QStringLiteral("chart%1").arg(i));
        m_charts[size_t(i)] = chart;
        m_plotLines[size_t(i)] =
            new PlotLinesItem(chart->chart(), chart->timeAxis(), chart->valueAxis());
        m_splitter->addWidget(chart);
        connect(chart, &TimeChartView::hovered, this, [this](std::int64_t ms) { hoverAt(ms); });
        connect(chart, &TimeChartView::hoverLeft, this, [this] { hoverAt(std::nullopt); });
        connect(chart, &TimeChartView::zoomRequested, this, &ChartsView::showWindow);
        connect(chart, &TimeChartView::panRequested, this, &ChartsView::pan);
        connect(chart, &TimeChartView::wheelZoomRequested, this, &ChartsView::zoomAround);
        connect(chart, &TimeChartView::resetRequested, this, &ChartsView::goLive);
        connect(chart, &TimeChartView::resized, this, [this] { m_dirty = true; });
    }
    chart(Panel::Cpu)->valueAxis()->setRange(0, 100);

    m_legend = new QTreeWidget(this);
    m_legend->setObjectName(QStringLiteral("chartLegend"));
    m_legend->setHeaderHidden(true);
    m_legend->setRootIsDecorated(true);
    m_legend->setUniformRowHeights(true);
    m_legend->setMinimumWidth(190);
    m_legend->setMaximumWidth(320);
    m_legend->setIconSize(QSize(24, 12));
    // Log sources are paths: their ends ("…/api/access.log") tell them apart, not their starts.
    m_legend->setTextElideMode(Qt::ElideMiddle);
    m_legend->setToolTip(tr("Tick or untick a line to show or hide it."));

    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Range:"), this));
    bar->addWidget(m_range);
    bar->addWidget(m_scopeBox);
    bar->addWidget(m_liveButton);
    bar->addWidget(m_windowLabel);
    bar->addWidget(m_latest, 1);
    auto *body = new QSplitter(Qt::Horizontal, this);
    body->addWidget(m_splitter);
    body->addWidget(m_legend);
    body->setStretchFactor(0, 1);
    body->setStretchFactor(1, 0);
    body->setSizes({760, 240});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(bar);
    layout->addWidget(body, 1);

    m_redrawTimer = new QTimer(this);
    m_redrawTimer->setInterval(redrawIntervalMs);
    // Redrawn at least once a second even without samples: the axis follows the host's "now",
    // so a host that went silent shows a widening gap instead of a frozen chart.
    connect(m_redrawTimer, &QTimer::timeout, this, [this] {
        if (!isVisible())
            return;
        if (m_dirty || (!m_fixedWindow && m_sinceRedraw.hasExpired(1000)))
            redraw();
    });
    m_redrawTimer->start();

    connect(m_range, &QComboBox::currentIndexChanged, this, [this](int index) {
        QSettings().setValue(QStringLiteral("charts/range"), index);
        goLive(); // picking a range means "show me the last …"
    });
    connect(m_scopeBox, &QComboBox::currentIndexChanged, this, [this](int index) {
        setHostScope(index == int(HostScope::All) ? HostScope::All : HostScope::Current);
    });
    connect(m_liveButton, &QToolButton::clicked, this, [this](bool checked) {
        if (checked)
            goLive();
        else
            showWindow(m_fromMs, m_toMs); // freeze the window where it is
    });
    connect(m_legend, &QTreeWidget::itemChanged, this, &ChartsView::onLegendChanged);
    connect(m_workbench, &Workbench::sampleArrived, this, &ChartsView::markDirty);
    connect(m_workbench, &Workbench::currentHostChanged, this, [this] { m_dirty = true; });
    connect(m_workbench, &Workbench::hostsChanged, this, [this] { m_dirty = true; });
    updateWindowLabel();
}

ChartsView::~ChartsView() = default;

void ChartsView::setHostScope(HostScope scope)
{
    if (scope == m_scope)
        return;
    m_scope = scope;
    m_scopeBox->setCurrentIndex(int(scope));
    QSettings().setValue(QStringLiteral("charts/hostScope"), int(scope));
    redraw();
}

QList<QString> ChartsView::shownHosts() const
{
    if (m_scope == HostScope::Current)
        return {m_workbench->currentHost()};
    QList<QString> hosts;
    const QStringList ids = m_workbench->hostIds();
    for (const QString &id : ids) {
        const Timeline *timeline = m_workbench->timeline(id);
        if (id == m_workbench->currentHost() || (timeline && timeline->lastMs()))
            hosts.append(id);
    }
    return hosts;
}

QString ChartsView::hostLabel(const QString &hostId) const
{
    const std::optional<HostSpec> spec = m_workbench->hostSpec(hostId);
    if (!spec)
        return hostId;
    if (spec->kind == HostSpec::Kind::Local && spec->displayName.isEmpty())
        return tr("This workstation");
    return spec->displayName.isEmpty() ? spec->address : spec->displayName;
}

QString ChartsView::containerLabel(const QString &hostId, const QString &containerId) const
{
    if (const auto docker = m_workbench->latestDocker(hostId)) {
        for (const Container &container : docker->containers) {
            if (container.id.startsWith(containerId) || containerId.startsWith(container.id))
                return safeDisplayText(container.name, 40);
        }
    }
    return containerId.left(12);
}

void ChartsView::addLine(const QString &hostId, const Timeline::SeriesId &series, Panel panel,
                         const QString &label, bool visibleByDefault)
{
    Line line;
    line.hostId = hostId;
    line.series = series;
    line.panel = panel;
    line.label = label;
    const QString key = line.settingsKey();
    line.visible = visibleByDefault && !m_hiddenSeries.contains(key);
    m_lines.append(line);
}

void ChartsView::buildLines()
{
    const QList<QString> hosts = shownHosts();
    // Rebuilt only when the set of lines changes (a host, a container or a log appears).
    QString signature = QString::number(int(m_scope));
    for (const QString &hostId : hosts) {
        signature += QLatin1Char('\n') + hostId + QLatin1Char('=') + hostLabel(hostId);
        if (const Timeline *timeline = m_workbench->timeline(hostId)) {
            for (Metric metric : {Metric::ContainerCpu, Metric::RequestsPerSec}) {
                const QStringList keys = timeline->keys(metric);
                for (const QString &key : keys)
                    signature +=
                        QLatin1Char(' ') + key + QLatin1Char(':') +
                        (metric == Metric::ContainerCpu ? containerLabel(hostId, key) : QString());
            }
        }
    }
    if (signature == m_linesSignature && !m_lines.isEmpty())
        return;
    m_linesSignature = signature;

    for (PlotLinesItem *lines : m_plotLines)
        lines->clear();
    m_lines.clear();
    m_updatingLegend = true;
    m_legend->clear();

    for (const QString &hostId : hosts) {
        const Timeline *timeline = m_workbench->timeline(hostId);
        for (int m = 0; m < Timeline::FixedMetricCount; ++m) {
            const auto metric = Metric(m);
            addLine(hostId, metric, panelOf(metric), Timeline::metricName(metric), true);
        }
        if (!timeline)
            continue;
        const QStringList containers = timeline->keys(Metric::ContainerCpu);
        for (const QString &id : containers)
            addLine(hostId, Timeline::SeriesId(Metric::ContainerCpu, id), Panel::Cpu,
                    tr("CPU of %1").arg(containerLabel(hostId, id)), true);
        const QStringList logs = timeline->keys(Metric::RequestsPerSec);
        for (const QString &source : logs)
            addLine(hostId, Timeline::SeriesId(Metric::RequestsPerSec, source), Panel::Requests,
                    logLabel(source), true);
    }

    // Colours: one host — by metric (keyed lines take the palette in turn); several hosts —
    // by host, with each panel's lines told apart by their dash pattern.
    const bool overlaid = hosts.size() > 1;
    std::array<int, PanelCount> keyedIndex{};
    QHash<QString, QHash<int, int>> styleIndex; // host → panel → next style
    for (Line &line : m_lines) {
        const int hostIndex = int(hosts.indexOf(line.hostId));
        int &style = styleIndex[line.hostId][int(line.panel)];
        if (overlaid) {
            line.color = paletteColor(hostIndex);
            line.style = styleFor(style++);
        } else if (Timeline::isKeyed(line.series.metric)) {
            line.color = paletteColor(3 + keyedIndex[size_t(line.panel)]++);
            line.style = Qt::SolidLine;
        } else {
            line.color = metricColor(line.series.metric);
            line.style =
                line.series.metric == Metric::TimeWaitPerSec ? Qt::DashLine : Qt::SolidLine;
        }
    }

    QHash<QString, QTreeWidgetItem *> hostItems;
    for (Line &line : m_lines) {
        QTreeWidgetItem *&hostItem = hostItems[line.hostId];
        if (!hostItem) {
            hostItem = new QTreeWidgetItem(m_legend, {hostLabel(line.hostId)});
            hostItem->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable |
                               Qt::ItemIsAutoTristate);
            hostItem->setExpanded(true);
            if (overlaid)
                hostItem->setIcon(
                    0, swatch(paletteColor(int(hosts.indexOf(line.hostId))), Qt::SolidLine));
        }
        auto *item = new QTreeWidgetItem(hostItem, {line.label});
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(0, line.visible ? Qt::Checked : Qt::Unchecked);
        item->setIcon(0, swatch(line.color, line.style));
        item->setToolTip(0, line.label);
        line.legendItem = item;
        PlotLinesItem *lines = plotLines(line.panel);
        line.plotIndex = lines->addLine(line.color, line.style);
        lines->setLineVisible(line.plotIndex, line.visible);
    }
    m_updatingLegend = false;
}

void ChartsView::onLegendChanged(QTreeWidgetItem *item)
{
    if (m_updatingLegend)
        return;
    bool changed = false;
    for (Line &line : m_lines) {
        if (!line.legendItem)
            continue;
        const bool visible = line.legendItem->checkState(0) == Qt::Checked;
        if (visible == line.visible)
            continue;
        line.visible = visible;
        changed = true;
        plotLines(line.panel)->setLineVisible(line.plotIndex, visible);
        if (visible)
            m_hiddenSeries.remove(line.settingsKey());
        else
            m_hiddenSeries.insert(line.settingsKey());
    }
    Q_UNUSED(item)
    if (changed) {
        QSettings().setValue(hiddenSettingsKey,
                             QStringList(m_hiddenSeries.begin(), m_hiddenSeries.end()));
        redraw();
    }
}

int ChartsView::pointCount(Metric metric) const
{
    int count = 0;
    for (const Line &line : m_lines) {
        if (line.series.metric != metric)
            continue;
        count += int(plotLines(line.panel)->points(line.plotIndex).size());
    }
    return count;
}

QStringList ChartsView::lineKeys() const
{
    QStringList keys;
    for (const Line &line : m_lines)
        keys.append(line.hostId + QLatin1Char('|') + line.settingsKey());
    return keys;
}

void ChartsView::markDirty(const QString &hostId)
{
    if (m_scope == HostScope::All || hostId == m_workbench->currentHost())
        m_dirty = true;
}

qint64 ChartsView::rangeMs() const
{
    return m_range->currentData().toLongLong();
}

std::int64_t ChartsView::shiftOf(const QString &hostId) const
{
    const std::optional<std::int64_t> own = m_workbench->clockOffsetMs(hostId);
    const std::optional<std::int64_t> reference =
        m_workbench->clockOffsetMs(m_workbench->currentHost());
    return own && reference ? *own - *reference : 0;
}

void ChartsView::showWindow(std::int64_t fromMs, std::int64_t toMs)
{
    if (toMs - fromMs < minimumZoomMs) {
        const std::int64_t middle = fromMs + (toMs - fromMs) / 2;
        fromMs = middle - minimumZoomMs / 2;
        toMs = fromMs + minimumZoomMs;
    }
    m_fixedWindow = std::make_pair(fromMs, toMs);
    redraw();
}

void ChartsView::goLive()
{
    m_fixedWindow.reset();
    redraw();
}

void ChartsView::pan(std::int64_t deltaMs)
{
    showWindow(m_fromMs + deltaMs, m_toMs + deltaMs);
}

void ChartsView::zoomAround(std::int64_t aroundMs, double factor)
{
    const double from = double(aroundMs) - double(aroundMs - m_fromMs) * factor;
    const double to = double(aroundMs) + double(m_toMs - aroundMs) * factor;
    showWindow(std::int64_t(std::llround(from)), std::int64_t(std::llround(to)));
}

void ChartsView::markRange(std::optional<std::pair<std::int64_t, std::int64_t>> range)
{
    m_markedRange = range;
    for (TimeChartView *view : m_charts)
        view->setMarkedRange(range);
    if (range) {
        const std::int64_t pad =
            std::max<std::int64_t>((range->second - range->first) / 5, minimumZoomMs);
        showWindow(range->first - pad, range->second + pad);
    }
}

void ChartsView::setCursorTime(std::optional<std::int64_t> ms)
{
    for (TimeChartView *view : m_charts)
        view->setCursorTime(ms);
}

void ChartsView::keyPressEvent(QKeyEvent *event)
{
    const std::int64_t step = (m_toMs - m_fromMs) / 10;
    switch (event->key()) {
    case Qt::Key_Escape:
        goLive();
        break;
    case Qt::Key_Left:
        pan(-step);
        break;
    case Qt::Key_Right:
        pan(step);
        break;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomAround(m_fromMs + (m_toMs - m_fromMs) / 2, 0.8);
        break;
    case Qt::Key_Minus:
        zoomAround(m_fromMs + (m_toMs - m_fromMs) / 2, 1.25);
        break;
    default:
        return QWidget::keyPressEvent(event);
    }
    event->accept();
}

void ChartsView::updateWindowLabel()
{
    m_liveButton->setChecked(!m_fixedWindow);
    m_windowLabel->setVisible(bool(m_fixedWindow));
    if (!m_fixedWindow)
        return;
    const QLocale locale;
    const auto text = [&](std::int64_t ms) {
        return locale.toString(QDateTime::fromMSecsSinceEpoch(ms),
                               QStringLiteral("MM-dd HH:mm:ss"));
    };
    m_windowLabel->setText(tr("%1 – %2").arg(text(m_fromMs), text(m_toMs)));
}

QString ChartsView::formatValue(Metric metric, double value) const
{
    const QLocale locale;
    switch (metric) {
    case Metric::TimeWait:
    case Metric::Established:
    case Metric::CloseWait:
    case Metric::SynRecv:
        return locale.toString(qlonglong(std::llround(value)));
    case Metric::CpuTotal:
    case Metric::CpuUser:
    case Metric::CpuSystem:
    case Metric::CpuIowait:
    case Metric::CpuSteal:
    case Metric::ContainerCpu:
        return tr("%1 %").arg(locale.toString(value, 'f', 1));
    case Metric::NewConnectionsPerSec:
    case Metric::TimeWaitPerSec:
    case Metric::TimeWaitOverflowPerSec:
    case Metric::RequestsPerSec:
        break;
    }
    return tr("%1/s").arg(locale.toString(value, 'f', 1));
}

QString ChartsView::valuesAt(Panel panel, std::int64_t ms) const
{
    const TimeChartView *view = chart(panel);
    const double msPerPixel = double(m_toMs - m_fromMs) / std::max(1.0, view->plotArea().width());
    // A point this far before the pointer still counts as "the value at that time": samples
    // are seconds apart, pixels may be minutes wide.
    const auto tolerance = std::int64_t(std::max(5000.0, 3 * msPerPixel));
    QString rows;
    for (const Line &line : m_lines) {
        if (line.panel != panel || !line.visible)
            continue;
        const Timeline *timeline = m_workbench->timeline(line.hostId);
        if (!timeline)
            continue;
        const std::int64_t remoteMs = ms - shiftOf(line.hostId);
        const std::optional<Timeline::Point> point = timeline->at(line.series, remoteMs);
        if (!point || remoteMs - point->epochMs > tolerance)
            continue;
        const QString label = m_scope == HostScope::All
                                  ? tr("%1 · %2").arg(hostLabel(line.hostId), line.label)
                                  : line.label;
        rows += QStringLiteral("<tr><td><span style='color:%1'>■</span> %2</td>"
                               "<td align='right'>&nbsp;%3</td></tr>")
                    .arg(line.color.name(), label.toHtmlEscaped(),
                         formatValue(line.series.metric, point->value).toHtmlEscaped());
    }
    if (rows.isEmpty())
        return {};
    const QLocale locale;
    const QString when =
        locale.toString(QDateTime::fromMSecsSinceEpoch(ms),
                        m_toMs - m_fromMs > 24 * 3600 * 1000 ? QStringLiteral("yyyy-MM-dd HH:mm:ss")
                                                             : QStringLiteral("HH:mm:ss"));
    return QStringLiteral("<b>%1</b><table cellspacing='0' cellpadding='0'>%2</table>")
        .arg(when.toHtmlEscaped(), rows);
}

void ChartsView::hoverAt(std::optional<std::int64_t> ms)
{
    m_hoverMs = ms;
    for (int i = 0; i < PanelCount; ++i) {
        TimeChartView *view = m_charts[size_t(i)];
        view->setCrosshair(ms, ms ? valuesAt(Panel(i), *ms) : QString());
    }
}

void ChartsView::redraw()
{
    m_dirty = false;
    m_sinceRedraw.start();
    buildLines();

    const QString current = m_workbench->currentHost();
    const Timeline *currentTimeline = m_workbench->timeline(current);
    std::optional<std::int64_t> last;
    std::optional<std::int64_t> first;
    for (const Line &line : std::as_const(m_lines)) {
        const Timeline *timeline = m_workbench->timeline(line.hostId);
        if (!timeline || !timeline->lastMs())
            continue;
        const std::int64_t shift = shiftOf(line.hostId);
        last = std::max(last.value_or(*timeline->lastMs() + shift), *timeline->lastMs() + shift);
        first =
            std::min(first.value_or(*timeline->firstMs() + shift), *timeline->firstMs() + shift);
    }
    if (!last) {
        for (const Line &line : std::as_const(m_lines))
            plotLines(line.panel)->clearPoints(line.plotIndex);
        for (TimeChartView *view : m_charts)
            view->setPlaceholder(tr("Waiting for samples…"));
        m_latest->setText(QString());
        updateWindowLabel();
        return;
    }

    if (m_fixedWindow) {
        m_fromMs = m_fixedWindow->first;
        m_toMs = m_fixedWindow->second;
    } else {
        m_toMs = std::max(*last, m_workbench->remoteNowMs(current).value_or(*last));
        m_fromMs = rangeMs() > 0 ? m_toMs - rangeMs() : *first;
        m_fromMs = std::min(m_fromMs, m_toMs - minimumSpanMs);
    }
    updateWindowLabel();

    std::array<int, PanelCount> visibleLines{};
    for (const Line &line : std::as_const(m_lines)) {
        const Timeline *timeline = m_workbench->timeline(line.hostId);
        const int buckets = std::max(50, int(chart(line.panel)->plotArea().width()));
        if (!line.visible || !timeline) {
            plotLines(line.panel)->clearPoints(line.plotIndex);
            continue;
        }
        ++visibleLines[size_t(line.panel)];
        updateLine(line, *timeline, shiftOf(line.hostId), buckets);
    }

    const bool anyRequests = std::any_of(m_lines.cbegin(), m_lines.cend(), [](const Line &line) {
        return line.panel == Panel::Requests;
    });
    for (int i = 0; i < PanelCount; ++i) {
        TimeChartView *view = m_charts[size_t(i)];
        view->setTimeRange(m_fromMs, m_toMs);
        // Whole-number labels even before the first socket: at least 0..5.
        const double top = niceCeiling(
            std::max(Panel(i) == Panel::Cpu ? 5.0 : 1.0, m_plotLines[size_t(i)]->maximumY() * 1.1));
        const double axisTop = std::max(top, 5.0);
        const int ticks = view->plotArea().height() > 120 ? 6 : 3;
        view->valueAxis()->setRange(0, axisTop);
        view->valueAxis()->setTickCount(ticks);
        // Whole steps print as whole numbers; 0–5 in two steps needs the half.
        const double step = axisTop / (ticks - 1);
        view->valueAxis()->setLabelFormat(step == std::floor(step) ? QStringLiteral("%.0f")
                                                                   : QStringLiteral("%.1f"));
        view->setTimeLabelsVisible(i == PanelCount - 1);
        QString placeholder;
        if (Panel(i) == Panel::Requests && !anyRequests)
            placeholder = tr("No access log followed: add one in the host's settings "
                             "(Hosts → Edit host…).");
        else if (visibleLines[size_t(i)] == 0)
            placeholder = tr("Every line of this chart is switched off in the legend.");
        view->setPlaceholder(placeholder);
    }
    alignPlotAreas();
    if (m_hoverMs)
        hoverAt(m_hoverMs);

    const QLocale locale;
    const auto latest = [&](const Timeline::SeriesId &id) {
        const std::optional<Timeline::Point> point =
            currentTimeline ? currentTimeline->latest(id) : std::nullopt;
        return point ? formatValue(id.metric, point->value) : QStringLiteral("–");
    };
    QString now =
        tr("Now: TIME_WAIT %1, ESTABLISHED %2, %3 new/s, CPU %4")
            .arg(latest(Metric::TimeWait), latest(Metric::Established),
                 currentTimeline && currentTimeline->latest(Metric::NewConnectionsPerSec)
                     ? locale.toString(currentTimeline->latest(Metric::NewConnectionsPerSec)->value,
                                       'f', 1)
                     : QStringLiteral("–"),
                 latest(Metric::CpuTotal));
    if (currentTimeline) {
        double requests = 0;
        bool anyLog = false;
        const QStringList logs = currentTimeline->keys(Metric::RequestsPerSec);
        for (const QString &source : logs) {
            if (const auto point = currentTimeline->latest({Metric::RequestsPerSec, source})) {
                requests += point->value;
                anyLog = true;
            }
        }
        if (anyLog)
            now += tr(", %1 requests/s").arg(locale.toString(requests, 'f', 1));
    }
    m_latest->setText(now);
}

void ChartsView::alignPlotAreas()
{
    // Each chart's labels have their own widths (0–5 vs 0–100,000 on the left; the lowest chart
    // also has the last time label on the right): each plot area is narrowed to the one that
    // starts furthest right and ends furthest left. A margin moves the plot area's edge by as
    // much as it grows, so one layout with the margins each chart has tells where its edges
    // would be with the base margins; a second layout only for a chart whose margins change
    // (each layout of the four charts costs about a millisecond, and a redraw is 200 ms apart).
    qreal left = 0;
    qreal right = std::numeric_limits<qreal>::max();
    std::array<qreal, PanelCount> naturalLeft{};
    std::array<qreal, PanelCount> naturalRight{};
    for (size_t i = 0; i < m_charts.size(); ++i) {
        TimeChartView *view = m_charts[i];
        view->layOutNow();
        const QMargins margins = view->chart()->margins();
        naturalLeft[i] = view->plotArea().left() - (margins.left() - TimeChartView::baseMargin);
        naturalRight[i] = view->plotArea().right() + (margins.right() - TimeChartView::rightMargin);
        left = std::max(left, naturalLeft[i]);
        right = std::min(right, naturalRight[i]);
    }
    for (size_t i = 0; i < m_charts.size(); ++i) {
        const int extraLeft = std::max(0, int(std::lround(left - naturalLeft[i])));
        const int extraRight = std::max(0, int(std::lround(naturalRight[i] - right)));
        m_charts[i]->setHorizontalMargins(TimeChartView::baseMargin + extraLeft,
                                          TimeChartView::rightMargin + extraRight);
        m_charts[i]->layOutNow(); // nothing to do where the margins stayed
    }
}

void ChartsView::updateLine(const Line &line, const Timeline &timeline, std::int64_t shiftMs,
                            int buckets)
{
    QList<Timeline::Point> &points = m_downsampled;
    timeline.downsampled(line.series, m_fromMs - shiftMs, m_toMs - shiftMs, buckets, points);
    // Fresh lists moved into the item: two allocations a line, none a point.
    QList<QPointF> drawn;
    drawn.reserve(points.size());
    QList<qsizetype> stretchStarts;
    for (qsizetype i = 0; i < points.size(); ++i) {
        const Timeline::Point &point = points[i];
        if (i > 0 && point.segment != points[i - 1].segment)
            stretchStarts.append(i);
        drawn.append(QPointF(qreal(point.epochMs + shiftMs), point.value));
    }
    plotLines(line.panel)->setPoints(line.plotIndex, std::move(drawn), std::move(stretchStarts));
}

} // namespace twbench
