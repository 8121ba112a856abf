#include "topologyview.h"

#include <QCoreApplication>

#include "model/hostlistmodel.h"

#include "poolrelease.h"
#include "workbench.h"

#include "model/topologybuilder.h"

#include <QAction>
#include <QElapsedTimer>
#include <QFontMetricsF>
#include <QGraphicsItem>
#include <QGraphicsScene>
#include <QGraphicsView>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPathStroker>
#include <QPointer>
#include <QResizeEvent>
#include <QScrollBar>
#include <QStyleOptionGraphicsItem>
#include <QToolButton>
#include <QVBoxLayout>
#include <QWheelEvent>
#include <QtConcurrent>
#include <QtMath>

#include <algorithm>
#include <cmath>

namespace twbench {

namespace {

// Texts of free functions carry their context through this class: lupdate reads
// TopologyViewText::tr("…") calls, where a free tr() wrapper would hide the texts from it.
struct TopologyViewText
{
    Q_DECLARE_TR_FUNCTIONS(twbench::TopologyView)
};

// Item data keys: which node or edge an item draws.
constexpr int KindKey = 0;  // ItemNode / ItemEdge
constexpr int IndexKey = 1; // index into the frame's topology
enum ItemKind : int { ItemNode = 1, ItemEdge = 2 };

constexpr double iconArea = 26;    // left of a node's text
constexpr double nodePadding = 8;  // around a node's text
constexpr double arrowLength = 9;  // dot's arrowsize 0.9 × 10 points
constexpr int maxAddressLines = 2; // then "+N more"
constexpr double labelGap = 4;     // between an edge label and its line

QFont titleFont(const QFont &base)
{
    QFont font = base;
    font.setBold(true);
    return font;
}

QFont detailFont(const QFont &base)
{
    QFont font = base;
    font.setPointSizeF(base.pointSizeF() > 0 ? base.pointSizeF() * 0.9 : 8);
    return font;
}

QString kindName(NodeKind kind)
{
    switch (kind) {
    case NodeKind::Host:
        return TopologyViewText::tr("this host's own processes");
    case NodeKind::HostService:
        return TopologyViewText::tr("a listening port of the host");
    case NodeKind::ComposeService:
        return TopologyViewText::tr("compose service");
    case NodeKind::Container:
        return TopologyViewText::tr("container");
    case NodeKind::Gateway:
        return TopologyViewText::tr("docker network gateway");
    case NodeKind::External:
        return TopologyViewText::tr("peer outside the host");
    case NodeKind::NetworkPeer:
        return TopologyViewText::tr("address on a docker network");
    case NodeKind::Namespace:
        return TopologyViewText::tr("unexplained network namespace");
    }
    return {};
}

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QStringList nodeDetails(const TopologyNode &node)
{
    QStringList details;
    if (node.foldedPeers > 0) {
        details << (node.foldedCallers ? TopologyViewText::tr("callers with the least TIME_WAIT")
                                       : TopologyViewText::tr("services with the least TIME_WAIT"));
        return details;
    }
    // An external peer's name is its address: not twice.
    if (node.addresses.size() == 1 && node.addresses.first().toString() == node.label)
        return details;
    const qsizetype shown = std::min<qsizetype>(node.addresses.size(), maxAddressLines);
    for (qsizetype i = 0; i < shown; ++i)
        details << node.addresses[i].toString();
    if (node.addresses.size() > shown)
        details.last() +=
            u' ' + TopologyViewText::tr("+%n more", nullptr, int(node.addresses.size() - shown));
    if (node.kind == NodeKind::ComposeService && node.containerNames.size() > 1)
        details << TopologyViewText::tr("replicas: %n", nullptr, int(node.containerNames.size()));
    return details;
}

// "80, 443, 8080" or, past `shown` ports, "80, 443, … (1,163 ports)": a fold of host ports
// has an edge to a thousand of them.
QString portList(const std::vector<std::uint16_t> &ports, std::size_t shown = 8)
{
    QStringList parts;
    for (std::size_t i = 0; i < std::min(ports.size(), shown); ++i)
        parts << QString::number(ports[i]);
    QString text = parts.join(QStringLiteral(", "));
    if (ports.size() > shown)
        text += QStringLiteral(", … ") + TopologyViewText::tr("(%Ln ports)",
                                                              "a long list of ports, cut short",
                                                              int(ports.size()));
    return text;
}

QString foldedToolTip(const TopologyNode &node)
{
    const QLocale locale;
    QStringList names;
    for (const QString &label : node.foldedLabels)
        names << esc(label);
    if (node.foldedPeers > node.foldedLabels.size())
        names << QStringLiteral("…");
    const QString what =
        node.foldedCallers
            ? TopologyViewText::tr("The %1 callers with the least TIME_WAIT, folded into one "
                                   "node so the graph stays readable. Its edges count all of "
                                   "their connections.")
            : TopologyViewText::tr("The %1 services with the least TIME_WAIT, folded into one "
                                   "node so the graph stays readable. Its edges count all of "
                                   "their connections.");
    return QStringLiteral("<qt><b>") % esc(node.label) % QStringLiteral("</b><br/>") %
           esc(what.arg(locale.toString(node.foldedPeers))) % QStringLiteral("<br/>") %
           esc(TopologyViewText::tr("Among them:")) % u' ' % names.join(QStringLiteral(", ")) %
           QStringLiteral("</qt>");
}

QString nodeToolTip(const TopologyNode &node)
{
    if (node.foldedPeers > 0)
        return foldedToolTip(node);
    QString tip = QStringLiteral("<qt><b>") % esc(node.label) % QStringLiteral("</b><br/>") %
                  esc(kindName(node.kind));
    if (!node.containerNames.isEmpty()) {
        QStringList names;
        for (const QString &name : node.containerNames)
            names << esc(safeDisplayText(name));
        tip += QStringLiteral("<br/>") % esc(TopologyViewText::tr("Containers:")) % u' ' %
               names.join(QStringLiteral(", "));
    }
    if (!node.network.isEmpty())
        tip += QStringLiteral("<br/>") %
               esc(TopologyViewText::tr("Network: %1").arg(safeDisplayText(node.network)));
    if (!node.addresses.isEmpty()) {
        QStringList addresses;
        for (const IpAddress &address : node.addresses)
            addresses << address.toString();
        tip += QStringLiteral("<br/>") %
               esc(TopologyViewText::tr("Addresses: %1").arg(addresses.join(QStringLiteral(", "))));
    }
    if (!node.servicePorts.empty())
        tip += QStringLiteral("<br/>") %
               esc(TopologyViewText::tr("Listening ports: %1").arg(portList(node.servicePorts)));
    return tip + QStringLiteral("</qt>");
}

QString countsText(const TopologyEdge &edge)
{
    const QLocale locale;
    QStringList parts;
    const auto add = [&](TcpState state, const QString &name) {
        if (const std::uint32_t n = edge.count(state))
            parts << name % u' ' % locale.toString(qulonglong(n));
    };
    add(TcpState::TimeWait, tcpStateName(TcpState::TimeWait));
    add(TcpState::Established, TopologyViewText::tr("ESTAB", "short for ESTABLISHED"));
    for (int i = 0; i < TcpStateCount; ++i) {
        const auto state = static_cast<TcpState>(i);
        if (state != TcpState::TimeWait && state != TcpState::Established)
            add(state, tcpStateName(state));
    }
    if (parts.isEmpty())
        return TopologyViewText::tr("no connections");
    return parts.join(QStringLiteral(" · "));
}

QString closerText(const TopologyEdge &edge)
{
    QStringList parts;
    const QString closer = closerName(edge.closer);
    if (!closer.isEmpty())
        parts << closer;
    if (edge.newConnectionsPerSecond)
        parts << newConnectionRateText(*edge.newConnectionsPerSecond);
    return parts.join(QStringLiteral(" · "));
}

QString edgeToolTip(const Topology &topology, const TopologyEdge &edge)
{
    const QLocale locale;
    const TopologyNode &from = topology.nodes[size_t(edge.from)];
    const TopologyNode &to = topology.nodes[size_t(edge.to)];
    QString tip = QStringLiteral("<qt><b>") % esc(from.label) % QStringLiteral(" → ") %
                  esc(to.label) % QStringLiteral("</b><br/>") % esc(edge.label());
    tip += QStringLiteral("<br/>") %
           esc(TopologyViewText::tr("%1 connection(s) to port %2; %3 seen from both ends")
                   .arg(locale.toString(edge.connections), portList(edge.servicePorts),
                        locale.toString(edge.bothEndsSeen)));
    tip +=
        QStringLiteral("<br/>") %
        esc(TopologyViewText::tr("TIME_WAIT held by the server end: %1, by the client end: %2")
                .arg(locale.toString(edge.timeWaitServer), locale.toString(edge.timeWaitClient)));
    if (edge.clientEndsObserved < edge.connections)
        tip += QStringLiteral("<br/>") %
               esc(TopologyViewText::tr(
                       "The caller's end of %1 connection(s) could not be read: counts on "
                       "that side are lower bounds.")
                       .arg(locale.toString(edge.connections - edge.clientEndsObserved)));
    return tip + QStringLiteral("</qt>");
}

// Width of an edge by its TIME_WAIT count: logarithmic, so 30 and 3,000 both read, clamped so
// a huge pile does not swallow its neighbours.
double edgeWidth(const TopologyEdge &edge)
{
    const double timeWait = edge.count(TcpState::TimeWait);
    return std::clamp(1.2 + 1.5 * std::log10(1.0 + timeWait), 1.2, 8.0);
}

QColor edgeColor(const TopologyEdge &edge)
{
    if (edge.count(TcpState::TimeWait) == 0)
        return QColor(0x78, 0x86, 0x8f);
    return QColor(0xc6, 0x4b, 0x1e);
}

const QColor highlightColor(0x1e, 0x6f, 0xd9);

// Everything slow, off the GUI thread: attribution, topology, text measures, dot.
TopologyFramePtr computeFrame(const QString &hostId, const SnapshotPtr &table,
                              const std::shared_ptr<const DockerInventory> &inventory,
                              const std::shared_ptr<const NamespaceMap> &namespaces,
                              std::optional<Topology> ready, const QString &hostLabel,
                              const TopologyFramePtr &previous, const QFont &font)
{
    auto frame = std::make_shared<TopologyFrame>();
    frame->hostId = hostId;
    QElapsedTimer timer;
    timer.start();
    if (ready) {
        frame->topology = std::move(*ready);
    } else {
        static const DockerInventory noInventory;
        const Attribution attribution(*table, inventory ? *inventory : noInventory,
                                      namespaces ? *namespaces : NamespaceMap());
        TopologyBuilder::Options options;
        options.maxPeersPerRole = TopologyBuilder::DefaultPeerCap;
        frame->topology = buildTopology(attribution, options, hostLabel);
    }
    const Topology &topology = frame->topology;
    for (std::size_t i = 0; i < topology.edges.size(); ++i) {
        for (const SocketKey &key : topology.edges[i].sockets)
            frame->edgeOfSocket.insert(key, int(i));
    }
    frame->structure.reserve(qsizetype(topology.nodes.size() + topology.edges.size()));
    for (const TopologyNode &node : topology.nodes)
        frame->structure << node.id;
    for (const TopologyEdge &edge : topology.edges)
        frame->structure << edge.id;

    // QFontMetricsF is reentrant: measuring here keeps the GUI thread free.
    const QFontMetricsF title(titleFont(font));
    const QFontMetricsF detail(detailFont(font));
    GraphLayoutInput input;
    for (const TopologyNode &node : topology.nodes) {
        TopologyFrame::NodeText text;
        text.title = node.label;
        text.details = nodeDetails(node);
        text.toolTip = nodeToolTip(node);
        double width = title.horizontalAdvance(text.title);
        for (const QString &line : std::as_const(text.details))
            width = std::max(width, detail.horizontalAdvance(line));
        const double height = title.height() + detail.height() * double(text.details.size());
        text.size = QSizeF(std::max(110.0, std::ceil(iconArea + width + 2 * nodePadding)),
                           std::max(40.0, std::ceil(height + 2 * nodePadding)));
        input.nodeSizes.push_back(text.size);
        frame->nodes.push_back(std::move(text));
    }
    for (const TopologyEdge &edge : topology.edges) {
        TopologyFrame::EdgeText text;
        text.counts = countsText(edge);
        text.closer = closerText(edge);
        text.toolTip = edgeToolTip(topology, edge);
        double width = detail.horizontalAdvance(text.counts);
        double height = detail.height();
        if (!text.closer.isEmpty()) {
            width = std::max(width, title.horizontalAdvance(text.closer));
            height += title.height();
        }
        text.labelSize = QSizeF(std::ceil(width + 12), std::ceil(height + 6));
        // dot lays the label box against its edge: a margin keeps the line visible beside it.
        input.edges.push_back({edge.from, edge.to, text.labelSize + QSizeF(4, 2 * labelGap)});
        frame->edges.push_back(std::move(text));
    }
    frame->buildMs = double(timer.nsecsElapsed()) / 1e6;

    // Same nodes and edges as the newest layout: keep every position. The label boxes are
    // redrawn centred where they were; counts rarely change their width by much.
    if (previous && previous->layout.ok() && previous->hostId == hostId &&
        previous->structure == frame->structure) {
        frame->layout = previous->layout;
        frame->layout.elapsedMs = 0;
        frame->layoutReused = true;
        return frame;
    }
    frame->layout = layoutGraph(input);
    // A changed structure: dot's new layout is aligned to the newest one of the same host, so
    // the nodes that stay stay where they were and the newcomers take free room.
    if (previous && previous->layout.ok() && previous->hostId == hostId && frame->layout.ok()) {
        std::vector<QString> nodeIds;
        std::vector<QString> edgeIds;
        for (const TopologyNode &node : topology.nodes)
            nodeIds.push_back(node.id);
        for (const TopologyEdge &edge : topology.edges)
            edgeIds.push_back(edge.id);
        PreviousLayout before;
        for (const TopologyNode &node : previous->topology.nodes)
            before.nodeIds.push_back(node.id);
        for (const TopologyEdge &edge : previous->topology.edges)
            before.edgeIds.push_back(edge.id);
        before.result = previous->layout;
        frame->layout = stabilizeLayout(input, frame->layout, nodeIds, edgeIds, before);
    }
    return frame;
}

// --- scene items -----------------------------------------------------------------------------

class NodeItem final : public QGraphicsItem
{
public:
    NodeItem(const TopologyFrame::NodeText &text, NodeKind kind, bool folded, const QFont &font)
        : m_text(text)
        , m_kind(kind)
        , m_folded(folded)
        , m_title(titleFont(font))
        , m_detail(detailFont(font))
        , m_rect(-text.size.width() / 2, -text.size.height() / 2, text.size.width(),
                 text.size.height())
    {
        setToolTip(text.toolTip);
        setAcceptHoverEvents(true);
    }
    Q_DISABLE_COPY_MOVE(NodeItem)

