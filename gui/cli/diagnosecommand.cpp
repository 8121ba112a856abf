#include "diagnosecommand.h"

#include "model/accesslog/accesslogformat.h"
#include "model/accesslog/accesslogstats.h"
#include "model/attribution.h"
#include "model/capture/capturefile.h"
#include "model/diagnosis/diagnosis.h"
#include "model/diagnosis/hostdiagnosis.h"
#include "model/diagnosis/reportjson.h"
#include "model/timeline.h"
#include "remote/fleet.h"
#include "remote/homepath.h"
#include "remote/hoststore.h"
#include "remote/probeparameters.h"

#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QSaveFile>
#include <QTimer>

#include <cstdio>
#include <memory>
#include <optional>

#include <unistd.h>

namespace twbench {

namespace {

const QString containerPrefix = QStringLiteral("container:");
const QString regexInfix = QStringLiteral(":regex:");

// One line for a terminal: newlines and runs of spaces folded, control characters escaped (a
// reason may quote what a server or a probe said).
QString oneLine(const QString &text)
{
    return safeDisplayText(text.simplified(), 4000);
}

void printTo(FILE *stream, const QString &text)
{
    const QByteArray bytes = text.toLocal8Bit();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}

void printError(const QString &reason)
{
    printTo(stderr, QStringLiteral("twbench: ") + oneLine(reason) + u'\n');
}

// One diagnose run: a Fleet with one host, fed into the models until the duration is over.
class DiagnoseRun final : public QObject
{
public:
    explicit DiagnoseRun(const DiagnoseArguments &arguments)
        : m_arguments(arguments)
        , m_fleet(new Fleet(this))
        , m_ticker(new QTimer(this))
        , m_progressToTerminal(::isatty(STDERR_FILENO) == 1)
    {
        m_fleet->setSshOptions(m_arguments.ssh);
        connect(m_fleet, &Fleet::sampleReady, this,
                [this](const QString &, const HostSamplePtr &sample) { onSample(sample); });
        connect(m_fleet, &Fleet::statusChanged, this,
                [this](const QString &, const HostStatus &status) { onStatus(status); });
        connect(m_fleet, &Fleet::runStarted, this,
                [this](const QString &, const QString &) { m_probeStarted = true; });
        // A refused key is shown (not asked) before the refusal; headless transports never
        // ask about an unknown one, and should one do it anyway, the answer is no.
        connect(m_fleet, &Fleet::hostKeyQuestion, this,
                [this](const QString &hostId, const HostKeyQuestion &question) {
                    m_refusedKey = question;
                    if (question.verdict == HostKeyVerdict::Unknown)
                        m_fleet->answerHostKey(hostId, question.id, HostKeyDecision::Cancel);
                });
        connect(m_fleet, &Fleet::credentialsNeeded, this,
                [this](const QString &hostId, const CredentialRequest &request) {
                    CredentialReply reply;
                    reply.id = request.id;
                    reply.cancelled = true;
                    m_fleet->provideCredentials(hostId, reply);
                });
        m_ticker->setInterval(200);
        connect(m_ticker, &QTimer::timeout, this, &DiagnoseRun::onTick);
    }

    ~DiagnoseRun() override { m_fleet->removeAll(); }

