// The stacked charts redrawn and painted, through the real ChartsView (offscreen):
//   ChartsRedrawPaint/<range s>  10 hosts overlaid ("All hosts"), each with 24 h of 1 s samples
//       in its timeline; the view 1,600 × 900 pixels showing the last <range> seconds. One
//       iteration is what the redraw timer does (each line read downsampled to the plot's width
//       and handed to the chart's PlotLinesItem) followed by painting the whole view into an
//       image, as a repaint of the widget does. Counters: redraw_ms and paint_ms, the two parts;
//       points, what the lines hold after the redraw; lines, how many are drawn;
//       charts_paint_ms, painting the four charts alone, which is what a live redraw makes Qt
//       repaint (the legend's 130 lines of text do not change), and frame_ms, redraw_ms plus
//       that: the frame a live redraw costs.

#include "viewsbench.h"

#include "gui/chartsview.h"
#include "gui/timechartview.h"
#include "gui/workbench.h"
#include "model/timeline.h"
#include "remote/hostspec.h"

#include <QApplication>
#include <QComboBox>
#include <QDateTime>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>
#include <QSettings>
#include <QTest>

#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <vector>

namespace {

using namespace twbench;
using Metric = Timeline::Metric;

constexpr int hosts = 10;
constexpr int day = 24 * 60 * 60;

// Ten hosts a day deep, made once per run (about 15 s): the workbench and its timelines.
Workbench &tenHostsADay()
{
    static Workbench *workbench = [] {
        bench::guiApplication();
        auto *made = new Workbench;
        const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
        for (int h = 0; h < hosts; ++h) {
            HostSpec spec;
            spec.id = QStringLiteral("host%1").arg(h);
            spec.displayName = QStringLiteral("web%1").arg(h, 2, 10, QLatin1Char('0'));
            spec.kind = HostSpec::Kind::Replay; // nothing to reach: only what is loaded
            made->addHost(spec);
            // Host by host, so only one host's samples are alive at a time.
            std::vector<HostSamplePtr> samples;
            samples.reserve(day);
            for (int second = 0; second < day; ++second)
                samples.push_back(bench::sampleAt(spec.id, std::uint64_t(second + 1) + 7u * h,
                                                  now - 1000LL * (day - second)));
            made->loadHistory(spec.id, samples);
        }
        made->setCurrentHost(QStringLiteral("host0"));
        return made;
    }();
    return *workbench;
}

int rangeIndexOf(qint64 seconds)
{
    // ChartsView's choices: 5 min, 15 min, 1 h, 6 h, 24 h, everything.
    switch (seconds) {
    case 5 * 60:
        return 0;
    case 60 * 60:
        return 2;
    case 6 * 60 * 60:
        return 3;
    default:
        return 4;
    }
}

void ChartsRedrawPaint(benchmark::State &state)
{
    Workbench &workbench = tenHostsADay();
    QSettings().clear();
    ChartsView view(&workbench);
    view.resize(1600, 900);
    view.show();
    if (!QTest::qWaitForWindowExposed(&view))
        std::fprintf(stderr, "bench: the window was not exposed\n");
    view.findChild<QComboBox *>(QStringLiteral("chartRange"))
        ->setCurrentIndex(rangeIndexOf(state.range(0)));
    view.setHostScope(ChartsView::HostScope::All);
    view.redrawNow();
    QCoreApplication::processEvents();

    QImage image(view.size() * view.devicePixelRatio(), QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(view.devicePixelRatio());
    QImage chartsImage(image.size(), image.format());
    chartsImage.setDevicePixelRatio(view.devicePixelRatio());
    double redrawMs = 0;
    double paintMs = 0;
    double chartsPaintMs = 0;
    for (auto _ : state) {
        QElapsedTimer clock;
        clock.start();
        view.redrawNow();
        const qint64 redrawn = clock.nsecsElapsed();
        image.fill(Qt::white);
        view.render(&image);
        const qint64 painted = clock.nsecsElapsed();
        redrawMs += double(redrawn) / 1e6;
        paintMs += double(painted - redrawn) / 1e6;
        state.SetIterationTime(double(painted) / 1e9);
        // What a live redraw makes Qt repaint: the four charts (the legend beside them, 130
        // lines of text, does not change). Timed apart, outside the iteration's time.
        QElapsedTimer charts;
        charts.start();
        {
            QPainter painter(&chartsImage);
            for (int i = 0; i < ChartsView::PanelCount; ++i) {
                TimeChartView *one = view.chart(ChartsView::Panel(i));
                one->QWidget::render(&painter, one->mapTo(&view, QPoint(0, 0)));
            }
        }
        chartsPaintMs += double(charts.nsecsElapsed()) / 1e6;
    }
    int points = 0;
    for (int m = 0; m < Timeline::MetricCount; ++m)
        points += view.pointCount(Metric(m));
    const auto n = double(state.iterations());
    state.counters["redraw_ms"] = redrawMs / n;
    state.counters["paint_ms"] = paintMs / n;
    state.counters["charts_paint_ms"] = chartsPaintMs / n;
    state.counters["frame_ms"] = (redrawMs + chartsPaintMs) / n; // redraw + the charts' repaint
    state.counters["points"] = points;
    state.counters["lines"] = double(view.lineKeys().size());
    // For a look at what was measured: TWBENCH_BENCH_SCREENSHOT_DIR keeps the last frame.
    const QString directory = qEnvironmentVariable("TWBENCH_BENCH_SCREENSHOT_DIR");
    if (!directory.isEmpty())
        image.save(directory + QStringLiteral("/charts-%1s.png").arg(state.range(0)));
}
BENCHMARK(ChartsRedrawPaint)
    ->Arg(day)
    ->Arg(6 * 60 * 60)
    ->Arg(60 * 60)
    ->Arg(5 * 60)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

} // namespace
