// Memory and disk over 24 hours (issue 10, part 4), in compressed time: `hosts` hosts each send
// a sample every simulated second (the counters of a real 6.1 kernel, tests/data, and a
// two-CPU /proc/stat, growing as a busy proxy's do) and a 2,000-socket table every 5 simulated
// seconds (shaped like the incident's: TIME_WAITs towards upstreams, clients, a container
// namespace; tests/model/capturefixtures.h), through the same objects as the live window:
// Workbench (timelines, latest tables), the MainWindow's views (offscreen), the findings runner
// and the capture recorder with its rolling window. They are fed as fast as they take them; the
// recorder is waited for every simulated minute, so its queue never holds more than that.
//
// Every simulated hour: resident memory (VmRSS, after malloc_trim(0), which the product runs
// once a minute and compressed time outruns), the heap malloc has handed out, and the
// recording's bytes on disk (file + WAL). Memory per host-hour is the growth over the first
// 24 hours; after 24 hours it must level off (the timelines keep 24 h at full resolution),
// and so must the recording (it keeps the last 24 h).

#include "procstats.h"
#include "scalebench.h"

#include "gui/capturerecorder.h"
#include "gui/mainwindow.h"
#include "gui/workbench.h"
#include "model/capturefixtures.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>

#include <cstdio>

#include <malloc.h>

namespace twbench::bench {

namespace {

constexpr std::int64_t soakStartMs = 1'700'000'000'000;

struct HourMark
{
    int hour = 0;
    double rssMb = 0;
    double heapMb = 0;
    double recordingMb = 0;
    double realSeconds = 0;
};

} // namespace

int runSoak(const SoakOptions &options)
{
    // Replay mode: hosts without a fleet, fed here as the fleet would feed them. Everything
    // downstream of Workbench::onSample is the live window's.
    Workbench workbench(Workbench::Mode::Replay);
    MainWindow window(&workbench);
    QString error;
    const QString recording = QDir::homePath() + QStringLiteral("/recordings/soak.twbench");
    if (!window.startRecording(recording, &error)) {
        std::printf("soak: not recording: %s\n", qPrintable(error));
        return 1;
    }
    CaptureRecorder *recorder = window.recorder();
    window.show();
    QStringList hostIds;
    for (int i = 0; i < options.hosts; ++i) {
        HostSpec spec;
        spec.id = QStringLiteral("soak-%1").arg(i);
        spec.displayName = spec.id;
        spec.kind = HostSpec::Kind::Ssh;
        spec.address = QStringLiteral("10.0.0.%1").arg(10 + i);
        spec.port = 22;
        workbench.addHost(spec);
        hostIds.append(spec.id);
    }
    QCoreApplication::processEvents();
    const auto mark = [&](int hour, const QElapsedTimer &clock) {
        recorder->waitForWriter();
        ::malloc_trim(0);
        HourMark m;
        m.hour = hour;
        m.rssMb = double(statusBytes("VmRSS")) / 1e6;
        m.heapMb = double(heapInUseBytes()) / 1e6;
        m.recordingMb = double(recorder->recordingBytes()) / 1e6;
        m.realSeconds = double(clock.elapsed()) / 1000;
        std::printf("soak: hour %2d  rss %7.1f MB  heap %7.1f MB  recording %8.1f MB  (%.0f s)\n",
                    m.hour, m.rssMb, m.heapMb, m.recordingMb, m.realSeconds);
        std::fflush(stdout);
        return m;
    };

    QElapsedTimer clock;
    clock.start();
    QList<HourMark> marks{mark(0, clock)};
    const std::uint64_t seconds = std::uint64_t(options.simulatedHours) * 3600;
    for (std::uint64_t second = 0; second < seconds; ++second) {
        for (const QString &hostId : std::as_const(hostIds)) {
            auto sample = test::realisticSample(hostId, second, soakStartMs);
            if (second % std::uint64_t(options.tableEverySeconds) == 0) {
                sample->table = test::realisticTable(hostId, second, sample->epochMs,
                                                     options.tableSockets, std::uint32_t(second));
                sample->namespaces = test::fixtureNamespaces();
            }
            workbench.onSample(hostId, sample);
        }
        // The views' timers and the findings runner's pool work land here.
        QCoreApplication::processEvents();
        if (second % 60 == 59)
            recorder->waitForWriter();
        if (second % 3600 == 3599)
            marks.append(mark(int(second / 3600) + 1, clock));
    }

    const HourMark &first = marks.first();
    const HourMark &day = marks.value(std::min<qsizetype>(24, marks.size() - 1));
    const HourMark &last = marks.last();
    const double dayHours = std::max(1, day.hour);
    const double memoryPerHostHour = (day.rssMb - first.rssMb) / options.hosts / dayHours;
    const double heapPerHostHour = (day.heapMb - first.heapMb) / options.hosts / dayHours;
    const double diskPerHostHour = (day.recordingMb - first.recordingMb) / options.hosts / dayHours;
    const double afterDayHours = std::max(1, last.hour - day.hour);
    const double memoryAfterDay = (last.rssMb - day.rssMb) / options.hosts / afterDayHours;
    const double diskAfterDay =
        (last.recordingMb - day.recordingMb) / options.hosts / afterDayHours;
    std::printf("soak_rss_mb_per_host_hour = %.3f\n", memoryPerHostHour);
    std::printf("soak_heap_mb_per_host_hour = %.3f\n", heapPerHostHour);
    std::printf("soak_rss_mb_per_host_hour_after_24h = %.3f\n", memoryAfterDay);
    std::printf("soak_recording_mb_per_host_hour = %.3f\n", diskPerHostHour);
    std::printf("soak_recording_mb_per_host_hour_after_24h = %.3f\n", diskAfterDay);
    std::printf("soak_real_seconds = %.0f\n", last.realSeconds);
    std::printf("\n| Resident memory per host-hour (%d hosts, %d simulated hours; a sample a "
                "second, a %d-socket table every %d s) | **%.2f MB** over the first 24 h "
                "(%.1f → %.1f MB); hours %d–%d: %+.3f MB per host-hour | bounded: levels off "
                "after 24 h |\n",
                options.hosts, options.simulatedHours, options.tableSockets,
                options.tableEverySeconds, memoryPerHostHour, first.rssMb, day.rssMb, day.hour,
                last.hour, memoryAfterDay);
    std::printf("| Recording on disk per host-hour (the same) | **%.1f MB**; the recording keeps "
                "the last 24 h: %.0f MB at 24 h, %.0f MB at %d h (%+.2f MB per host-hour) | "
                "bounded |\n",
                diskPerHostHour, day.recordingMb, last.recordingMb, last.hour, diskAfterDay);
    std::fflush(stdout);
    return 0;
}

} // namespace twbench::bench
