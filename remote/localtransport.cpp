#include "localtransport.h"

#include "model/parsereport.h"

#include <QProcessEnvironment>

#include <csignal>
#include <sys/types.h>
#include <unistd.h>

namespace twbench {

namespace {

// Ends a process started in a group of its own (setpgid) and everything it started, briefly
// waiting for it; reports nothing.
void endProcessGroup(QProcess *process)
{
    if (process->state() == QProcess::NotRunning)
        return;
    const qint64 pid = process->processId();
    const auto signalGroup = [pid](int signal) {
        if (pid > 0 && ::kill(-pid_t(pid), signal) != 0)
            ::kill(pid_t(pid), signal); // not a group leader after all
    };
    signalGroup(SIGTERM);
    if (!process->waitForFinished(2000)) {
        signalGroup(SIGKILL);
        process->waitForFinished(2000);
    }
}

QByteArray lastLine(const QByteArray &text)
{
    const QByteArray trimmed = text.trimmed();
    const qsizetype lastBreak = trimmed.lastIndexOf('\n');
    return lastBreak < 0 ? trimmed : trimmed.sliced(lastBreak + 1);
}

} // namespace

LocalTransport::LocalTransport(ProbeParameters parameters, QObject *parent)
    : Transport(parent)
    , m_parameters(parameters)
{}

LocalTransport::~LocalTransport()
{
    stop();
}

void LocalTransport::start()
{
    if (isRunning())
        return;
    stop(); // a finished run's QProcess is replaced
    m_stderrTail.clear();
    m_reported = false;

    const QByteArray script = m_script.isEmpty() ? probeScript() : m_script;
    if (script.isEmpty() || m_shell.isEmpty()) {
        m_reported = true;
        Q_EMIT failed(tr("The probe script is missing from this build."));
        return;
    }

    m_process = new QProcess(this);
    // The probe gets its own process group, so stop() ends its `sleep` and `ss` with it
    // instead of leaving them to finish on their own.
    m_process->setChildProcessModifier([] { ::setpgid(0, 0); });
    m_process->setStandardInputFile(QProcess::nullDevice());
    m_process->setProgram(m_shell.constFirst());
    // "$0" is a fixed name; the parameters are separate words: the shell never parses data.
    m_process->setArguments(m_shell.mid(1) +
                            QStringList{QStringLiteral("-c"), QString::fromUtf8(script),
                                        QStringLiteral("twbench-probe")} +
                            m_parameters.arguments());
    connect(m_process, &QProcess::readyReadStandardOutput, this,
            &LocalTransport::onReadyReadStdout);
    connect(m_process, &QProcess::readyReadStandardError, this, &LocalTransport::onReadyReadStderr);
    connect(m_process, &QProcess::errorOccurred, this, &LocalTransport::onErrorOccurred);
    connect(m_process, &QProcess::finished, this, &LocalTransport::onFinished);
    m_process->start(QIODevice::ReadOnly);
}

void LocalTransport::stop()
{
    closeFollows();
    if (!m_process)
        return;
    QProcess *process = std::exchange(m_process, nullptr);
    // Nothing is reported after stop(): the caller asked for the end.
    process->disconnect(this);
    endProcessGroup(process);
    // Later, not now: stop() may run inside one of this QProcess's own signals (a worker
    // that gives up while reading its output).
    process->deleteLater();
}

bool LocalTransport::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

qint64 LocalTransport::processId() const
{
    return m_process ? m_process->processId() : 0;
}

void LocalTransport::onReadyReadStdout()
{
    const QByteArray data = m_process->readAllStandardOutput();
    if (!data.isEmpty())
        Q_EMIT bytesReceived(data);
}

void LocalTransport::onReadyReadStderr()
{
    const QByteArray data = m_process->readAllStandardError();
    if (data.isEmpty())
        return;
    // Bounded: a probe that floods stderr costs at most the tail and one chunk at a time.
    m_stderrTail.append(data.right(maxStderrTail));
    if (m_stderrTail.size() > maxStderrTail)
        m_stderrTail.remove(0, m_stderrTail.size() - maxStderrTail);
    Q_EMIT stderrReceived(data.left(maxStderrTail));
}

void LocalTransport::onErrorOccurred(QProcess::ProcessError error)
{
    // Crashes and exits are reported by onFinished(); only a failed start ends here.
    if (error != QProcess::FailedToStart || m_reported)
        return;
    m_reported = true;
    Q_EMIT failed(tr("Could not start the probe with %1: %2")
                      .arg(m_shell.join(QLatin1Char(' ')), m_process->errorString()));
}

void LocalTransport::onFinished(int exitCode, QProcess::ExitStatus status)
{
    // What the probe wrote just before it ended is still buffered.
    onReadyReadStdout();
    onReadyReadStderr();
    // The follows belong to the run, which ends here.
    closeFollows();
    if (m_reported)
        return;
    m_reported = true;
    if (status == QProcess::CrashExit) {
        Q_EMIT failed(tr("The probe was killed or crashed.") + stderrSummary());
        return;
    }
    const QString detail = exitCode == 0 ? tr("The probe ended.")
                                         : tr("The probe exited with status %1.").arg(exitCode);
    Q_EMIT finished(exitCode, detail + stderrSummary());
}

QString LocalTransport::stderrSummary() const
{
    const QByteArray tail = m_stderrTail.trimmed();
    if (tail.isEmpty())
        return {};
    // The last line says the most; escaped, as it is remote text.
    const qsizetype lastBreak = tail.lastIndexOf('\n');
    const QByteArray lastLine = lastBreak < 0 ? tail : tail.sliced(lastBreak + 1);
    return QLatin1Char(' ') + tr("Its last error output: %1").arg(printableExcerpt(lastLine, 300));
}

} // namespace twbench

