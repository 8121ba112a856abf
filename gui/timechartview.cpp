#include "timechartview.h"

#include <QCategoryAxis>
#include <QChart>
#include <QDateTime>
#include <QFontMetrics>
#include <QGraphicsLayout>
#include <QGraphicsLineItem>
#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsTextItem>
#include <QKeyEvent>
#include <QLegend>
#include <QMouseEvent>
#include <QTextDocument>
#include <QValueAxis>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace twbench {

namespace {

// Above the lines (PlotLinesItem, z 50), the axes and their grid (Qt Charts' items, below 10).
constexpr qreal overlayZ = 100;

} // namespace

TimeChartView::TimeChartView(const QString &title, QWidget *parent)
    : QChartView(new QChart, parent)
{
    QChart *chart = this->chart();
    chart->setTitle(title);
    QFont titleFont = font();
    titleFont.setBold(true);
    chart->setTitleFont(titleFont);
    chart->legend()->hide(); // ChartsView's legend toggles the lines of every chart
    chart->setMargins(QMargins(baseMargin, 0, rightMargin, 0));
    chart->setBackgroundRoundness(0);
    m_timeAxis = new QCategoryAxis(chart);
    m_timeAxis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    m_valueAxis = new QValueAxis(chart);
    m_valueAxis->setLabelFormat(QStringLiteral("%.0f"));
    m_valueAxis->setRange(0, 10);
    m_valueAxis->setTickCount(3);
    chart->addAxis(m_timeAxis, Qt::AlignBottom);
    chart->addAxis(m_valueAxis, Qt::AlignLeft);

    setRenderHint(QPainter::Antialiasing);
    setMouseTracking(true);
    setRubberBand(QChartView::NoRubberBand); // gestures are ours: every chart moves together
    setMinimumHeight(110);

    QGraphicsScene *scene = chart->scene();
    m_marked = scene->addRect(QRectF(), Qt::NoPen, QColor(255, 191, 0, 60));
    m_marked->setZValue(overlayZ - 2);
    m_marked->hide();
    m_selection = scene->addRect(QRectF(), QPen(QColor(31, 119, 180), 1), QColor(31, 119, 180, 40));
    m_selection->setZValue(overlayZ - 1);
    m_selection->hide();
    m_cursor = scene->addLine(QLineF(), QPen(QColor(214, 39, 40), 1.5));
    m_cursor->setZValue(overlayZ);
    m_cursor->hide();
    m_crosshair = scene->addLine(QLineF(), QPen(QColor(90, 90, 90), 1, Qt::DashLine));
    m_crosshair->setZValue(overlayZ);
    m_crosshair->hide();
    m_valuesBackground =
        scene->addRect(QRectF(), QPen(QColor(160, 160, 160)), QColor(255, 255, 240, 235));
    m_valuesBackground->setZValue(overlayZ + 1);
    m_valuesBackground->hide();
    m_values = scene->addText(QString());
    m_values->setZValue(overlayZ + 2);
    m_values->hide();
    m_placeholder = scene->addSimpleText(QString());
    m_placeholder->setBrush(QColor(120, 120, 120));
    m_placeholder->setZValue(overlayZ);
    connect(chart, &QChart::plotAreaChanged, this, [this] { placeOverlays(); });
}

TimeChartView::~TimeChartView() = default;

void TimeChartView::setTimeRange(std::int64_t fromMs, std::int64_t toMs)
{
    toMs = std::max(toMs, fromMs + 1);
    m_timeAxis->setRange(double(fromMs), double(toMs));
    placeTimeTicks();
    placeOverlays();
}

void TimeChartView::setTimeLabelsVisible(bool visible)
{
    m_timeAxis->setLabelsVisible(visible);
}

std::pair<std::int64_t, std::int64_t> TimeChartView::timeRange() const
{
    return {std::int64_t(std::llround(m_timeAxis->min())),
            std::int64_t(std::llround(m_timeAxis->max()))};
}

