// Following access logs beside the probe, for real: `tail -F` on files in a temporary directory
// (appends, a logrotate-style rename and recreate, a copytruncate, a 1 MB line, a missing file, a
// path full of shell syntax), the stand-in docker CLI for a container's log, a real nginx on
// 127.0.0.1, and the same over SSH against the throwaway sshd with the probe streaming on the same
// session. Every wait is bounded and polls; nothing sleeps.
#include "remotetestutil.h"

#include "lab/scopedenv.h"
#include "sshtestutil.h"

#include "model/accesslog/accesslogaggregator.h"
#include "model/accesslog/accesslogstats.h"
#include "model/timeline.h"
#include "remote/hoststore.h"
#include "remote/hostworker.h"
#include "remote/linesplitter.h"
#include "remote/localtransport.h"
#include "remote/logsourcespec.h"
#include "remote/shellquote.h"
#include "remote/sshtransport.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTimeZone>
#include <QTimer>

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <csignal>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

using namespace twbench;
using namespace twbench::test;

namespace {

// $time_local, in UTC.
QByteArray timeLocal(std::int64_t epochMs)
{
    return QDateTime::fromMSecsSinceEpoch(epochMs, QTimeZone::utc())
               .toString(QStringLiteral("dd/MMM/yyyy:HH:mm:ss"))
               .toLatin1() +
           " +0000";
}

// Older than the history a first follow reads back keeps (AccessLogAggregator::
// historyWindowMs): lines that were there before the follow and are not counted.
const QByteArray longAgo = "01/May/2024:10:00:00 +0000";

// A line as a server writes it: logged now, unless `time` ($time_local) says otherwise.
QByteArray combinedLine(QByteArrayView path, int status = 200, QByteArrayView agent = "curl/8.1",
                        QByteArrayView time = {})
{
    const QByteArray when =
        time.isEmpty() ? timeLocal(QDateTime::currentMSecsSinceEpoch()) : time.toByteArray();
    return "10.1.2.3 - - [" + when + "] \"GET " + path.toByteArray() + " HTTP/1.1\" " +
           QByteArray::number(status) + " 12 \"-\" \"" + agent.toByteArray() + "\"\n";
}

bool appendTo(const QString &path, const QByteArray &data)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append))
        return false;
    return file.write(data) == data.size() && file.flush();
}

QByteArray lines(QByteArrayView path, int count, QByteArrayView time = {})
{
    QByteArray text;
    for (int i = 0; i < count; ++i)
        text += combinedLine(path, 200, "curl/8.1", time);
    return text;
}

// A directory path that is valid, absolute and full of what a shell would run or split.
QString hostilePath(const QTemporaryDir &dir, QString *marker)
{
    *marker = dir.filePath(QStringLiteral("marker"));
    return dir.path() + QStringLiteral("/q'uote $(touch ") + *marker + QStringLiteral(") `touch ") +
           *marker + QStringLiteral("`\nline/access log");
}

// What a worker said, and the sums of its log windows per source.
struct WorkerRecorder
{
    explicit WorkerRecorder(HostWorker &worker)
    {
        QObject::connect(&worker, &HostWorker::statusChanged, &worker,
                         [this](const HostStatus &status) { statuses.append(status); });
        QObject::connect(&worker, &HostWorker::sampleReady, &worker,
                         [this](const HostSamplePtr &sample) { samples.append(sample); });
    }

    // Requests of `path` (normalized) that `sourceId` counted, over every window so far.
    std::int64_t count(const QString &sourceId, const QString &path) const
    {
        std::int64_t sum = 0;
        for (const HostSamplePtr &sample : samples) {
            for (const LogWindow &window : sample->logs) {
                if (window.sourceId != sourceId)
                    continue;
                for (const RequestCount &request : window.keys)
                    sum += request.key.path == path ? request.count : 0;
            }
        }
        return sum;
    }
    std::int64_t total(const QString &sourceId,
                       std::int64_t LogWindow::*field = &LogWindow::requests) const
    {
        std::int64_t sum = 0;
        for (const HostSamplePtr &sample : samples) {
            for (const LogWindow &window : sample->logs)
                sum += window.sourceId == sourceId ? window.*field : 0;
        }
        return sum;
    }
    std::optional<LogWindow> lastWindow(const QString &sourceId) const
    {
        if (samples.isEmpty())
            return std::nullopt;
        for (const LogWindow &window : samples.last()->logs) {
            if (window.sourceId == sourceId)
                return window;
        }
        return std::nullopt;
    }
    QString lastError(const QString &sourceId) const
    {
        const std::optional<LogWindow> window = lastWindow(sourceId);
        return window ? window->error : QString();
    }
    qsizetype count(HostState state) const
    {
        return std::count_if(statuses.begin(), statuses.end(),
                             [state](const HostStatus &s) { return s.state == state; });
    }

    QList<HostStatus> statuses;
    QList<HostSamplePtr> samples;
};

// waitUntil() with a 50 ms tick, for predicates that act (append a line) and then look: they
// run again even when nothing else happens.
template<typename Predicate>
bool pollUntil(Predicate done, int timeoutMs)
{
    QTimer tick;
    tick.start(50);
    return waitUntil(done, timeoutMs);
}

// Runs a follow's remote script with this machine's /bin/sh as sshd would (`exec /bin/sh -s`, the
// script on stdin), `binDir` first in PATH; appends "line" to `path` until it comes out.
struct ScriptRun
{
    bool followed = false;
    QByteArray out;
    QByteArray err;
};

ScriptRun runFollowScript(const FollowCommand &command, const QString &path,
                          const QString &binDir = {})
{
    ScriptRun run;
    QProcess shell;
    shell.setChildProcessModifier([] { ::setpgid(0, 0); });
    if (!binDir.isEmpty()) {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("PATH"),
                           binDir + u':' + environment.value(QStringLiteral("PATH")));
        shell.setProcessEnvironment(environment);
    }
    shell.start(QStringLiteral("/bin/sh"), {QStringLiteral("-s")});
    if (!shell.waitForStarted(5000))
        return run;
    shell.write(command.remoteScript());
    shell.closeWriteChannel();
    run.followed = pollUntil(
        [&] {
            appendTo(path, "line\n");
            run.out += shell.readAllStandardOutput();
            return run.out.contains("line\n");
        },
        10000);
    run.err = shell.readAllStandardError();
    ::kill(-pid_t(shell.processId()), SIGTERM);
    shell.waitForFinished(5000);
    return run;
}

// Appends a warm-up line every 200 ms until the source has counted one: from then on the follow
// reads, and what is appended next is counted whole.
bool warmUp(WorkerRecorder &recorder, const QString &sourceId, const std::function<bool()> &append,
            int timeoutMs = 15000)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (!append())
            return false;
        if (waitUntil([&] { return recorder.count(sourceId, QStringLiteral("/warmup")) > 0; }, 200))
            return true;
    }
    return false;
}

HostSpec localSpecWithLogs(const QList<LogSourceSpec> &logs)
{
    HostSpec spec = HostSpec::localWorkstation();
    spec.counterIntervalSec = 1;
    spec.tableIntervalSec = 5;
    spec.logs = logs;
    return spec;
}

LogSourceSpec fileSource(const QString &path)
{
    LogSourceSpec source;
    source.path = path;
    return source;
}

QList<int> processGroupMembers(int pgid)
{
    QList<int> members;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString &entry : entries) {
        bool ok = false;
        const int pid = entry.toInt(&ok);
        if (ok && ::getpgid(pid) == pgid)
            members.append(pid);
    }
    return members;
}

} // namespace

// --- The spec -----------------------------------------------------------------------------------

