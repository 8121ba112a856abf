#include "graphlayout.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QMultiHash>
#include <QMutex>
#include <QMutexLocker>
#include <QtMath>

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <cstdio>

namespace twbench {

namespace {

constexpr double pointsPerInch = 72.0;

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
    dot += "digraph g {\n"
           "graph [rankdir=LR, nodesep=0.3, ranksep=0.55, splines=true, outputorder=edgesfirst];\n"
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

} // namespace twbench