void TimeChartView::placeTimeTicks()
{
    // Round times (…:00, …:30, whole hours), in local time, about every 110 pixels: a
    // QDateTimeAxis would put its ticks at the range's ends, so a sliding live window would
    // show 09:03:46, 09:04:24 … and move them every second.
    static constexpr std::int64_t second = 1000;
    static constexpr std::int64_t minute = 60 * second;
    static constexpr std::int64_t hour = 60 * minute;
    static constexpr std::int64_t steps[] = {
        second,     2 * second, 5 * second,  10 * second, 15 * second, 30 * second,   minute,
        2 * minute, 5 * minute, 10 * minute, 15 * minute, 30 * minute, hour,          2 * hour,
        3 * hour,   6 * hour,   12 * hour,   24 * hour,   48 * hour,   7 * 24 * hour,
    };
    const auto [fromMs, toMs] = timeRange();
    const qreal width = std::max<qreal>(100, chart()->plotArea().width());
    const std::int64_t wanted =
        (toMs - fromMs) / std::max<std::int64_t>(2, std::int64_t(width / 110));
    std::int64_t step = steps[std::size(steps) - 1];
    for (const std::int64_t candidate : steps) {
        if (candidate >= wanted) {
            step = candidate;
            break;
        }
    }
    const bool spansDays = toMs - fromMs > 24 * hour;
    const QString format = step >= 24 * hour ? QStringLiteral("MM-dd")
                           : spansDays       ? QStringLiteral("MM-dd HH:mm")
                           : step < minute   ? QStringLiteral("HH:mm:ss")
                                             : QStringLiteral("HH:mm");

    const QStringList old = m_timeAxis->categoriesLabels();
    for (const QString &label : old)
        m_timeAxis->remove(label);
    m_timeAxis->setStartValue(double(fromMs));
    // Rounded in local time, so hour ticks land on local hours in a +05:30 zone too.
    const std::int64_t offset =
        std::int64_t(QDateTime::fromMSecsSinceEpoch(fromMs).offsetFromUtc()) * 1000;
    std::int64_t tick = ((fromMs + offset + step - 1) / step) * step - offset;
    for (int count = 0; tick <= toMs && count < 64; tick += step, ++count)
        m_timeAxis->append(QDateTime::fromMSecsSinceEpoch(tick).toString(format), double(tick));
}

QRectF TimeChartView::plotArea() const
{
    return chart()->plotArea();
}

qreal TimeChartView::sceneXAt(std::int64_t ms) const
{
    const QRectF area = chart()->plotArea();
    const double from = m_timeAxis->min();
    const double to = m_timeAxis->max();
    if (to <= from)
        return area.left();
    return area.left() + (double(ms) - from) / (to - from) * area.width();
}

qreal TimeChartView::xAt(std::int64_t ms) const
{
    return mapFromScene(QPointF(sceneXAt(ms), 0)).x();
}

std::int64_t TimeChartView::timeAt(qreal x) const
{
    const QRectF area = chart()->plotArea();
    const qreal sceneX = mapToScene(QPoint(int(std::lround(x)), 0)).x();
    const double from = m_timeAxis->min();
    const double to = m_timeAxis->max();
    const double share = area.width() > 0 ? (sceneX - area.left()) / area.width() : 0;
    return std::int64_t(std::llround(from + std::clamp(share, 0.0, 1.0) * (to - from)));
}

void TimeChartView::setCrosshair(std::optional<std::int64_t> ms, const QString &valuesHtml)
{
    m_crosshairMs = ms;
    m_values->setHtml(valuesHtml);
    placeOverlays();
}

void TimeChartView::setMarkedRange(std::optional<std::pair<std::int64_t, std::int64_t>> range)
{
    m_markedRange = range;
    placeOverlays();
}

void TimeChartView::setCursorTime(std::optional<std::int64_t> ms)
{
    m_cursorMs = ms;
    placeOverlays();
}

void TimeChartView::setPlaceholder(const QString &text)
{
    m_placeholderText = text;
    placeOverlays();
}

void TimeChartView::setHorizontalMargins(int left, int right)
{
    QMargins margins = chart()->margins();
    if (margins.left() == left && margins.right() == right)
        return;
    margins.setLeft(left);
    margins.setRight(right);
    chart()->setMargins(margins);
}

void TimeChartView::layOutNow()
{
    if (QGraphicsLayout *layout = chart()->layout())
        layout->activate();
}