TEST(LogSourceSpec, IdsAndValidation)
{
    LogSourceSpec file = fileSource(QStringLiteral("/var/log/nginx/access.log"));
    EXPECT_EQ(file.id(), QStringLiteral("/var/log/nginx/access.log"));
    EXPECT_EQ(file.format, QStringLiteral("auto"));
    EXPECT_TRUE(file.isValid()) << file.validationError().toStdString();

    // Anything but NUL is data in a path, a newline included.
    file.path = QStringLiteral("/tmp/a'b $(touch x) `y`\nz;|&.log");
    EXPECT_TRUE(file.isValid()) << file.validationError().toStdString();
    file.path = QStringLiteral("logs/access.log");
    EXPECT_FALSE(file.validationError().isEmpty());
    file.path = QStringLiteral("/tmp/a") + QChar(0) + QStringLiteral("b");
    EXPECT_FALSE(file.validationError().isEmpty());

    LogSourceSpec container;
    container.kind = LogSourceSpec::Kind::Container;
    container.path = QStringLiteral("edge-proxy");
    EXPECT_EQ(container.id(), QStringLiteral("container:edge-proxy"));
    EXPECT_TRUE(container.isValid());
    container.path = QStringLiteral("0f1ba2ec2410"); // a short id
    EXPECT_TRUE(container.isValid());
    container.path =
        QStringLiteral("0f1ba2ec2410a25bdaf30acf002fa4245f0a15c2f3b0a307bd080752ca748dde");
    EXPECT_TRUE(container.isValid());
    for (const QString &bad :
         {QStringLiteral(""), QStringLiteral("-rm"), QStringLiteral("a b"), QStringLiteral("$(id)"),
          QStringLiteral("web;reboot"), QStringLiteral("_x")}) {
        container.path = bad;
        EXPECT_FALSE(container.validationError().isEmpty()) << bad.toStdString();
    }

    file.path = QStringLiteral("/var/log/app.log");
    file.format = QStringLiteral("regex:(?<client>\\S+) (?<path>\\S+)");
    EXPECT_TRUE(file.isValid()) << file.validationError().toStdString();
    file.format = QStringLiteral("regex:(?<client>\\S+ (");
    EXPECT_FALSE(file.validationError().isEmpty());
    file.format = QStringLiteral("apache-xml");
    EXPECT_FALSE(file.validationError().isEmpty());
}

TEST(LogSourceSpec, HostStoreRoundTripsTheLogs)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString ini = dir.filePath(QStringLiteral("hosts.ini"));

    HostSpec local = HostSpec::localWorkstation();
    LogSourceSpec hostile = fileSource(QStringLiteral("/srv/x y/'q' $(id)\n[hosts]\\1=2.log"));
    hostile.format = QStringLiteral("regex:^(?<client>\\S+) \"(?<request>[^\"]*)\"");
    local.logs = {hostile};

    HostSpec web;
    web.id = QStringLiteral("web-1");
    web.displayName = QStringLiteral("web 1");
    web.kind = HostSpec::Kind::Ssh;
    web.address = QStringLiteral("10.0.0.5");
    LogSourceSpec container;
    container.kind = LogSourceSpec::Kind::Container;
    container.path = QStringLiteral("edge-proxy");
    container.format = QStringLiteral("common");
    web.logs = {fileSource(QStringLiteral("/var/log/nginx/access.log")), container};

    HostSpec bare = web;
    bare.id = QStringLiteral("bare");
    bare.logs.clear();

    {
        HostStore store(ini);
        store.save({local, web, bare});
    }
    HostStore store(ini);
    const QList<HostSpec> loaded = store.load();
    ASSERT_EQ(loaded.size(), 3);
    EXPECT_EQ(loaded[0], local);
    EXPECT_EQ(loaded[1], web);
    EXPECT_EQ(loaded[2], bare);
    EXPECT_EQ(loaded[0].logs.value(0).path, hostile.path);

    // A shorter list leaves nothing behind.
    web.logs.removeLast();
    store.save({local, web});
    EXPECT_EQ(HostStore(ini).load().value(1).logs, web.logs);
}

TEST(LogSourceSpec, DockerStampsAndSince)
{
    QByteArrayView line = "2024-05-01T10:00:00.123456789Z 10.0.0.1 - - [x] \"GET / HTTP/1.1\"";
    std::optional<DockerLogTime> time = DockerLogTime::take(&line);
    ASSERT_TRUE(time);
    EXPECT_EQ(time->seconds, 1714557600);
    EXPECT_EQ(time->nanoseconds, 123456789);
    EXPECT_EQ(line, QByteArrayView("10.0.0.1 - - [x] \"GET / HTTP/1.1\""));
    EXPECT_EQ(time->sinceAfter(), QStringLiteral("2024-05-01T10:00:00.123456790Z"));

    QByteArrayView offset = "2024-05-01T12:00:00.5+02:00 x";
    time = DockerLogTime::take(&offset);
    ASSERT_TRUE(time);
    EXPECT_EQ(time->seconds, 1714557600);
    EXPECT_EQ(time->nanoseconds, 500000000);
    EXPECT_EQ(offset, QByteArrayView("x"));

    // One nanosecond past the end of a second, a day and a year.
    DockerLogTime late{1735689599, 999999999}; // 2024-12-31T23:59:59.999999999Z
    EXPECT_EQ(late.sinceAfter(), QStringLiteral("2025-01-01T00:00:00.000000000Z"));
    EXPECT_EQ(DockerLogTime::fromMs(1714557600123).sinceAfter(),
              QStringLiteral("2024-05-01T10:00:00.123000001Z"));

    for (QByteArrayView notStamped :
         {QByteArrayView("Error response from daemon: No such container: web"),
          QByteArrayView("2024-05-01 10:00:00 x"), QByteArrayView("2024-05-01T10:00:00.Z x"),
          QByteArrayView("2024-13-01T10:00:00Z x"), QByteArrayView("2024-05-01T10:00:00Z"),
          QByteArrayView("")}) {
        QByteArrayView copy = notStamped;
        EXPECT_FALSE(DockerLogTime::take(&copy)) << notStamped.toByteArray().toStdString();
        EXPECT_EQ(copy, notStamped);
    }
}

TEST(LogSourceSpec, FollowCommandsAreArgvAndQuotedScripts)
{
    HostSpec host = HostSpec::localWorkstation();
    host.dockerCommand = QStringLiteral("sudo -n docker");
    host.useSudo = true;
    LogSourceSpec file = fileSource(QStringLiteral("/var/log/it's here.log"));
    FollowCommand command = FollowCommand::forSource(file, host);
    EXPECT_TRUE(command.error().isEmpty());
    EXPECT_EQ(command.localArguments(),
              (QStringList{QStringLiteral("tail"), QStringLiteral("-F"), QStringLiteral("-n"),
                           QStringLiteral("0"), QStringLiteral("--"), file.path}));
    EXPECT_TRUE(command.remoteScript().contains("set -- '/var/log/it'\\''s here.log'\n"));
    EXPECT_TRUE(command.remoteScript().contains("exec sudo -n tail"));
    EXPECT_FALSE(command.mergesStderr());

    LogSourceSpec container;
    container.kind = LogSourceSpec::Kind::Container;
    container.path = QStringLiteral("edge-proxy");
    command = FollowCommand::forSource(container, host);
    EXPECT_TRUE(command.mergesStderr());
    EXPECT_EQ(
        command.localArguments(),
        (QStringList{QStringLiteral("sudo"), QStringLiteral("-n"), QStringLiteral("docker"),
                     QStringLiteral("logs"), QStringLiteral("-f"), QStringLiteral("--timestamps"),
                     QStringLiteral("--tail"), QStringLiteral("0"), QStringLiteral("edge-proxy")}));
    command.since = QStringLiteral("2024-05-01T10:00:00.000000001Z");
    EXPECT_EQ(
        command.localArguments().mid(3),
        (QStringList{QStringLiteral("logs"), QStringLiteral("-f"), QStringLiteral("--timestamps"),
                     QStringLiteral("--since"), command.since, QStringLiteral("edge-proxy")}));
    command.target = QStringLiteral("$(reboot)");
    EXPECT_FALSE(command.error().isEmpty());
}