namespace twbench {

bool LocalTransport::openFollow(int followId, const FollowCommand &command)
{
    if (!isRunning() || !command.error().isEmpty())
        return false;
    closeFollow(followId);
    const QStringList argv = command.localArguments();
    auto *process = new QProcess(this);
    // A group of its own, as the probe: closing the follow ends what it started (the stand-in
    // docker's pipeline, a docker CLI plugin).
    process->setChildProcessModifier([] { ::setpgid(0, 0); });
    process->setStandardInputFile(QProcess::nullDevice());
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("LC_ALL"), QStringLiteral("C")); // messages as tail's own
    process->setProcessEnvironment(environment);
    process->setProcessChannelMode(command.mergesStderr() ? QProcess::MergedChannels
                                                          : QProcess::SeparateChannels);
    process->setProgram(argv.constFirst());
    process->setArguments(argv.mid(1));
    m_follows.insert(followId, Follow{process, command.target, {}});

    // The follow may have been closed, or replaced under the same id, since the signal was sent.
    const auto current = [this, followId, process] {
        const auto it = m_follows.constFind(followId);
        return it != m_follows.cend() && it->process == process;
    };
    connect(process, &QProcess::started, this, [this, followId, process, current] {
        if (current())
            m_follows[followId].pid = process->processId();
    });
    connect(process, &QProcess::readyReadStandardOutput, this, [this, followId, process, current] {
        if (!current())
            return;
        const QByteArray data = process->readAllStandardOutput();
        if (!data.isEmpty())
            Q_EMIT followBytes(followId, data);
    });
    connect(process, &QProcess::readyReadStandardError, this, [this, followId, process, current] {
        if (!current())
            return;
        const QByteArray data = process->readAllStandardError();
        if (data.isEmpty())
            return;
        QByteArray &tail = m_follows[followId].stderrTail;
        tail.append(data.right(maxStderrTail));
        if (tail.size() > maxStderrTail)
            tail.remove(0, tail.size() - maxStderrTail);
        Q_EMIT followStderr(followId, data.left(maxStderrTail));
    });
    // Queued: QProcess reports a program it cannot find from inside start(), and openFollow()
    // reports nothing from inside itself.
    connect(
        process, &QProcess::errorOccurred, this,
        [this, followId, process, current,
         program = argv.constFirst()](QProcess::ProcessError error) {
            if (error != QProcess::FailedToStart || !current())
                return;
            onFollowFinished(followId, process,
                             tr("Could not start %1 to follow %2: %3")
                                 .arg(program,
                                      printableExcerpt(m_follows.value(followId).target.toUtf8()),
                                      process->errorString()));
        },
        Qt::QueuedConnection);
    connect(process, &QProcess::finished, this,
            [this, followId, process, current](int exitCode, QProcess::ExitStatus status) {
                if (!current())
                    return;
                // What it wrote just before it ended is still buffered.
                if (const QByteArray data = process->readAllStandardOutput(); !data.isEmpty())
                    Q_EMIT followBytes(followId, data);
                if (!current())
                    return;
                const Follow follow = m_follows.value(followId);
                const QString target = printableExcerpt(follow.target.toUtf8());
                QString reason =
                    status == QProcess::CrashExit
                        ? tr("The follower of %1 was killed.").arg(target)
                        : tr("The follower of %1 exited with status %2.").arg(target).arg(exitCode);
                const bool merged = process->processChannelMode() == QProcess::MergedChannels;
                const QByteArray last = lastLine(
                    follow.stderrTail + (merged ? QByteArray() : process->readAllStandardError()));
                if (!last.isEmpty())
                    reason += u' ' + tr("Its last message: %1").arg(printableExcerpt(last, 300));
                onFollowFinished(followId, process, reason);
            });
    process->start(QIODevice::ReadOnly);
    return true;
}

void LocalTransport::onFollowFinished(int followId, QProcess *process, const QString &reason)
{
    const qint64 group = m_follows.take(followId).pid;
    process->disconnect(this);
    // What it started may still run in its group (a pipeline's other commands).
    if (process->state() == QProcess::NotRunning && group > 0)
        ::kill(-pid_t(group), SIGTERM);
    else
        endProcessGroup(process);
    process->deleteLater(); // may be inside one of its own signals
    Q_EMIT followEnded(followId, reason);
}

void LocalTransport::closeFollow(int followId)
{
    const auto it = m_follows.find(followId);
    if (it == m_follows.end())
        return;
    QProcess *process = it->process;
    m_follows.erase(it);
    process->disconnect(this);
    endProcessGroup(process);
    process->deleteLater();
}

void LocalTransport::closeFollows()
{
    const QList<int> ids = m_follows.keys();
    for (const int id : ids)
        closeFollow(id);
}

qint64 LocalTransport::followProcessId(int followId) const
{
    const auto it = m_follows.constFind(followId);
    return it == m_follows.cend() || it->process->state() == QProcess::NotRunning
               ? 0
               : it->process->processId();
}

} // namespace twbench
