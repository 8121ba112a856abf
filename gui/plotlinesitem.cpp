#include "plotlinesitem.h"

#include <QChart>
#include <QImage>
#include <QPaintEngine>
#include <QPainter>
#include <QPen>
#include <QValueAxis>
#include <QVarLengthArray>

#include <algorithm>
#include <cmath>
#include <limits>

namespace twbench {

namespace {

// Above Qt Charts' own children of the chart (background, grid, axes and its series sit below
// 10), so the lines cross the grid; the chart view's overlays are scene items above the chart.
constexpr qreal linesZ = 50;

} // namespace

PlotLinesItem::PlotLinesItem(QChart *chart, QValueAxis *xAxis, QValueAxis *yAxis)
    : QGraphicsObject(chart)
    , m_xAxis(xAxis)
    , m_yAxis(yAxis)
    , m_plotArea(chart->plotArea())
{
    setZValue(linesZ);
    // Nothing to hover or click: the view under it handles the gestures.
    setAcceptedMouseButtons(Qt::NoButton);
    setAcceptHoverEvents(false);
    connect(chart, &QChart::plotAreaChanged, this, [this](const QRectF &area) {
        prepareGeometryChange(); // the bounding rectangle is the plot area
        m_plotArea = area;
        update();
    });
    connect(xAxis, &QValueAxis::rangeChanged, this, [this] { update(); });
    connect(yAxis, &QValueAxis::rangeChanged, this, [this] { update(); });
}

PlotLinesItem::~PlotLinesItem() = default;

bool PlotLinesItem::isValid(int line) const
{
    return line >= 0 && line < m_lines.size();
}

int PlotLinesItem::addLine(const QColor &color, Qt::PenStyle style)
{
    Line line;
    line.color = color;
    line.style = style;
    m_lines.append(line);
    return int(m_lines.size()) - 1;
}

void PlotLinesItem::clear()
{
    if (m_lines.isEmpty())
        return;
    m_lines.clear();
    update();
}

QColor PlotLinesItem::color(int line) const
{
    return isValid(line) ? m_lines[line].color : QColor();
}

Qt::PenStyle PlotLinesItem::penStyle(int line) const
{
    return isValid(line) ? m_lines[line].style : Qt::NoPen;
}

void PlotLinesItem::setLineVisible(int line, bool visible)
{
    if (!isValid(line) || m_lines[line].visible == visible)
        return;
    m_lines[line].visible = visible;
    update();
}

bool PlotLinesItem::isLineVisible(int line) const
{
    return isValid(line) && m_lines[line].visible;
}

void PlotLinesItem::setPoints(int line, QList<QPointF> points, QList<qsizetype> stretchStarts)
{
    if (!isValid(line))
        return;
    Line &one = m_lines[line];
    double maximum = 0;
    for (const QPointF &point : std::as_const(points))
        maximum = std::max(maximum, point.y());
    one.points = std::move(points);
    one.stretchStarts = std::move(stretchStarts);
    one.maximumY = maximum;
    update();
}

void PlotLinesItem::clearPoints(int line)
{
    if (!isValid(line) || m_lines[line].points.isEmpty())
        return;
    Line &one = m_lines[line];
    one.points.clear();
    one.stretchStarts.clear();
    one.maximumY = 0;
    update();
}

const QList<QPointF> &PlotLinesItem::points(int line) const
{
    static const QList<QPointF> none;
    return isValid(line) ? m_lines[line].points : none;
}

double PlotLinesItem::maximumY() const
{
    double maximum = 0;
    for (const Line &line : m_lines) {
        if (line.visible)
            maximum = std::max(maximum, line.maximumY);
    }
    return maximum;
}

PlotLinesItem::Mapping PlotLinesItem::mapping() const
{
    Mapping map;
    const double xMin = m_xAxis->min();
    const double xMax = m_xAxis->max();
    const double yMin = m_yAxis->min();
    const double yMax = m_yAxis->max();
    if (m_plotArea.isEmpty() || !(xMax > xMin) || !(yMax > yMin))
        return map;
    map.scaleX = m_plotArea.width() / (xMax - xMin);
    map.offsetX = m_plotArea.left() - xMin * map.scaleX;
    map.scaleY = -m_plotArea.height() / (yMax - yMin); // y grows upwards, pixels downwards
    map.offsetY = m_plotArea.bottom() - yMin * map.scaleY;
    map.valid = true;
    return map;
}

QRectF PlotLinesItem::clipArea() const
{
    // Half the pen beyond the plot area, so a line along an edge (a value of 0) keeps its width
    // and still ends short of the axes' labels.
    return m_plotArea.adjusted(-0.5, -0.5, 0.5, 0.5);
}

template<typename F>
void PlotLinesItem::forEachStretch(const Line &line, F &&f)
{
    qsizetype first = 0;
    for (const qsizetype start : line.stretchStarts) {
        if (start > first && start <= line.points.size()) {
            f(first, start - first);
            first = start;
        }
    }
    if (first < line.points.size())
        f(first, line.points.size() - first);
}

QList<QPolygonF> PlotLinesItem::polylines(int line) const
{
    QList<QPolygonF> result;
    const Mapping map = mapping();
    if (!isValid(line) || !map.valid || !m_lines[line].visible)
        return result;
    const Line &one = m_lines[line];
    forEachStretch(one, [&](qsizetype first, qsizetype count) {
        QPolygonF polygon;
        polygon.reserve(count);
        for (qsizetype i = first; i < first + count; ++i) {
            const QPointF &point = one.points[i];
            polygon.append(QPointF(point.x() * map.scaleX + map.offsetX,
                                   point.y() * map.scaleY + map.offsetY));
        }
        result.append(polygon);
    });
    return result;
}

QRectF PlotLinesItem::boundingRect() const
{
    return m_plotArea.isEmpty() ? QRectF() : clipArea();
}

bool PlotLinesItem::isDense(const Line &line, qsizetype first, qsizetype count, const Mapping &map)
{
    // A point or more per pixel column (a day on 1,600 pixels: the minimum and the maximum of
    // each) is a zigzag whose polyline strokes each column twice over, pixel by pixel.
    const double spanPx =
        (line.points[first + count - 1].x() - line.points[first].x()) * map.scaleX;
    return count > 2 && double(count) >= spanPx;
}

void PlotLinesItem::mapStretch(const Line &line, qsizetype first, qsizetype count,
                               const Mapping &map)
{
    m_mapped.resize(count);
    const QPointF *in = line.points.constData() + first;
    QPointF *out = m_mapped.data();
    for (qsizetype i = 0; i < count; ++i)
        out[i] =
            QPointF(in[i].x() * map.scaleX + map.offsetX, in[i].y() * map.scaleY + map.offsetY);
}

void PlotLinesItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option,
                          QWidget *widget)
{
    Q_UNUSED(option)
    Q_UNUSED(widget)
    Mapping map = mapping();
    if (!map.valid)
        return;
    painter->save();
    painter->setClipRect(clipArea(), Qt::IntersectClip);
    // Dense stretches are filled as pixel columns where the painter draws pixels (the screen,
    // PNG); SVG and PDF get every stretch as a polyline.
    QRect columns; // the plot area in device pixels; empty: polylines only
    const QPaintEngine *engine = painter->paintEngine();
    const QTransform toDevice = painter->deviceTransform();
    if (engine && engine->type() == QPaintEngine::Raster &&
        toDevice.type() <= QTransform::TxScale) {
        // In device pixels (a scale of 2 on a high-DPI screen included): a column is one pixel
        // of the image, and the raster engine fills untransformed rectangles directly.
        painter->setWorldTransform(toDevice.inverted() * painter->worldTransform());
        map.offsetX = map.offsetX * toDevice.m11() + toDevice.dx();
        map.scaleX *= toDevice.m11();
        map.offsetY = map.offsetY * toDevice.m22() + toDevice.dy();
        map.scaleY *= toDevice.m22();
        columns = toDevice.mapRect(m_plotArea).toAlignedRect();
    }
    // One pixel, cosmetic: the raster engine draws it with its cosmetic stroker, dashes
    // included, instead of stroking a wider pen into polygons.
    QPen pen;
    pen.setWidthF(1.0);
    pen.setCosmetic(true);

    if (!columns.isEmpty()) {
        // The dense stretches' columns, topmost line first, so that each pixel is filled once,
        // by the line drawn over the others there: 10 hosts' lines in one band hide most of
        // the pixels of all but the top few.
        m_columns.clear();
        m_lineColumns.resize(m_lines.size());
        m_coverTop.assign(size_t(columns.width()), std::numeric_limits<int>::max());
        m_coverBottom.assign(size_t(columns.width()), std::numeric_limits<int>::min());
        for (qsizetype l = m_lines.size() - 1; l >= 0; --l) {
            const Line &line = m_lines[l];
            const qsizetype begin = m_columns.size();
            if (line.visible) {
                pen.setStyle(line.style);
                const QList<qreal> dashes =
                    line.style == Qt::SolidLine ? QList<qreal>() : pen.dashPattern();
                forEachStretch(line, [&](qsizetype first, qsizetype count) {
                    if (isDense(line, first, count, map)) {
                        mapStretch(line, first, count, map);
                        appendColumns(dashes, columns, begin);
                    }
                });
            }
            m_lineColumns[l] = {begin, m_columns.size()};
        }
    }

    if (!columns.isEmpty())
        drawColumns(painter);

    for (qsizetype l = 0; l < m_lines.size(); ++l) {
        const Line &line = m_lines[l];
        if (!line.visible || line.points.isEmpty())
            continue;
        pen.setColor(line.color);
        pen.setStyle(line.style);
        // Antialiased: a sparse line is a few hundred segments, so smooth edges cost little
        // (under a millisecond a frame for 10 hosts' last 5 minutes, measured both ways).
        painter->setRenderHint(QPainter::Antialiasing, true);
        painter->setPen(pen);
        painter->setBrush(Qt::NoBrush);
        forEachStretch(line, [&](qsizetype first, qsizetype count) {
            if (!columns.isEmpty() && isDense(line, first, count, map))
                return; // filled as columns above
            mapStretch(line, first, count, map);
            // A lone sample between two breaks would be no line at all: a dot shows it.
            if (count == 1)
                painter->drawPoint(m_mapped.constFirst());
            else
                painter->drawPolyline(m_mapped.constData(), int(count));
        });
    }
    painter->restore();
}

