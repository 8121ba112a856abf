#include "timechartview.h"

#include <QChart>
#include <QDateTime>
#include <QDateTimeAxis>
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

// Above the series (which Qt Charts draws around z 0–10) and the axes' grid.
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
    chart->legend()->hide(); // ChartsView's legend toggles the series of every chart
    chart->setMargins(QMargins(0, 0, 0, 0));
    chart->setBackgroundRoundness(0);
    m_timeAxis = new QDateTimeAxis(chart);
    m_timeAxis->setFormat(QStringLiteral("HH:mm:ss"));
    m_timeAxis->setTickCount(7);
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
}

TimeChartView::~TimeChartView() = default;

void TimeChartView::setTimeRange(std::int64_t fromMs, std::int64_t toMs)
{
    m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(fromMs),
                         QDateTime::fromMSecsSinceEpoch(std::max(toMs, fromMs + 1)));
    placeOverlays();
}

void TimeChartView::setTimeLabelsVisible(bool visible)
{
    m_timeAxis->setLabelsVisible(visible);
}

QRectF TimeChartView::plotArea() const
{
    return chart()->plotArea();
}

qreal TimeChartView::sceneXAt(std::int64_t ms) const
{
    const QRectF area = chart()->plotArea();
    const double from = double(m_timeAxis->min().toMSecsSinceEpoch());
    const double to = double(m_timeAxis->max().toMSecsSinceEpoch());
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
    const double from = double(m_timeAxis->min().toMSecsSinceEpoch());
    const double to = double(m_timeAxis->max().toMSecsSinceEpoch());
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
    m_placeholder->setText(text);
    placeOverlays();
}

void TimeChartView::placePlotArea()
{
    const QSizeF size = chart()->size();
    chart()->setPlotArea(QRectF(leftMargin, topMargin,
                                std::max(10.0, size.width() - leftMargin - rightMargin),
                                std::max(10.0, size.height() - topMargin - bottomMargin)));
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
            const qreal top = area.top() + 2;
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

    const QRectF text = m_placeholder->boundingRect();
    m_placeholder->setPos(area.center().x() - text.width() / 2,
                          area.center().y() - text.height() / 2);
    m_placeholder->setVisible(!m_placeholder->text().isEmpty());
}

void TimeChartView::resizeEvent(QResizeEvent *event)
{
    QChartView::resizeEvent(event); // resizes the chart to the view
    placePlotArea();
    placeOverlays();
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
