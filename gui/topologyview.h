#pragma once

#include "export/viewexporter.h"
#include "graphlayout.h"

#include "model/attribution.h"
#include "model/docker/dockerinventory.h"
#include "model/snapshot.h"
#include "model/topology.h"

#include <QFutureWatcher>
#include <QHash>
#include <QSet>
#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

class QGraphicsItem;
class QGraphicsScene;
class QGraphicsView;
class QLabel;

namespace twbench {

class TopologyCanvas;
class Workbench;

// One topology ready to draw: built, laid out and measured off the GUI thread, then handed to
// the view as a whole (a shared pointer to const).
struct TopologyFrame
{
    struct NodeText
    {
        QString title;       // TopologyNode::label (already safe)
        QStringList details; // addresses, replicas
        QString toolTip;     // rich text, every remote string escaped
        QSizeF size;
    };
    struct EdgeText
    {
        QString counts; // "TIME_WAIT 1,234 · ESTAB 2"
        QString closer; // "server closes · ≈20.6 new/s"; may be empty
        QString toolTip;
        QSizeF labelSize;
    };

    QString hostId;
    Topology topology;
    GraphLayoutResult layout;
    std::vector<NodeText> nodes; // by node index
    std::vector<EdgeText> edges; // by edge index
    QHash<SocketKey, int> edgeOfSocket;
    // Node and edge ids in order: equal structures keep their positions.
    QStringList structure;
    bool layoutReused = false; // the previous frame's positions were kept
    double buildMs = 0;        // attribution + topology
};

using TopologyFramePtr = std::shared_ptr<const TopologyFrame>;

// The current host's topology graph (callers → proxies → backends, left to right): nodes by
// kind with an icon, edges as dot's splines with their width by TIME_WAIT count and a label
// with the counts and who closes. Zoom with the wheel or Ctrl +/-, pan by dragging, fit with
// F or Ctrl+0. Clicking a node or an edge picks its sockets (socketsPicked); the connection
// table's selection is shown with highlightSockets().
//
// Threading: each new table is attributed, turned into a Topology and laid out by Graphviz on
// the thread pool, one job at a time per view (Graphviz itself is serialised process-wide by
// layoutGraph()); a table that arrives meanwhile replaces the one waiting, so only the newest
// is ever computed next.
//
// Stable positions: when the new topology has the same nodes and edges as the one shown, the
// job skips Graphviz and keeps every position (only counts, widths and labels change). When
// the structure changed, dot lays the new graph out and stabilizeLayout() aligns that layout
// to the previous one: nodes, labels and edges that stay keep their scene positions (unless a
// newcomer's rank forces them aside), newcomers take free room in their rank, removed ones
// simply go, and every edge is routed again. The old graph stays on screen until the new
// layout is ready and is then swapped in one step. A view the operator zoomed keeps its zoom
// and the scene point at its centre, and as the survivors keep their scene coordinates, they
// keep their places on screen too; a fitted view fits the new graph.
class TopologyView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TopologyView)

public:
    explicit TopologyView(Workbench *workbench, QWidget *parent = nullptr);
    ~TopologyView() override;

    // Shows a host's table (attributed with its inventory and namespace map). Also what the
    // workbench's tables go through; public for tests.
    void showData(SnapshotPtr table, std::shared_ptr<const DockerInventory> inventory,
                  std::shared_ptr<const NamespaceMap> namespaces);
    // Shows a ready topology (several hosts, tests).
    void showTopology(Topology topology);

    // A frame is being computed or waits to be: until it is shown (the watcher stops running
    // before its result reaches the view).
    bool isBusy() const { return m_jobInFlight || m_pending.has_value(); }
    TopologyFramePtr frame() const { return m_frame; }
    QGraphicsScene *scene() const;
    QGraphicsView *graphView() const;
    QLabel *banner() const { return m_banner; }

    // Scene items, for tests and for export; nullptr when absent.
    QGraphicsItem *nodeItem(const QString &nodeId) const;
    QGraphicsItem *edgeItem(const QString &edgeId) const;
    QGraphicsItem *edgeLabelItem(const QString &edgeId) const;

    // The whole graph (not only what is scrolled into view), drawn from the scene: vector in
    // SVG and PDF. Valid while the view lives.
    ExportSource exportSource() const;

    void fitToWindow();
    void zoomBy(double factor);

    // Highlights the edges that hold any of these sockets (the table's selection).
    void highlightSockets(const QList<SocketKey> &keys);
    // Highlights these edges by id (a finding's evidence).
    void highlightEdges(const QStringList &edgeIds);
    QStringList highlightedEdges() const;

signals:
    void frameShown();
    // The operator clicked a node or an edge: its sockets, and what to call them.
    void socketsPicked(const QSet<twbench::SocketKey> &keys, const QString &description);
    // The operator clicked the background.
    void pickCleared();

private:
    struct Job
    {
        QString hostId;
        SnapshotPtr table;
        std::shared_ptr<const DockerInventory> inventory;
        std::shared_ptr<const NamespaceMap> namespaces;
        std::optional<Topology> topology; // ready-made instead of table
        QString hostLabel;                // what the host's own nodes are called: its display name
    };

    void onCurrentHostChanged(const QString &hostId);
    void onTable(const QString &hostId, const SnapshotPtr &table);
    void startJob();
    void onJobFinished();
    void showFrame(const TopologyFramePtr &frame);
    void updateBanner(const DockerInventory *inventory, const NamespaceMap *namespaces);
    void onCanvasClicked(QGraphicsItem *item);
    void applyHighlight();

    Workbench *m_workbench; // Not owned; may be null (tests).
    QLabel *m_banner = nullptr;
    QLabel *m_status = nullptr;
    TopologyCanvas *m_canvas = nullptr; // Owned (child); owns its scene.
    QFutureWatcher<TopologyFramePtr> m_watcher;
    bool m_jobInFlight = false; // from startJob() to onJobFinished()
    std::optional<Job> m_pending;
    QString m_hostId;                         // the host whose graph is shown or computed
    TopologyFramePtr m_frame;                 // shown
    TopologyFramePtr m_latest;                // newest computed (a layout a new job may reuse)
    bool m_userZoomed = false;                // then a new frame keeps the zoom, else it fits
    std::vector<QGraphicsItem *> m_nodeItems; // by node index; owned by the scene
    std::vector<QGraphicsItem *> m_edgeItems;
    std::vector<QGraphicsItem *> m_labelItems;
    QSet<QString> m_highlighted; // edge ids
    QString m_pickedId;          // node or edge id clicked last
};

} // namespace twbench
