#include "logsourcespec.h"

#include "hostspec.h"
#include "probeparameters.h"
#include "shellquote.h"

#include "model/accesslog/accesslogformat.h"

#include <QCoreApplication>
#include <QDate>

namespace twbench {

namespace {

// lupdate reads LogSourceSpecText::tr("…") calls; LogSourceSpec itself stays a plain value type.
struct LogSourceSpecText
{
    Q_DECLARE_TR_FUNCTIONS(LogSourceSpec)
};

const QString containerPrefix = QStringLiteral("container:");

bool isHexId(const QString &name)
{
    if (name.size() < 12 || name.size() > 64)
        return false;
    for (const QChar c : name) {
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F')))
            return false;
    }
    return true;
}

// Digits at text[at, at + count) as a number; -1 when any is not a digit.
int digits(QByteArrayView text, qsizetype at, qsizetype count)
{
    if (at + count > text.size())
        return -1;
    int value = 0;
    for (qsizetype i = at; i < at + count; ++i) {
        const char c = text[i];
        if (c < '0' || c > '9')
            return -1;
        value = value * 10 + (c - '0');
    }
    return value;
}

constexpr std::int64_t secondsPerDay = 86400;
constexpr std::int64_t nanosPerSecond = 1000000000;

std::int64_t floorDiv(std::int64_t a, std::int64_t b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

} // namespace

QString LogSourceSpec::id() const
{
    return kind == Kind::Container ? containerPrefix + path : path;
}

QString LogSourceSpec::validationError() const
{
    switch (kind) {
    case Kind::File:
        // Anything else goes: the path is one single-quoted word for the remote sh (or an argv
        // word locally), never code. Only a NUL cannot travel in a path at all.
        if (!path.startsWith(u'/'))
            return LogSourceSpecText::tr("The log file's path must be absolute (start with '/').");
        if (path.contains(QChar(0)))
            return LogSourceSpecText::tr("The log file's path must not contain a NUL character.");
        break;
    case Kind::Container:
        // docker's own rule for names, which a 12–64 character hex id also follows.
        if (!isHexId(path)) {
            if (const QString why = shell::containerNameError(path); !why.isEmpty())
                return why;
        }
        break;
    }
    QString why;
    if (!AccessLogFormat::fromSpec(format, &why))
        return LogSourceSpecText::tr("The log format \"%1\" cannot be used: %2").arg(format, why);
    return {};
}

DockerLogTime DockerLogTime::fromMs(std::int64_t epochMs)
{
    return {floorDiv(epochMs, 1000), int((epochMs - floorDiv(epochMs, 1000) * 1000) * 1000000)};
}

std::optional<DockerLogTime> DockerLogTime::take(QByteArrayView *line)
{
    // 2024-05-01T10:00:00.123456789Z or …+02:00, then one space.
    const QByteArrayView text = *line;
    const int year = digits(text, 0, 4);
    const int month = digits(text, 5, 2);
    const int day = digits(text, 8, 2);
    const int hour = digits(text, 11, 2);
    const int minute = digits(text, 14, 2);
    const int second = digits(text, 17, 2);
    if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 ||
        text.size() < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' ||
        text[13] != ':' || text[16] != ':')
        return std::nullopt;
    const QDate date(year, month, day);
    if (!date.isValid() || hour > 23 || minute > 59 || second > 60)
        return std::nullopt;
    qsizetype at = 19;
    int nanos = 0;
    if (text[at] == '.') {
        ++at;
        int count = 0;
        while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
            if (count < 9) {
                nanos = nanos * 10 + (text[at] - '0');
                ++count;
            }
            ++at;
        }
        if (count == 0)
            return std::nullopt;
        for (; count < 9; ++count)
            nanos *= 10;
    }
    std::int64_t offsetSeconds = 0;
    if (at < text.size() && text[at] == 'Z') {
        ++at;
    } else if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
        const int offsetHours = digits(text, at + 1, 2);
        const int offsetMinutes = digits(text, at + 4, 2);
        if (offsetHours < 0 || offsetMinutes < 0 || text[at + 3] != ':')
            return std::nullopt;
        offsetSeconds = (text[at] == '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
        at += 6;
    } else {
        return std::nullopt;
    }
    if (at >= text.size() || text[at] != ' ')
        return std::nullopt;
    const std::int64_t days = date.toJulianDay() - QDate(1970, 1, 1).toJulianDay();
    DockerLogTime time;
    time.seconds = days * secondsPerDay + hour * 3600 + minute * 60 + second - offsetSeconds;
    time.nanoseconds = nanos;
    *line = text.sliced(at + 1);
    return time;
}