void PlotLinesItem::drawColumns(QPainter *painter)
{
    // The columns hardly overlap (each pixel is filled by the topmost line there), so they are
    // written straight into an image, lowest line first, and that image is drawn once: the
    // raster engine's drawRects() clips and spans each of the ~20,000 one-pixel rectangles of a
    // day's view on its own, about 300 ns apiece.
    QRect band;
    for (const QRect &column : std::as_const(m_columns))
        band |= column;
    if (band.isEmpty())
        return;
    if (m_layer.width() < band.width() || m_layer.height() < band.height())
        m_layer =
            QImage(band.size().expandedTo(m_layer.size()), QImage::Format_ARGB32_Premultiplied);
    const qsizetype stride = m_layer.bytesPerLine() / qsizetype(sizeof(QRgb));
    auto *pixels = reinterpret_cast<QRgb *>(m_layer.bits());
    for (int y = 0; y < band.height(); ++y)
        std::fill_n(pixels + y * stride, band.width(), QRgb(0));
    for (qsizetype l = 0; l < m_lines.size(); ++l) {
        const auto [begin, end] = m_lineColumns[l];
        const QRgb color = qPremultiply(m_lines[l].color.rgba());
        for (qsizetype c = begin; c < end; ++c) {
            const QRect &column = m_columns[c];
            QRgb *row = pixels + qsizetype(column.top() - band.top()) * stride +
                        (column.left() - band.left());
            for (int y = column.top(); y <= column.bottom(); ++y, row += stride)
                std::fill_n(row, column.width(), color);
        }
    }
    painter->drawImage(band.topLeft(), m_layer, QRect(QPoint(0, 0), band.size()));
}

