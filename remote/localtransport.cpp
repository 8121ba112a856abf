#include "localtransport.h"

#include "model/parsereport.h"

#include <csignal>
#include <sys/types.h>
#include <unistd.h>

namespace twbench {

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
    if (!m_process)
        return;
    QProcess *process = std::exchange(m_process, nullptr);
    // Nothing is reported after stop(): the caller asked for the end.
    process->disconnect(this);
    if (process->state() != QProcess::NotRunning) {
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