    void setHighlighted(bool on)
    {
        if (on != m_highlighted) {
            m_highlighted = on;
            update();
        }
    }

    QRectF boundingRect() const override
    {
        return m_rect.adjusted(-3, m_folded ? -3 - foldOffset : -3, m_folded ? 3 + foldOffset : 3,
                               3);
    }

    QPainterPath shape() const override
    {
        QPainterPath path;
        path.addRect(m_rect);
        return path;
    }

    void paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *) override
    {
        painter->setRenderHint(QPainter::Antialiasing);
        QColor fill, border;
        Qt::PenStyle style = Qt::SolidLine;
        switch (m_kind) {
        case NodeKind::Host:
            fill = QColor(0xec, 0xef, 0xf1);
            border = QColor(0x45, 0x5a, 0x64);
            break;
        case NodeKind::HostService:
            fill = QColor(0xff, 0xf4, 0xd6);
            border = QColor(0x9a, 0x6a, 0x00);
            break;
        case NodeKind::ComposeService:
        case NodeKind::Container:
            fill = QColor(0xe1, 0xef, 0xfd);
            border = QColor(0x15, 0x65, 0xc0);
            break;
        case NodeKind::Gateway:
            fill = QColor(0xee, 0xe8, 0xf8);
            border = QColor(0x5e, 0x35, 0xb1);
            break;
        case NodeKind::External:
            fill = QColor(0xee, 0xf6, 0xe6);
            border = QColor(0x4a, 0x7c, 0x1f);
            break;
        case NodeKind::NetworkPeer:
            fill = QColor(0xf3, 0xf6, 0xf0);
            border = QColor(0x4a, 0x7c, 0x1f);
            style = Qt::DashLine;
            break;
        case NodeKind::Namespace:
            fill = QColor(0xf5, 0xf5, 0xf5);
            border = QColor(0x75, 0x75, 0x75);
            style = Qt::DashLine;
            break;
        }
        QPen pen(m_highlighted ? highlightColor : border, m_highlighted ? 3 : 1.4, style);
        painter->setPen(pen);
        painter->setBrush(fill);
        const QRectF r = m_rect;
        // A fold of many peers: a second card behind the first, as a stack.
        if (m_folded)
            painter->drawRoundedRect(r.translated(foldOffset, -foldOffset), 6, 6);
        switch (m_kind) {
        case NodeKind::HostService:
            painter->drawRect(r);
            break;
        case NodeKind::External:
        case NodeKind::NetworkPeer:
            painter->drawRoundedRect(r, r.height() / 2, r.height() / 2);
            break;
        case NodeKind::Gateway: {
            // A gate: the shape of a tag pointing right, towards what it lets in.
            const double d = 10;
            painter->drawPolygon(QPolygonF({r.topLeft(), QPointF(r.right() - d, r.top()),
                                            QPointF(r.right(), r.center().y()),
                                            QPointF(r.right() - d, r.bottom()), r.bottomLeft()}));
            break;
        }
        default:
            painter->drawRoundedRect(r, 6, 6);
            break;
        }
        paintIcon(painter, QRectF(r.left() + 6, r.center().y() - 8, 16, 16), border);

        const double textLeft = r.left() + iconArea;
        const double textWidth = r.right() - nodePadding - textLeft;
        const QFontMetricsF titleMetrics(m_title);
        const QFontMetricsF detailMetrics(m_detail);
        const double textHeight =
            titleMetrics.height() + detailMetrics.height() * double(m_text.details.size());
        double y = r.center().y() - textHeight / 2;
        painter->setPen(QColor(0x21, 0x21, 0x21));
        painter->setFont(m_title);
        painter->drawText(QRectF(textLeft, y, textWidth + 4, titleMetrics.height()),
                          Qt::AlignLeft | Qt::AlignVCenter,
                          titleMetrics.elidedText(m_text.title, Qt::ElideRight, textWidth + 4));
        y += titleMetrics.height();
        painter->setFont(m_detail);
        painter->setPen(QColor(0x55, 0x5f, 0x66));
        for (const QString &line : std::as_const(m_text.details)) {
            painter->drawText(QRectF(textLeft, y, textWidth + 4, detailMetrics.height()),
                              Qt::AlignLeft | Qt::AlignVCenter,
                              detailMetrics.elidedText(line, Qt::ElideRight, textWidth + 4));
            y += detailMetrics.height();
        }
    }

private:
    // A small glyph per kind, drawn rather than loaded: it scales with the zoom.
    void paintIcon(QPainter *painter, const QRectF &box, const QColor &color) const
    {
        painter->save();
        painter->setPen(QPen(color, 1.4));
        painter->setBrush(Qt::NoBrush);
        const QPointF c = box.center();
        switch (m_kind) {
        case NodeKind::Host: { // a server: two stacked units with a light each
            const QRectF top(box.left() + 1, box.top() + 2, box.width() - 2, 5.5);
            const QRectF bottom = top.translated(0, 7);
            painter->drawRect(top);
            painter->drawRect(bottom);
            painter->setBrush(color);
            painter->drawEllipse(QPointF(top.right() - 3, top.center().y()), 1, 1);
            painter->drawEllipse(QPointF(bottom.right() - 3, bottom.center().y()), 1, 1);
            break;
        }
        case NodeKind::HostService: // a socket: a ring with a plug going in
            painter->drawEllipse(c, 5.5, 5.5);
            painter->drawLine(QPointF(box.left(), c.y()), QPointF(c.x() - 5.5, c.y()));
            painter->setBrush(color);
            painter->drawEllipse(c, 2, 2);
            break;
        case NodeKind::ComposeService:
        case NodeKind::Container: { // a shipping container
            const QRectF body(box.left() + 1, box.top() + 3, box.width() - 2, box.height() - 6);
            painter->drawRect(body);
            for (int i = 1; i < 4; ++i) {
                const double x = body.left() + body.width() * i / 4;
                painter->drawLine(QPointF(x, body.top() + 2), QPointF(x, body.bottom() - 2));
            }
            if (m_kind == NodeKind::ComposeService) // replicas: one behind the other
                painter->drawLine(QPointF(body.left() + 2, body.top() - 2),
                                  QPointF(body.right() + 1, body.top() - 2));
            break;
        }
        case NodeKind::Gateway: // arrows through a bar: traffic let in from the bridge
            painter->drawLine(QPointF(c.x(), box.top()), QPointF(c.x(), box.bottom()));
            painter->drawLine(QPointF(box.left(), c.y()), QPointF(box.right(), c.y()));
            painter->drawLine(QPointF(box.right() - 4, c.y() - 4), QPointF(box.right(), c.y()));
            painter->drawLine(QPointF(box.right() - 4, c.y() + 4), QPointF(box.right(), c.y()));
            break;
        case NodeKind::External:
        case NodeKind::NetworkPeer: // a globe
            painter->drawEllipse(c, 7, 7);
            painter->drawEllipse(c, 3, 7);
            painter->drawLine(QPointF(c.x() - 7, c.y()), QPointF(c.x() + 7, c.y()));
            break;
        case NodeKind::Namespace: // a question mark in a box: not explained
            painter->drawRect(box.adjusted(2, 2, -2, -2));
            painter->drawText(box, Qt::AlignCenter, QStringLiteral("?"));
            break;
        }
        painter->restore();
    }