void TimeChartView::placeOverlays()
{
    const QRectF area = chart()->plotArea();
    const auto inside = [&](qreal x) {
        return x >= area.left() - 0.5 && x <= area.right() + 0.5;
    };

    if (m_crosshairMs && inside(sceneXAt(*m_crosshairMs))) {
        const qreal x = sceneXAt(*m_crosshairMs);
        m_crosshair->setLine(QLineF(x, area.top(), x, area.bottom()));
        m_crosshair->show();
        if (!m_values->document()->isEmpty()) {
            const QRectF box = m_values->boundingRect();
            // Beside the line, on the side with room; never over the title.
            qreal left = x + 8;
            if (left + box.width() > area.right())
                left = x - 8 - box.width();
            left = std::max(left, area.left());
            // Below the title when it fits; in a short chart, moved up over the title rather
            // than cut off at the bottom.
            const qreal bottom = chart()->size().height();
            const qreal top = std::max(0.0, std::min(area.top() + 2, bottom - box.height() - 1));
            m_values->setPos(left, top);
            m_valuesBackground->setRect(QRectF(left, top, box.width(), box.height()));
            m_values->show();
            m_valuesBackground->show();
        } else {
            m_values->hide();
            m_valuesBackground->hide();
        }
    } else {
        m_crosshair->hide();
        m_values->hide();
        m_valuesBackground->hide();
    }

    if (m_markedRange) {
        const qreal left = std::clamp(sceneXAt(m_markedRange->first), area.left(), area.right());
        const qreal right = std::clamp(sceneXAt(m_markedRange->second), area.left(), area.right());
        m_marked->setRect(QRectF(left, area.top(), std::max(2.0, right - left), area.height()));
        m_marked->setVisible(right > area.left() && left < area.right());
    } else {
        m_marked->hide();
    }

    if (m_cursorMs && inside(sceneXAt(*m_cursorMs))) {
        const qreal x = sceneXAt(*m_cursorMs);
        m_cursor->setLine(QLineF(x, area.top(), x, area.bottom()));
        m_cursor->show();
    } else {
        m_cursor->hide();
    }

    // Elided to the plot area: a narrow chart must not spill its message over the axes.
    m_placeholder->setText(
        QFontMetrics(m_placeholder->font())
            .elidedText(m_placeholderText, Qt::ElideRight, int(std::max(0.0, area.width() - 8))));
    const QRectF text = m_placeholder->boundingRect();
    m_placeholder->setPos(area.center().x() - text.width() / 2,
                          area.center().y() - text.height() / 2);
    m_placeholder->setVisible(!m_placeholder->text().isEmpty());
}

void TimeChartView::resizeEvent(QResizeEvent *event)
{
    QChartView::resizeEvent(event); // resizes the chart to the view
    emit resized();
}

void TimeChartView::mousePressEvent(QMouseEvent *event)
{
    const bool pan = event->button() == Qt::RightButton || event->button() == Qt::MiddleButton ||
                     (event->button() == Qt::LeftButton && event->modifiers() & Qt::ShiftModifier);
    if (pan)
        m_drag = Drag::Pan;
    else if (event->button() == Qt::LeftButton)
        m_drag = Drag::Zoom;
    else
        return QChartView::mousePressEvent(event);
    m_dragStartX = event->position().x();
    m_dragLastX = m_dragStartX;
    if (m_drag == Drag::Pan)
        setCursor(Qt::ClosedHandCursor);
    event->accept();
}

void TimeChartView::mouseMoveEvent(QMouseEvent *event)
{
    const qreal x = event->position().x();
    if (m_drag == Drag::Zoom) {
        const QRectF area = chart()->plotArea();
        const qreal start =
            std::clamp(mapToScene(QPoint(int(m_dragStartX), 0)).x(), area.left(), area.right());
        const qreal end =
            std::clamp(mapToScene(event->position().toPoint()).x(), area.left(), area.right());
        m_selection->setRect(
            QRectF(std::min(start, end), area.top(), std::abs(end - start), area.height()));
        m_selection->setVisible(std::abs(x - m_dragStartX) >= minimumDragPx);
    } else if (m_drag == Drag::Pan) {
        const std::int64_t delta = timeAt(m_dragLastX) - timeAt(x);
        m_dragLastX = x;
        if (delta != 0)
            emit panRequested(delta);
    }
    emit hovered(timeAt(x));
    event->accept();
}

void TimeChartView::mouseReleaseEvent(QMouseEvent *event)
{
    const Drag drag = m_drag;
    m_drag = Drag::None;
    m_selection->hide();
    unsetCursor();
    if (drag == Drag::Zoom && std::abs(event->position().x() - m_dragStartX) >= minimumDragPx) {
        const std::int64_t a = timeAt(m_dragStartX);
        const std::int64_t b = timeAt(event->position().x());
        if (a != b)
            emit zoomRequested(std::min(a, b), std::max(a, b));
    }
    event->accept();
}

void TimeChartView::mouseDoubleClickEvent(QMouseEvent *event)
{
    emit resetRequested();
    event->accept();
}

void TimeChartView::wheelEvent(QWheelEvent *event)
{
    const int steps = event->angleDelta().y() / 120;
    if (steps == 0)
        return QChartView::wheelEvent(event);
    // One notch: 80 % of the span (in) or 125 % (out), around the time under the pointer.
    emit wheelZoomRequested(timeAt(event->position().x()), std::pow(0.8, steps));
    event->accept();
}

void TimeChartView::keyPressEvent(QKeyEvent *event)
{
    event->ignore();
}

void TimeChartView::leaveEvent(QEvent *event)
{
    emit hoverLeft();
    QChartView::leaveEvent(event);
}

} // namespace twbench
