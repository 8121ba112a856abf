#pragma once

#include "model/hostsample.h"
#include "model/snapshot.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QString>
#include <QTimer>

#include <cstdint>
#include <vector>

class QApplication;

namespace twbench::bench {

// What the view benchmarks (bench_views*.cpp) share: a widget application, the real table as a
// snapshot, and the samples a host would deliver.

// The QApplication of the run, made on first use: on the offscreen platform unless
// QT_QPA_PLATFORM says otherwise, with settings in Qt's test location (the benchmarks never
// touch the operator's own). Leaked on purpose: it must outlive every benchmark and every
// static that holds a widget.
QApplication *guiApplication();

// CPU time of the calling thread, in milliseconds: the GUI thread's own work, without the
// time it waited in the event loop or was not scheduled (the machine runs other builds).
double threadCpuMs();

// benchTables()'s `ss -Htan` text, parsed, as the table of host `hostId`.
SnapshotPtr realTable(const QString &hostId);

// `count` tables, each the one before with `churnPercent` of its sockets replaced by new ones
// (their TIME_WAIT ran out, others arrived): what successive probe samples of a busy host look
// like. The first is `base` itself.
std::vector<SnapshotPtr> churnedTables(const SnapshotPtr &base, int count, int churnPercent);

// A sample of `hostId` at `epochMs` with plausible counters; with `table` when given.
HostSamplePtr sampleAt(const QString &hostId, std::uint64_t sequence, std::int64_t epochMs,
                       SnapshotPtr table = {});

// Runs the event loop (blocked in poll while there is nothing to do, so the GUI thread's CPU
// time counts only work, and no sleep rounds the wall time up) until `done` holds, checking
// every millisecond; false when `timeoutMs` passed first.
template<typename Done>
bool runUntil(Done done, int timeoutMs = 60000)
{
    QElapsedTimer clock;
    clock.start();
    QEventLoop loop;
    QTimer check;
    check.setInterval(1);
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (done() || clock.hasExpired(timeoutMs))
            loop.quit();
    });
    check.start();
    if (!done())
        loop.exec();
    return done();
}

} // namespace twbench::bench