// A first open reads back the recent past: a file's last lines, a container's last ten minutes
// (at most as many lines). `since` (a container opened again) wins.
TEST(LogSourceSpec, FirstOpenReadsBackHistory)
{
    EXPECT_EQ(FollowCommand::historyWindowMs, AccessLogAggregator::historyWindowMs);
    HostSpec host = HostSpec::localWorkstation();
    host.useSudo = true;
    FollowCommand file =
        FollowCommand::forSource(fileSource(QStringLiteral("/var/log/a.log")), host);
    EXPECT_FALSE(file.readHistory);
    file.readHistory = true;
    EXPECT_TRUE(file.error().isEmpty());
    EXPECT_EQ(file.localArguments(),
              (QStringList{QStringLiteral("tail"), QStringLiteral("-F"), QStringLiteral("-n"),
                           QStringLiteral("20000"), QStringLiteral("--"),
                           QStringLiteral("/var/log/a.log")}));
    const QByteArray script = file.remoteScript();
    EXPECT_TRUE(script.contains("n='20000'\n")) << script.toStdString();
    EXPECT_TRUE(script.contains("exec sudo -n tail \"$f\" -n \"$n\" -- \"$1\"\n"));
    EXPECT_TRUE(script.contains("exec tail \"$f\" -n \"$n\" -- \"$1\"\n"));

    LogSourceSpec source;
    source.kind = LogSourceSpec::Kind::Container;
    source.path = QStringLiteral("edge-proxy");
    host.dockerCommand = QStringLiteral("sudo -n docker");
    FollowCommand container = FollowCommand::forSource(source, host);
    container.readHistory = true;
    const QStringList words{
        QStringLiteral("sudo"),    QStringLiteral("-n"),        QStringLiteral("docker"),
        QStringLiteral("logs"),    QStringLiteral("-f"),        QStringLiteral("--timestamps"),
        QStringLiteral("--since"), QStringLiteral("600s"),      QStringLiteral("--tail"),
        QStringLiteral("20000"),   QStringLiteral("edge-proxy")};
    EXPECT_EQ(container.localArguments(), words);
    EXPECT_TRUE(container.remoteScript().contains(
        "set -- 'sudo' '-n' 'docker' 'logs' '-f' '--timestamps' '--since' '600s' '--tail' "
        "'20000' 'edge-proxy'\nexec \"$@\" 2>&1\n"))
        << container.remoteScript().toStdString();
    container.since = QStringLiteral("2024-05-01T10:00:00.000000001Z");
    EXPECT_EQ(
        container.localArguments().mid(3),
        (QStringList{QStringLiteral("logs"), QStringLiteral("-f"), QStringLiteral("--timestamps"),
                     QStringLiteral("--since"), container.since, QStringLiteral("edge-proxy")}));
}

// The read-back, run for real: GNU's and busybox's tail give a hostile path's last lines, and
// the stand-in docker (which reads --since and --tail as docker does) a container's last ten
// minutes.
TEST(LogFollow, RemoteScriptsReadBackHistory)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    QString marker;
    const QString path = hostilePath(dir, &marker);
    ASSERT_TRUE(QDir().mkpath(QFileInfo(path).path()));
    ASSERT_TRUE(appendTo(path, "before\n"));
    FollowCommand command =
        FollowCommand::forSource(fileSource(path), HostSpec::localWorkstation());
    command.readHistory = true;
    ScriptRun run = runFollowScript(command, path);
    EXPECT_TRUE(run.followed) << run.err.toStdString();
    EXPECT_TRUE(run.out.startsWith("before\n")) << run.out.toStdString();
    EXPECT_FALSE(QFile::exists(marker));

    if (const QString busybox = findTool(QStringLiteral("busybox")); !busybox.isEmpty()) {
        const QString bin = dir.filePath(QStringLiteral("bin"));
        ASSERT_TRUE(QDir().mkpath(bin));
        ASSERT_TRUE(QFile::link(busybox, bin + QStringLiteral("/tail")));
        run = runFollowScript(command, path, bin);
        EXPECT_TRUE(run.followed) << run.err.toStdString();
        EXPECT_TRUE(run.out.startsWith("before\n")) << run.out.toStdString();
        EXPECT_FALSE(QFile::exists(marker));
    }

    // A container: lines of 20, 5 and 0 minutes ago in its json-file log.
    const QString jsonLog = dir.filePath(QStringLiteral("edge-json.log"));
    const QString docker = dir.filePath(QStringLiteral("fake-docker"));
    {
        QByteArray inspect = readTestData(QStringLiteral("docker/inspect_bridge_published.json"));
        const qsizetype at = inspect.indexOf("\"LogPath\": \"");
        ASSERT_GE(at, 0);
        const qsizetype end = inspect.indexOf('"', at + 12);
        inspect.replace(at, end + 1 - at, QByteArray("\"LogPath\": \"" + jsonLog.toUtf8() + '"'));
        QFile out(dir.filePath(QStringLiteral("inspect_edge.json")));
        ASSERT_TRUE(out.open(QIODevice::WriteOnly));
        out.write(inspect);
        ASSERT_TRUE(
            QFile::copy(QStringLiteral(TWBENCH_TEST_DATA_DIR "/docker/fake-docker"), docker));
        ASSERT_TRUE(QFile::setPermissions(docker, QFile::ReadOwner | QFile::ExeOwner));
        QByteArray json;
        for (const int minutesAgo : {20, 5, 0}) {
            const QByteArray stamp = QDateTime::currentDateTimeUtc()
                                         .addSecs(-60 * minutesAgo)
                                         .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz000000Z"))
                                         .toLatin1();
            json += "{\"log\":\"" + QByteArray::number(minutesAgo) +
                    " minutes ago\\n\",\"stream\":\"stdout\",\"time\":\"" + stamp + "\"}\n";
        }
        ASSERT_TRUE(appendTo(jsonLog, json));
    }
    LogSourceSpec source;
    source.kind = LogSourceSpec::Kind::Container;
    source.path = QStringLiteral("edge-proxy");
    HostSpec host = HostSpec::localWorkstation();
    host.dockerCommand = docker;
    FollowCommand container = FollowCommand::forSource(source, host);
    container.readHistory = true;
    QProcess shell;
    shell.setChildProcessModifier([] { ::setpgid(0, 0); });
    shell.start(QStringLiteral("/bin/sh"), {QStringLiteral("-s")});
    ASSERT_TRUE(shell.waitForStarted(5000));
    shell.write(container.remoteScript());
    shell.closeWriteChannel();
    QByteArray out;
    EXPECT_TRUE(waitUntil(
        [&] {
            out += shell.readAllStandardOutput();
            return out.contains("0 minutes ago\n");
        },
        10000))
        << out.toStdString();
    ::kill(-pid_t(shell.processId()), SIGTERM);
    shell.waitForFinished(5000);
    EXPECT_TRUE(out.contains("Z 5 minutes ago\n")) << out.toStdString();
    EXPECT_FALSE(out.contains("20 minutes ago")) << out.toStdString();
}

// The script the SSH transport sends, run by this machine's /bin/sh exactly as sshd would run it
// (`exec /bin/sh -s` with the script on stdin): the hostile path is followed literally, nothing in
// it runs, and sudo's absence falls back to the user.
TEST(LogFollow, RemoteScriptFollowsAHostilePathLiterally)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    QString marker;
    const QString path = hostilePath(dir, &marker);
    ASSERT_TRUE(QDir().mkpath(QFileInfo(path).path()));
    ASSERT_TRUE(appendTo(path, "before\n"));

    HostSpec host = HostSpec::localWorkstation();
    host.useSudo = true;
    const FollowCommand command = FollowCommand::forSource(fileSource(path), host);
    ASSERT_TRUE(command.error().isEmpty()) << command.error().toStdString();
    const ScriptRun run = runFollowScript(command, path);
    EXPECT_TRUE(run.followed) << run.err.toStdString();
    EXPECT_FALSE(run.out.contains("before")) << "-n 0: what was there is not read";
    EXPECT_FALSE(QFile::exists(marker));
}

// busybox's tail (the one of small images) follows by name with -F too.
TEST(LogFollow, RemoteScriptWorksWithBusyboxTail)
{
    const QString busybox = findTool(QStringLiteral("busybox"));
    if (busybox.isEmpty())
        GTEST_SKIP() << "busybox is not installed";
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString bin = dir.filePath(QStringLiteral("bin"));
    ASSERT_TRUE(QDir().mkpath(bin));
    ASSERT_TRUE(QFile::link(busybox, bin + QStringLiteral("/tail")));
    const QString path = dir.filePath(QStringLiteral("access.log"));
    ASSERT_TRUE(appendTo(path, "before\n"));
    const FollowCommand command =
        FollowCommand::forSource(fileSource(path), HostSpec::localWorkstation());
    const ScriptRun run = runFollowScript(command, path, bin);
    EXPECT_TRUE(run.followed) << run.err.toStdString();
    EXPECT_FALSE(run.out.contains("before"));
}

