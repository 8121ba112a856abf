#include "counterparsers.h"

#include "textscan.h"

#include <QCoreApplication>

namespace twbench {

namespace {

using namespace textscan;

// "TCP:" → "TCP"; empty when the token is not a "Name:" prefix.
QByteArrayView prefixName(QByteArrayView token)
{
    if (token.size() < 2 || !token.endsWith(':'))
        return {};
    return token.chopped(1);
}

QString translated(const char *reason)
{
    return QCoreApplication::translate("Parser", reason);
}

} // namespace

ParseReport parseSockstat(QByteArrayView text, KernelCounters &into)
{
    ParseReport report;
    LineReader lines(text);
    QByteArrayView line;
    while (lines.next(line)) {
        if (isBlankLine(line))
            continue;
        ++report.linesRead;
        const char *p = line.data();
        const char *end = p + line.size();
        const QByteArrayView prefix = prefixName(nextToken(p, end));
        if (prefix.isEmpty()) {
            report.reject(lines.lineNumber(),
                          translated(QT_TRANSLATE_NOOP("Parser", "expected \"NAME: key value …\"")),
                          line);
            continue;
        }
        // Validate the whole line before storing any of it: a line is used whole or not at all.
        QList<std::pair<QByteArrayView, std::int64_t>> pairs;
        const char *reason = nullptr;
        for (QByteArrayView key = nextToken(p, end); !key.isEmpty(); key = nextToken(p, end)) {
            std::int64_t value = 0;
            const QByteArrayView valueText = nextToken(p, end);
            if (valueText.isEmpty()) {
                reason = QT_TRANSLATE_NOOP("Parser", "a name without a value");
                break;
            }
            if (!signedDecimalToken(valueText, value)) {
                reason = QT_TRANSLATE_NOOP("Parser", "a value that is not a number");
                break;
            }
            pairs.append({key, value});
        }
        if (!reason && pairs.isEmpty())
            reason = QT_TRANSLATE_NOOP("Parser", "no counters on the line");
        if (reason) {
            report.reject(lines.lineNumber(), translated(reason), line);
            continue;
        }
        const QByteArray qualifiedPrefix = "sockstat." + prefix.toByteArray() + '.';
        for (const auto &[key, value] : pairs)
            into.values.insert(qualifiedPrefix + key.toByteArray(), value);
        ++report.linesUsed;
    }
    return report;
}

ParseReport parseSnmpStyle(QByteArrayView text, KernelCounters &into)
{
    ParseReport report;
    LineReader lines(text);
    QByteArrayView line;
    // The names line waiting for its values line.
    QByteArrayView pendingPrefix;
    QList<QByteArrayView> pendingNames;
    qsizetype pendingLineNumber = 0;
    QByteArrayView pendingLine;

    const auto rejectPendingNames = [&] {
        if (pendingPrefix.isEmpty())
            return;
        report.reject(pendingLineNumber,
                      translated(QT_TRANSLATE_NOOP("Parser", "counter names without values")),
                      pendingLine);
        pendingPrefix = {};
    };

    while (lines.next(line)) {
        if (isBlankLine(line))
            continue;
        ++report.linesRead;
        const char *p = line.data();
        const char *end = p + line.size();
        const QByteArrayView prefix = prefixName(nextToken(p, end));
        if (prefix.isEmpty()) {
            rejectPendingNames();
            report.reject(lines.lineNumber(),
                          translated(QT_TRANSLATE_NOOP("Parser", "expected \"Name: …\"")), line);
            continue;
        }
        QList<QByteArrayView> tokens;
        for (QByteArrayView token = nextToken(p, end); !token.isEmpty(); token = nextToken(p, end))
            tokens.append(token);

        if (pendingPrefix.isEmpty() || prefix != pendingPrefix) {
            // A names line. Values lines start with a number; a names line never does.
            rejectPendingNames();
            std::int64_t ignored = 0;
            if (tokens.isEmpty() || signedDecimalToken(tokens.first(), ignored)) {
                report.reject(
                    lines.lineNumber(),
                    translated(QT_TRANSLATE_NOOP("Parser", "counter values without names")), line);
                continue;
            }
            pendingPrefix = prefix;
            pendingNames = tokens;
            pendingLineNumber = lines.lineNumber();
            pendingLine = line;
            continue;
        }

        // The values line of the pending names.
        const QList<QByteArrayView> names = pendingNames;
        const qsizetype namesLineNumber = pendingLineNumber;
        pendingPrefix = {};
        ++report.linesSkipped; // the names line: a header
        Q_UNUSED(namesLineNumber);
        if (tokens.size() != names.size()) {
            report.reject(
                lines.lineNumber(),
                translated(QT_TRANSLATE_NOOP("Parser", "the number of values differs from the "
                                                       "number of names on the line before")),
                line);
            continue;
        }
        QList<std::int64_t> values;
        values.reserve(tokens.size());
        for (const QByteArrayView token : tokens) {
            std::int64_t value = 0;
            if (!signedDecimalToken(token, value))
                break;
            values.append(value);
        }
        if (values.size() != tokens.size()) {
            report.reject(lines.lineNumber(),
                          translated(QT_TRANSLATE_NOOP("Parser", "a value that is not a number")),
                          line);
            continue;
        }
        const QByteArray qualifiedPrefix = prefix.toByteArray() + '.';
        for (qsizetype i = 0; i < names.size(); ++i)
            into.values.insert(qualifiedPrefix + names[i].toByteArray(), values[i]);
        ++report.linesUsed;
    }
    rejectPendingNames();
    return report;
}

ParseReport parseProcStat(QByteArrayView text, ProcStat &into)
{
    ParseReport report;
    ProcStat stat;
    LineReader lines(text);
    QByteArrayView line;
    // user nice system idle: what the oldest kernels (2.4) print; later fields came one by one.
    constexpr int requiredCpuFields = 4;
    constexpr int knownCpuFields = 10;

    while (lines.next(line)) {
        if (isBlankLine(line))
            continue;
        ++report.linesRead;
        const char *p = line.data();
        const char *end = p + line.size();
        const QByteArrayView name = nextToken(p, end);

        if (name.startsWith("cpu")) {
            CpuTimes times;
            const QByteArrayView number = name.sliced(3);
            if (!number.isEmpty()) {
                std::uint64_t cpu = 0;
                if (!decimalToken(number, cpu) || cpu > 1u << 20) {
                    report.reject(lines.lineNumber(),
                                  translated(QT_TRANSLATE_NOOP("Parser", "bad CPU number")), line);
                    continue;
                }
                times.cpu = int(cpu);
            }
            std::uint64_t *const fields[knownCpuFields] = {
                &times.user, &times.nice,    &times.system, &times.idle,  &times.iowait,
                &times.irq,  &times.softirq, &times.steal,  &times.guest, &times.guestNice};
            int count = 0;
            bool numeric = true;
            // Fields after the tenth (a future kernel's) are read for validity and ignored.
            for (QByteArrayView token = nextToken(p, end); !token.isEmpty();
                 token = nextToken(p, end), ++count) {
                std::uint64_t value = 0;
                if (!decimalToken(token, value)) {
                    numeric = false;
                    break;
                }
                if (count < knownCpuFields)
                    *fields[count] = value;
            }
            if (!numeric || count < requiredCpuFields) {
                report.reject(
                    lines.lineNumber(),
                    translated(numeric ? QT_TRANSLATE_NOOP("Parser", "too few CPU time fields")
                                       : QT_TRANSLATE_NOOP("Parser", "a CPU time that is not a "
                                                                     "number")),
                    line);
                continue;
            }
            if (times.cpu < 0) {
                if (stat.valid) {
                    report.reject(lines.lineNumber(),
                                  translated(QT_TRANSLATE_NOOP("Parser", "a second \"cpu\" line")),
                                  line);
                    continue;
                }
                stat.all = times;
                stat.valid = true;
            } else {
                const bool repeated =
                    std::any_of(stat.perCpu.cbegin(), stat.perCpu.cend(),
                                [&](const CpuTimes &seen) { return seen.cpu == times.cpu; });
                if (repeated) {
                    report.reject(lines.lineNumber(),
                                  translated(QT_TRANSLATE_NOOP("Parser", "a CPU listed twice")),
                                  line);
                    continue;
                }
                stat.perCpu.append(times);
            }
            ++report.linesUsed;
            continue;
        }

        std::uint64_t *target = nullptr;
        if (name == "ctxt")
            target = &stat.contextSwitches;
        else if (name == "processes")
            target = &stat.processesCreated;
        if (!target) {
            ++report.linesSkipped; // intr, softirq, btime, procs_running, …
            continue;
        }
        std::uint64_t value = 0;
        if (!decimalToken(nextToken(p, end), value) || !nextToken(p, end).isEmpty()) {
            report.reject(lines.lineNumber(),
                          translated(QT_TRANSLATE_NOOP("Parser", "a value that is not a number")),
                          line);
            continue;
        }
        *target = value;
        ++report.linesUsed;
    }
    into = stat;
    return report;
}

} // namespace twbench
