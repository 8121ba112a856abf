// 50 hosts streaming at once (issue 10, part 3): a real sshd on 127.0.0.1
// (tests/lab/sshdfixture) and 50 host entries that are aliases of it, watched by the real stack:
// Workbench → Fleet → one HostWorker thread and one SSH session per host, the MainWindow with
// every view (offscreen), the findings runner and the capture recorder. Once every host streams
// and a warm-up has passed, the CPU this process uses over the window (getrusage: every thread)
// is the figure, as a fraction of one core; the sshd side (the listener, its 50 sessions and the
// probes below them) is measured apart from /proc. The goal: under one core.

#include "procstats.h"
#include "scalebench.h"

#include "gui/capturerecorder.h"
#include "gui/mainwindow.h"
#include "gui/workbench.h"
#include "lab/sshdfixture.h"
#include "lab/timewaitlab.h"
#include "model/hostsample.h"
#include "remote/sshtestutil.h"
#include "remote/timergapprobe.h"

#include <QApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTimer>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

namespace twbench::bench {

namespace {

// Keeps about `count` real TIME_WAIT sockets on a random 127.A.B.0/24 (a server that closes
// first, tests/lab/timewaitlab), so every alias reports a table of the incident's kind: the
// kernel ends each after 60 s, so a 60th of them is made again every second. On a thread of
// its own; stops when destroyed, and after an hour in any case.
class TimeWaitPile
{
public:
    explicit TimeWaitPile(int count)
    {
        if (count <= 0)
            return;
        m_thread = std::thread([this, count] {
            const QByteArray subnet = test::randomLoopbackSubnet();
            test::TimeWaitLab lab(subnet + '1');
            if (!lab.listen())
                return;
            using namespace std::chrono_literals;
            lab.makeTimeWaits(count, {subnet + '2', subnet + '3'}, 30s);
            m_ready = true;
            const auto end = std::chrono::steady_clock::now() + 1h;
            while (!m_stop && std::chrono::steady_clock::now() < end) {
                const auto next = std::chrono::steady_clock::now() + 1s;
                lab.makeTimeWaits(std::max(1, count / 60), {subnet + '2', subnet + '3'}, 900ms);
                std::this_thread::sleep_until(next);
            }
        });
    }
    ~TimeWaitPile()
    {
        m_stop = true;
        if (m_thread.joinable())
            m_thread.join();
    }
    Q_DISABLE_COPY_MOVE(TimeWaitPile)
    bool ready() const { return m_ready; }

private:
    std::thread m_thread;
    std::atomic<bool> m_stop = false;
    std::atomic<bool> m_ready = false;
};

// Runs the event loop for `ms`, or until `done()` holds (checked every 100 ms).
template<typename Predicate>
bool runFor(qint64 ms, Predicate done)
{
    QDeadlineTimer deadline(ms);
    QEventLoop loop;
    QTimer check;
    check.setInterval(100);
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (done() || deadline.hasExpired())
            loop.quit();
    });
    check.start();
    loop.exec();
    return done();
}

// What the recording spends its bytes on, from a saved copy: the socket tables (per socket),
// their grouped snapshots, the per-second samples.
void printRecordingBreakdown(const QString &path)
{
    const QString name = QStringLiteral("fleet-breakdown");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (db.open()) {
            QSqlQuery query(db);
            if (query.exec(QStringLiteral(
                    "SELECT (SELECT COUNT(*) FROM tables), (SELECT SUM(socket_count) FROM tables), "
                    "(SELECT SUM(LENGTH(data)) FROM tables), (SELECT SUM(LENGTH(data)) FROM "
                    "\"groups\"), (SELECT COUNT(*) FROM samples), (SELECT SUM(LENGTH(data)) FROM "
                    "samples), (SELECT COUNT(*) FROM findings), (SELECT SUM(LENGTH(data)) FROM "
                    "findings)")) &&
                query.next()) {
                const double tables = query.value(0).toDouble();
                const double sockets = query.value(1).toDouble();
                std::printf("fleet: recording: %.0f tables, %.1f bytes a socket; groups %.0f "
                            "bytes a table; %.0f samples, %.0f bytes each\n",
                            tables, sockets > 0 ? query.value(2).toDouble() / sockets : 0,
                            tables > 0 ? query.value(3).toDouble() / tables : 0,
                            query.value(4).toDouble(),
                            query.value(4).toDouble() > 0
                                ? query.value(5).toDouble() / query.value(4).toDouble()
                                : 0);
                std::printf("fleet: recording: %.0f findings records, %.0f bytes each\n",
                            query.value(6).toDouble(),
                            query.value(6).toDouble() > 0
                                ? query.value(7).toDouble() / query.value(6).toDouble()
                                : 0);
            }
        }
    }
    QSqlDatabase::removeDatabase(name);
}

} // namespace

