#pragma once

#include <QChartView>

#include <cstdint>
#include <optional>

class QCategoryAxis;
class QGraphicsLineItem;
class QGraphicsRectItem;
class QGraphicsSimpleTextItem;
class QGraphicsTextItem;
class QValueAxis;

namespace twbench {

// One chart of the stacked charts: a time axis, a value axis and the mouse gestures that move
// the shared time window. It does not own the window: it reports gestures as signals in axis
// milliseconds, and ChartsView sets the same range on every chart.
//
// The stacked charts' plot areas line up to the pixel: ChartsView widens the left margin of the
// charts whose labels are narrower (setHorizontalMargins), after laying them out (layOutNow).
//
// Gestures: drag with the left button to zoom to a span; drag with the right or middle button
// (or Shift + left) to pan; the wheel zooms around the pointer; a double click resets to live.
class TimeChartView final : public QChartView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimeChartView)

public:
    explicit TimeChartView(const QString &title, QWidget *parent = nullptr);
    ~TimeChartView() override;

    // A category axis over epoch milliseconds, one category per round time: labels and grid
    // lines at 09:04:00, 09:05:00 … rather than at the range's ends.
    QCategoryAxis *timeAxis() const { return m_timeAxis; }
    std::pair<std::int64_t, std::int64_t> timeRange() const;
    QValueAxis *valueAxis() const { return m_valueAxis; }

    void setTimeRange(std::int64_t fromMs, std::int64_t toMs);
    // Only the lowest chart of a stack shows the times; the others keep the grid.
    void setTimeLabelsVisible(bool visible);
    // Axis time at a horizontal position in the view, and back.
    std::int64_t timeAt(qreal x) const;
    qreal xAt(std::int64_t ms) const;
    QRectF plotArea() const;

    // The crosshair at `ms` with a box of values (rich text); nullopt hides both.
    void setCrosshair(std::optional<std::int64_t> ms, const QString &valuesHtml = {});
    // A span shaded on the chart (a finding's time range); nullopt clears it.
    void setMarkedRange(std::optional<std::pair<std::int64_t, std::int64_t>> range);
    // A vertical line at the time a replay shows; nullopt hides it.
    void setCursorTime(std::optional<std::int64_t> ms);
    std::optional<std::int64_t> cursorTime() const { return m_cursorMs; }
    // A line of text in the middle of the plot area while it has nothing to draw.
    void setPlaceholder(const QString &text);

    void setHorizontalMargins(int left, int right);
    // Lays the chart out at once (Qt Charts defers it to the event loop), so plotArea() is
    // current.
    void layOutNow();

    static constexpr int baseMargin = 4;
    static constexpr int rightMargin = 24;  // half of the last time label
    static constexpr int minimumDragPx = 6; // shorter drags are clicks

Q_SIGNALS:
    void hovered(std::int64_t ms);
    void hoverLeft();
    void zoomRequested(std::int64_t fromMs, std::int64_t toMs);
    void panRequested(std::int64_t deltaMs);
    void wheelZoomRequested(std::int64_t aroundMs, double factor);
    void resetRequested();
    void resized();

protected:
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void leaveEvent(QEvent *event) override;
    // Keys go to ChartsView, which moves every chart together (QGraphicsView would scroll).
    void keyPressEvent(QKeyEvent *event) override;

private:
    enum class Drag : std::uint8_t { None, Zoom, Pan };

    void placeOverlays();
    void placeTimeTicks();
    qreal sceneXAt(std::int64_t ms) const;

    QCategoryAxis *m_timeAxis = nullptr; // Owned by the chart.
    QValueAxis *m_valueAxis = nullptr;   // Owned by the chart.
    // Owned by the chart's scene.
    QGraphicsLineItem *m_crosshair = nullptr;
    QGraphicsRectItem *m_valuesBackground = nullptr;
    QGraphicsTextItem *m_values = nullptr;
    QGraphicsRectItem *m_selection = nullptr;
    QGraphicsRectItem *m_marked = nullptr;
    QGraphicsLineItem *m_cursor = nullptr;
    QGraphicsSimpleTextItem *m_placeholder = nullptr;

    QString m_placeholderText;
    std::optional<std::int64_t> m_crosshairMs;
    std::optional<std::pair<std::int64_t, std::int64_t>> m_markedRange;
    std::optional<std::int64_t> m_cursorMs;
    Drag m_drag = Drag::None;
    qreal m_dragStartX = 0;
    qreal m_dragLastX = 0;
};

} // namespace twbench
