#pragma once

#include <QColor>
#include <QGraphicsObject>
#include <QImage>
#include <QList>
#include <QPointF>
#include <QPolygonF>
#include <QRect>

#include <utility>
#include <vector>

class QChart;
class QValueAxis;

namespace twbench {

// The lines of one chart, drawn by us over a Qt Charts plot area: Qt Charts keeps the axes, the
// grid, the title and the layout. A QLineSeries re-maps and re-strokes its whole series on every
// replace() (about 400 ms for 10 hosts' day on 130 lines); this item only stores the points and
// maps them when it paints, two multiply-adds a point into one reused buffer.
//
// A line is its points in data coordinates (x ascending), cut into stretches: a break in the data
// shows as a gap. Mapped through the axes' ranges and the chart's plot area as they are at paint
// time, so a new window, a new value range or a resize needs no new points (the item repaints
// itself when either changes). Clipped to the plot area: nothing reaches the axes' labels. Above
// the chart's grid and axes; what a view puts in the scene above the chart (TimeChartView's
// crosshair, marked range, cursor) stays above the lines.
//
// A stretch with fewer points than pixels is one antialiased drawPolyline() with a one-pixel
// cosmetic pen. A denser one (min/max per pixel: a day, an hour) is a zigzag that a polyline
// would stroke pixel by pixel, each column about twice, 10 hosts' lines over one another; on a
// raster device it is filled instead as one rectangle per pixel column, spanning what the
// polyline would cover there, less what the lines drawn above it cover (each pixel filled once).
// SVG and PDF always get polylines.
class PlotLinesItem final : public QGraphicsObject
{
    Q_DISABLE_COPY_MOVE(PlotLinesItem)

public:
    // A child of `chart` (owned by it). A QCategoryAxis is a QValueAxis: either kind maps x.
    PlotLinesItem(QChart *chart, QValueAxis *xAxis, QValueAxis *yAxis);
    ~PlotLinesItem() override;

    // Lines are drawn in the order they were added; the index names a line until clear().
    int addLine(const QColor &color, Qt::PenStyle style);
    void clear();
    int lineCount() const { return int(m_lines.size()); }
    QColor color(int line) const;
    Qt::PenStyle penStyle(int line) const;

    void setLineVisible(int line, bool visible);
    bool isLineVisible(int line) const;

    // Replaces a line's points. `stretchStarts` are the indexes (ascending, > 0) where a new
    // polyline begins after a gap; empty: one polyline. Taken by value: the caller moves its
    // lists in, nothing is copied.
    void setPoints(int line, QList<QPointF> points, QList<qsizetype> stretchStarts = {});
    void clearPoints(int line);
    const QList<QPointF> &points(int line) const;
    // The largest y of the visible lines' points; 0 while there are none. For the value axis.
    double maximumY() const;

    // A line as mapped through the current axes and plot area: one polyline per stretch, in the
    // chart's coordinates; empty while hidden. For tests. (A dense stretch is filled on screen
    // as the pixel columns its polyline would cover.)
    QList<QPolygonF> polylines(int line) const;

    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option,
               QWidget *widget = nullptr) override;

private:
    struct Line
    {
        QColor color;
        Qt::PenStyle style = Qt::SolidLine;
        bool visible = true;
        QList<QPointF> points;
        QList<qsizetype> stretchStarts;
        double maximumY = 0;
    };

    // Data to chart coordinates: x' = x * scaleX + offsetX, y' = y * scaleY + offsetY.
    struct Mapping
    {
        double scaleX = 0;
        double offsetX = 0;
        double scaleY = 0;
        double offsetY = 0;
        bool valid = false;
    };

    Mapping mapping() const;
    // Whether a stretch has enough points to be drawn as pixel columns rather than a polyline.
    static bool isDense(const Line &line, qsizetype first, qsizetype count, const Mapping &map);
    // Maps a stretch into m_mapped.
    void mapStretch(const Line &line, qsizetype first, qsizetype count, const Mapping &map);
    // Appends to m_columns (the line's own from lineBegin on) a rectangle per device pixel column
    // that m_mapped covers, less what the lines above cover.
    void appendColumns(const QList<qreal> &dashes, const QRect &area, qsizetype lineBegin);
    // Fills m_columns (each line's from m_lineColumns) in device pixels: the painter draws in
    // device coordinates.
    void drawColumns(QPainter *painter);
    QRectF clipArea() const;
    bool isValid(int line) const;
    // Calls f(first, count) for each stretch of a line.
    template<typename F>
    static void forEachStretch(const Line &line, F &&f);

    QValueAxis *m_xAxis; // Owned by the chart.
    QValueAxis *m_yAxis; // Owned by the chart.
    QRectF m_plotArea;   // the chart's, as last announced (what boundingRect() reports)
    QList<Line> m_lines;
    // paint()'s buffers, kept between frames so painting allocates nothing
    QPolygonF m_mapped;
    QList<QRect> m_columns;
    QList<std::pair<qsizetype, qsizetype>> m_lineColumns; // each line's range of m_columns
    QImage m_layer;                 // drawColumns()'s, kept as big as the largest band drawn
    std::vector<int> m_coverTop;    // per device pixel column of the plot area: what the lines
    std::vector<int> m_coverBottom; // above cover there, top > bottom where nothing
};

} // namespace twbench