    int exec()
    {
        if (!m_arguments.savePath.isEmpty() && !startCapture())
            return int(DiagnoseExit::OutputFailed);
        progress(DiagnoseCommand::tr("%1: connecting…").arg(m_arguments.hostName));
        m_clock.start();
        m_ticker->start();
        if (!m_fleet->addHost(m_arguments.host)) {
            printError(DiagnoseCommand::tr("%1: the host could not be started.")
                           .arg(m_arguments.hostName));
            return int(DiagnoseExit::BadArguments);
        }
        m_loop.exec();
        m_ticker->stop();
        // Joins the worker: nothing runs on, and nothing more arrives, after this.
        m_fleet->removeAll();
        endProgressLine();

        if (m_samples == 0) {
            printError(m_reason);
            return int(m_exit);
        }
        const int written = writeReport();
        if (written != int(DiagnoseExit::Ok))
            return written;
        if (m_exit != DiagnoseExit::Ok) {
            // The run ended early (say a reconnect met a changed host key): what was collected
            // is written, and the reason still decides the exit code.
            printError(m_reason);
            return int(m_exit);
        }
        return int(DiagnoseExit::Ok);
    }

private:
    void onSample(const HostSamplePtr &sample)
    {
        if (!sample || m_done)
            return;
        if (m_samples == 0) {
            m_firstSampleClockMs = m_clock.elapsed();
            m_firstMs = sample->epochMs;
            progress(DiagnoseCommand::tr("%1: streaming; collecting for %n s.", "",
                                         m_arguments.durationSec)
                         .arg(m_arguments.hostName));
        }
        ++m_samples;
        if (m_capture && (!m_capture->addSample(*sample) || !m_capture->commit()) &&
            m_captureError.isEmpty())
            m_captureError = m_capture->errorString();
        m_lastMs = std::max(m_lastMs, sample->epochMs);
        m_timeline.add(*sample);
        for (const LogWindow &window : sample->logs)
            m_accessLogs.add(window);
        if (sample->table) {
            m_table = sample->table;
            // The map belongs to the table it came with.
            m_namespaces = sample->namespaces;
        }
        if (sample->docker)
            m_docker = sample->docker;
        m_counters = sample->counters;
        m_limits = sample->limits; // the probe's hello's, carried by every sample of its run
        for (const SourceIssue &issue : sample->issues) {
            if (m_issues.size() < maxIssues ||
                m_issues.contains(issue.source + u'\n' + issue.message))
                m_issues.insert(issue.source + u'\n' + issue.message, issue);
        }
    }

    void onStatus(const HostStatus &status)
    {
        if (m_done)
            return;
        switch (status.state) {
        case HostState::Connecting:
            m_probeStarted = false;
            [[fallthrough]];
        case HostState::VerifyingHostKey:
        case HostState::Authenticating:
            m_phase = status.state;
            if (m_samples == 0 && status.state != HostState::Connecting)
                progress(DiagnoseCommand::tr("%1: %2…").arg(m_arguments.hostName,
                                                            hostStateText(status.state)));
            return;
        case HostState::Retrying:
            if (m_samples == 0) {
                finish(classify(status.state), status.detail);
                return;
            }
            // The worker reconnects by itself; the run goes on until its end.
            progress(DiagnoseCommand::tr("%1: the connection dropped (%2); reconnecting.")
                         .arg(m_arguments.hostName, oneLine(status.detail)));
            return;
        case HostState::Failed:
            finish(classify(status.state), status.detail);
            return;
        case HostState::Idle:
        case HostState::Streaming:
        case HostState::Stopped:
        case HostState::Recorded:
            return;
        }
    }

    DiagnoseExit classify(HostState state) const
    {
        // After the probe's hello the login is behind: what fails is the probe or the link.
        if (m_probeStarted)
            return DiagnoseExit::Unreachable;
        if (state == HostState::Failed && m_phase == HostState::VerifyingHostKey)
            return DiagnoseExit::HostKeyRefused;
        if (state == HostState::Failed && m_phase == HostState::Authenticating)
            return DiagnoseExit::LoginFailed;
        return DiagnoseExit::Unreachable;
    }

    void onTick()
    {
        if (m_done)
            return;
        const qint64 now = m_clock.elapsed();
        if (m_samples == 0) {
            if (now >= qint64(m_arguments.connectTimeoutSec) * 1000) {
                finish(DiagnoseExit::Unreachable,
                       DiagnoseCommand::tr("%1: no answer within %n s (--connect-timeout).", "",
                                           m_arguments.connectTimeoutSec)
                           .arg(m_arguments.hostName));
            }
            return;
        }
        const qint64 endMs = m_firstSampleClockMs + qint64(m_arguments.durationSec) * 1000;
        if (now >= endMs) {
            m_done = true;
            m_loop.quit();
            return;
        }
        const qint64 every = m_progressToTerminal ? 1000 : 10000;
        if (now - m_lastProgressMs < every)
            return;
        m_lastProgressMs = now;
        const int left = int((endMs - now + 999) / 1000);
        const std::optional<std::int64_t> timeWait = m_counters.value(counter::TimeWait);
        const QString line =
            DiagnoseCommand::tr("%1: %n sample(s), TIME_WAIT %2, %3 s left", "", int(m_samples))
                .arg(m_arguments.hostName,
                     timeWait ? QString::number(*timeWait) : QStringLiteral("?"))
                .arg(left);
        if (m_progressToTerminal) {
            if (!m_arguments.quiet) {
                // One line, rewritten in place.
                printTo(stderr, u'\r' + line + QStringLiteral("\x1b[K"));
                m_progressLineOpen = true;
            }
        } else {
            progress(line);
        }
    }