// A tail without -F gets -f: it still follows the file it opened.
TEST(LogFollow, RemoteScriptFallsBackToTailDashF)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString bin = dir.filePath(QStringLiteral("bin"));
    ASSERT_TRUE(QDir().mkpath(bin));
    const QString calls = dir.filePath(QStringLiteral("calls"));
    const QString realTail = findTool(QStringLiteral("tail"));
    ASSERT_FALSE(realTail.isEmpty());
    {
        // An old tail: its usage knows -f only, and it refuses -F.
        QFile script(bin + QStringLiteral("/tail"));
        ASSERT_TRUE(script.open(QIODevice::WriteOnly));
        script.write("#!/bin/sh\n"
                     "printf '%s\\n' \"$*\" >>" +
                     shell::quote(QByteArrayView(calls.toUtf8())) +
                     "\n"
                     "case $1 in\n"
                     "--help) echo 'usage: tail [-f] [-n count] [file]' >&2; exit 1 ;;\n"
                     "-F) echo 'tail: illegal option -- F' >&2; exit 1 ;;\n"
                     "esac\n"
                     "exec " +
                     shell::quote(QByteArrayView(realTail.toUtf8())) + " \"$@\"\n");
        script.close();
        ASSERT_TRUE(script.setPermissions(QFile::ReadOwner | QFile::ExeOwner));
    }
    const QString path = dir.filePath(QStringLiteral("access.log"));
    ASSERT_TRUE(appendTo(path, "before\n"));
    const FollowCommand command =
        FollowCommand::forSource(fileSource(path), HostSpec::localWorkstation());
    const ScriptRun run = runFollowScript(command, path, bin);
    EXPECT_TRUE(run.followed) << run.err.toStdString();
    QFile log(calls);
    ASSERT_TRUE(log.open(QIODevice::ReadOnly));
    const QByteArray called = log.readAll();
    EXPECT_TRUE(called.contains(QByteArray("-f -n 0 -- " + path.toUtf8()))) << called.toStdString();
    EXPECT_FALSE(called.contains("-F")) << called.toStdString();
}

// --- LocalTransport ------------------------------------------------------------------------------

TEST(LogFollow, LocalTransportFollowsAppendsRotationAndTruncation)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString log = dir.filePath(QStringLiteral("access.log"));
    ASSERT_TRUE(appendTo(log, lines("/old", 50))); // there before: not read

    ProbeParameters parameters;
    parameters.dockerIntervalSec = 0;
    LocalTransport transport(parameters);
    QByteArray probe;
    QByteArray followed;
    QList<QString> ended;
    LineSplitter splitter(AccessLogAggregator::maxLineBytes);
    qsizetype maxBuffered = 0;
    qint64 cutLines = 0;
    QObject::connect(&transport, &Transport::bytesReceived, &transport,
                     [&](const QByteArray &data) { probe += data; });
    QObject::connect(&transport, &Transport::followBytes, &transport,
                     [&](int id, const QByteArray &data) {
                         EXPECT_EQ(id, 7);
                         splitter.feed(data, [&](QByteArrayView line, bool truncated) {
                             followed += line.first(std::min<qsizetype>(line.size(), 200)) + '\n';
                             cutLines += truncated ? 1 : 0;
                         });
                         maxBuffered = std::max(maxBuffered, splitter.bufferedBytes());
                     });
    QObject::connect(&transport, &Transport::followEnded, &transport,
                     [&](int, const QString &reason) { ended.append(reason); });

    LogSourceSpec source = fileSource(log);
    const FollowCommand command = FollowCommand::forSource(source, HostSpec::localWorkstation());
    EXPECT_FALSE(transport.openFollow(7, command)) << "not before the probe runs";
    transport.start();
    ASSERT_TRUE(waitUntil([&] { return probe.contains("@@twbench hello"); }, 10000));
    ASSERT_TRUE(transport.openFollow(7, command));

    const auto appendUntilSeen = [&](const QByteArray &marker) {
        return pollUntil(
            [&] {
                appendTo(log, combinedLine(marker));
                return followed.contains(marker);
            },
            10000);
    };
    ASSERT_TRUE(appendUntilSeen("/warmup"));
    EXPECT_FALSE(followed.contains("/old"));

    // A megabyte line between two ordinary ones: cut once, the buffer never above the cap.
    ASSERT_TRUE(appendTo(log, combinedLine("/a") +
                                  combinedLine("/big", 200, QByteArray(1 << 20, 'u')) +
                                  combinedLine("/b")));
    ASSERT_TRUE(waitUntil([&] { return followed.contains("GET /b "); }, 10000));
    EXPECT_EQ(cutLines, 1);
    EXPECT_LE(maxBuffered, AccessLogAggregator::maxLineBytes);

    // logrotate's default: rename, create anew, the server writes to the new file.
    ASSERT_TRUE(QFile::rename(log, log + QStringLiteral(".1")));
    ASSERT_TRUE(appendTo(log, combinedLine("/rotated")));
    ASSERT_TRUE(waitUntil([&] { return followed.contains("/rotated"); }, 10000));
    // copytruncate: the same file cut to nothing, then written again.
    ASSERT_TRUE(appendTo(log, lines("/padding", 20)));
    ASSERT_TRUE(waitUntil([&] { return followed.contains("/padding"); }, 10000));
    QFile(log).resize(0);
    ASSERT_TRUE(appendTo(log, combinedLine("/truncated")));
    ASSERT_TRUE(waitUntil([&] { return followed.contains("/truncated"); }, 10000));

    EXPECT_TRUE(ended.isEmpty()) << ended.value(0).toStdString();
    const qint64 followPid = transport.followProcessId(7);
    EXPECT_GT(followPid, 0);
    // The probe streams beside it, and its end takes the follow along, without followEnded.
    EXPECT_TRUE(waitUntil([&] { return probe.contains("@@end "); }, 10000));
    transport.stop();
    EXPECT_TRUE(ended.isEmpty());
    EXPECT_EQ(transport.followProcessId(7), 0);
    EXPECT_TRUE(waitUntil([&] { return processGroupMembers(int(followPid)).isEmpty(); }, 5000));
}

TEST(LogFollow, LocalFollowThatExitsSaysWhy)
{
    ProbeParameters parameters;
    parameters.dockerIntervalSec = 0;
    LocalTransport transport(parameters);
    bool hello = false;
    std::optional<QString> reason;
    QObject::connect(&transport, &Transport::bytesReceived, &transport,
                     [&](const QByteArray &data) { hello = hello || data.contains("hello"); });
    QObject::connect(&transport, &Transport::followEnded, &transport,
                     [&](int, const QString &why) { reason = why; });
    transport.start();
    ASSERT_TRUE(waitUntil([&] { return hello; }, 10000));
    FollowCommand command;
    command.kind = LogSourceSpec::Kind::Container;
    command.target = QStringLiteral("web");
    command.dockerCommand = {QStringLiteral("/nonexistent/docker")};
    ASSERT_TRUE(transport.openFollow(1, command)); // the failure comes later, as a signal
    EXPECT_FALSE(reason);
    ASSERT_TRUE(waitUntil([&] { return reason.has_value(); }, 5000));
    EXPECT_TRUE(reason->contains(QStringLiteral("/nonexistent/docker"))) << reason->toStdString();
    EXPECT_TRUE(transport.isRunning()) << "a follow's end leaves the probe alone";
    transport.stop();
}

// --- HostWorker ---------------------------------------------------------------------------------

