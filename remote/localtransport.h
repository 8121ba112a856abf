#pragma once

#include "probeparameters.h"
#include "transport.h"

#include <QByteArray>
#include <QHash>
#include <QProcess>
#include <QStringList>

namespace twbench {

// Runs the probe on this workstation: `/bin/sh -c <probe text> twbench-probe <parameters>`.
// The script text comes from the resource built into the binary and the parameters are
// separate argv words, so no shell string is ever built from data.
//
// Follows are processes of their own beside the probe, from FollowCommand::localArguments()
// (`tail -F -n 0 -- PATH`, `docker logs -f …`): an argv, no shell involved. Each gets its own
// process group, ended with the run.
class LocalTransport final : public Transport
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LocalTransport)

public:
    explicit LocalTransport(ProbeParameters parameters, QObject *parent = nullptr);
    ~LocalTransport() override;

    // The shell to run the probe with, as program and leading arguments: {"/bin/sh"} (default),
    // {"dash"}, {"busybox", "sh"}. Takes effect on the next start().
    void setShell(const QStringList &shellCommand) { m_shell = shellCommand; }
    const QStringList &shell() const { return m_shell; }
    // Replaces the built-in probe text (tests use it to run a broken probe).
    void setScript(const QByteArray &script) { m_script = script; }

    void start() override;
    void stop() override;
    bool isRunning() const override;

    bool supportsFollows() const override { return true; }
    bool openFollow(int followId, const FollowCommand &command) override;
    void closeFollow(int followId) override;

    qint64 processId() const;
    // A follow's process id; 0 when that follow is not running.
    qint64 followProcessId(int followId) const;
    // The last bytes the probe wrote to stderr (at most maxStderrTail), for failure details.
    QByteArray stderrTail() const { return m_stderrTail; }

    static constexpr qsizetype maxStderrTail = 4096;

private:
    void onReadyReadStdout();
    void onReadyReadStderr();
    void onErrorOccurred(QProcess::ProcessError error);
    void onFinished(int exitCode, QProcess::ExitStatus status);
    QString stderrSummary() const;
    void onFollowFinished(int followId, QProcess *process, const QString &reason);
    void closeFollows();

    struct Follow
    {
        QProcess *process = nullptr; // Owned (child)
        QString target;              // for messages
        QByteArray stderrTail;       // the last of its messages, for the reason it ended
        qint64 pid = 0;              // its process group, once started
    };

    ProbeParameters m_parameters;
    QStringList m_shell{QStringLiteral("/bin/sh")};
    QByteArray m_script;
    QProcess *m_process = nullptr; // Owned (child); recreated by each start()
    QByteArray m_stderrTail;
    bool m_reported = false; // failed() or finished() already emitted for this run
    QHash<int, Follow> m_follows;
};

} // namespace twbench
