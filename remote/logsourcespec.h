#pragma once

#include "model/accesslog/accesslogaggregator.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>

namespace twbench {

struct HostSpec;

// One access log a host's worker follows beside the probe (HostSpec::logs): a file on the host
// (`tail -F`) or a container's output (`docker logs -f`). The path or name is data: it may hold
// spaces, quotes, `$(...)` or newlines and is never parsed by a shell as code (FollowCommand).
struct LogSourceSpec
{
    enum class Kind : std::uint8_t { File, Container };

    Kind kind = Kind::File;
    QString path; // Kind::File: an absolute path; Kind::Container: the container's name or id
    // AccessLogFormat::fromSpec(); "auto" reads combined and common lines alike.
    QString format = QStringLiteral("auto");

    // What LogWindow::sourceId says: the path, or "container:<name>".
    QString id() const;
    // Empty when the source can be followed; else the first problem, translated: a relative
    // path, a container name docker would not accept, a format that does not parse.
    QString validationError() const;
    bool isValid() const { return validationError().isEmpty(); }

    friend bool operator==(const LogSourceSpec &, const LogSourceSpec &) = default;
};

// An instant as `docker logs --timestamps` writes it before each line:
// "2024-05-01T10:00:00.123456789Z " (RFC 3339 with nanoseconds; an offset instead of Z is read
// too). The follower remembers the last one it saw, so that a follow opened again asks docker for
// the lines after it (--since) and counts none twice.
struct DockerLogTime
{
    std::int64_t seconds = 0; // since the epoch, UTC
    int nanoseconds = 0;      // 0–999999999

    static DockerLogTime fromMs(std::int64_t epochMs);
    // The timestamp at the start of `line` and the line after it (its space removed); nullopt
    // (and `line` untouched) when the line does not start with one: then it is docker's own
    // message ("Error response from daemon: …"), not the container's output.
    static std::optional<DockerLogTime> take(QByteArrayView *line);
    // This instant plus one nanosecond in docker's --since syntax,
    // "2024-05-01T10:00:00.123456790Z": docker's --since is inclusive, so the line seen last is not
    // sent again.
    QString sinceAfter() const;
    std::int64_t toMs() const { return seconds * 1000 + nanoseconds / 1000000; }

    friend auto operator<=>(const DockerLogTime &, const DockerLogTime &) = default;
};

// How one follow is run: for a workstation as an argv (no shell at all), for SSH as a short
// POSIX sh script sent on the stdin of `exec /bin/sh -s` (see SshTransport::openFollow()), in
// which every value is a single-quoted word. stdout is the log; for files stderr carries tail's
// messages ("cannot open … No such file or directory"); for containers both of docker's streams
// are the log (nginx images send the access log to stdout, many others to stderr) and come
// merged, each line after its --timestamps stamp; docker's own messages have no stamp.
//
// A follow opened for the first time may read back the log's recent past first (readHistory),
// so that the caller statistics have minutes of history at once (AccessLogAggregator's
// history): a file's last historyLines lines (`tail -F -n 20000`), a container's lines of the
// last historyWindowMs, at most historyLines of them (`docker logs --since 600s --tail 20000`:
// docker and podman take a relative --since on the host's own clock, and both limits hold
// together). A follow opened again starts at the end (files) or just after the last line
// counted (containers, `since`), as without it.
struct FollowCommand
{
    // The most lines a first open reads back. A bound on the work (each is parsed on the
    // worker's thread, in well under a second for all) and on the bytes on the wire (at about
    // 250 bytes a line, 5 MB at most, once per source and connection), yet ten minutes of a
    // server that logs 30 requests a second, and a minute of one that logs 300.
    static constexpr int historyLines = 20'000;
    // How far back a container's read-back reaches: as far as the history keeps.
    static constexpr std::int64_t historyWindowMs = AccessLogAggregator::historyWindowMs;

    LogSourceSpec::Kind kind = LogSourceSpec::Kind::File;
    QString target;            // the file's absolute path, or the container's name or id
    QStringList dockerCommand; // Container: {"docker"}, {"sudo", "-n", "docker"}, {"podman"}
    // Container: docker's --since, "2024-05-01T10:00:00.000000001Z"; empty: the lines written
    // from now on only (--tail 0), or the read-back when readHistory.
    QString since;
    // The first open: read back the recent past first (see above). `since` wins over it.
    bool readHistory = false;
    // File, over SSH: tail through `sudo -n` (logs under /var/log/nginx are often root's),
    // falling back to the login user when sudo refuses, as the probe does.
    bool useSudo = false;

    // The command for `source` on the host `host` (its docker command and sudo choice).
    static FollowCommand forSource(const LogSourceSpec &source, const HostSpec &host);

    // Empty when the command can run; else why not, translated.
    [[nodiscard]] QString error() const;
    // Program and arguments: {"tail", "-F", "-n", "0", "--", PATH} or
    // {"docker", "logs", "-f", "--timestamps", "--tail", "0", NAME}; with readHistory
    // "-n", "20000" or "--since", "600s", "--tail", "20000".
    QStringList localArguments() const;
    // The script for `/bin/sh -s` on the remote side (no sudo on a workstation).
    QByteArray remoteScript() const;
    // Both streams are the log (containers); else stderr is messages.
    bool mergesStderr() const { return kind == LogSourceSpec::Kind::Container; }

private:
    QString fileLines() const; // tail's -n
};

} // namespace twbench
