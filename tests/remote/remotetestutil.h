#pragma once

#include "lab/processes.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QStandardPaths>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <algorithm>

#include <unistd.h>

namespace twbench::test {

inline QByteArray readTestData(const QString &name)
{
    QFile file(QStringLiteral(TWBENCH_TEST_DATA_DIR "/") + name);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

// Runs the event loop until `done()` holds or `timeoutMs` passes; blocks on events, never
// sleeps. Returns done()'s last value.
template<typename Predicate>
bool waitUntil(Predicate done, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!done()) {
        if (deadline.hasExpired())
            return done();
        // Blocks until events come (processEvents(WaitForMoreEvents, ms) ignores the flag and
        // spins: a waiting test held a core and slowed the very work it measured). The loop
        // ends every 10 ms to look at `done` again.
        QEventLoop loop;
        QTimer::singleShot(int(std::clamp<qint64>(deadline.remainingTime(), 1, 10)), &loop,
                           &QEventLoop::quit);
        loop.exec();
    }
    return true;
}

// The processes whose parent is this test process (the probes we started and not yet reaped).
inline QList<int> childProcesses()
{
    return childrenByParent().value(int(::getpid()));
}

inline int threadCount()
{
    return int(QDir(QStringLiteral("/proc/self/task"))
                   .entryList(QDir::Dirs | QDir::NoDotAndDotDot)
                   .size());
}

inline QString findTool(const QString &name)
{
    return QStandardPaths::findExecutable(name);
}

} // namespace twbench::test
