#pragma once

#include <QPointF>
#include <QPolygonF>
#include <QRectF>
#include <QSizeF>
#include <QString>

#include <optional>
#include <vector>

namespace twbench {

// What Graphviz needs to place a graph: node boxes and edges between them, each edge with the
// size of its label (dot keeps that room free beside the edge, so labels cover neither nodes nor
// other edges). Sizes and positions are in scene units (dot's points: 1 unit = 1/72 inch).
struct GraphLayoutInput
{
    std::vector<QSizeF> nodeSizes;
    struct Edge
    {
        int from = -1; // index into nodeSizes
        int to = -1;
        QSizeF labelSize; // empty: no label
    };
    std::vector<Edge> edges;
};

// Where dot put everything: y grows downwards (as in a QGraphicsScene), the graph's top left
// corner is at (0, 0).
struct GraphLayoutResult
{
    QRectF bounds;
    std::vector<QPointF> nodeCenters; // by node index
    // By edge index: the spline's cubic Bézier control points (p0, c1, c2, p1, c1, c2, p2, …),
    // from the tail to where the arrowhead starts.
    std::vector<QPolygonF> edgeSplines;
    std::vector<std::optional<QPointF>> labelCenters; // by edge index
    QString error;        // empty on success; then everything above is filled
    double elapsedMs = 0; // the Graphviz part, waiting for the lock excluded
    bool ok() const { return error.isEmpty(); }
};

// Lays a graph out left to right with Graphviz's dot (callers on the left, services on the
// right). Graphviz keeps global state and is not thread-safe: every call is serialised by one
// process-wide lock, so callers run it on a worker thread (never the GUI thread: a few hundred
// nodes take a noticeable time), one layout at a time.
GraphLayoutResult layoutGraph(const GraphLayoutInput &input);

// Parses dot's "plain" output into `result` (nodes named n<index>, edges matched by their ends
// in input order). Public for tests.
bool parsePlainLayout(const QByteArray &plain, const GraphLayoutInput &input,
                      GraphLayoutResult &result);

} // namespace twbench