int runFleet(const FleetOptions &options)
{
    if (const QString why = test::SshdFixture::unavailableReason(); !why.isEmpty()) {
        std::printf("fleet: cannot run: %s\n", qPrintable(why));
        return 1;
    }
    test::SshdFixture sshd;
    QString error;
    if (!sshd.start(&error)) {
        std::printf("fleet: sshd did not start: %s\n", qPrintable(error));
        return 1;
    }
    // The workbench's fleet uses the operator's known_hosts: this process's HOME is a fresh
    // folder (isolateHome()), so it trusts this sshd and nothing else.
    QDir().mkpath(QDir::homePath() + QStringLiteral("/.ssh"));
    QFile knownHosts(QDir::homePath() + QStringLiteral("/.ssh/known_hosts"));
    if (!knownHosts.open(QIODevice::WriteOnly) ||
        knownHosts.write(sshd.knownHostsLine() + '\n') <= 0) {
        std::printf("fleet: cannot write %s\n", qPrintable(knownHosts.fileName()));
        return 1;
    }
    knownHosts.close();

    TimeWaitPile pile(options.timeWaits);
    if (options.timeWaits > 0 && !runFor(40 * 1000, [&] { return pile.ready(); })) {
        std::printf("fleet: could not make %d TIME_WAIT sockets\n", options.timeWaits);
        return 1;
    }

    Workbench workbench;
    MainWindow window(&workbench);
    const QString recording = QDir::homePath() + QStringLiteral("/recordings/fleet-bench.twbench");
    if (!window.startRecording(recording, &error)) {
        std::printf("fleet: not recording: %s\n", qPrintable(error));
        return 1;
    }
    window.show();

    QHash<QString, int> samplesByHost;
    QElapsedTimer sinceFirstSample;
    qint64 samples = 0;
    qint64 tables = 0;
    qint64 sockets = 0;
    QObject::connect(&workbench, &Workbench::sampleArrived, &workbench,
                     [&](const QString &hostId, const HostSamplePtr &sample) {
                         ++samplesByHost[hostId];
                         if (!sinceFirstSample.isValid())
                             sinceFirstSample.start();
                         ++samples;
                         if (sample->table) {
                             ++tables;
                             sockets += qint64(sample->table->sockets.size());
                         }
                     });

    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < options.hosts; ++i) {
        // Sampling as the product's defaults have it: counters every second, the table every
        // 2 s (stretched by the probe for big tables).
        workbench.addHost(
            test::sshSpec(sshd, QStringLiteral("alias-%1").arg(i, 2, 10, QLatin1Char('0'))));
    }
    const auto allStreaming = [&] {
        if (samplesByHost.size() < options.hosts)
            return false;
        for (const int count : std::as_const(samplesByHost)) {
            if (count < 2)
                return false;
        }
        return true;
    };
    if (!runFor(120 * 1000, allStreaming)) {
        std::printf("fleet: only %lld of %d hosts streamed within 120 s\n",
                    static_cast<long long>(samplesByHost.size()), options.hosts);
        return 1;
    }
    const double connectSeconds = double(clock.elapsed()) / 1000;
    std::printf("fleet: all streaming: rss %.1f MB, heap %.1f MB\n",
                double(statusBytes("VmRSS")) / 1e6, double(heapInUseBytes()) / 1e6);
    runFor(qint64(options.warmUpSeconds) * 1000, [] { return false; });
    std::printf("fleet: after the warm-up: rss %.1f MB, heap %.1f MB\n",
                double(statusBytes("VmRSS")) / 1e6, double(heapInUseBytes()) / 1e6);

    // The window.
    const qint64 samplesBefore = samples;
    const qint64 tablesBefore = tables;
    const qint64 socketsBefore = sockets;
    const double selfBefore = selfCpuSeconds();
    const QMap<QString, double> threadsBefore = threadCpuSeconds();
    const double sshdBefore = treeCpuSeconds(int(sshd.pid()));
    QElapsedTimer wall;
    wall.start();
    test::TimerGapProbe lateness;
    runFor(qint64(options.measureSeconds) * 1000, [] { return false; });
    const double seconds = double(wall.nsecsElapsed()) / 1e9;
    const double selfCores = (selfCpuSeconds() - selfBefore) / seconds;
    const double sshdCores = (treeCpuSeconds(int(sshd.pid())) - sshdBefore) / seconds;
    const QMap<QString, double> threadsAfter = threadCpuSeconds();
    const double samplesPerSecond = double(samples - samplesBefore) / seconds;
    const double tablesPerSecond = double(tables - tablesBefore) / seconds;
    const double socketsPerTable =
        tables > tablesBefore ? double(sockets - socketsBefore) / double(tables - tablesBefore) : 0;
    int streaming = 0;
    for (const QString &id : workbench.hostIds())
        streaming += workbench.status(id).state == HostState::Streaming ? 1 : 0;

    std::printf("fleet: %d hosts streaming after %.1f s; measured over %.1f s\n", streaming,
                connectSeconds, seconds);
    std::printf("fleet: samples %.1f/s, tables %.1f/s (%.0f sockets each)\n", samplesPerSecond,
                tablesPerSecond, socketsPerTable);
    std::printf("fleet_workstation_cores = %.3f\n", selfCores);
    for (auto it = threadsAfter.cbegin(); it != threadsAfter.cend(); ++it) {
        const double used = (it.value() - threadsBefore.value(it.key())) / seconds;
        if (used >= 0.001)
            std::printf("fleet:   thread %-20s %.3f cores\n", qPrintable(it.key()), used);
    }
    std::printf("fleet_sshd_and_probes_cores = %.3f\n", sshdCores);
    std::printf("fleet_gui_timer_late_ms = %lld\n",
                static_cast<long long>(lateness.maxLatenessMs()));
    // What the recording holds per host-hour, from a saved copy (the live file's write-ahead
    // log swings by megabytes between checkpoints). The hosts came in over the first seconds:
    // counted from the first sample, this is a little low.
    const QString savedCopy = QDir::homePath() + QStringLiteral("/fleet-saved.twbench");
    const double recordedSeconds = double(sinceFirstSample.elapsed()) / 1000;
    double recordingPerHostHour = 0;
    if (window.recorder()->saveAndWait(savedCopy, &error)) {
        printRecordingBreakdown(savedCopy);
        recordingPerHostHour =
            double(QFileInfo(savedCopy).size()) / options.hosts / recordedSeconds * 3600;
    }
    std::printf("fleet_rss_mb = %.1f\n", double(statusBytes("VmRSS")) / 1e6);
    std::printf("fleet_heap_mb = %.1f\n", double(heapInUseBytes()) / 1e6);
    std::printf("fleet_recording_mb_per_host_hour = %.1f\n", recordingPerHostHour / 1e6);
    const QByteArray tableKind = options.timeWaits > 0 ? QByteArray::number(options.timeWaits) +
                                                             " TIME_WAITs kept on loopback"
                                                       : QByteArray("the machine's own sockets");
    std::printf("\n| %d hosts streaming at once (aliases of one sshd on 127.0.0.1, %s; "
                "MainWindow offscreen, recording) | **%.2f of one core** for twbench (%.0f "
                "samples/s, %.0f tables/s of %.0f sockets; %.0f MB resident; recording %.0f MB per "
                "host-hour); sshd + probes %.2f cores; GUI thread at most %lld ms late | under one "
                "core |\n",
                options.hosts, tableKind.constData(), selfCores, samplesPerSecond, tablesPerSecond,
                socketsPerTable, double(statusBytes("VmRSS")) / 1e6, recordingPerHostHour / 1e6,
                sshdCores, static_cast<long long>(lateness.maxLatenessMs()));
    std::fflush(stdout);
    return streaming == options.hosts ? 0 : 1;
}

} // namespace twbench::bench
