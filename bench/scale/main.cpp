// twbench_scale: the scale benchmarks of issue 10 ("Performance at scale"), one program:
//   twbench_scale fleet   [--hosts 50] [--seconds 60] [--warm-up 10] [--time-waits 2000]
//   twbench_scale soak    [--hosts 2] [--hours 30] [--sockets 2000]
//   twbench_scale startup --executable build/release/twbench [--runs 7] [--platform xcb]
// bench/scale/run.sh runs all three and prints the README's rows. Each runs in a fresh HOME
// (a temporary folder): no configuration, hosts, settings or recordings of the machine's user
// are read or touched.

#include "scalebench.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace twbench::bench {

void isolateHome(const QString &root)
{
    qputenv("HOME", QFile::encodeName(root));
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(root + QStringLiteral("/config")));
    qputenv("XDG_DATA_HOME", QFile::encodeName(root + QStringLiteral("/data")));
    qputenv("XDG_CACHE_HOME", QFile::encodeName(root + QStringLiteral("/cache")));
    QDir().mkpath(root + QStringLiteral("/recordings"));
}

} // namespace twbench::bench

namespace {

int intOption(int argc, char **argv, const char *name, int fallback)
{
    for (int i = 2; i + 1 < argc; ++i) {
        if (std::strcmp(argv[i], name) == 0)
            return std::atoi(argv[i + 1]);
    }
    return fallback;
}

QString stringOption(int argc, char **argv, const char *name, const QString &fallback)
{
    for (int i = 2; i + 1 < argc; ++i) {
        if (std::strcmp(argv[i], name) == 0)
            return QString::fromLocal8Bit(argv[i + 1]);
    }
    return fallback;
}

int usage()
{
    std::fprintf(stderr, "usage: twbench_scale fleet|soak|startup [options]; see main.cpp\n");
    return 2;
}

} // namespace

int main(int argc, char **argv)
{
    using namespace twbench::bench;
    if (argc < 2)
        return usage();
    // Line by line, also into a file or a pipe: a run cut short still says how far it got.
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    const QByteArray command(argv[1]);
    QTemporaryDir home;
    if (!home.isValid())
        return 1;
    isolateHome(home.path());

    if (command == "startup") {
        QCoreApplication app(argc, argv);
        StartupOptions options;
        options.executable = stringOption(argc, argv, "--executable", options.executable);
        options.runs = std::max(1, intOption(argc, argv, "--runs", options.runs));
        options.platform = stringOption(argc, argv, "--platform", options.platform);
        options.dropCaches = intOption(argc, argv, "--drop-caches", 1) != 0;
        return runStartup(options);
    }
    if (command != "fleet" && command != "soak")
        return usage();

    // The real widgets, without a display.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("twbench"));
    QCoreApplication::setApplicationName(QStringLiteral("twbench"));
    if (command == "fleet") {
        FleetOptions options;
        options.hosts = std::clamp(intOption(argc, argv, "--hosts", options.hosts), 1, 200);
        options.measureSeconds =
            std::clamp(intOption(argc, argv, "--seconds", options.measureSeconds), 5, 3600);
        options.warmUpSeconds =
            std::clamp(intOption(argc, argv, "--warm-up", options.warmUpSeconds), 0, 600);
        options.timeWaits =
            std::clamp(intOption(argc, argv, "--time-waits", options.timeWaits), 0, 100000);
        return runFleet(options);
    }
    SoakOptions options;
    options.hosts = std::clamp(intOption(argc, argv, "--hosts", options.hosts), 1, 50);
    options.simulatedHours =
        std::clamp(intOption(argc, argv, "--hours", options.simulatedHours), 1, 24 * 31);
    options.tableSockets =
        std::clamp(intOption(argc, argv, "--sockets", options.tableSockets), 0, 200000);
    return runSoak(options);
}