    void finish(DiagnoseExit exit, const QString &reason)
    {
        if (m_done)
            return;
        m_done = true;
        m_exit = exit;
        m_reason = reason.isEmpty() ? DiagnoseCommand::tr("%1: the run ended without a reason.")
                                          .arg(m_arguments.hostName)
                                    : reason;
        if (exit == DiagnoseExit::HostKeyRefused)
            m_reason += u' ' + hostKeyHint();
        m_loop.quit();
    }

    // What to do about a refused key from the command line (the transport's text speaks of
    // the GUI's choices).
    QString hostKeyHint() const
    {
        if (!m_refusedKey) {
            // Unknown: the transport says so without a question.
            return m_arguments.ssh.acceptNewHostKeys
                       ? QString()
                       : DiagnoseCommand::tr("Check the fingerprint, then run again with "
                                             "--accept-new-host-key to trust and save it.");
        }
        if (m_refusedKey->verdict == HostKeyVerdict::Changed ||
            m_refusedKey->verdict == HostKeyVerdict::OtherType) {
            return DiagnoseCommand::tr("To forget the old key: ssh-keygen -R '%1' -f '%2'.")
                .arg(KnownHosts::hostName(m_refusedKey->host, m_refusedKey->port),
                     m_refusedKey->knownHostsFile);
        }
        return {};
    }

    void progress(const QString &line)
    {
        if (m_arguments.quiet)
            return;
        endProgressLine();
        printTo(stderr, line + u'\n');
    }

    void endProgressLine()
    {
        if (std::exchange(m_progressLineOpen, false))
            printTo(stderr, QStringLiteral("\n"));
    }

    int writeReport()
    {
        DiagnosisInput input;
        input.hostId = m_arguments.host.id;
        input.hostLabel = m_arguments.hostName;
        input.table = m_table;
        input.docker = m_docker;
        input.namespaces = m_namespaces;
        input.timeline = &m_timeline;
        input.accessLogs = &m_accessLogs;
        input.counters = m_counters;
        input.limits = m_limits;
        input.fromMs = m_firstMs;
        input.toMs = m_lastMs;
        // The attribution and topology of the table, built as the findings panel builds them.
        const std::unique_ptr<HostDiagnosis> diagnosis = diagnoseHost(input);
        const QList<Finding> &findings = diagnosis->findings;
        if (m_capture) {
            CaptureFindings record;
            record.hostId = input.hostId;
            record.epochMs = m_lastMs;
            record.json =
                QJsonDocument(
                    diagnosisJson({}, findings).value(QStringLiteral("findings")).toArray())
                    .toJson(QJsonDocument::Compact);
            if (!m_capture->addFindings(record) || !m_capture->commit() ||
                !m_captureError.isEmpty() || !m_capture->saveCopyTo(m_arguments.savePath)) {
                printError(
                    DiagnoseCommand::tr("Could not save the capture to %1 (what was "
                                        "recorded is kept in %3): %2")
                        .arg(m_arguments.savePath,
                             m_captureError.isEmpty() ? m_capture->errorString() : m_captureError,
                             m_partialPath));
                return int(DiagnoseExit::OutputFailed);
            }
            m_capture->close();
            removeCaptureFiles(m_partialPath);
            progress(DiagnoseCommand::tr("%1: saved the capture to %2.")
                         .arg(m_arguments.hostName, m_arguments.savePath));
        }
        const HostReport report = hostReport(diagnosis->input, m_samples, m_issues.values());
        const QByteArray json =
            QJsonDocument(diagnosisJson({report}, findings)).toJson(QJsonDocument::Indented);

        if (m_arguments.jsonPath == QLatin1String("-")) {
            QFile out;
            if (!out.open(stdout, QIODevice::WriteOnly) || out.write(json) != json.size() ||
                !out.flush()) {
                printError(DiagnoseCommand::tr("Could not write the JSON to standard output."));
                return int(DiagnoseExit::OutputFailed);
            }
        } else {
            // A temporary file renamed over the target: a reader sees the old file or the new
            // one, never half of one.
            QSaveFile out(m_arguments.jsonPath);
            out.setDirectWriteFallback(false);
            if (!out.open(QIODevice::WriteOnly) || out.write(json) != json.size() ||
                !out.commit()) {
                printError(DiagnoseCommand::tr("Could not write %1: %2")
                               .arg(m_arguments.jsonPath, out.errorString()));
                return int(DiagnoseExit::OutputFailed);
            }
        }
        progress(DiagnoseCommand::tr("%1: %n finding(s) from %2 samples in all; wrote %3.", "",
                                     int(findings.size()))
                     .arg(m_arguments.hostName)
                     .arg(m_samples)
                     .arg(m_arguments.jsonPath == QLatin1String("-")
                              ? DiagnoseCommand::tr("standard output")
                              : m_arguments.jsonPath));
        return int(DiagnoseExit::Ok);
    }