    static constexpr double foldOffset = 4;

    TopologyFrame::NodeText m_text;
    NodeKind m_kind;
    bool m_folded;
    QFont m_title;
    QFont m_detail;
    QRectF m_rect;
    bool m_highlighted = false;
};

class EdgeItem final : public QGraphicsItem
{
public:
    EdgeItem(const QPolygonF &spline, double width, const QColor &color, const QString &toolTip)
        : m_width(width)
        , m_color(color)
    {
        setToolTip(toolTip);
        if (spline.size() >= 4) {
            m_path.moveTo(spline[0]);
            for (qsizetype i = 1; i + 2 < spline.size(); i += 3)
                m_path.cubicTo(spline[i], spline[i + 1], spline[i + 2]);
        } else if (!spline.isEmpty()) {
            m_path.moveTo(spline[0]);
            for (qsizetype i = 1; i < spline.size(); ++i)
                m_path.lineTo(spline[i]);
        }
        // The arrowhead continues the spline's last direction to the node's border.
        if (spline.size() >= 2) {
            const QPointF end = spline.last();
            QPointF direction = end - spline[spline.size() - 2];
            const double length = std::hypot(direction.x(), direction.y());
            direction = length > 0 ? direction / length : QPointF(1, 0);
            const QPointF normal(-direction.y(), direction.x());
            const double half = std::max(4.0, width * 0.9 + 2);
            const QPointF tip = end + direction * arrowLength;
            m_arrow = QPolygonF({tip, end + normal * half, end - normal * half});
        }
        QPainterPathStroker stroker;
        stroker.setWidth(std::max(10.0, width + 6)); // easy to hit however thin
        m_shape = stroker.createStroke(m_path);
        m_shape.addPolygon(m_arrow);
        m_bounds = m_shape.boundingRect().adjusted(-2, -2, 2, 2);
    }
    Q_DISABLE_COPY_MOVE(EdgeItem)

