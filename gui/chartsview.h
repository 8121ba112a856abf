#pragma once

#include "model/hostsample.h"
#include "model/timeline.h"

#include <QColor>
#include <QElapsedTimer>
#include <QList>
#include <QWidget>

class QChart;
class QChartView;
class QComboBox;
class QDateTimeAxis;
class QLabel;
class QLineSeries;
class QTimer;
class QValueAxis;

namespace twbench {

class Workbench;

// Live charts of the current host: TCP states (TIME_WAIT, ESTABLISHED) on one chart, CPU % on
// the other, over one shared time range. Samples only mark the view dirty; a timer redraws at
// most five times a second, reads each series downsampled to the chart's width (min/max per
// pixel, so spikes survive) and feeds it with one replace() call. A break in the timeline
// (lost samples, a restarted probe) is drawn as a gap: each segment is its own line.
class ChartsView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChartsView)

public:
    explicit ChartsView(Workbench *workbench, QWidget *parent = nullptr);
    ~ChartsView() override;

    // Points drawn for a metric, over all its segments; for tests.
    int pointCount(Timeline::Metric metric) const;
    void redrawNow() { redraw(); }

private:
    struct Line
    {
        Timeline::Metric metric;
        QChart *chart = nullptr; // Not owned.
        QColor color;
        QList<QLineSeries *> segments; // Owned by the chart; the first carries the legend entry.
    };

    QChartView *makeChart(const QString &title, QDateTimeAxis *&timeAxis, QValueAxis *&valueAxis,
                          const QString &valueTitle);
    void addLine(QChartView *view, Timeline::Metric metric, const QColor &color);
    QLineSeries *newSegment(Line &line, int index);
    void markDirty(const QString &hostId);
    void redraw();
    void updateLine(Line &line, const Timeline &timeline, std::int64_t fromMs, std::int64_t toMs,
                    int buckets, double &maxValue);
    qint64 rangeMs() const;

    Workbench *m_workbench; // Not owned.
    QComboBox *m_range = nullptr;
    QLabel *m_latest = nullptr;
    QChartView *m_connectionsView = nullptr;
    QChartView *m_cpuView = nullptr;
    QDateTimeAxis *m_connectionsTime = nullptr;
    QDateTimeAxis *m_cpuTime = nullptr;
    QValueAxis *m_connectionsCount = nullptr;
    QValueAxis *m_cpuPercent = nullptr;
    QList<Line> m_lines;
    QTimer *m_redrawTimer = nullptr;
    QElapsedTimer m_sinceRedraw;
    bool m_dirty = true;
};

} // namespace twbench