    // The run is recorded, committed with every sample, into NAME.partial.twbench beside the
    // file --save names, and copied over that file at the end: the file named is a finished
    // capture or untouched, and a run that is killed (SIGKILL, a power cut) leaves the partial
    // one with every sample up to its last second, which File → Open and `report` read.
    static QString partialPathFor(const QString &savePath)
    {
        const QFileInfo target(savePath);
        return target.absoluteDir().filePath(target.completeBaseName() +
                                             QStringLiteral(".partial.twbench"));
    }

    bool startCapture()
    {
        m_partialPath = partialPathFor(m_arguments.savePath);
        removeCaptureFiles(m_partialPath); // an earlier killed run's: this run replaces it
        m_capture = std::make_unique<CaptureWriter>();
        if (!m_capture->open(m_partialPath) ||
            !m_capture->putHost(captureHostOf(m_arguments.host))) {
            printError(m_capture->errorString());
            return false;
        }
        return true;
    }

    static void removeCaptureFiles(const QString &path)
    {
        for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
            QFile::remove(path + suffix);
    }

    static constexpr qsizetype maxIssues = 20;

    const DiagnoseArguments m_arguments;
    Fleet *m_fleet;   // Owned (child)
    QTimer *m_ticker; // Owned (child)
    const bool m_progressToTerminal;
    QEventLoop m_loop;
    QElapsedTimer m_clock;
    qint64 m_firstSampleClockMs = 0;
    qint64 m_lastProgressMs = 0;
    bool m_progressLineOpen = false;
    bool m_done = false;
    bool m_probeStarted = false;
    HostState m_phase = HostState::Idle;
    DiagnoseExit m_exit = DiagnoseExit::Ok;
    QString m_reason;
    std::optional<HostKeyQuestion> m_refusedKey; // shown by the transport as it refused