    void setHighlighted(bool on)
    {
        if (on != m_highlighted) {
            m_highlighted = on;
            setZValue(on ? 0.5 : 0);
            update();
        }
    }
    const QPainterPath &path() const { return m_path; }

    QRectF boundingRect() const override { return m_bounds; }
    QPainterPath shape() const override { return m_shape; }

    void paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *) override
    {
        painter->setRenderHint(QPainter::Antialiasing);
        const QColor color = m_highlighted ? highlightColor : m_color;
        const double width = m_highlighted ? m_width + 2 : m_width;
        painter->setPen(QPen(color, width, Qt::SolidLine, Qt::FlatCap, Qt::RoundJoin));
        painter->setBrush(Qt::NoBrush);
        painter->drawPath(m_path);
        painter->setPen(QPen(color, 1));
        painter->setBrush(color);
        painter->drawPolygon(m_arrow);
    }

private:
    QPainterPath m_path;
    QPainterPath m_shape;
    QPolygonF m_arrow;
    QRectF m_bounds;
    double m_width;
    QColor m_color;
    bool m_highlighted = false;
};

class EdgeLabelItem final : public QGraphicsItem
{
public:
    EdgeLabelItem(const TopologyFrame::EdgeText &text, Closer closer, const QFont &font)
        : m_text(text)
        , m_closer(closer)
        , m_counts(detailFont(font))
        , m_closerFont(titleFont(font))
        , m_rect(-text.labelSize.width() / 2, -text.labelSize.height() / 2, text.labelSize.width(),
                 text.labelSize.height())
    {
        setToolTip(text.toolTip);
    }
    Q_DISABLE_COPY_MOVE(EdgeLabelItem)

