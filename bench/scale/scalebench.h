#pragma once

// The scale benchmarks of issue 10 (bench/scale/README in the header of each file): each
// prints its figures as "name = value unit" lines and a Markdown table for the README, and
// returns 0 when it ran (whether or not a goal was met: the table says that), 1 when it could
// not run.

#include <QString>
#include <QStringList>

namespace twbench::bench {

struct FleetOptions
{
    int hosts = 50;
    int measureSeconds = 60;
    int warmUpSeconds = 10;
    int timeWaits = 0; // real TIME_WAIT sockets kept on loopback: every table holds them
};
// 50 SSH hosts (aliases of one sshd on 127.0.0.1) streaming into the real stack: Workbench,
// MainWindow (offscreen) and the capture recorder. Needs a QApplication.
int runFleet(const FleetOptions &options);

struct SoakOptions
{
    int hosts = 2;
    int simulatedHours = 30;
    int tableSockets = 2000;
    int tableEverySeconds = 5;
};
// Compressed time: `simulatedHours` of samples for `hosts` hosts through the Workbench, the
// MainWindow's views and the recorder, as fast as they take them; memory and the recording's
// size every simulated hour. Needs a QApplication.
int runSoak(const SoakOptions &options);

struct StartupOptions
{
    QString executable; // the release build's twbench
    int runs = 7;
    QString platform =
        QStringLiteral("offscreen"); // or "xcb" (under Xvfb when there is no display)
    bool dropCaches = true; // before the first run, when /proc/sys/vm/drop_caches is writable
};
// Cold start of the real executable to an interactive window, with no configuration (a fresh
// HOME each run). Needs a QCoreApplication.
int runStartup(const StartupOptions &options);

// A fresh HOME and XDG folders for this process, under `root`: no configuration, no hosts, no
// known_hosts but what the benchmark writes.
void isolateHome(const QString &root);

} // namespace twbench::bench
