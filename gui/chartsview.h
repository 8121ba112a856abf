#pragma once

#include "model/hostsample.h"
#include "model/timeline.h"

#include <QColor>
#include <QElapsedTimer>
#include <QList>
#include <QSet>
#include <QWidget>

#include <array>
#include <cstdint>
#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QSplitter;
class QTimer;
class QToolButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace twbench {

class PlotLinesItem;
class TimeChartView;
class Workbench;

// The stacked time charts: TCP states, connection churn, CPU (the host's and each container's)
// and requests/s per access-log source, one above the other on one time axis. The current host
// alone, or every host overlaid (each in its own colour); the legend on the right toggles each
// line and remembers what was hidden.
//
// The time window is live (the last 5 min … 24 h, or everything, ending at the host's "now")
// until the operator zooms (drag a span, the wheel) or pans (right-drag, Shift+drag, arrow
// keys); Escape, a double click or "Live" returns to it. Hovering shows a crosshair on every
// chart with the exact values at that time, read from the timeline rather than from the drawn
// points.
//
// Samples only mark the view dirty; a timer redraws at most five times a second, reads each
// series downsampled to the chart's width (min/max per pixel, so spikes survive) and hands the
// points to the chart's PlotLinesItem, which draws the lines over Qt Charts' axes and grid (Qt
// Charts' own line series re-stroked every point on each change: 0.4 s for 10 hosts' day). A
// break in the timeline (lost samples, a restarted probe) is drawn as a gap.
//
// Hosts' clocks differ: the time axis is the current host's clock, and every other host's points
// are shifted by the difference of the clock offsets measured when their samples arrived.
class ChartsView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChartsView)

public:
    enum class Panel : std::uint8_t { States, Churn, Cpu, Requests };
    static constexpr int PanelCount = 4;
    enum class HostScope : std::uint8_t { Current, All };

    explicit ChartsView(Workbench *workbench, QWidget *parent = nullptr);
    ~ChartsView() override;

    // Points drawn for a metric, over all hosts and segments; for tests.
    int pointCount(Timeline::Metric metric) const;
    // Lines that exist (drawn or hidden), as "host|metric|key"; for tests.
    QStringList lineKeys() const;
    void redrawNow() { redraw(); }

    TimeChartView *chart(Panel panel) const { return m_charts[size_t(panel)]; }
    // What a chart draws: its lines, each with its points and polylines; for tests.
    PlotLinesItem *plotLines(Panel panel) const { return m_plotLines[size_t(panel)]; }
    QTreeWidget *legend() const { return m_legend; }

    void setHostScope(HostScope scope);
    HostScope hostScope() const { return m_scope; }
    // The shown window, in axis milliseconds (the current host's clock).
    std::pair<std::int64_t, std::int64_t> window() const { return {m_fromMs, m_toMs}; }
    bool isLive() const { return !m_fixedWindow; }
    // Shows a fixed window (zoom); goLive() returns to the range's live window.
    void showWindow(std::int64_t fromMs, std::int64_t toMs);
    void goLive();
    // Shades a span on every chart (a finding's evidence) and shows it; nullopt clears.
    void markRange(std::optional<std::pair<std::int64_t, std::int64_t>> range);
    // A replay's current time as a line on every chart; nullopt hides it.
    void setCursorTime(std::optional<std::int64_t> ms);
    // The crosshair's text for a chart at an axis time, as shown on hover; for tests.
    QString valuesAt(Panel panel, std::int64_t ms) const;
    void hoverAt(std::optional<std::int64_t> ms);

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    struct Line
    {
        QString hostId;
        Timeline::SeriesId series{Timeline::Metric::TimeWait};
        Panel panel = Panel::States;
        QString label; // the legend's text
        QColor color;
        Qt::PenStyle style = Qt::SolidLine;
        int plotIndex = -1;                    // the line's index in plotLines(panel)
        QTreeWidgetItem *legendItem = nullptr; // Owned by the legend.
        bool visible = true;
        QString settingsKey() const; // "metric|key": hidden lines are remembered per series
    };

    void buildLines();
    void addLine(const QString &hostId, const Timeline::SeriesId &series, Panel panel,
                 const QString &label, bool visibleByDefault);
    QList<QString> shownHosts() const;
    void markDirty(const QString &hostId);
    void redraw();
    void updateLine(const Line &line, const Timeline &timeline, std::int64_t shiftMs, int buckets);
    std::int64_t shiftOf(const QString &hostId) const;
    QString hostLabel(const QString &hostId) const;
    QString containerLabel(const QString &hostId, const QString &containerId) const;
    void alignPlotAreas();
    void onLegendChanged(QTreeWidgetItem *item);
    void updateWindowLabel();
    void pan(std::int64_t deltaMs);
    void zoomAround(std::int64_t aroundMs, double factor);
    qint64 rangeMs() const;
    QString formatValue(Timeline::Metric metric, double value) const;

    Workbench *m_workbench; // Not owned.
    QComboBox *m_range = nullptr;
    QComboBox *m_scopeBox = nullptr;
    QToolButton *m_liveButton = nullptr;
    QLabel *m_windowLabel = nullptr;
    QLabel *m_latest = nullptr;
    QSplitter *m_splitter = nullptr;
    std::array<TimeChartView *, PanelCount> m_charts{};
    std::array<PlotLinesItem *, PanelCount> m_plotLines{}; // Owned by each chart.
    QTreeWidget *m_legend = nullptr;
    QList<Line> m_lines;
    QSet<QString> m_hiddenSeries; // Line::settingsKey() of lines the operator switched off
    QString m_linesSignature;     // what buildLines() last built, to rebuild only on change
    HostScope m_scope = HostScope::Current;

    std::int64_t m_fromMs = 0;
    std::int64_t m_toMs = 0;
    std::optional<std::pair<std::int64_t, std::int64_t>> m_fixedWindow;
    std::optional<std::pair<std::int64_t, std::int64_t>> m_markedRange;
    std::optional<std::int64_t> m_hoverMs;

    QTimer *m_redrawTimer = nullptr;
    QElapsedTimer m_sinceRedraw;
    bool m_dirty = true;
    bool m_updatingLegend = false;
    QList<Timeline::Point> m_downsampled; // updateLine()'s buffer, reused line after line
};

} // namespace twbench