    std::int64_t m_samples = 0;
    std::int64_t m_firstMs = 0;
    std::int64_t m_lastMs = 0;
    Timeline m_timeline;
    AccessLogStats m_accessLogs;
    SnapshotPtr m_table;
    std::shared_ptr<const DockerInventory> m_docker;
    std::shared_ptr<const NamespaceMap> m_namespaces;
    KernelCounters m_counters;
    KernelLimits m_limits;
    QMap<QString, SourceIssue> m_issues;      // by source and message
    QString m_partialPath;                    // with --save: where the run is recorded
    std::unique_ptr<CaptureWriter> m_capture; // with --save
    QString m_captureError;                   // the first failure while recording
};

bool parseSeconds(const QString &text, int min, int max, int *out)
{
    bool ok = false;
    const int value = text.trimmed().toInt(&ok);
    if (!ok || value < min || value > max)
        return false;
    *out = value;
    return true;
}

} // namespace

std::optional<HostSpec> DiagnoseCommand::parseHost(const QString &text,
                                                   const QList<HostSpec> &saved, QString *error)
{
    const auto fail = [error](const QString &message) -> std::optional<HostSpec> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    const QString spec = text.trimmed();
    if (spec.isEmpty())
        return fail(tr("--host needs a value: local, [user@]host[:port] or a saved host's name."));
    if (spec == QLatin1String("local")) {
        HostSpec local = HostSpec::localWorkstation();
        local.displayName = spec;
        return local;
    }

    // A saved host, by id or by name (a name two hosts share is ambiguous).
    for (const HostSpec &host : saved) {
        if (host.id == spec)
            return host;
    }
    QList<HostSpec> named;
    for (const HostSpec &host : saved) {
        if (host.displayName == spec)
            named.append(host);
    }
    if (named.size() == 1)
        return named.first();
    if (named.size() > 1)
        return fail(tr("%n saved host(s) are named \"%1\": give the id of one instead.", "",
                       int(named.size()))
                        .arg(spec));

    HostSpec host;
    host.id = spec;
    host.displayName = spec;
    host.kind = HostSpec::Kind::Ssh;
    QString rest = spec;
    if (const qsizetype at = rest.lastIndexOf(u'@'); at >= 0) {
        host.user = rest.left(at);
        rest = rest.mid(at + 1);
        if (host.user.isEmpty())
            return fail(tr("The user name before '@' in \"%1\" is empty.").arg(spec));
    }
    QString port;
    if (rest.startsWith(u'[')) {
        const qsizetype close = rest.indexOf(u']');
        if (close < 0)
            return fail(tr("\"%1\" opens '[' without closing it.").arg(spec));
        const QString after = rest.mid(close + 1);
        if (!after.isEmpty() && !after.startsWith(u':'))
            return fail(tr("Only \":port\" may follow ']' in \"%1\".").arg(spec));
        port = after.mid(1);
        if (after.startsWith(u':') && port.isEmpty())
            return fail(tr("The port after ':' in \"%1\" is empty.").arg(spec));
        rest = rest.mid(1, close - 1);
    } else if (rest.count(u':') == 1) {
        port = rest.mid(rest.indexOf(u':') + 1);
        rest = rest.left(rest.indexOf(u':'));
        if (port.isEmpty())
            return fail(tr("The port after ':' in \"%1\" is empty.").arg(spec));
    } // several ':' without brackets: an IPv6 address on port 22
    host.address = rest;
    if (!port.isEmpty()) {
        bool ok = false;
        host.port = port.toInt(&ok);
        if (!ok || host.port < 1 || host.port > 65535)
            return fail(tr("The port in \"%1\" must be a number from 1 to 65535.").arg(spec));
    }
    if (host.address.isEmpty())
        return fail(tr("\"%1\" names no host.").arg(spec));
    if (const QString why = host.validationError(); !why.isEmpty())
        return fail(why);
    return host;
}

std::optional<LogSourceSpec> DiagnoseCommand::parseLog(const QString &text, QString *error)
{
    LogSourceSpec source;
    QString target = text;
    if (const qsizetype regex = target.indexOf(regexInfix); regex >= 0) {
        source.format = target.mid(regex + 1); // "regex:PATTERN"
        target = target.left(regex);
    } else if (const qsizetype colon = target.lastIndexOf(u':'); colon >= 0) {
        const QString word = target.mid(colon + 1);
        if (word == QLatin1String("auto") || word == QLatin1String("combined") ||
            word == QLatin1String("common")) {
            source.format = word;
            target = target.left(colon);
        }
    }
    if (target.startsWith(containerPrefix)) {
        source.kind = LogSourceSpec::Kind::Container;
        source.path = target.mid(containerPrefix.size());
    } else {
        source.kind = LogSourceSpec::Kind::File;
        source.path = target;
    }
    QString why = source.validationError();
    if (why.isEmpty())
        AccessLogFormat::fromSpec(source.format, &why);
    if (!why.isEmpty()) {
        if (error)
            *error = tr("--log %1: %2").arg(text, why);
        return std::nullopt;
    }
    return source;
}

QString DiagnoseCommand::usage()
{
    return tr("Usage: twbench diagnose --host SPEC --json FILE [options]\n"
              "\n"
              "Watches one host for a while, headless, and writes what twbench concludes as "
              "JSON.\n"
              "\n"
              "  --host SPEC             local, [user@]host[:port], or a saved host's name or id\n"
              "  --json FILE             where the JSON goes (written atomically; - for "
              "standard output)\n"
              "  --save FILE             also keep the run as a capture file (.twbench), for "
              "twbench report and File → Open;\n"
              "                          until the run ends it is recorded in "
              "NAME.partial.twbench\n"
              "  --duration SECONDS      how long to collect after the first sample (default "
              "%1)\n"
              "  --connect-timeout SECONDS\n"
              "                          how long to wait for the first sample, and for each "
              "SSH step (default %2)\n"
              "  --identity FILE         the private key to log in with\n"
              "  --known-hosts FILE      the known_hosts file (default ~/.ssh/known_hosts)\n"
              "  --accept-new-host-key   trust and save a host key that is not known yet\n"
              "  --sudo                  read root-only data through sudo -n\n"
              "  --docker CMD            the docker command, e.g. \"sudo -n docker\"\n"
              "  --log PATH[:FORMAT]     an access log to follow (repeatable): an absolute "
              "path or\n"
              "                          container:NAME; FORMAT is auto, combined, common or "
              "regex:PATTERN\n"
              "  --quiet                 no progress, only errors\n"
              "\n"
              "Exit codes: 0 written (with or without findings), 1 the JSON could not be "
              "written,\n"
              "2 bad arguments, 3 unreachable, 4 host key refused, 5 login refused.\n")
        .arg(DiagnoseArguments::defaultDurationSec)
        .arg(DiagnoseArguments::defaultConnectTimeoutSec);
}

DiagnoseCommand::ParseResult DiagnoseCommand::parse(const QStringList &arguments,
                                                    const QList<HostSpec> &savedHosts,
                                                    DiagnoseArguments *out, QString *error)
{
    const auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return ParseResult::Error;
    };
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")});
    const QCommandLineOption host(QStringLiteral("host"), {}, QStringLiteral("SPEC"));
    const QCommandLineOption json(QStringLiteral("json"), {}, QStringLiteral("FILE"));
    const QCommandLineOption duration(QStringLiteral("duration"), {}, QStringLiteral("SECONDS"));
    const QCommandLineOption timeout(QStringLiteral("connect-timeout"), {},
                                     QStringLiteral("SECONDS"));
    const QCommandLineOption identity(QStringLiteral("identity"), {}, QStringLiteral("FILE"));
    const QCommandLineOption knownHosts(QStringLiteral("known-hosts"), {}, QStringLiteral("FILE"));
    const QCommandLineOption acceptNew(QStringLiteral("accept-new-host-key"));
    const QCommandLineOption sudo(QStringLiteral("sudo"));
    const QCommandLineOption docker(QStringLiteral("docker"), {}, QStringLiteral("CMD"));
    const QCommandLineOption log(QStringLiteral("log"), {}, QStringLiteral("PATH[:FORMAT]"));
    const QCommandLineOption quiet(QStringList{QStringLiteral("q"), QStringLiteral("quiet")});
    const QCommandLineOption save(QStringLiteral("save"), {}, QStringLiteral("FILE"));
    parser.addOptions({help, host, json, duration, timeout, identity, knownHosts, acceptNew, sudo,
                       docker, log, quiet, save});
    if (!parser.parse(QStringList{QStringLiteral("twbench-diagnose")} + arguments))
        return fail(parser.errorText());
    if (parser.isSet(help))
        return ParseResult::Help;
    if (!parser.positionalArguments().isEmpty())
        return fail(tr("Unexpected argument \"%1\" (see twbench diagnose --help).")
                        .arg(parser.positionalArguments().first()));
    // An option given twice where one is meant is a mistake, not a choice of the last one.
    for (const QCommandLineOption *single :
         {&host, &json, &duration, &timeout, &identity, &knownHosts, &docker, &save}) {
        if (parser.values(*single).size() > 1)
            return fail(tr("--%1 is given more than once.").arg(single->names().constFirst()));
    }
    if (!parser.isSet(host))
        return fail(tr("--host is missing (see twbench diagnose --help)."));
    if (!parser.isSet(json))
        return fail(tr("--json is missing (see twbench diagnose --help)."));