TEST(LogFollow, WorkerCountsAFileThroughRotationTruncationAndAMissingFile)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString log = dir.filePath(QStringLiteral("access.log"));
    const QString missing = dir.filePath(QStringLiteral("later/missing.log"));
    ASSERT_TRUE(appendTo(log, lines("/old", 30, longAgo)));

    HostWorker worker(localSpecWithLogs(
        {fileSource(log), fileSource(missing), fileSource(QStringLiteral("relative.log"))}));
    WorkerRecorder recorder(worker);
    worker.start();
    ASSERT_TRUE(warmUp(recorder, log, [&] { return appendTo(log, combinedLine("/warmup")); }));

    // Counted exactly, the megabyte line included (cut, its request still read).
    ASSERT_TRUE(appendTo(log, lines("/counted", 20) +
                                  combinedLine("/counted", 200, QByteArray(1 << 20, 'u')) +
                                  lines("/counted", 20)));
    ASSERT_TRUE(
        waitUntil([&] { return recorder.count(log, QStringLiteral("/counted")) >= 41; }, 10000));

    ASSERT_TRUE(QFile::rename(log, log + QStringLiteral(".1")));
    ASSERT_TRUE(appendTo(log, lines("/rotated", 10)));
    ASSERT_TRUE(
        waitUntil([&] { return recorder.count(log, QStringLiteral("/rotated")) >= 10; }, 10000));
    QFile(log).resize(0);
    ASSERT_TRUE(appendTo(log, lines("/truncated", 7)));
    ASSERT_TRUE(
        waitUntil([&] { return recorder.count(log, QStringLiteral("/truncated")) >= 7; }, 10000));

    // The missing file: its windows say so, while the probe streams on.
    ASSERT_TRUE(waitUntil([&] { return !recorder.lastError(missing).isEmpty(); }, 10000));
    EXPECT_TRUE(recorder.lastError(missing).contains(QStringLiteral("No such file")))
        << recorder.lastError(missing).toStdString();
    EXPECT_TRUE(recorder.lastError(log).isEmpty()) << recorder.lastError(log).toStdString();
    EXPECT_TRUE(
        recorder.lastError(QStringLiteral("relative.log")).contains(QStringLiteral("absolute")));
    // It appears: followed from then on, and the error goes.
    ASSERT_TRUE(QDir().mkpath(QFileInfo(missing).path()));
    ASSERT_TRUE(
        warmUp(recorder, missing, [&] { return appendTo(missing, combinedLine("/warmup")); }));
    ASSERT_TRUE(waitUntil([&] { return recorder.lastError(missing).isEmpty(); }, 5000));

    // Settle: a sample after the last line, then the exact sums.
    const qsizetype seen = recorder.samples.size();
    ASSERT_TRUE(waitUntil([&] { return recorder.samples.size() >= seen + 2; }, 10000));
    worker.stop();
    EXPECT_EQ(recorder.count(log, QStringLiteral("/counted")), 41);
    EXPECT_EQ(recorder.count(log, QStringLiteral("/rotated")), 10);
    EXPECT_EQ(recorder.count(log, QStringLiteral("/truncated")), 7);
    EXPECT_EQ(recorder.count(log, QStringLiteral("/old")), 0);
    EXPECT_EQ(recorder.total(log, &LogWindow::truncated), 1);
    EXPECT_EQ(recorder.total(log, &LogWindow::rejected), 0);

    // Every sample carries one live window per source, in order, end to end in time, once the
    // source's read-back has arrived (none of that source before). The read-back of `log` held
    // only lines older than the history keeps: its history is ten minutes of empty 10 s bins,
    // which come first, in the sample before its first live window.
    std::int64_t previousTo = 0;
    qsizetype historyWindows = 0;
    QStringList sourcesBefore;
    for (const HostSamplePtr &sample : recorder.samples) {
        QStringList sources;
        std::optional<LogWindow> live;
        std::int64_t historyTo = 0;
        for (const LogWindow &window : sample->logs) {
            if (window.sourceId == log && !live && window.toMs < sample->epochMs) {
                EXPECT_EQ(previousTo, 0) << "the history comes once, first";
                EXPECT_EQ(window.requests, 0);
                EXPECT_GT(window.toMs, window.fromMs);
                EXPECT_LE(window.toMs - window.fromMs, AccessLogAggregator::historyBinMs);
                if (historyTo > 0) {
                    EXPECT_EQ(window.fromMs, historyTo);
                }
                historyTo = window.toMs;
                ++historyWindows;
                continue;
            }
            sources.append(window.sourceId);
            if (window.sourceId == log)
                live = window;
        }
        // A source, once there, stays; the order is the spec's.
        for (const QString &source : std::as_const(sourcesBefore))
            EXPECT_TRUE(sources.contains(source)) << source.toStdString();
        EXPECT_EQ(sources.value(sources.size() - 1), QStringLiteral("relative.log"));
        EXPECT_TRUE(sources.indexOf(missing) < 0 || sources.indexOf(missing) == sources.size() - 2);
        sourcesBefore = sources;
        if (!live)
            continue;
        EXPECT_EQ(sources.first(), log);
        EXPECT_EQ(live->toMs, sample->epochMs);
        if (previousTo > 0) {
            EXPECT_LT(live->fromMs, live->toMs);
            EXPECT_EQ(live->fromMs, previousTo);
        } else {
            // The follow opened inside the first interval, but read back every line since the
            // history's end: it spans from there.
            EXPECT_GT(historyTo, 0);
            EXPECT_EQ(live->fromMs, historyTo);
            EXPECT_LT(live->fromMs, live->toMs);
        }
        previousTo = live->toMs;
    }
    EXPECT_GT(previousTo, 0);
    EXPECT_EQ(historyWindows, AccessLogAggregator::maxHistoryBins);
    EXPECT_EQ(recorder.count(HostState::Retrying), 0) << "the probe never stopped";
    EXPECT_TRUE(childProcesses().isEmpty());
}

TEST(LogFollow, WorkerFollowsAContainerAndResumesWithoutCountingTwice)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString jsonLog = dir.filePath(QStringLiteral("edge-proxy-json.log"));
    const QString docker = dir.filePath(QStringLiteral("fake-docker"));
    {
        QByteArray inspect = readTestData(QStringLiteral("docker/inspect_bridge_published.json"));
        ASSERT_FALSE(inspect.isEmpty());
        const qsizetype at = inspect.indexOf("\"LogPath\": \"");
        ASSERT_GE(at, 0);
        const qsizetype end = inspect.indexOf('"', at + 12);
        inspect.replace(at, end + 1 - at, QByteArray("\"LogPath\": \"" + jsonLog.toUtf8() + '"'));
        QFile out(dir.filePath(QStringLiteral("inspect_edge.json")));
        ASSERT_TRUE(out.open(QIODevice::WriteOnly));
        out.write(inspect);
        ASSERT_TRUE(
            QFile::copy(QStringLiteral(TWBENCH_TEST_DATA_DIR "/docker/fake-docker"), docker));
        ASSERT_TRUE(QFile::setPermissions(docker, QFile::ReadOwner | QFile::ExeOwner));
    }
    const QString calls = dir.filePath(QStringLiteral("calls.log"));
    ScopedEnv logCalls("FAKE_DOCKER_LOG", calls.toLocal8Bit());

    // docker's json-file lines, each with its own increasing stamp.
    int sequence = 0;
    const auto writeLines = [&](QByteArrayView path, int count, QByteArrayView stream = "stdout") {
        QByteArray text;
        for (int i = 0; i < count; ++i) {
            QByteArray line = combinedLine(path);
            line.chop(1);
            line.replace("\\", "\\\\").replace("\"", "\\\"");
            const QByteArray stamp =
                QDateTime::currentDateTimeUtc()
                    .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz"))
                    .toLatin1() +
                QByteArray::number(100000 + (++sequence % 100000)).sliced(0, 6) + 'Z';
            text += "{\"log\":\"" + line + "\\n\",\"stream\":\"" + stream.toByteArray() +
                    "\",\"time\":\"" + stamp + "\"}\n";
        }
        return appendTo(jsonLog, text);
    };
    ASSERT_TRUE(writeLines("/old", 5));

    LogSourceSpec container;
    container.kind = LogSourceSpec::Kind::Container;
    container.path = QStringLiteral("edge-proxy");
    const QString id = container.id();
    HostSpec spec = localSpecWithLogs({container});
    spec.dockerCommand = docker;
    LocalTransport *transport = nullptr;
    HostWorker worker(spec, [&transport](const HostSpec &s) {
        auto made = std::make_unique<LocalTransport>(ProbeParameters::fromSpec(s));
        transport = made.get();
        return made;
    });
    worker.setFollowBackoff(100, 400);
    WorkerRecorder recorder(worker);
    worker.start();
    ASSERT_TRUE(warmUp(recorder, id, [&] { return writeLines("/warmup", 1); }));
    const std::int64_t warmups = recorder.count(id, QStringLiteral("/warmup"));

    // Both of docker's streams are the log (many images log access to stderr).
    ASSERT_TRUE(writeLines("/counted", 6) && writeLines("/counted", 4, "stderr"));
    ASSERT_TRUE(
        waitUntil([&] { return recorder.count(id, QStringLiteral("/counted")) >= 10; }, 10000));

    // The follower dies; lines written meanwhile are asked for again from just after the last
    // stamp seen, and none is counted twice.
    ASSERT_NE(transport, nullptr);
    const qint64 pid = transport->followProcessId(0);
    ASSERT_GT(pid, 0);
    ::kill(-pid_t(pid), SIGKILL);
    ASSERT_TRUE(writeLines("/gap", 5));
    ASSERT_TRUE(waitUntil(
        [&] {
            const qint64 now = transport->followProcessId(0);
            return now > 0 && now != pid;
        },
        10000));
    ASSERT_TRUE(writeLines("/after", 3));
    ASSERT_TRUE(
        waitUntil([&] { return recorder.count(id, QStringLiteral("/after")) >= 3; }, 10000));
    const qsizetype seen = recorder.samples.size();
    ASSERT_TRUE(waitUntil([&] { return recorder.samples.size() >= seen + 2; }, 10000));
    worker.stop();

    // Read back by the first open (docker --since), counted once: in the history, or live when
    // written within the cut-off's slack.
    EXPECT_EQ(recorder.count(id, QStringLiteral("/old")), 5);
    EXPECT_EQ(recorder.count(id, QStringLiteral("/warmup")), warmups);
    EXPECT_EQ(recorder.count(id, QStringLiteral("/counted")), 10);
    EXPECT_EQ(recorder.count(id, QStringLiteral("/gap")), 5);
    EXPECT_EQ(recorder.count(id, QStringLiteral("/after")), 3);
    EXPECT_EQ(recorder.total(id, &LogWindow::rejected), 0);
    QFile callLog(calls);
    ASSERT_TRUE(callLog.open(QIODevice::ReadOnly));
    const QByteArray called = callLog.readAll();
    EXPECT_TRUE(called.contains("logs -f --timestamps --since 600s --tail 20000 edge-proxy"))
        << called.data();
    EXPECT_TRUE(called.contains("logs -f --timestamps --since ")) << called.data();
    EXPECT_EQ(recorder.count(HostState::Retrying), 0);
}