QString DockerLogTime::sinceAfter() const
{
    std::int64_t nanos = std::int64_t(nanoseconds) + 1;
    const std::int64_t secs = seconds + nanos / nanosPerSecond;
    nanos %= nanosPerSecond;
    const std::int64_t days = floorDiv(secs, secondsPerDay);
    const std::int64_t timeOfDay = secs - days * secondsPerDay;
    const QDate date = QDate::fromJulianDay(QDate(1970, 1, 1).toJulianDay() + days);
    return QString::asprintf("%04d-%02d-%02dT%02d:%02d:%02d.%09dZ", date.year(), date.month(),
                             date.day(), int(timeOfDay / 3600), int(timeOfDay / 60 % 60),
                             int(timeOfDay % 60), int(nanos));
}

FollowCommand FollowCommand::forSource(const LogSourceSpec &source, const HostSpec &host)
{
    FollowCommand command;
    command.kind = source.kind;
    command.target = source.path;
    command.useSudo = host.useSudo;
    if (source.kind == LogSourceSpec::Kind::Container)
        command.dockerCommand = ProbeParameters::fromSpec(host).dockerCommand;
    return command;
}

QString FollowCommand::error() const
{
    LogSourceSpec source;
    source.kind = kind;
    source.path = target;
    source.format = QStringLiteral("combined");
    if (const QString why = source.validationError(); !why.isEmpty())
        return why;
    if (kind == LogSourceSpec::Kind::Container) {
        if (dockerCommand.isEmpty())
            return LogSourceSpecText::tr("The docker command must not be empty.");
        if (!since.isEmpty()) {
            if (const QString why = shell::plainWordError(since); !why.isEmpty())
                return why;
        }
    }
    return {};
}

QStringList FollowCommand::localArguments() const
{
    if (kind == LogSourceSpec::Kind::File) {
        // -F: by name, so a rotated log (renamed and created anew) and a log that appears later
        // are followed; -n 0: from its end, so what was logged before is not counted again;
        // -n 20000: the recent past first, once.
        return {QStringLiteral("tail"), QStringLiteral("-F"),
                QStringLiteral("-n"),   fileLines(),
                QStringLiteral("--"),   target};
    }
    QStringList words = dockerCommand;
    words += {QStringLiteral("logs"), QStringLiteral("-f"), QStringLiteral("--timestamps")};
    if (!since.isEmpty()) {
        words += {QStringLiteral("--since"), since};
    } else if (readHistory) {
        // Relative: docker (and podman) subtract it from the host's clock, which the lines'
        // stamps come from too.
        words += {QStringLiteral("--since"),
                  QString::number(historyWindowMs / 1000) + QStringLiteral("s"),
                  QStringLiteral("--tail"), QString::number(historyLines)};
    } else {
        words += {QStringLiteral("--tail"), QStringLiteral("0")};
    }
    words.append(target);
    return words;
}

QString FollowCommand::fileLines() const
{
    return readHistory ? QString::number(historyLines) : QStringLiteral("0");
}

QByteArray FollowCommand::remoteScript() const
{
    // Parsed by /bin/sh, never by the login shell; every value is one single-quoted word and is
    // used only as "$1" and the like, so a path such as `$(touch /tmp/x)` stays a path.
    QByteArray script = QByteArrayLiteral("LC_ALL=C\nexport LC_ALL\n");
    if (kind == LogSourceSpec::Kind::File) {
        script += "set -- " + shell::quote(QByteArrayView(target.toUtf8())) + '\n';
        script += "n=" + shell::quote(QByteArrayView(fileLines().toUtf8())) + '\n';
        // busybox (with its fancy tail), GNU, BSD and toybox tails know -F; one that does not
        // gets -f, which follows the file it opened but not its successor after a rotation.
        // busybox looks for a successor once a second and reads it from its end: what was
        // written to it within that second is missed.
        script += "f=-F\n"
                  "tail --help 2>&1 | grep -q -e -F || f=-f\n";
        if (useSudo) {
            // As the probe does: root when sudo allows it without a password, else this user.
            script += "if sudo -n /bin/sh -c : </dev/null >/dev/null 2>&1; then\n"
                      "    exec sudo -n tail \"$f\" -n \"$n\" -- \"$1\"\n"
                      "fi\n";
        }
        script += "exec tail \"$f\" -n \"$n\" -- \"$1\"\n";
        return script;
    }
    // The whole command as words: docker's, then localArguments()' own.
    script += "set -- " + shell::quoteWords(localArguments()) + '\n';
    script += "exec \"$@\" 2>&1\n";
    return script;
}

} // namespace twbench