    void setHighlighted(bool on)
    {
        if (on != m_highlighted) {
            m_highlighted = on;
            update();
        }
    }

    QRectF boundingRect() const override { return m_rect.adjusted(-2, -2, 2, 2); }

    void paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *) override
    {
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setPen(
            QPen(m_highlighted ? highlightColor : QColor(0xcf, 0xd4, 0xd8), m_highlighted ? 2 : 1));
        painter->setBrush(QColor(255, 255, 255, 235));
        painter->drawRoundedRect(m_rect, 4, 4);
        const QFontMetricsF counts(m_counts);
        const QFontMetricsF closer(m_closerFont);
        double y = m_rect.top() + 3;
        painter->setFont(m_counts);
        painter->setPen(QColor(0x26, 0x32, 0x38));
        painter->drawText(QRectF(m_rect.left(), y, m_rect.width(), counts.height()),
                          Qt::AlignCenter, m_text.counts);
        y += counts.height();
        if (!m_text.closer.isEmpty()) {
            painter->setFont(m_closerFont);
            // Who closes is the answer the operator is after: coloured by side.
            QColor color(0x37, 0x47, 0x4f);
            if (m_closer == Closer::Server)
                color = QColor(0xb0, 0x2a, 0x1a);
            else if (m_closer == Closer::Client)
                color = QColor(0x8e, 0x4a, 0x00);
            else if (m_closer == Closer::Both)
                color = QColor(0x6a, 0x1b, 0x9a);
            painter->setPen(color);
            painter->drawText(QRectF(m_rect.left(), y, m_rect.width(), closer.height()),
                              Qt::AlignCenter, m_text.closer);
        }
    }

private:
    TopologyFrame::EdgeText m_text;
    Closer m_closer;
    QFont m_counts;
    QFont m_closerFont;
    QRectF m_rect;
    bool m_highlighted = false;
};

} // namespace

// The graph's view: wheel zoom around the cursor, drag to pan, a click (a press and release
// without a drag) reports the item under it.
class TopologyCanvas final : public QGraphicsView
{
public:
    explicit TopologyCanvas(QWidget *parent)
        : QGraphicsView(parent)
    {
        setScene(new QGraphicsScene(this));
        setDragMode(QGraphicsView::ScrollHandDrag);
        setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
        setResizeAnchor(QGraphicsView::AnchorViewCenter);
        setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
        setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
        setBackgroundBrush(QColor(0xfa, 0xfb, 0xfc));
    }
    Q_DISABLE_COPY_MOVE(TopologyCanvas)

    std::function<void(QGraphicsItem *)> onClick;
    std::function<void(double)> onZoom;
    std::function<void()> onResized;

protected:
    // A graph fitted while the dock was still being laid out (a zero-sized view gives a scale
    // of zero: a blank graph) is fitted again once the view has its real size.
    void resizeEvent(QResizeEvent *event) override
    {
        QGraphicsView::resizeEvent(event);
        if (onResized)
            onResized();
    }
    void wheelEvent(QWheelEvent *event) override
    {
        const double steps = event->angleDelta().y() / 120.0;
        if (steps == 0)
            return;
        if (onZoom)
            onZoom(std::pow(1.15, steps));
        event->accept();
    }
    void mousePressEvent(QMouseEvent *event) override
    {
        m_pressPos = event->position().toPoint();
        QGraphicsView::mousePressEvent(event);
    }
    void mouseReleaseEvent(QMouseEvent *event) override
    {
        QGraphicsView::mouseReleaseEvent(event);
        if (event->button() != Qt::LeftButton)
            return;
        if ((event->position().toPoint() - m_pressPos).manhattanLength() > 4)
            return; // a pan, not a click
        QGraphicsItem *picked = nullptr;
        for (QGraphicsItem *item : items(m_pressPos)) {
            if (item->data(KindKey).isValid()) {
                picked = item;
                break;
            }
        }
        if (onClick)
            onClick(picked);
    }

private:
    QPoint m_pressPos;
};

