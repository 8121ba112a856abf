#include "cgroupcpu.h"

#include "parsers/textscan.h"

#include <QCoreApplication>
#include <QSet>

#include <algorithm>

namespace twbench {

namespace {

// The translation context of every string here: lupdate finds CgroupCpuText::tr() calls.
struct CgroupCpuText
{
    Q_DECLARE_TR_FUNCTIONS(twbench::ContainerCpuTime)
};

bool isContainerId(QByteArrayView id)
{
    if (id.isEmpty() || id.size() > 128)
        return false;
    for (const char c : id) {
        if (textscan::hexDigitValue(c) == 0xff)
            return false;
    }
    return true;
}

// A lower-case word of letters, digits and '-': how the probe names its sources and reasons.
bool isWord(QByteArrayView word)
{
    if (word.isEmpty() || word.size() > 32)
        return false;
    for (const char c : word) {
        if (!((c >= 'a' && c <= 'z') || textscan::isDigit(c) || c == '-'))
            return false;
    }
    return true;
}

CgroupMiss missOf(QByteArrayView word)
{
    if (word == "none")
        return CgroupMiss::NotFound;
    if (word == "root")
        return CgroupMiss::RootCgroup;
    if (word == "gone")
        return CgroupMiss::Gone;
    if (word == "unreadable")
        return CgroupMiss::Unreadable;
    return CgroupMiss::Other;
}

// Shorter intervals make the few ms between a sample's timestamp and its reads a big share.
constexpr std::int64_t minIntervalMs = 100;
// Over this much of cpuCount × 100 % is not jitter but a bad reading.
constexpr double jitterAllowance = 1.25;
// The kernel's largest NR_CPUS: the bound when the host's CPU count is unknown.
constexpr int maxCpus = 8192;

} // namespace

int ContainerCpuTime::cgroupVersion() const
{
    if (miss != CgroupMiss::None)
        return 0;
    if (source.startsWith(QLatin1String("v1-")))
        return 1;
    if (source.startsWith(QLatin1String("v2-")))
        return 2;
    return 0;
}

Parsed<QList<ContainerCpuTime>> parseCgroupCpu(QByteArrayView text)
{
    Parsed<QList<ContainerCpuTime>> result;
    QSet<QByteArray> seen;
    textscan::LineReader reader(text);
    QByteArrayView line;
    while (reader.next(line)) {
        if (textscan::isBlankLine(line))
            continue;
        ++result.report.linesRead;
        const char *p = line.data();
        const char *end = p + line.size();
        const QByteArrayView id = textscan::nextToken(p, end);
        const QByteArrayView value = textscan::nextToken(p, end);
        const QByteArrayView word = textscan::nextToken(p, end);
        const QByteArrayView extra = textscan::nextToken(p, end);
        std::uint64_t usec = 0;
        const bool missing = value == "-";
        if (!isContainerId(id) || !isWord(word) || !extra.isEmpty() ||
            (!missing && !textscan::decimalToken(value, usec))) {
            result.report.reject(
                reader.lineNumber(),
                CgroupCpuText::tr("expected \"<container id> <CPU microseconds> <source>\" or "
                                  "\"<container id> - <reason>\""),
                line);
            continue;
        }
        const QByteArray key = id.toByteArray();
        if (seen.contains(key)) {
            ++result.report.duplicates;
            continue;
        }
        seen.insert(key);
        ++result.report.linesUsed;
        ContainerCpuTime entry;
        entry.containerId = QString::fromLatin1(id);
        if (missing) {
            entry.miss = missOf(word);
        } else {
            entry.usageUsec = usec;
            entry.source = QString::fromLatin1(word);
        }
        result.value.append(std::move(entry));
    }
    return result;
}

QString cgroupMissText(CgroupMiss miss)
{
    switch (miss) {
    case CgroupMiss::None:
        return {};
    case CgroupMiss::NotFound:
        return CgroupCpuText::tr("no cgroup found for it: neither its process's /proc/<pid>/cgroup "
                                 "nor a docker or podman cgroup layout names it");
    case CgroupMiss::RootCgroup:
        return CgroupCpuText::tr("its process runs in the root cgroup, whose CPU use is the whole "
                                 "machine's, not the container's");
    case CgroupMiss::Gone:
        return CgroupCpuText::tr("its cgroup went away since the last inventory: the container "
                                 "stopped or was restarted");
    case CgroupMiss::Unreadable:
        return CgroupCpuText::tr("its cgroup's CPU counter could not be read");
    case CgroupMiss::Other:
        return CgroupCpuText::tr("the probe gave a reason this version does not know");
    }
    return {};
}

QHash<QString, double> containerCpuPercent(const QList<ContainerCpuTime> &before,
                                           std::int64_t beforeMs,
                                           const QList<ContainerCpuTime> &after,
                                           std::int64_t afterMs, int cpuCount)
{
    QHash<QString, double> percent;
    const std::int64_t intervalMs = afterMs - beforeMs;
    if (intervalMs < minIntervalMs)
        return percent;
    QHash<QString, std::uint64_t> earlier;
    earlier.reserve(before.size());
    for (const ContainerCpuTime &entry : before) {
        if (entry.usageUsec)
            earlier.insert(entry.containerId, *entry.usageUsec);
    }
    const double capacity = 100.0 * (cpuCount > 0 ? cpuCount : maxCpus);
    const double limit = cpuCount > 0 ? capacity * jitterAllowance : capacity;
    for (const ContainerCpuTime &entry : after) {
        if (!entry.usageUsec)
            continue;
        const auto it = earlier.constFind(entry.containerId);
        // '<' is intentional: an unchanged counter is an idle container, 0 %.
        if (it == earlier.cend() || *entry.usageUsec < *it)
            continue;
        // µs over ms: ×100 % / 1000.
        const double value = double(*entry.usageUsec - *it) / double(intervalMs) / 10.0;
        if (value > limit)
            continue;
        percent.insert(entry.containerId, std::min(value, capacity));
    }
    return percent;
}

} // namespace twbench