    DiagnoseArguments result;
    if (parser.isSet(duration) &&
        !parseSeconds(parser.value(duration), 1, DiagnoseArguments::maxDurationSec,
                      &result.durationSec))
        return fail(tr("--duration must be a whole number of seconds from 1 to %1.")
                        .arg(DiagnoseArguments::maxDurationSec));
    if (parser.isSet(timeout) &&
        !parseSeconds(parser.value(timeout), 1, DiagnoseArguments::maxConnectTimeoutSec,
                      &result.connectTimeoutSec))
        return fail(tr("--connect-timeout must be a whole number of seconds from 1 to %1.")
                        .arg(DiagnoseArguments::maxConnectTimeoutSec));
    result.quiet = parser.isSet(quiet);

    result.jsonPath = parser.value(json);
    if (parser.isSet(save)) {
        result.savePath = expandHome(parser.value(save));
        if (!QFileInfo(QFileInfo(result.savePath).absolutePath()).isDir())
            return fail(tr("--save %1: its directory does not exist.").arg(parser.value(save)));
    }
    if (result.jsonPath.isEmpty())
        return fail(tr("--json needs a file name (or - for standard output)."));
    if (result.jsonPath != QLatin1String("-")) {
        const QFileInfo file(result.jsonPath);
        const QFileInfo dir(file.absolutePath());
        if (file.isDir())
            return fail(tr("--json %1 is a directory.").arg(result.jsonPath));
        if (!dir.isDir() || !dir.isWritable())
            return fail(tr("--json %1: the directory %2 does not exist or is not writable.")
                            .arg(result.jsonPath, dir.filePath()));
    }