TopologyView::TopologyView(Workbench *workbench, QWidget *parent)
    : QWidget(parent)
    , m_workbench(workbench)
{
    setObjectName(QStringLiteral("topologyView"));

    m_banner = new QLabel(this);
    m_banner->setObjectName(QStringLiteral("topologyBanner"));
    m_banner->setWordWrap(true);
    m_banner->setTextFormat(Qt::PlainText);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_banner->setStyleSheet(
        QStringLiteral("QLabel { background: #fff4e5; color: #4e342e; border: 1px solid #f0b35a;"
                       " border-radius: 3px; padding: 6px; }"));
    m_banner->hide();

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("topologyStatus"));
    m_status->setText(tr("Waiting for the first socket table…"));
    // Wrapped rather than widening the dock when the line is long (peers folded).
    m_status->setWordWrap(true);

    m_canvas = new TopologyCanvas(this);
    m_canvas->setObjectName(QStringLiteral("topologyCanvas"));
    m_canvas->onClick = [this](QGraphicsItem *item) {
        onCanvasClicked(item);
    };
    m_canvas->onZoom = [this](double factor) {
        zoomBy(factor);
    };
    m_canvas->onResized = [this] {
        // The operator's own zoom stays; a fitted graph follows the dock's size.
        if (!m_userZoomed)
            fitToWindow();
    };

    const auto button = [this](const QString &text, const QString &tip,
                               const QList<QKeySequence> &keys, auto slot) {
        auto *action = new QAction(text, this);
        action->setToolTip(tip);
        action->setShortcuts(keys);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(action, &QAction::triggered, this, slot);
        addAction(action);
        auto *tool = new QToolButton(this);
        tool->setDefaultAction(action);
        tool->setAutoRaise(true);
        return tool;
    };
    QToolButton *fit =
        button(tr("Fit"), tr("Fit the graph to the window (F, Ctrl+0)"),
               {QKeySequence(Qt::Key_F), QKeySequence(Qt::CTRL | Qt::Key_0)}, [this] {
                   m_userZoomed = false;
                   fitToWindow();
               });
    fit->setObjectName(QStringLiteral("fitButton"));
    QToolButton *zoomIn = button(tr("Zoom in"), tr("Zoom in (Ctrl++)"),
                                 {QKeySequence::ZoomIn, QKeySequence(Qt::CTRL | Qt::Key_Equal)},
                                 [this] { zoomBy(1.25); });
    QToolButton *zoomOut = button(tr("Zoom out"), tr("Zoom out (Ctrl+-)"), {QKeySequence::ZoomOut},
                                  [this] { zoomBy(1 / 1.25); });

    auto *bar = new QHBoxLayout;
    bar->addWidget(fit);
    bar->addWidget(zoomIn);
    bar->addWidget(zoomOut);
    bar->addSpacing(12);
    bar->addWidget(m_status, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    layout->addLayout(bar);
    layout->addWidget(m_banner);
    layout->addWidget(m_canvas, 1);

    connect(&m_watcher, &QFutureWatcher<TopologyFramePtr>::finished, this,
            &TopologyView::onJobFinished);
    if (m_workbench) {
        connect(m_workbench, &Workbench::currentHostChanged, this,
                &TopologyView::onCurrentHostChanged);
        connect(m_workbench, &Workbench::tableArrived, this, &TopologyView::onTable);
        onCurrentHostChanged(m_workbench->currentHost());
    }
}

TopologyView::~TopologyView()
{
    // The job holds its own references to its inputs; only the watcher refers to us.
    m_watcher.waitForFinished();
}

QGraphicsScene *TopologyView::scene() const
{
    return m_canvas->scene();
}

QGraphicsView *TopologyView::graphView() const
{
    return m_canvas;
}

void TopologyView::onCurrentHostChanged(const QString &hostId)
{
    m_hostId = hostId;
    m_pending.reset();
    m_frame.reset();
    m_nodeItems.clear();
    m_edgeItems.clear();
    m_labelItems.clear();
    m_highlighted.clear();
    m_pickedId.clear();
    m_userZoomed = false;
    scene()->clear();
    updateBanner(nullptr, nullptr);
    m_status->setText(tr("Waiting for the first socket table…"));
    if (m_workbench) {
        if (const SnapshotPtr table = m_workbench->latestTable(hostId))
            onTable(hostId, table);
    }
}

void TopologyView::onTable(const QString &hostId, const SnapshotPtr &table)
{
    if (hostId != m_workbench->currentHost())
        return;
    showData(table, m_workbench->latestDocker(hostId), m_workbench->latestNamespaces(hostId));
}

void TopologyView::showData(SnapshotPtr table, std::shared_ptr<const DockerInventory> inventory,
                            std::shared_ptr<const NamespaceMap> namespaces)
{
    if (!table)
        return;
    updateBanner(inventory.get(), namespaces.get());
    m_hostId = table->hostId;
    // The host's display name, not its id: an SSH host's id is an opaque key.
    QString hostLabel;
    if (m_workbench) {
        HostListModel *hosts = m_workbench->hostListModel();
        hostLabel = hosts->index(hosts->rowOf(table->hostId), 0).data(Qt::DisplayRole).toString();
    }
    m_pending = Job{table->hostId,         std::move(table), std::move(inventory),
                    std::move(namespaces), std::nullopt,     hostLabel};
    startJob();
}

void TopologyView::showTopology(Topology topology)
{
    m_hostId = QString();
    m_pending = Job{QString(), nullptr, nullptr, nullptr, std::move(topology), QString()};
    startJob();
}

void TopologyView::startJob()
{
    if (!m_pending || m_jobInFlight)
        return; // a running job picks up m_pending when it finishes
    Job job = std::move(*m_pending);
    m_pending.reset();
    const TopologyFramePtr previous = m_latest;
    const QFont labelFont = font();
    m_jobInFlight = true;
    m_watcher.setFuture(QtConcurrent::run([job = std::move(job), previous, labelFont]() mutable {
        return computeFrame(job.hostId, job.table, job.inventory, job.namespaces,
                            std::move(job.topology), job.hostLabel, previous, labelFont);
    }));
}