// A first follow reads back the log's recent past. Two minutes of a loop that asks for a token
// every 0.5 s are in the log before the worker starts: the first sample with the log carries
// them as 10 s bins of 20 requests (up to the cut-off, where its live window starts), and the
// steady-rate detector flags the loop from that sample on instead of a minute later. A source
// whose lines carry no time (a regex without `time`) cannot tell the past from now: it starts at
// the end, its first window without a span.
TEST(LogFollow, FirstFollowReadsBackHistoryAndTheDetectorFlagsALoopAtOnce)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString log = dir.filePath(QStringLiteral("access.log"));
    const QString link = dir.filePath(QStringLiteral("same-without-time.log"));
    const std::int64_t nowMs = QDateTime::currentMSecsSinceEpoch();
    const std::int64_t startSec = nowMs / 1000 - 120;
    QList<std::int64_t> stamps; // every loop line's $time_local, as ms
    const auto loopLine = [&stamps](std::int64_t ms) {
        stamps.append(ms / 1000 * 1000);
        return combinedLine("/api/token", 200, "loop/1", timeLocal(ms));
    };
    QByteArray past;
    for (std::int64_t ms = startSec * 1000; ms < nowMs; ms += 500)
        past += loopLine(ms);
    const qsizetype pastLines = stamps.size();
    ASSERT_TRUE(appendTo(log, past));
    ASSERT_TRUE(QFile::link(log, link));

    LogSourceSpec noTime = fileSource(link);
    noTime.format = QStringLiteral(
        R"re(regex:^(?<client>\S+) \S+ \S+ \[[^\]]*\] "(?<request>[^"]*)" (?<status>\d{3}))re");
    ASSERT_TRUE(noTime.isValid()) << noTime.validationError().toStdString();
    HostWorker worker(localSpecWithLogs({fileSource(log), noTime}));
    WorkerRecorder recorder(worker);
    worker.start();
    // The loop goes on while the worker follows.
    QTimer loop;
    QObject::connect(&loop, &QTimer::timeout, &loop,
                     [&] { appendTo(log, loopLine(QDateTime::currentMSecsSinceEpoch())); });
    loop.start(500);

    const auto firstWithLog = [&]() -> qsizetype {
        for (qsizetype i = 0; i < recorder.samples.size(); ++i) {
            for (const LogWindow &window : recorder.samples[i]->logs) {
                if (window.sourceId == log)
                    return i;
            }
        }
        return -1;
    };
    ASSERT_TRUE(waitUntil(
        [&] {
            const qsizetype first = firstWithLog();
            return first >= 0 && recorder.samples.size() >= first + 3;
        },
        15000));
    loop.stop();
    worker.stop();

    // The first sample with the log: its history, then its live window.
    const qsizetype first = firstWithLog();
    const HostSample &sample = *recorder.samples[first];
    QList<LogWindow> history;
    std::optional<LogWindow> live;
    for (const LogWindow &window : sample.logs) {
        if (window.sourceId != log)
            continue;
        if (window.toMs < sample.epochMs) {
            EXPECT_FALSE(live) << "the history comes before the live window";
            history.append(window);
        } else {
            live = window;
        }
    }
    ASSERT_TRUE(live);
    ASSERT_GE(history.size(), 12);
    // From the first line read to the cut-off, end to end, in the detector's 10 s bins; every
    // whole bin holds 20 requests of the loop.
    EXPECT_EQ(history.first().fromMs, startSec * 1000);
    const std::int64_t cutOffMs = history.last().toMs;
    EXPECT_GT(cutOffMs, nowMs - 5000);
    EXPECT_EQ(live->fromMs, cutOffMs) << "the live window starts where the history ends";
    EXPECT_EQ(live->toMs, sample.epochMs);
    std::int64_t inHistory = 0;
    qsizetype wholeBins = 0;
    for (qsizetype i = 0; i < history.size(); ++i) {
        const LogWindow &window = history[i];
        inHistory += window.requests;
        EXPECT_TRUE(window.error.isEmpty());
        EXPECT_GT(window.toMs, window.fromMs);
        EXPECT_LE(window.toMs - window.fromMs, AccessLogAggregator::historyBinMs);
        if (i > 0) {
            EXPECT_EQ(window.fromMs, history[i - 1].toMs);
        }
        if (i == 0 || i == history.size() - 1)
            continue;
        ++wholeBins;
        EXPECT_EQ(window.fromMs % AccessLogAggregator::historyBinMs, 0);
        EXPECT_EQ(window.toMs - window.fromMs, AccessLogAggregator::historyBinMs);
        EXPECT_EQ(window.requests, 20) << "bin at " << window.fromMs;
        ASSERT_EQ(window.keys.size(), 1);
        EXPECT_EQ(window.keys.first().key.path, QStringLiteral("/api/token"));
    }
    EXPECT_GE(wholeBins, 10);
    // Exactly the lines logged before the cut-off.
    const auto before = std::count_if(stamps.begin(), stamps.end(),
                                      [cutOffMs](std::int64_t ms) { return ms < cutOffMs; });
    EXPECT_EQ(inHistory, before);
    // Each loop line counted once: in the history or live (what came before the stop).
    EXPECT_LE(recorder.count(log, QStringLiteral("/api/token")), stamps.size());
    EXPECT_GE(recorder.count(log, QStringLiteral("/api/token")), pastLines);

    // Later samples: one live window of the log each, end to end.
    std::int64_t previousTo = live->toMs;
    for (qsizetype i = first + 1; i < recorder.samples.size(); ++i) {
        qsizetype windows = 0;
        for (const LogWindow &window : recorder.samples[i]->logs) {
            if (window.sourceId != log)
                continue;
            ++windows;
            EXPECT_EQ(window.fromMs, previousTo);
            previousTo = window.toMs;
        }
        EXPECT_EQ(windows, 1);
    }

    // The source without times: no history, its first window without a span, none of the past.
    bool sawNoTime = false;
    for (const HostSamplePtr &one : recorder.samples) {
        for (const LogWindow &window : one->logs) {
            if (window.sourceId != link)
                continue;
            EXPECT_EQ(window.toMs, one->epochMs);
            if (!sawNoTime) {
                EXPECT_EQ(window.fromMs, window.toMs);
            }
            sawNoTime = true;
        }
    }
    EXPECT_TRUE(sawNoTime);
    EXPECT_LE(recorder.count(link, QStringLiteral("/api/token")), stamps.size() - pastLines);

    // The detector, fed every window in order, flags the loop with the first sample that carries
    // the history: no minute of waiting.
    AccessLogStats::Options options;
    options.steadyMinDurationMs = 60 * 1000;
    AccessLogStats stats(options);
    Timeline timeline;
    for (qsizetype i = 0; i < recorder.samples.size(); ++i) {
        const HostSample &one = *recorder.samples[i];
        EXPECT_TRUE(timeline.add(one));
        for (const LogWindow &window : one.logs)
            EXPECT_TRUE(stats.add(window)) << "every window in time order";
        const QList<AccessLogStats::SteadyCaller> steady = stats.steadyCallers();
        if (i < first) {
            EXPECT_TRUE(steady.isEmpty());
            continue;
        }
        ASSERT_EQ(steady.size(), 1) << "sample " << i << " of " << recorder.samples.size();
        EXPECT_EQ(steady.first().sourceId, log);
        EXPECT_EQ(steady.first().path, QStringLiteral("/api/token"));
        EXPECT_NEAR(steady.first().meanRequestsPerSec, 2.0, 0.2);
        EXPECT_GE(steady.first().durationMs, 60 * 1000);
    }
    // The Timeline has a point per history bin, at its end, and the live ones after.
    const QList<Timeline::Point> points = timeline.points(
        {Timeline::Metric::RequestsPerSec, log}, 0, std::numeric_limits<std::int64_t>::max());
    ASSERT_GE(points.size(), history.size());
    for (qsizetype i = 0; i < history.size(); ++i) {
        EXPECT_EQ(points[i].epochMs, history[i].toMs);
        EXPECT_NEAR(points[i].value,
                    double(history[i].requests) * 1000.0 /
                        double(history[i].toMs - history[i].fromMs),
                    1e-3);
    }
    for (qsizetype i = 1; i < points.size(); ++i)
        EXPECT_LT(points[i - 1].epochMs, points[i].epochMs);
}

TEST(LogFollow, WorkerReportsAMissingContainerAndKeepsTrying)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString docker = dir.filePath(QStringLiteral("fake-docker"));
    ASSERT_TRUE(QFile::copy(QStringLiteral(TWBENCH_TEST_DATA_DIR "/docker/fake-docker"), docker));
    ASSERT_TRUE(QFile::setPermissions(docker, QFile::ReadOwner | QFile::ExeOwner));
    LogSourceSpec container;
    container.kind = LogSourceSpec::Kind::Container;
    container.path = QStringLiteral("no-such-one");
    HostSpec spec = localSpecWithLogs({container});
    spec.dockerCommand = docker;
    HostWorker worker(spec);
    worker.setFollowBackoff(100, 200);
    WorkerRecorder recorder(worker);
    worker.start();
    ASSERT_TRUE(waitUntil(
        [&] {
            return recorder.lastError(container.id())
                .contains(QStringLiteral("No such container: no-such-one"));
        },
        10000))
        << recorder.lastError(container.id()).toStdString();
    const qsizetype samples = recorder.samples.size();
    ASSERT_TRUE(waitUntil([&] { return recorder.samples.size() >= samples + 2; }, 10000));
    worker.stop();
    EXPECT_EQ(recorder.count(HostState::Retrying), 0);
}