    QString why;
    std::optional<HostSpec> spec = parseHost(parser.value(host), savedHosts, &why);
    if (!spec)
        return fail(why);
    HostSpec &h = *spec;
    result.hostName = h.displayName;
    if (h.kind != HostSpec::Kind::Local && h.kind != HostSpec::Kind::Ssh)
        return fail(tr("The saved host \"%1\" cannot be watched from the command line.")
                        .arg(result.hostName));
    const bool ssh = h.kind == HostSpec::Kind::Ssh;
    if (parser.isSet(identity)) {
        if (!ssh)
            return fail(tr("--identity is for SSH hosts only."));
        const QString path = expandHome(parser.value(identity));
        if (!QFileInfo(path).isFile() || !QFileInfo(path).isReadable())
            return fail(tr("--identity %1: no such readable file.").arg(parser.value(identity)));
        h.identityFile = path;
        h.login = HostSpec::LoginMethod::IdentityFile;
    }
    if (parser.isSet(sudo))
        h.useSudo = true;
    if (parser.isSet(docker))
        h.dockerCommand = parser.value(docker).simplified();
    // Logs on the command line replace a saved host's own.
    if (parser.isSet(log)) {
        h.logs.clear();
        for (const QString &text : parser.values(log)) {
            std::optional<LogSourceSpec> source = parseLog(text, &why);
            if (!source)
                return fail(why);
            h.logs.append(*source);
        }
    }
    if (const QString invalid = h.validationError(); !invalid.isEmpty())
        return fail(invalid);
    if (const QString invalid = ProbeParameters::fromSpec(h).error(); !invalid.isEmpty())
        return fail(invalid);

    result.ssh.headless = true;
    result.ssh.acceptNewHostKeys = parser.isSet(acceptNew);
    result.ssh.timeoutSec = result.connectTimeoutSec;
    if (parser.isSet(knownHosts)) {
        const QString path = expandHome(parser.value(knownHosts));
        if (!QFileInfo(QFileInfo(path).absolutePath()).isDir())
            return fail(tr("--known-hosts %1: its directory does not exist.")
                            .arg(parser.value(knownHosts)));
        result.ssh.knownHostsFile = QFileInfo(path).absoluteFilePath();
    }
    result.host = std::move(h);
    *out = std::move(result);
    return ParseResult::Ok;
}

int DiagnoseCommand::run(const DiagnoseArguments &arguments)
{
    DiagnoseRun run(arguments);
    return run.exec();
}

int DiagnoseCommand::main(const QStringList &arguments)
{
    // The GUI's saved hosts, for --host NAME; only read, never written.
    const HostStore store;
    DiagnoseArguments parsed;
    QString error;
    switch (parse(arguments, store.load(), &parsed, &error)) {
    case ParseResult::Help:
        printTo(stdout, usage());
        return int(DiagnoseExit::Ok);
    case ParseResult::Error:
        printError(error);
        return int(DiagnoseExit::BadArguments);
    case ParseResult::Ok:
        break;
    }
    return run(parsed);
}

} // namespace twbench