void PlotLinesItem::appendColumns(const QList<qreal> &dashes, const QRect &area,
                                  qsizetype lineBegin)
{
    const QPolygonF &stretch = m_mapped;
    const int firstColumn = int(std::floor(stretch.constFirst().x()));
    // A dashed line's pattern runs on along its path as the polyline's would: down or up each
    // column's short run, one pixel a column where the line is flat.
    struct Dash
    {
        int length;
        bool on;
    };
    QVarLengthArray<Dash, 8> pattern;
    for (qsizetype i = 0; i < dashes.size(); ++i)
        pattern.append({std::max(1, int(std::lround(dashes[i]))), i % 2 == 0});
    int patternLength = 0;
    for (const Dash &one : pattern)
        patternLength += one.length;
    qsizetype dash = 0;
    int dashLeft = pattern.isEmpty() ? 0 : pattern[0].length;

    // A run the same as the one in the column before (a flat line, a band filled from edge to
    // edge) widens that rectangle: fewer and wider rectangles are filled row by row.
    const auto run = [&](int column, int top, int bottom) {
        if (m_columns.size() > lineBegin) {
            QRect &last = m_columns.last();
            if (last.right() + 1 == column && last.top() == top && last.bottom() == bottom) {
                last.setRight(column);
                return;
            }
        }
        m_columns.append(QRect(column, top, 1, bottom - top + 1));
    };
    // What the lines above cover in each column, one run (the longest seen): pixels inside it
    // are not drawn; a run apart from it is drawn whole.
    const auto add = [&](int column, int top, int bottom) {
        int &coveredTop = m_coverTop[size_t(column - area.left())];
        int &coveredBottom = m_coverBottom[size_t(column - area.left())];
        if (coveredTop > coveredBottom || bottom < coveredTop - 1 || top > coveredBottom + 1) {
            run(column, top, bottom);
            if (coveredTop > coveredBottom || bottom - top > coveredBottom - coveredTop) {
                coveredTop = top;
                coveredBottom = bottom;
            }
            return;
        }
        if (top < coveredTop)
            run(column, top, coveredTop - 1);
        if (bottom > coveredBottom)
            run(column, coveredBottom + 1, bottom);
        coveredTop = std::min(coveredTop, top);
        coveredBottom = std::max(coveredBottom, bottom);
    };
    const auto flush = [&](int column, double low, double high) {
        const int top = std::clamp(int(std::floor(low)), area.top(), area.bottom());
        const int bottom = std::clamp(int(std::floor(high)), area.top(), area.bottom());
        const bool shown = column >= area.left() && column <= area.right();
        // A run taller than the pattern (a zigzag) is drawn whole: a polyline's dashes there
        // leave short holes that the lines below show through, costly and no pattern to read.
        if (pattern.isEmpty() || bottom - top + 1 > patternLength) {
            if (shown)
                add(column, top, bottom);
            return;
        }
        for (int y = top; y <= bottom;) {
            const int take = std::min(dashLeft, bottom - y + 1);
            if (shown && pattern[dash].on)
                add(column, y, y + take - 1);
            y += take;
            dashLeft -= take;
            if (dashLeft == 0) {
                dash = (dash + 1) % pattern.size();
                dashLeft = pattern[dash].length;
            }
        }
    };

    int column = firstColumn;
    double low = stretch.constFirst().y();
    double high = low;
    for (qsizetype i = 1; i < stretch.size(); ++i) {
        const QPointF a = stretch[i - 1];
        const QPointF b = stretch[i];
        const int next = int(std::floor(b.x()));
        if (next == column) {
            low = std::min(low, b.y());
            high = std::max(high, b.y());
            continue;
        }
        if (next < column || b.x() <= a.x()) { // not in x order: no run to join
            flush(column, low, high);
            column = next;
            low = high = b.y();
            continue;
        }
        // The segment a–b leaves `column`, crosses the columns between (only those on the
        // plot area are worth a rectangle) and enters `next`. A pixel column takes what the
        // segment spans within half a pixel of it, as a one-pixel pen covers: a steep segment
        // across an empty column (a bucket without samples) still reaches the next one's top.
        const double slope = (b.y() - a.y()) / (b.x() - a.x());
        const auto yAt = [&](double x) {
            return a.y() + slope * (std::clamp(x, a.x(), b.x()) - a.x());
        };
        const double leaving = yAt(column + 1.5);
        flush(column, std::min(low, leaving), std::max(high, leaving));
        const int from = std::max(column + 1, area.left());
        const int to = std::min(next, area.right() + 1);
        for (int between = from; between < to; ++between) {
            const double left = yAt(between - 0.5);
            const double right = yAt(between + 1.5);
            flush(between, std::min(left, right), std::max(left, right));
        }
        const double entering = yAt(next - 0.5);
        column = next;
        low = std::min(entering, b.y());
        high = std::max(entering, b.y());
    }
    flush(column, low, high);
}

} // namespace twbench