// --- A real nginx --------------------------------------------------------------------------------

namespace {

int freeLoopbackPort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) == 0)
        port = ntohs(address.sin_port);
    ::close(fd);
    return port;
}

// One HTTP/1.0 GET to 127.0.0.1:port; the status code, or 0.
int httpGet(int port, const QByteArray &path)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    timeval timeout{2, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(quint16(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int status = 0;
    if (::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0) {
        const QByteArray request = "GET " + path + " HTTP/1.0\r\nHost: localhost\r\n\r\n";
        if (::send(fd, request.constData(), size_t(request.size()), MSG_NOSIGNAL) ==
            ssize_t(request.size())) {
            QByteArray response;
            char buffer[4096];
            for (int reads = 0; reads < 64; ++reads) {
                const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
                if (n <= 0)
                    break;
                response.append(buffer, n);
            }
            if (response.startsWith("HTTP/1."))
                status = response.mid(9, 3).toInt();
        }
    }
    ::close(fd);
    return status;
}

} // namespace

TEST(LogFollow, WorkerCountsARealNginxAccessLog)
{
    const QString nginx = QStringLiteral("/usr/sbin/nginx");
    if (!QFile::exists(nginx))
        GTEST_SKIP() << "nginx is not installed";
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const int port = freeLoopbackPort();
    ASSERT_GT(port, 0);
    const QString prefix = dir.path();
    const QString accessLog = dir.filePath(QStringLiteral("access.log"));
    const QByteArray conf = "worker_processes 1;\n"
                            "daemon off;\n"
                            "pid " +
                            prefix.toUtf8() +
                            "/nginx.pid;\n"
                            "error_log " +
                            prefix.toUtf8() +
                            "/error.log;\n"
                            "events { worker_connections 64; }\n"
                            "http {\n"
                            "  access_log " +
                            accessLog.toUtf8() +
                            " combined;\n"
                            "  client_body_temp_path " +
                            prefix.toUtf8() +
                            "/body;\n"
                            "  proxy_temp_path " +
                            prefix.toUtf8() +
                            "/proxy;\n"
                            "  fastcgi_temp_path " +
                            prefix.toUtf8() +
                            "/fastcgi;\n"
                            "  uwsgi_temp_path " +
                            prefix.toUtf8() +
                            "/uwsgi;\n"
                            "  scgi_temp_path " +
                            prefix.toUtf8() +
                            "/scgi;\n"
                            "  server {\n"
                            "    listen 127.0.0.1:" +
                            QByteArray::number(port) +
                            ";\n"
                            "    location / { return 200 \"ok\\n\"; }\n"
                            "    location /missing { return 404; }\n"
                            "  }\n"
                            "}\n";
    const QString confPath = dir.filePath(QStringLiteral("nginx.conf"));
    {
        QFile file(confPath);
        ASSERT_TRUE(file.open(QIODevice::WriteOnly));
        file.write(conf);
    }
    QProcess server;
    server.setProcessChannelMode(QProcess::MergedChannels);
    server.start(nginx, {QStringLiteral("-p"), prefix, QStringLiteral("-c"), confPath,
                         QStringLiteral("-e"), dir.filePath(QStringLiteral("error.log"))});
    ASSERT_TRUE(server.waitForStarted(5000));
    const auto stopServer = qScopeGuard([&] {
        server.terminate();
        if (!server.waitForFinished(5000)) {
            server.kill();
            server.waitForFinished(2000);
        }
    });
    if (!waitUntil([&] { return httpGet(port, "/ready") == 200; }, 10000))
        GTEST_SKIP() << "nginx did not start: " << server.readAll().toStdString();

    HostWorker worker(localSpecWithLogs({fileSource(accessLog)}));
    WorkerRecorder recorder(worker);
    worker.start();
    ASSERT_TRUE(warmUp(recorder, accessLog, [&] { return httpGet(port, "/warmup") == 200; }));
    for (int i = 0; i < 30; ++i)
        ASSERT_EQ(httpGet(port, "/api/items/" + QByteArray::number(1000 + i)), 200);
    for (int i = 0; i < 5; ++i)
        ASSERT_EQ(httpGet(port, "/missing"), 404);
    ASSERT_TRUE(waitUntil(
        [&] {
            return recorder.count(accessLog, QStringLiteral("/api/items/{id}")) >= 30 &&
                   recorder.count(accessLog, QStringLiteral("/missing")) >= 5;
        },
        10000));
    const qsizetype seen = recorder.samples.size();
    ASSERT_TRUE(waitUntil([&] { return recorder.samples.size() >= seen + 1; }, 10000));
    worker.stop();
    EXPECT_EQ(recorder.count(accessLog, QStringLiteral("/api/items/{id}")), 30);
    EXPECT_EQ(recorder.count(accessLog, QStringLiteral("/missing")), 5);
    EXPECT_EQ(recorder.total(accessLog, &LogWindow::rejected), 0);
    bool sawKey = false;
    for (const HostSamplePtr &sample : recorder.samples) {
        for (const RequestCount &request : sample->logs.value(0).keys) {
            if (request.key.path == u"/missing") {
                sawKey = true;
                EXPECT_EQ(request.key.client, QStringLiteral("127.0.0.1"));
                EXPECT_EQ(request.key.method, QStringLiteral("GET"));
                EXPECT_EQ(request.key.status, 404);
            }
        }
    }
    EXPECT_TRUE(sawKey);
}

// --- Over SSH ------------------------------------------------------------------------------------

namespace {

class LogFollowSsh : public ::testing::Test
{
protected:
    void SetUp() override
    {
        if (const QString why = SshdFixture::unavailableReason(); !why.isEmpty())
            GTEST_SKIP() << why.toStdString();
        QString error;
        ASSERT_TRUE(sshd.start(&error)) << error.toStdString();
        QFile file(sshd.knownHostsPath());
        ASSERT_TRUE(file.open(QIODevice::WriteOnly));
        file.write(sshd.knownHostsLine() + '\n');
    }

    SshdFixture sshd;
};

} // namespace

TEST_F(LogFollowSsh, TransportFollowsAHostilePathBesideTheProbeOnOneSession)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    QString marker;
    const QString path = hostilePath(dir, &marker);
    ASSERT_TRUE(QDir().mkpath(QFileInfo(path).path()));
    ASSERT_TRUE(appendTo(path, "there before\n"));

    const qsizetype logStart = sshd.log().size();
    TransportRun run(sshSpec(sshd), sshOptions(sshd));
    QByteArray followed;
    QByteArray messages;
    QList<QString> ended;
    QObject::connect(&run.transport, &Transport::followBytes, &run.transport,
                     [&](int, const QByteArray &data) { followed += data; });
    QObject::connect(&run.transport, &Transport::followStderr, &run.transport,
                     [&](int, const QByteArray &data) { messages += data; });
    QObject::connect(
        &run.transport, &Transport::followEnded, &run.transport,
        [&](int id, const QString &reason) { ended.append(QString::number(id) + u' ' + reason); });
    run.transport.start();
    ASSERT_TRUE(waitUntil([&] { return run.hello.has_value() || run.ended(); }, 15000));
    ASSERT_TRUE(run.hello) << run.failure.value_or(QString()).toStdString();

    HostSpec host = sshSpec(sshd);
    host.useSudo = true; // no sudo here: tail falls back to the login user, as the probe does
    ASSERT_TRUE(run.transport.openFollow(1, FollowCommand::forSource(fileSource(path), host)));
    // A second follow, of a file that is not there: tail says so and goes on waiting.
    const QString missing = dir.filePath(QStringLiteral("missing.log"));
    ASSERT_TRUE(run.transport.openFollow(2, FollowCommand::forSource(fileSource(missing), host)));
    ASSERT_TRUE(pollUntil(
        [&] {
            appendTo(path, "line\n");
            return followed.contains("line\n") || run.ended();
        },
        15000))
        << messages.toStdString();
    ASSERT_TRUE(waitUntil([&] { return messages.contains("No such file"); }, 10000))
        << messages.toStdString();
    const std::size_t framesBefore = run.frames.size();
    ASSERT_TRUE(appendTo(path, "one\ntwo\n"));
    ASSERT_TRUE(waitUntil([&] { return followed.contains("one\ntwo\n"); }, 10000));
    ASSERT_TRUE(waitUntil([&] { return run.frames.size() >= framesBefore + 2; }, 10000));
    EXPECT_EQ(run.transport.streamingFollows(), 2);
    EXPECT_FALSE(run.ended());
    EXPECT_TRUE(ended.isEmpty()) << ended.value(0).toStdString();
    EXPECT_FALSE(followed.contains("there before"));
    EXPECT_FALSE(QFile::exists(marker));

    // One login; the probe's channel and the two follows' on it.
    const QByteArray log = sshd.log().mid(logStart);
    EXPECT_EQ(log.count("Accepted publickey"), 1) << log.toStdString();
    EXPECT_GE(log.count("ctype session"), 3) << log.toStdString();

    // The follows end with the run: nothing is left on the server.
    run.transport.stop();
    EXPECT_TRUE(ended.isEmpty());
    EXPECT_TRUE(waitUntil(
        [&] {
            QProcess ps;
            ps.start(QStringLiteral("ps"), {QStringLiteral("-eo"), QStringLiteral("args")});
            ps.waitForFinished(5000);
            return !ps.readAll().contains(dir.path().toUtf8());
        },
        10000));
}

