#include "graphlayout.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QMultiHash>
#include <QMutex>
#include <QMutexLocker>
#include <QtMath>

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <algorithm>
#include <cstdio>
#include <limits>

namespace twbench {

namespace {

constexpr double pointsPerInch = 72.0;
// dot's graph attributes below, in points: between nodes of a rank, between ranks.
constexpr double nodeSep = 0.3 * pointsPerInch;
constexpr double rankSep = 0.8 * pointsPerInch;

// Texts of free functions carry their context through this class: lupdate reads
// GraphLayoutText::tr("…") calls, where a free tr() wrapper would hide the texts from it.
struct GraphLayoutText
{
    Q_DECLARE_TR_FUNCTIONS(twbench::GraphLayout)
};

// Graphviz's global state (its context, cgraph's error handling) is guarded by this lock and
// only ever touched under it.
QMutex &graphvizLock()
{
    static QMutex lock;
    return lock;
}

// Made once and kept for the process: loading the plugins costs more than many small layouts.
// Still reachable at exit, so leak checkers do not report it.
GVC_t *graphvizContext()
{
    static GVC_t *context = [] {
        // Warnings ("node n3 size too small for label") are for dot files; ours are generated.
        agseterr(AGERR);
        return gvContext();
    }();
    return context;
}

QByteArray number(double value)
{
    return QByteArray::number(value, 'f', 3);
}

// The DOT text of the graph. Only generated names and numbers go in: no remote string reaches
// Graphviz's parser.
QByteArray dotText(const GraphLayoutInput &input)
{
    QByteArray dot;
    dot.reserve(qsizetype(64 * (input.nodeSizes.size() + input.edges.size()) + 256));
    // nodesep/ranksep in inches: room for the arrowheads and some air between ranks.
    dot += "digraph g {\ngraph [rankdir=LR, nodesep=" + number(nodeSep / pointsPerInch) +
           ", ranksep=" + number(rankSep / pointsPerInch) +
           ", splines=true, outputorder=edgesfirst];\n"
           "node [shape=box, fixedsize=true, label=\"\", margin=0];\n"
           "edge [arrowsize=0.9];\n";
    for (std::size_t i = 0; i < input.nodeSizes.size(); ++i) {
        const QSizeF size = input.nodeSizes[i];
        dot += "n" + QByteArray::number(qulonglong(i)) +
               " [width=" + number(size.width() / pointsPerInch) +
               ", height=" + number(size.height() / pointsPerInch) + "];\n";
    }
    for (const GraphLayoutInput::Edge &edge : input.edges) {
        dot += "n" + QByteArray::number(edge.from) + " -> n" + QByteArray::number(edge.to);
        if (!edge.labelSize.isEmpty()) {
            // A fixed-size empty HTML cell: dot keeps exactly this much room for the label that
            // the view draws, whatever fonts Graphviz would have guessed.
            dot += " [label=<<TABLE BORDER=\"0\" CELLPADDING=\"0\" CELLSPACING=\"0\"><TR>"
                   "<TD FIXEDSIZE=\"TRUE\" WIDTH=\"" +
                   QByteArray::number(qCeil(edge.labelSize.width())) + "\" HEIGHT=\"" +
                   QByteArray::number(qCeil(edge.labelSize.height())) + "\"></TD></TR></TABLE>>]";
        }
        dot += ";\n";
    }
    dot += "}\n";
    return dot;
}

// One line of "plain" output split into words; double-quoted words may hold spaces and
// backslash escapes.
QList<QByteArray> words(QByteArrayView line)
{
    QList<QByteArray> out;
    qsizetype i = 0;
    while (i < line.size()) {
        while (i < line.size() && line[i] == ' ')
            ++i;
        if (i >= line.size())
            break;
        QByteArray word;
        if (line[i] == '"') {
            ++i;
            while (i < line.size() && line[i] != '"') {
                if (line[i] == '\\' && i + 1 < line.size())
                    ++i;
                word += line[i++];
            }
            ++i; // the closing quote
        } else {
            while (i < line.size() && line[i] != ' ')
                word += line[i++];
        }
        out.append(word);
    }
    return out;
}

int nodeIndexOf(const QByteArray &name)
{
    if (!name.startsWith('n'))
        return -1;
    bool ok = false;
    const int index = name.mid(1).toInt(&ok);
    return ok ? index : -1;
}

} // namespace

bool parsePlainLayout(const QByteArray &plain, const GraphLayoutInput &input,
                      GraphLayoutResult &result)
{
    result.nodeCenters.assign(input.nodeSizes.size(), QPointF());
    result.edgeSplines.assign(input.edges.size(), QPolygonF());
    result.labelCenters.assign(input.edges.size(), std::nullopt);
    // Edges by their ends, in input order: plain output does not say which edge is which when
    // two join the same nodes.
    QMultiHash<QPair<int, int>, int> edgesByEnds;
    for (int i = int(input.edges.size()) - 1; i >= 0; --i)
        edgesByEnds.insert({input.edges[size_t(i)].from, input.edges[size_t(i)].to}, i);

    double height = 0;
    std::vector<bool> nodeSeen(input.nodeSizes.size(), false);
    std::vector<bool> edgeSeen(input.edges.size(), false);
    const auto toScene = [&height](double x, double y) {
        return QPointF(x * pointsPerInch, (height - y) * pointsPerInch);
    };
    bool ok = true;
    const QList<QByteArray> lines = plain.split('\n');
    for (const QByteArray &line : lines) {
        const QList<QByteArray> w = words(line);
        if (w.isEmpty())
            continue;
        if (w[0] == "graph" && w.size() >= 4) {
            height = w[3].toDouble(&ok);
            result.bounds = QRectF(0, 0, w[2].toDouble() * pointsPerInch, height * pointsPerInch);
        } else if (w[0] == "node" && w.size() >= 4) {
            const int index = nodeIndexOf(w[1]);
            if (index < 0 || size_t(index) >= nodeSeen.size())
                return false;
            result.nodeCenters[size_t(index)] = toScene(w[2].toDouble(), w[3].toDouble());
            nodeSeen[size_t(index)] = true;
        } else if (w[0] == "edge" && w.size() >= 4) {
            const int tail = nodeIndexOf(w[1]);
            const int head = nodeIndexOf(w[2]);
            const int points = w[3].toInt();
            const auto it = edgesByEnds.constFind({tail, head});
            if (it == edgesByEnds.cend() || points < 2 || w.size() < 4 + 2 * points)
                return false;
            const int index = it.value();
            edgesByEnds.remove({tail, head}, index);
            QPolygonF spline;
            for (int p = 0; p < points; ++p)
                spline << toScene(w[4 + 2 * p].toDouble(), w[5 + 2 * p].toDouble());
            result.edgeSplines[size_t(index)] = spline;
            const int rest = int(w.size()) - (4 + 2 * points);
            if (rest >= 5) { // label xl yl style color
                const int at = 4 + 2 * points;
                result.labelCenters[size_t(index)] =
                    toScene(w[at + 1].toDouble(), w[at + 2].toDouble());
            }
            edgeSeen[size_t(index)] = true;
        }
    }
    for (bool seen : nodeSeen)
        ok = ok && seen;
    for (bool seen : edgeSeen)
        ok = ok && seen;
    return ok;
}

GraphLayoutResult layoutGraph(const GraphLayoutInput &input)
{
    GraphLayoutResult result;
    if (input.nodeSizes.empty())
        return result;
    const QByteArray dot = dotText(input);

    QMutexLocker locker(&graphvizLock());
    QElapsedTimer timer;
    timer.start();
    GVC_t *context = graphvizContext();
    if (!context) {
        result.error = GraphLayoutText::tr("Graphviz could not start (no layout plugins found).");
        return result;
    }
    Agraph_t *graph = agmemread(dot.constData());
    if (!graph) {
        result.error = GraphLayoutText::tr("Graphviz did not accept the graph.");
        return result;
    }
    QByteArray plain;
    if (gvLayout(context, graph, "dot") != 0) {
        result.error = GraphLayoutText::tr("Graphviz's dot layout failed.");
    } else {
        char *data = nullptr;
        unsigned int length = 0;
        if (gvRenderData(context, graph, "plain", &data, &length) == 0 && data)
            plain = QByteArray(data, qsizetype(length));
        gvFreeRenderData(data);
        gvFreeLayout(context, graph);
    }
    agclose(graph);
    result.elapsedMs = double(timer.nsecsElapsed()) / 1e6;
    locker.unlock();

    if (result.error.isEmpty() && !parsePlainLayout(plain, input, result))
        result.error = GraphLayoutText::tr("Graphviz's layout could not be read back.");
    return result;
}

namespace {

constexpr double arrowRoom = 9;  // dot's arrowsize 0.9 × 10 points, before the head's border
constexpr double lineRoom = 6;   // below an edge label: where its edge runs
constexpr double lineHeight = 6; // an edge passing through a column without a label
constexpr double lineMargin = 4; // around a label's or an edge's room in a column
constexpr double infinity = std::numeric_limits<double>::infinity();

QPointF bezierAt(const QPolygonF &p, qsizetype i, double t)
{
    const double u = 1 - t;
    return u * u * u * p[i] + 3 * u * u * t * p[i + 1] + 3 * u * t * t * p[i + 2] +
           t * t * t * p[i + 3];
}

// Where a spline (cubic Bézier control points) crosses the vertical line at x, if it does.
std::optional<double> splineYAt(const QPolygonF &spline, double x)
{
    std::optional<QPointF> last;
    for (qsizetype i = 0; i + 3 < spline.size(); i += 3) {
        for (int step = 0; step <= 16; ++step) {
            const QPointF p = bezierAt(spline, i, step / 16.0);
            if (last && std::min(last->x(), p.x()) <= x && x <= std::max(last->x(), p.x())) {
                const double dx = p.x() - last->x();
                return dx == 0 ? p.y() : last->y() + (p.y() - last->y()) * (x - last->x()) / dx;
            }
            last = p;
        }
    }
    return std::nullopt;
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

// Something that takes room in a column: a node, an edge's label with its edge below it, or an
// edge passing through.
struct Slot
{
    int column = 0; // 2 × rank for nodes, 2 × rank + 1 for the gaps between ranks
    double width = 0;
    double height = 0;
    double margin = 0;               // kept free above and below
    double freshY = 0;               // where dot put it
    std::optional<double> previousY; // where it was: a survivor
    double target = 0;               // wanted centre
    double center = 0;               // the result
};

// Survivors stay at their targets, pushed down only where two would overlap; newcomers then
// take the free space nearest to their targets, in dot's order.
void packColumn(std::vector<Slot *> cells)
{
    std::vector<Slot *> placed;
    std::vector<Slot *> newcomers;
    for (Slot *slot : cells)
        (slot->previousY ? placed : newcomers).push_back(slot);
    std::stable_sort(placed.begin(), placed.end(),
                     [](const Slot *a, const Slot *b) { return a->target < b->target; });
    double bottom = -infinity;
    for (Slot *slot : placed) {
        slot->center = std::max(slot->target, bottom + slot->margin + slot->height / 2);
        bottom = slot->center + slot->height / 2 + slot->margin;
    }
    std::stable_sort(newcomers.begin(), newcomers.end(),
                     [](const Slot *a, const Slot *b) { return a->freshY < b->freshY; });
    for (Slot *slot : newcomers) {
        const double half = slot->height / 2 + slot->margin;
        double best = slot->target;
        double bestCost = infinity;
        std::size_t bestAt = 0;
        for (std::size_t i = 0; i <= placed.size(); ++i) {
            const double top = i == 0 ? -infinity
                                      : placed[i - 1]->center + placed[i - 1]->height / 2 +
                                            placed[i - 1]->margin + half;
            const double end = i == placed.size() ? infinity
                                                  : placed[i]->center - placed[i]->height / 2 -
                                                        placed[i]->margin - half;
            if (top > end)
                continue;
            const double center = std::clamp(slot->target, top, end);
            if (std::abs(center - slot->target) < bestCost) {
                bestCost = std::abs(center - slot->target);
                best = center;
                bestAt = i;
            }
        }
        slot->center = best;
        placed.insert(placed.begin() + std::ptrdiff_t(bestAt), slot);
    }
}

// Cubic Bézier control points, appended to a spline that ends where the piece starts.
void straightTo(QPolygonF &spline, const QPointF &to)
{
    const QPointF from = spline.last();
    spline << from + (to - from) / 3 << from + (to - from) * 2 / 3 << to;
}

void curveTo(QPolygonF &spline, const QPointF &to)
{
    const QPointF from = spline.last();
    const double half = (to.x() - from.x()) / 2;
    spline << QPointF(from.x() + half, from.y()) << QPointF(to.x() - half, to.y()) << to;
}

} // namespace

GraphLayoutResult stabilizeLayout(const GraphLayoutInput &input, const GraphLayoutResult &fresh,
                                  const std::vector<QString> &nodeIds,
                                  const std::vector<QString> &edgeIds,
                                  const PreviousLayout &previous)
{
    const std::size_t nodeCount = input.nodeSizes.size();
    const std::size_t edgeCount = input.edges.size();
    const GraphLayoutResult &old = previous.result;
    if (!fresh.ok() || !old.ok() || nodeCount == 0 || fresh.nodeCenters.size() != nodeCount ||
        fresh.edgeSplines.size() != edgeCount || nodeIds.size() != nodeCount ||
        edgeIds.size() != edgeCount || previous.nodeIds.size() != old.nodeCenters.size() ||
        previous.edgeIds.size() != old.edgeSplines.size())
        return fresh;

    QHash<QString, int> oldNodes;
    for (std::size_t i = 0; i < previous.nodeIds.size(); ++i)
        oldNodes.insert(previous.nodeIds[i], int(i));
    QHash<QString, int> oldEdges;
    for (std::size_t i = 0; i < previous.edgeIds.size(); ++i)
        oldEdges.insert(previous.edgeIds[i], int(i));

    // dot's ranks: in a left-to-right layout every node of a rank has the same x.
    std::vector<double> rankX;
    for (const QPointF &center : fresh.nodeCenters)
        rankX.push_back(center.x());
    std::sort(rankX.begin(), rankX.end());
    rankX.erase(std::unique(rankX.begin(), rankX.end(),
                            [](double a, double b) { return std::abs(a - b) < 0.5; }),
                rankX.end());
    const auto rankOf = [&rankX](double x) {
        const auto it = std::min_element(rankX.begin(), rankX.end(), [x](double a, double b) {
            return std::abs(a - x) < std::abs(b - x);
        });
        return int(it - rankX.begin());
    };
    const int ranks = int(rankX.size());
    const int columns = 2 * ranks - 1;

    std::vector<Slot> cells;
    cells.reserve(nodeCount + edgeCount * std::size_t(columns));
    std::vector<int> nodeRank(nodeCount);
    std::vector<double> dyOfSurvivors;
    for (std::size_t i = 0; i < nodeCount; ++i) {
        nodeRank[i] = rankOf(fresh.nodeCenters[i].x());
        Slot slot;
        slot.column = 2 * nodeRank[i];
        slot.width = input.nodeSizes[i].width();
        slot.height = input.nodeSizes[i].height();
        slot.margin = nodeSep / 2;
        slot.freshY = fresh.nodeCenters[i].y();
        if (const auto it = oldNodes.constFind(nodeIds[i]); it != oldNodes.cend()) {
            slot.previousY = old.nodeCenters[size_t(*it)].y();
            dyOfSurvivors.push_back(*slot.previousY - slot.freshY);
        }
        cells.push_back(slot);
    }
    if (dyOfSurvivors.empty())
        return fresh; // nothing to keep in place
    // Per edge: its cells, one in every column between its ends, the first one with its label.
    std::vector<int> firstSlotOfEdge(edgeCount, -1);
    for (std::size_t e = 0; e < edgeCount; ++e) {
        const GraphLayoutInput::Edge &edge = input.edges[e];
        if (edge.from < 0 || edge.to < 0 || size_t(edge.from) >= nodeCount ||
            size_t(edge.to) >= nodeCount)
            return fresh;
        const int low = std::min(nodeRank[size_t(edge.from)], nodeRank[size_t(edge.to)]);
        const int high = std::max(nodeRank[size_t(edge.from)], nodeRank[size_t(edge.to)]);
        if (low == high)
            return fresh; // a loop or an edge within a rank: only dot routes those
        firstSlotOfEdge[e] = int(cells.size());
        for (int column = 2 * low + 1; column < 2 * high; ++column) {
            Slot slot;
            slot.column = column;
            const bool label = column == 2 * low + 1 && !edge.labelSize.isEmpty();
            slot.width = label ? edge.labelSize.width() : 0;
            slot.height = label ? edge.labelSize.height() + lineRoom : lineHeight;
            slot.margin = lineMargin;
            cells.push_back(slot);
        }
    }

    // Columns: each rank at the x of its survivors, pushed right only where the gap before it
    // could not hold the widest label between them plus dot's ranksep (which dot, too, splits
    // in halves around the ranks of its labels); each gap's labels centred in it.
    std::vector<double> halfWidth(static_cast<std::size_t>(columns), 0.0);
    for (const Slot &slot : cells)
        halfWidth[size_t(slot.column)] = std::max(halfWidth[size_t(slot.column)], slot.width / 2);
    std::vector<std::optional<double>> rankTarget(static_cast<std::size_t>(ranks));
    {
        std::vector<std::vector<double>> oldX(static_cast<std::size_t>(ranks));
        for (std::size_t i = 0; i < nodeCount; ++i) {
            if (const auto it = oldNodes.constFind(nodeIds[i]); it != oldNodes.cend())
                oldX[size_t(nodeRank[i])].push_back(old.nodeCenters[size_t(*it)].x());
        }
        for (int r = 0; r < ranks; ++r) {
            if (!oldX[size_t(r)].empty())
                rankTarget[size_t(r)] = median(oldX[size_t(r)]);
        }
    }
    std::vector<double> columnX(static_cast<std::size_t>(columns), 0.0);
    for (int r = 0; r < ranks; ++r) {
        double target = 0;
        if (rankTarget[size_t(r)]) {
            target = *rankTarget[size_t(r)];
        } else { // dot's distance to the nearest rank that has survivors
            int nearest = -1;
            for (int other = 0; other < ranks; ++other) {
                if (rankTarget[size_t(other)] &&
                    (nearest < 0 || std::abs(other - r) < std::abs(nearest - r)))
                    nearest = other;
            }
            target = *rankTarget[size_t(nearest)] + rankX[size_t(r)] - rankX[size_t(nearest)];
        }
        if (r > 0) {
            const std::size_t c = size_t(2 * r);
            target = std::max(target, columnX[c - 2] + halfWidth[c - 2] + rankSep +
                                          2 * halfWidth[c - 1] + halfWidth[c]);
            columnX[c - 1] = (columnX[c - 2] + halfWidth[c - 2] + target - halfWidth[c]) / 2;
        }
        columnX[size_t(2 * r)] = target;
    }

    // Targets: survivors where they were; newcomers where dot put them, moved as the survivors
    // of their column moved (or as all survivors did, in a column without any).
    const auto freshColumnX = [&rankX](int column) {
        return column % 2 == 0 ? rankX[size_t(column / 2)]
                               : (rankX[size_t(column / 2)] + rankX[size_t(column / 2 + 1)]) / 2;
    };
    for (std::size_t e = 0; e < edgeCount; ++e) {
        const GraphLayoutInput::Edge &edge = input.edges[e];
        const QPointF freshFrom = fresh.nodeCenters[size_t(edge.from)];
        const QPointF freshTo = fresh.nodeCenters[size_t(edge.to)];
        const auto oldEdge = oldEdges.constFind(edgeIds[e]);
        const int count = 2 * std::abs(nodeRank[size_t(edge.from)] - nodeRank[size_t(edge.to)]) - 1;
        for (int k = 0; k < count; ++k) {
            Slot &slot = cells[size_t(firstSlotOfEdge[e] + k)];
            const double x = freshColumnX(slot.column);
            const bool label = k == 0 && !edge.labelSize.isEmpty();
            if (label && fresh.labelCenters[e]) {
                slot.freshY = fresh.labelCenters[e]->y() + lineRoom / 2;
            } else if (const std::optional<double> y = splineYAt(fresh.edgeSplines[e], x)) {
                slot.freshY = *y;
            } else {
                const double t = (x - freshFrom.x()) / (freshTo.x() - freshFrom.x());
                slot.freshY = freshFrom.y() + t * (freshTo.y() - freshFrom.y());
            }
            if (oldEdge == oldEdges.cend())
                continue;
            const std::optional<QPointF> oldLabel = old.labelCenters[size_t(*oldEdge)];
            if (label && oldLabel)
                slot.previousY = oldLabel->y() + lineRoom / 2;
            else if (!label)
                slot.previousY =
                    splineYAt(old.edgeSplines[size_t(*oldEdge)], columnX[size_t(slot.column)]);
        }
    }
    const double globalDy = median(dyOfSurvivors);
    std::vector<std::vector<Slot *>> cellsOfColumn(static_cast<std::size_t>(columns));
    for (Slot &slot : cells)
        cellsOfColumn[size_t(slot.column)].push_back(&slot);
    for (std::vector<Slot *> &column : cellsOfColumn) {
        std::vector<double> dy;
        for (const Slot *slot : column) {
            if (slot->previousY)
                dy.push_back(*slot->previousY - slot->freshY);
        }
        const double shift = dy.empty() ? globalDy : median(dy);
        for (Slot *slot : column)
            slot->target = slot->previousY ? *slot->previousY : slot->freshY + shift;
        packColumn(column);
    }

    GraphLayoutResult result;
    result.elapsedMs = fresh.elapsedMs;
    result.stabilized = true;
    result.nodeCenters.resize(nodeCount);
    result.edgeSplines.resize(edgeCount);
    result.labelCenters.assign(edgeCount, std::nullopt);
    QRectF bounds;
    for (std::size_t i = 0; i < nodeCount; ++i) {
        result.nodeCenters[i] = QPointF(columnX[size_t(cells[i].column)], cells[i].center);
        QRectF box(QPointF(), input.nodeSizes[i]);
        box.moveCenter(result.nodeCenters[i]);
        bounds |= box;
    }
    // Every edge again, from its left end to its right end: straight through each column in
    // its own room, curved across the gaps (where nothing else is), then turned round when the
    // head is on the left. The arrowhead gets its room before the head's border.
    for (std::size_t e = 0; e < edgeCount; ++e) {
        const GraphLayoutInput::Edge &edge = input.edges[e];
        const bool forward = nodeRank[size_t(edge.from)] < nodeRank[size_t(edge.to)];
        const std::size_t left = size_t(forward ? edge.from : edge.to);
        const std::size_t right = size_t(forward ? edge.to : edge.from);
        const int leftColumn = cells[left].column;
        const int rightColumn = cells[right].column;
        QPolygonF spline;
        spline << QPointF(result.nodeCenters[left].x() + input.nodeSizes[left].width() / 2 +
                              (forward ? 0 : arrowRoom),
                          result.nodeCenters[left].y());
        const double leftEdge = columnX[size_t(leftColumn)] + halfWidth[size_t(leftColumn)];
        if (spline.last().x() < leftEdge)
            straightTo(spline, QPointF(leftEdge, spline.last().y()));
        for (int k = 0; k < rightColumn - leftColumn - 1; ++k) {
            const Slot &slot = cells[size_t(firstSlotOfEdge[e] + k)];
            const double x = columnX[size_t(slot.column)];
            const double half = halfWidth[size_t(slot.column)];
            const bool label = k == 0 && !edge.labelSize.isEmpty();
            const double y = label ? slot.center + slot.height / 2 - lineRoom / 2 : slot.center;
            if (label) {
                result.labelCenters[e] = QPointF(x, slot.center - lineRoom / 2);
                QRectF box(QPointF(), edge.labelSize);
                box.moveCenter(*result.labelCenters[e]);
                bounds |= box;
            }
            curveTo(spline, QPointF(x - half, y));
            if (half > 0)
                straightTo(spline, QPointF(x + half, y));
        }
        const QPointF end(result.nodeCenters[right].x() - input.nodeSizes[right].width() / 2 -
                              (forward ? arrowRoom : 0),
                          result.nodeCenters[right].y());
        const double rightEdge = columnX[size_t(rightColumn)] - halfWidth[size_t(rightColumn)];
        if (end.x() > rightEdge) {
            curveTo(spline, QPointF(rightEdge, end.y()));
            straightTo(spline, end);
        } else {
            curveTo(spline, end);
        }
        if (!forward)
            std::reverse(spline.begin(), spline.end());
        bounds |= spline.boundingRect();
        result.edgeSplines[e] = spline;
    }
    result.bounds = bounds;
    return result;
}

} // namespace twbench
