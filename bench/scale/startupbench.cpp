// Cold start (issue 10, part 5): the release build of twbench started with no configuration
// (a fresh HOME and XDG folders each run: it opens on this workstation through LocalTransport,
// records, and shows the first start's offer), timed from just before the launch to the moment
// its window is interactive. The executable tells that moment itself when
// TWBENCH_STARTUP_PROBE=1 (gui/main.cpp): painted once, then the event loop with nothing left
// to do. Both sides read CLOCK_MONOTONIC. Before the first run the page cache is dropped when
// this process may (root): that run is cold; the others find the libraries cached, as a
// second start does. The figure is the median of all runs; the first is shown apart.

#include "procstats.h"
#include "scalebench.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QMap>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>

#include <cstdio>

#include <unistd.h>

namespace twbench::bench {

namespace {

// The steps the executable marks, in order (gui/main.cpp).
const QList<QByteArray> steps = {"main",  "application", "window",
                                 "shown", "painted",     "interactive"};

bool dropPageCache()
{
    ::sync();
    QFile drop(QStringLiteral("/proc/sys/vm/drop_caches"));
    return drop.open(QIODevice::WriteOnly) && drop.write("3\n") == 2;
}

// An X server of our own when the xcb platform is asked for and there is no display.
class Xvfb
{
public:
    ~Xvfb()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate();
            if (!m_process.waitForFinished(3000))
                m_process.kill();
            m_process.waitForFinished(2000);
        }
    }
    QString start()
    {
        for (int display = 91; display < 99; ++display) {
            if (QFileInfo::exists(QStringLiteral("/tmp/.X11-unix/X%1").arg(display)))
                continue;
            m_process.start(QStringLiteral("Xvfb"),
                            {QStringLiteral(":%1").arg(display), QStringLiteral("-screen"),
                             QStringLiteral("0"), QStringLiteral("1920x1080x24"),
                             QStringLiteral("-nolisten"), QStringLiteral("tcp")});
            if (!m_process.waitForStarted(5000))
                return {};
            QDeadlineTimer deadline(5000);
            while (!deadline.hasExpired()) {
                if (QFileInfo::exists(QStringLiteral("/tmp/.X11-unix/X%1").arg(display)))
                    return QStringLiteral(":%1").arg(display);
                QThread::msleep(20);
            }
            return {};
        }
        return {};
    }

private:
    QProcess m_process;
};

} // namespace

int runStartup(const StartupOptions &options)
{
    if (!QFileInfo(options.executable).isExecutable()) {
        std::printf("startup: no executable at %s\n", qPrintable(options.executable));
        return 1;
    }
    Xvfb xvfb;
    QString display = qEnvironmentVariable("DISPLAY");
    if (options.platform == u"xcb" && display.isEmpty()) {
        display = xvfb.start();
        if (display.isEmpty()) {
            std::printf("startup: Xvfb did not start\n");
            return 1;
        }
    }

    QMap<QByteArray, QList<double>> stepMs; // since the launch
    QList<double> interactiveMs;
    bool coldFirst = false;
    for (int run = 0; run < options.runs; ++run) {
        QTemporaryDir home;
        if (!home.isValid())
            return 1;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("HOME"), home.path());
        environment.insert(QStringLiteral("XDG_CONFIG_HOME"),
                           home.filePath(QStringLiteral("config")));
        environment.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
        environment.insert(QStringLiteral("XDG_CACHE_HOME"),
                           home.filePath(QStringLiteral("cache")));
        environment.insert(QStringLiteral("TWBENCH_STARTUP_PROBE"), QStringLiteral("1"));
        environment.insert(QStringLiteral("QT_QPA_PLATFORM"), options.platform);
        if (!display.isEmpty())
            environment.insert(QStringLiteral("DISPLAY"), display);
        QProcess process;
        process.setProcessEnvironment(environment);
        process.setStandardOutputFile(QProcess::nullDevice());
        if (run == 0 && options.dropCaches)
            coldFirst = dropPageCache();
        const std::int64_t launchedNs = monotonicNs();
        process.start(options.executable, {});
        if (!process.waitForFinished(30000)) {
            process.kill();
            process.waitForFinished(3000);
            std::printf("startup: run %d did not become interactive within 30 s\n", run);
            return 1;
        }
        const QByteArray output = process.readAllStandardError();
        const qsizetype at = output.indexOf("twbench-startup: ");
        if (at < 0) {
            std::printf("startup: run %d printed no start-up line:\n%s\n", run,
                        output.right(2000).constData());
            return 1;
        }
        const QByteArray line = output.mid(at).split('\n').first();
        QMap<QByteArray, double> marks;
        for (const QByteArray &field : line.mid(17).split(' ')) {
            const qsizetype equals = field.indexOf('=');
            if (equals > 0)
                marks.insert(field.left(equals),
                             double(field.mid(equals + 1).toLongLong() - launchedNs) / 1e6);
        }
        if (!marks.contains("interactive"))
            return 1;
        std::printf("startup: run %d%s:", run,
                    run == 0 && coldFirst ? " (page cache dropped)" : "");
        for (const QByteArray &step : steps) {
            std::printf(" %s %.0f ms", step.constData(), marks.value(step));
            stepMs[step].append(marks.value(step));
        }
        std::printf("\n");
        interactiveMs.append(marks.value("interactive"));
    }

    std::printf("startup: medians over %d runs, from the launch:", options.runs);
    for (const QByteArray &step : steps)
        std::printf(" %s %.0f ms", step.constData(), median(stepMs.value(step)));
    std::printf("\nstartup_interactive_ms = %.0f\n", median(interactiveMs));
    std::printf("startup_first_run_ms = %.0f\n", interactiveMs.value(0));
    std::printf(
        "\n| Cold start to an interactive window (no configuration; %s; median of %d) | "
        "**%.2f s** (first run%s: %.2f s); from the launch: main() at %.0f ms, QApplication "
        "ready %.0f ms, main window built %.0f ms, first paint %.0f ms | ≤ 1 s |\n",
        qPrintable(options.platform == u"xcb" ? QStringLiteral("xcb on Xvfb") : options.platform),
        options.runs, median(interactiveMs) / 1000, coldFirst ? ", page cache dropped" : "",
        interactiveMs.value(0) / 1000, median(stepMs.value("main")),
        median(stepMs.value("application")), median(stepMs.value("window")),
        median(stepMs.value("painted")));
    std::fflush(stdout);
    return 0;
}

} // namespace twbench::bench
