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

// Where dot put everything: y grows downwards (as in a QGraphicsScene). A fresh layout's top left
// corner is at (0, 0); a stabilised one (stabilizeLayout) keeps the previous frame's coordinates,
// so its bounds may start anywhere.
struct GraphLayoutResult
{
    QRectF bounds;
    std::vector<QPointF> nodeCenters; // by node index
    // By edge index: the spline's cubic Bézier control points (p0, c1, c2, p1, c1, c2, p2, …),
    // from the tail to where the arrowhead starts.
    std::vector<QPolygonF> edgeSplines;
    std::vector<std::optional<QPointF>> labelCenters; // by edge index
    QString error;           // empty on success; then everything above is filled
    double elapsedMs = 0;    // the Graphviz part, waiting for the lock excluded
    bool stabilized = false; // aligned to a previous layout by stabilizeLayout()
    bool ok() const { return error.isEmpty(); }
};

// Lays a graph out left to right with Graphviz's dot (callers on the left, services on the
// right). Graphviz keeps global state and is not thread-safe: every call is serialised by one
// process-wide lock, so callers run it on a worker thread (never the GUI thread: a few hundred
// nodes take a noticeable time), one layout at a time.
GraphLayoutResult layoutGraph(const GraphLayoutInput &input);

// A previous layout by node and edge id: what stabilizeLayout() keeps nodes close to.
struct PreviousLayout
{
    std::vector<QString> nodeIds; // by node index of `result`
    std::vector<QString> edgeIds; // by edge index of `result`
    GraphLayoutResult result;
};

// Live updates keep existing nodes where they are. `fresh` is dot's layout of `input` (nodes
// and edges named by `nodeIds` and `edgeIds`); the result keeps dot's columns (its ranks, left
// to right) and its order of columns, but
//  - puts each column at the x of the previous layout's nodes that are in it,
//  - keeps every node, edge label and edge that was there before at its previous y when that
//    overlaps nothing else (otherwise it is pushed down just far enough),
//  - places new nodes, labels and edges in the free space of their column nearest to where dot
//    put them (moved by the column's shift),
//  - and routes every edge again, column by column, through the room reserved for it: a curve
//    across each gap between columns and a straight run through each column, so no edge
//    crosses a node or a label, and each label sits just above its edge.
// Graphviz 2.42's dot cannot pin nodes; this is why the alignment is done afterwards. Returns
// `fresh` unchanged when nothing survives or when dot put an edge's ends in one column (a loop).
GraphLayoutResult stabilizeLayout(const GraphLayoutInput &input, const GraphLayoutResult &fresh,
                                  const std::vector<QString> &nodeIds,
                                  const std::vector<QString> &edgeIds,
                                  const PreviousLayout &previous);

// Parses dot's "plain" output into `result` (nodes named n<index>, edges matched by their ends
// in input order). Public for tests.
bool parsePlainLayout(const QByteArray &plain, const GraphLayoutInput &input,
                      GraphLayoutResult &result);

} // namespace twbench
