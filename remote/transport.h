#pragma once

#include "logsourcespec.h"
#include "sshtypes.h"

#include "model/hoststate.h"

#include <QByteArray>
#include <QObject>
#include <QString>

namespace twbench {

// The seam between a host worker and the way the probe's stream reaches it (ssh, a local
// process, a replayed capture). Tests push the real wire format through it.
//
// Contract: after start(), the transport emits bytesReceived() and stderrReceived() as the
// probe writes, then exactly one of failed() (could not start, crashed, connection lost: a
// retry may help), refused() (a retry cannot help until the operator acts: host key refused,
// login refused, a question cancelled) or finished() (the probe exited by itself). After stop()
// returns, it emits nothing more until the next start(). A transport lives in one thread (its
// worker's) and is driven from there; only abort() may be called from another thread.
//
// Transports that log in (ssh) may, between start() and the stream, report the phase they are
// in and ask questions; they then wait in the event loop for the matching answer call.
//
// Follows: auxiliary streams beside the probe (access logs, FollowCommand), each under an id of
// the caller's choosing. A follow belongs to the run: it can be opened once the probe streams,
// and every follow ends with the run (failed(), refused(), finished() or stop()) without a
// followEnded() of its own. A follow that ends by itself (tail exits, the container stops, the
// server refuses the channel) says followEnded() once and never disturbs the probe.
class Transport : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    ~Transport() override = default;

    virtual void start() = 0;
    // Ends the probe and waits for it (briefly); safe to call when not running.
    virtual void stop() = 0;
    virtual bool isRunning() const = 0;

    // Any thread: makes a blocking call of the transport's thread (connect, login) return soon,
    // with failed(). Does nothing where nothing blocks.
    virtual void abort() {}
    // The operator's answers to hostKeyQuestion() / credentialsNeeded(); answers naming
    // another question than the one waiting are ignored. The secret is wiped by the transport.
    virtual void answerHostKey(std::uint64_t questionId, HostKeyDecision decision)
    {
        Q_UNUSED(questionId)
        Q_UNUSED(decision)
    }
    virtual void provideCredentials(CredentialReply reply);

    // Whether openFollow() can work at all with this transport.
    virtual bool supportsFollows() const { return false; }
    // Starts following; false when it cannot be started now (the probe does not stream yet, the
    // command is invalid: FollowCommand::error()). Problems after that, even at once, come as
    // followEnded(), never from inside this call. An id in use is closed first.
    virtual bool openFollow(int followId, const FollowCommand &command)
    {
        Q_UNUSED(followId)
        Q_UNUSED(command)
        return false;
    }
    // Ends a follow without a followEnded(); unknown ids are ignored.
    virtual void closeFollow(int followId) { Q_UNUSED(followId) }

Q_SIGNALS:
    void bytesReceived(const QByteArray &data);  // the probe's stdout, in arbitrary chunks
    void stderrReceived(const QByteArray &data); // the probe's stderr, kept apart from frames
    void failed(const QString &reason);          // translated
    void refused(const QString &reason);         // translated; do not retry by yourself
    void finished(int exitCode, const QString &detail); // detail: translated, may be empty
    // Connecting, VerifyingHostKey, Authenticating; Streaming is the worker's to say.
    void phaseChanged(twbench::HostState phase);
    void hostKeyQuestion(const twbench::HostKeyQuestion &question);
    void credentialsNeeded(const twbench::CredentialRequest &request);
    // A follow's output in arbitrary chunks: its stdout, and for FollowCommand::mergesStderr()
    // its stderr too.
    void followBytes(int followId, const QByteArray &data);
    // A follow's stderr when it is not the log: the follower's messages ("tail: cannot open …").
    void followStderr(int followId, const QByteArray &data);
    void followEnded(int followId, const QString &reason); // translated
};

} // namespace twbench