void TopologyView::onJobFinished()
{
    m_jobInFlight = false;
    const TopologyFramePtr frame = m_watcher.result();
    if (frame) {
        // A frame holds the topology with every socket's key: freed on the pool.
        releaseOnPool(std::exchange(m_latest, frame));
        // A host switch while computing: the result belongs to the old host.
        if (frame->hostId == m_hostId)
            showFrame(frame);
    }
    startJob();
}

void TopologyView::showFrame(const TopologyFramePtr &frame)
{
    const Topology &topology = frame->topology;
    const QLocale locale;
    if (!frame->layout.ok()) {
        m_status->setText(frame->layout.error);
        return;
    }
    // Kept across the swap: what the operator looks at and what is highlighted.
    const QPointF center = m_canvas->mapToScene(m_canvas->viewport()->rect().center());
    const QRectF visible = m_canvas->mapToScene(m_canvas->viewport()->rect()).boundingRect();
    const bool hadFrame = m_frame != nullptr;
    releaseOnPool(std::exchange(m_frame, frame));

    QGraphicsScene *s = scene();
    s->clear();
    m_nodeItems.assign(topology.nodes.size(), nullptr);
    m_edgeItems.assign(topology.edges.size(), nullptr);
    m_labelItems.assign(topology.edges.size(), nullptr);
    const QFont labelFont = font();
    for (std::size_t i = 0; i < topology.edges.size(); ++i) {
        const TopologyEdge &edge = topology.edges[i];
        auto *item = new EdgeItem(frame->layout.edgeSplines[i], edgeWidth(edge), edgeColor(edge),
                                  frame->edges[i].toolTip);
        item->setData(KindKey, ItemEdge);
        item->setData(IndexKey, int(i));
        s->addItem(item);
        m_edgeItems[i] = item;
        if (const std::optional<QPointF> at = frame->layout.labelCenters[i]) {
            auto *label = new EdgeLabelItem(frame->edges[i], edge.closer, labelFont);
            label->setData(KindKey, ItemEdge);
            label->setData(IndexKey, int(i));
            label->setPos(*at);
            label->setZValue(1);
            s->addItem(label);
            m_labelItems[i] = label;
        }
    }
    for (std::size_t i = 0; i < topology.nodes.size(); ++i) {
        auto *item = new NodeItem(frame->nodes[i], topology.nodes[i].kind,
                                  topology.nodes[i].foldedPeers > 0, labelFont);
        item->setData(KindKey, ItemNode);
        item->setData(IndexKey, int(i));
        item->setPos(frame->layout.nodeCenters[i]);
        item->setZValue(2);
        s->addItem(item);
        m_nodeItems[i] = item;
    }
    const QRectF graphRect = frame->layout.bounds.adjusted(-24, -24, 24, 24);
    // A zoomed view keeps what the operator looks at: the scene reaches at least as far as the
    // part shown, so centring on the same point cannot be undone by a smaller or shifted graph.
    s->setSceneRect(hadFrame && m_userZoomed ? graphRect.united(visible) : graphRect);

    // Highlights by id survive the swap; edges that are gone drop out.
    QSet<QString> still;
    for (const TopologyEdge &edge : topology.edges) {
        if (m_highlighted.contains(edge.id))
            still.insert(edge.id);
    }
    m_highlighted = still;
    applyHighlight();

    if (!hadFrame || !m_userZoomed)
        fitToWindow();
    else
        m_canvas->centerOn(center);

    std::uint64_t timeWait = 0;
    for (const TopologyEdge &edge : topology.edges)
        timeWait += edge.count(TcpState::TimeWait);
    int folded = 0;
    for (const TopologyNode &node : topology.nodes)
        folded += node.foldedPeers;
    QString status =
        tr("%1 nodes, %2 edges, %3 TIME_WAIT · %4")
            .arg(locale.toString(qulonglong(topology.nodes.size())),
                 locale.toString(qulonglong(topology.edges.size())),
                 locale.toString(qulonglong(timeWait)),
                 frame->layoutReused ? tr("positions kept")
                                     : tr("laid out in %1 ms")
                                           .arg(locale.toString(frame->layout.elapsedMs, 'f', 1)));
    if (folded > 0)
        status += QStringLiteral(" · ") + tr("%Ln quiet peer(s) folded", nullptr, folded);
    m_status->setText(status);
    emit frameShown();
}

void TopologyView::updateBanner(const DockerInventory *inventory, const NamespaceMap *namespaces)
{
    QStringList paragraphs;
    if (inventory && !inventory->ok() && !inventory->error.isEmpty())
        paragraphs << tr("Docker: %1").arg(inventory->error);
    if (namespaces && !namespaces->unreadable.isEmpty()) {
        QStringList names;
        if (inventory) {
            for (const Container &container : inventory->containers) {
                const std::uint64_t netns = namespaces->containerNetns.value(container.id);
                if (netns != 0 && namespaces->unreadable.contains(netns))
                    names << safeDisplayText(container.name);
            }
        }
        names.sort();
        const QString who = names.isEmpty() ? tr("%n container namespace(s)", nullptr,
                                                 int(namespaces->unreadable.size()))
                                            : names.join(QStringLiteral(", "));
        paragraphs << tr("The sockets inside these containers could not be read: %1. Their "
                         "connections show only from the other end, so their counts are lower "
                         "bounds and who closes may be missing. Reading a container's sockets "
                         "(/proc/<pid>/net/tcp) needs root: connect as root, or let this account "
                         "run it through \"sudo -n\" without a password (a NOPASSWD rule in "
                         "sudoers).")
                          .arg(who);
    }
    m_banner->setText(paragraphs.join(QStringLiteral("\n")));
    m_banner->setVisible(!paragraphs.isEmpty());
}

QGraphicsItem *TopologyView::nodeItem(const QString &nodeId) const
{
    if (!m_frame)
        return nullptr;
    const int index = m_frame->topology.nodeIndex(nodeId);
    return index < 0 ? nullptr : m_nodeItems[size_t(index)];
}