TEST_F(LogFollowSsh, WorkerCountsReportsAMissingFileAndFollowsAgainAfterAReconnect)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString log = dir.filePath(QStringLiteral("access.log"));
    const QString missing = dir.filePath(QStringLiteral("missing.log"));
    ASSERT_TRUE(appendTo(log, lines("/old", 10, longAgo)));
    HostSpec spec = sshSpec(sshd);
    spec.logs = {fileSource(log), fileSource(missing)};
    const SshOptions options = sshOptions(sshd);
    HostWorker worker(
        spec, [options](const HostSpec &s) { return HostWorker::defaultTransport(s, options); });
    worker.setBackoff({200, 400, 60000, 0.0});
    WorkerRecorder recorder(worker);
    worker.start();
    ASSERT_TRUE(warmUp(recorder, log, [&] { return appendTo(log, combinedLine("/warmup")); }));
    ASSERT_TRUE(appendTo(log, lines("/counted", 25)));
    ASSERT_TRUE(
        waitUntil([&] { return recorder.count(log, QStringLiteral("/counted")) >= 25; }, 10000));
    ASSERT_TRUE(waitUntil([&] { return !recorder.lastError(missing).isEmpty(); }, 10000));
    EXPECT_TRUE(recorder.lastError(missing).contains(QStringLiteral("No such file")))
        << recorder.lastError(missing).toStdString();
    const qsizetype seen = recorder.samples.size();
    ASSERT_TRUE(waitUntil([&] { return recorder.samples.size() >= seen + 2; }, 10000));
    EXPECT_EQ(recorder.count(HostState::Retrying), 0);

    // The connection dies: the follows die with the run, and come back with the next one.
    ASSERT_GE(sshd.killSessions(), 1);
    ASSERT_TRUE(waitUntil([&] { return recorder.count(HostState::Retrying) >= 1; }, 15000));
    const auto streamingAgain = [&] {
        return recorder.count(HostState::Streaming) >= 2 &&
               recorder.statuses.last().state == HostState::Streaming;
    };
    ASSERT_TRUE(waitUntil(streamingAgain, 15000));
    const std::int64_t warmups = recorder.count(log, QStringLiteral("/warmup"));
    ASSERT_TRUE(pollUntil(
        [&] {
            appendTo(log, combinedLine("/warmup"));
            return waitUntil(
                [&] { return recorder.count(log, QStringLiteral("/warmup")) > warmups; }, 200);
        },
        15000));
    ASSERT_TRUE(appendTo(log, lines("/reconnected", 4)));
    ASSERT_TRUE(
        waitUntil([&] { return recorder.count(log, QStringLiteral("/reconnected")) >= 4; }, 10000));
    const qsizetype later = recorder.samples.size();
    ASSERT_TRUE(waitUntil([&] { return recorder.samples.size() >= later + 2; }, 10000));
    worker.stop();
    EXPECT_EQ(recorder.count(log, QStringLiteral("/counted")), 25);
    EXPECT_EQ(recorder.count(log, QStringLiteral("/reconnected")), 4);
    EXPECT_EQ(recorder.count(log, QStringLiteral("/old")), 0);
    EXPECT_TRUE(recorder.lastError(missing).contains(QStringLiteral("No such file")));
    ASSERT_FALSE(recorder.statuses.isEmpty());
    EXPECT_EQ(recorder.statuses.last().state, HostState::Stopped);
}

TEST_F(LogFollowSsh, ChannelTheServerRefusesEndsThatFollowOnly)
{
    // sshd allows MaxSessions (10) channels a connection: the probe's and nine follows.
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    TransportRun run(sshSpec(sshd), sshOptions(sshd));
    QHash<int, QString> ended;
    QObject::connect(&run.transport, &Transport::followEnded, &run.transport,
                     [&](int id, const QString &reason) { ended.insert(id, reason); });
    run.transport.start();
    ASSERT_TRUE(waitUntil([&] { return run.hello.has_value() || run.ended(); }, 15000));
    ASSERT_TRUE(run.hello) << run.failure.value_or(QString()).toStdString();
    for (int id = 1; id <= 10; ++id) {
        const QString path = dir.filePath(QStringLiteral("log%1").arg(id));
        ASSERT_TRUE(appendTo(path, {}));
        ASSERT_TRUE(run.transport.openFollow(
            id, FollowCommand::forSource(fileSource(path), sshSpec(sshd))));
    }
    ASSERT_TRUE(waitUntil(
        [&] { return run.transport.streamingFollows() + ended.size() == 10 || run.ended(); },
        15000));
    EXPECT_EQ(run.transport.streamingFollows(), 9);
    ASSERT_EQ(ended.size(), 1);
    EXPECT_TRUE(ended.begin().value().contains(QStringLiteral("MaxSessions")));
    std::printf("the tenth follow: %s\n", qPrintable(ended.begin().value()));
    const std::size_t frames = run.frames.size();
    ASSERT_TRUE(waitUntil([&] { return run.frames.size() >= frames + 2 || run.ended(); }, 10000));
    EXPECT_FALSE(run.ended()) << "the probe streams on";
    run.transport.stop();
}
