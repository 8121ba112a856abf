#include "procstats.h"

#include "lab/sshdfixture.h"

#include <QDir>
#include <QFile>

#include <algorithm>
#include <ctime>

#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

namespace twbench::bench {

namespace {

double ticksToSeconds(std::uint64_t ticks)
{
    static const double perSecond = double(::sysconf(_SC_CLK_TCK));
    return double(ticks) / perSecond;
}

struct StatLine
{
    QString name;
    std::uint64_t utime = 0, stime = 0, cutime = 0, cstime = 0;
    bool valid = false;
};

// "pid (comm) state ppid …": comm may hold spaces and parentheses, so the fields are counted
// after the last ')'. utime is field 14, stime 15, cutime 16, cstime 17 (proc(5)).
StatLine readStat(const QString &path)
{
    StatLine line;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return line;
    const QByteArray text = file.readAll();
    const qsizetype open = text.indexOf('(');
    const qsizetype close = text.lastIndexOf(')');
    if (open < 0 || close < open)
        return line;
    line.name = QString::fromUtf8(text.mid(open + 1, close - open - 1));
    const QList<QByteArray> fields = text.mid(close + 2).split(' ');
    // fields[0] is field 3 (state): field N is fields[N - 3].
    if (fields.size() < 15)
        return line;
    line.utime = fields[14 - 3].toULongLong();
    line.stime = fields[15 - 3].toULongLong();
    line.cutime = fields[16 - 3].toULongLong();
    line.cstime = fields[17 - 3].toULongLong();
    line.valid = true;
    return line;
}

} // namespace

double selfCpuSeconds()
{
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval &t) {
        return double(t.tv_sec) + double(t.tv_usec) / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

QMap<QString, double> threadCpuSeconds()
{
    QMap<QString, double> byName;
    const QStringList tasks =
        QDir(QStringLiteral("/proc/self/task")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &task : tasks) {
        const StatLine line = readStat(QStringLiteral("/proc/self/task/%1/stat").arg(task));
        if (!line.valid)
            continue;
        // The kernel keeps 15 characters of a thread's name: "twbench-host-al".
        const QString name = line.name.startsWith(QLatin1String("twbench-host"))
                                 ? QStringLiteral("host workers")
                             : task.toInt() == ::getpid() ? QStringLiteral("GUI thread")
                                                          : line.name;
        byName[name] += ticksToSeconds(line.utime + line.stime);
    }
    return byName;
}

double treeCpuSeconds(int pid)
{
    double seconds = 0;
    QList<int> pids = test::descendantProcesses(pid);
    pids.prepend(pid);
    for (const int each : std::as_const(pids)) {
        const StatLine line = readStat(QStringLiteral("/proc/%1/stat").arg(each));
        if (line.valid)
            seconds += ticksToSeconds(line.utime + line.stime + line.cutime + line.cstime);
    }
    return seconds;
}

std::int64_t statusBytes(const char *field)
{
    QFile file(QStringLiteral("/proc/self/status"));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray prefix = QByteArray(field) + ':';
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').value(0).toLongLong() * 1024;
    }
    return -1;
}

std::int64_t heapInUseBytes()
{
    const struct mallinfo2 info = ::mallinfo2();
    return std::int64_t(info.uordblks + info.hblkhd);
}

std::int64_t monotonicNs()
{
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    return std::int64_t(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

double median(QList<double> values)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const qsizetype middle = values.size() / 2;
    return values.size() % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

} // namespace twbench::bench