namespace {

int edgeIndex(const Topology &topology, const QString &edgeId)
{
    const auto it =
        std::lower_bound(topology.edges.begin(), topology.edges.end(), edgeId,
                         [](const TopologyEdge &edge, const QString &id) { return edge.id < id; });
    return it != topology.edges.end() && it->id == edgeId ? int(it - topology.edges.begin()) : -1;
}

} // namespace

QGraphicsItem *TopologyView::edgeItem(const QString &edgeId) const
{
    if (!m_frame)
        return nullptr;
    const int index = edgeIndex(m_frame->topology, edgeId);
    return index < 0 ? nullptr : m_edgeItems[size_t(index)];
}

QGraphicsItem *TopologyView::edgeLabelItem(const QString &edgeId) const
{
    if (!m_frame)
        return nullptr;
    const int index = edgeIndex(m_frame->topology, edgeId);
    return index < 0 ? nullptr : m_labelItems[size_t(index)];
}

void TopologyView::fitToWindow()
{
    if (m_frame && m_frame->layout.ok()) // what a zoomed view added to the scene goes
        scene()->setSceneRect(m_frame->layout.bounds.adjusted(-24, -24, 24, 24));
    const QRectF rect = scene()->sceneRect();
    if (rect.isEmpty())
        return;
    m_canvas->fitInView(rect, Qt::KeepAspectRatio);
    // Never blow a small graph up past 1.5×: big boxes read worse than white space.
    if (m_canvas->transform().m11() > 1.5)
        m_canvas->setTransform(QTransform::fromScale(1.5, 1.5));
    m_canvas->centerOn(rect.center());
}

void TopologyView::zoomBy(double factor)
{
    const double scale = m_canvas->transform().m11() * factor;
    if (scale < 0.05 || scale > 8)
        return;
    m_userZoomed = true;
    m_canvas->scale(factor, factor);
}

void TopologyView::onCanvasClicked(QGraphicsItem *item)
{
    if (!m_frame)
        return;
    const Topology &topology = m_frame->topology;
    if (!item) {
        m_pickedId.clear();
        m_highlighted.clear();
        applyHighlight();
        emit pickCleared();
        return;
    }
    const int index = item->data(IndexKey).toInt();
    QSet<SocketKey> keys;
    QString description;
    if (item->data(KindKey).toInt() == ItemEdge) {
        const TopologyEdge &edge = topology.edges[size_t(index)];
        for (const SocketKey &key : edge.sockets)
            keys.insert(key);
        description = tr("%1 → %2").arg(topology.nodes[size_t(edge.from)].label,
                                        topology.nodes[size_t(edge.to)].label);
        m_pickedId = edge.id;
        m_highlighted = {edge.id};
    } else {
        const TopologyNode &node = topology.nodes[size_t(index)];
        m_highlighted.clear();
        for (const TopologyEdge *edge : topology.edgesOf(node.id)) {
            for (const SocketKey &key : edge->sockets)
                keys.insert(key);
            m_highlighted.insert(edge->id);
        }
        description = node.label;
        m_pickedId = node.id;
    }
    applyHighlight();
    emit socketsPicked(keys, description);
}

void TopologyView::highlightSockets(const QList<SocketKey> &keys)
{
    if (!m_frame)
        return;
    QSet<QString> edges;
    for (const SocketKey &key : keys) {
        const auto it = m_frame->edgeOfSocket.constFind(key);
        if (it != m_frame->edgeOfSocket.cend())
            edges.insert(m_frame->topology.edges[size_t(*it)].id);
    }
    // An empty selection keeps what was clicked highlighted.
    if (edges.isEmpty() && keys.isEmpty())
        return;
    m_highlighted = edges;
    applyHighlight();
}

void TopologyView::highlightEdges(const QStringList &edgeIds)
{
    // Kept even before the frame that has them is shown: onJobFinished() keeps the highlighted
    // ids that the new frame still has.
    m_highlighted = QSet<QString>(edgeIds.begin(), edgeIds.end());
    if (m_frame)
        applyHighlight();
}

QStringList TopologyView::highlightedEdges() const
{
    QStringList ids(m_highlighted.begin(), m_highlighted.end());
    ids.sort();
    return ids;
}

void TopologyView::applyHighlight()
{
    if (!m_frame)
        return;
    const Topology &topology = m_frame->topology;
    std::vector<bool> nodeOn(topology.nodes.size(), false);
    for (std::size_t i = 0; i < topology.edges.size(); ++i) {
        const bool on = m_highlighted.contains(topology.edges[i].id);
        static_cast<EdgeItem *>(m_edgeItems[i])->setHighlighted(on);
        if (m_labelItems[i])
            static_cast<EdgeLabelItem *>(m_labelItems[i])->setHighlighted(on);
    }
    const int picked = topology.nodeIndex(m_pickedId);
    if (picked >= 0)
        nodeOn[size_t(picked)] = true;
    for (std::size_t i = 0; i < topology.nodes.size(); ++i)
        static_cast<NodeItem *>(m_nodeItems[i])->setHighlighted(nodeOn[i]);
}

ExportSource TopologyView::exportSource() const
{
    // Room around the outermost items (pen widths, arrow heads) so nothing touches the edge.
    constexpr double margin = 16;
    const QPointer<QGraphicsScene> scene = m_canvas->scene();
    auto bounds = [scene] {
        return scene && !scene->items().isEmpty()
                   ? scene->itemsBoundingRect().adjusted(-margin, -margin, margin, margin)
                   : QRectF();
    };
    ExportSource source;
    source.title = tr("Topology");
    // Scene units are the graph's pixels at zoom 1, whatever the operator's zoom and scroll.
    source.size = [bounds] {
        return bounds().size();
    };
    source.paint = [scene, bounds](QPainter *painter, const QRectF &target) {
        const QRectF from = bounds();
        if (scene && !from.isEmpty())
            scene->render(painter, target, from, Qt::KeepAspectRatio);
    };
    return source;
}

} // namespace twbench
