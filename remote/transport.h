#pragma once

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
};

} // namespace twbench
