#pragma once

#include "framereader.h"
#include "hostspec.h"
#include "samplebuilder.h"
#include "sshtransport.h"
#include "transport.h"

#include "model/hostsample.h"
#include "model/hoststate.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>

class QTimer;

namespace twbench {

// Registers the types that cross threads in queued signals (HostSamplePtr, HostStatus, the
// host-key and credential questions and answers).
// Idempotent; Fleet and HostWorker call it, so callers need not.
void registerRemoteMetaTypes();

// One host's collection: owns its Transport, FrameReader and SampleBuilder and lives in its own
// QThread (Fleet puts it there), so reading and parsing never run on the GUI thread. It talks
// to the rest only by signals carrying immutable values.
//
// A probe that dies or cannot start is restarted after a delay that starts at
// Backoff::initialMs and doubles up to Backoff::maxMs, each delay shortened by a random part of
// up to Backoff::jitter (so hosts that dropped together do not all come back in the same
// second); it falls back to initialMs once a run has streamed for Backoff::stableAfterMs.
// Meanwhile the status is Retrying, with the reason and the delay. Problems that a restart
// cannot fix (no transport for this kind of host, a probe protocol this build does not read, a
// refused host key or login, a question the operator cancelled) give Failed, without retries
// until start() is called again.
//
// Each run starts a fresh stream: the probe numbers its samples from 1 again and says its run
// id in its hello, so a sample is never carried from one run to the next, and the Timeline
// breaks its lines where the sequence restarts.
class HostWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HostWorker)

public:
    // Makes the transport for a host; called in the worker's thread, on the first start().
    // nullptr: this kind of host cannot be reached (yet).
    using TransportFactory = std::function<std::unique_ptr<Transport>(const HostSpec &)>;

    struct Backoff
    {
        int initialMs = 1000;
        int maxMs = 60000;
        int stableAfterMs = 60000;
        double jitter = 0.2; // each delay is drawn from [delay * (1 - jitter), delay]
    };

    explicit HostWorker(HostSpec spec, TransportFactory factory = {}, QObject *parent = nullptr);
    ~HostWorker() override;

    // The factory used when none is given: LocalTransport for Kind::Local, SshTransport (with
    // `options`) for Kind::Ssh, nothing for Kind::Replay yet.
    static std::unique_ptr<Transport> defaultTransport(const HostSpec &spec);
    static std::unique_ptr<Transport> defaultTransport(const HostSpec &spec,
                                                       const SshOptions &options);

    // Immutable after construction, so any thread may read it.
    const HostSpec &spec() const { return m_spec; }
    // Before start(); tests shorten the delays.
    void setBackoff(const Backoff &backoff);

    // These run in the worker's thread: call them through a queued invocation from elsewhere.
    // start() also reconnects a host that failed or was stopped.
    void start();
    void stop();
    void answerHostKey(std::uint64_t questionId, twbench::HostKeyDecision decision);
    void provideCredentials(twbench::CredentialReply reply); // the secret is wiped

    // Any thread: cuts a blocking connect or login short so that a stop() queued after it is
    // handled at once; the run ends without a retry. Call stop() next.
    void interrupt();

Q_SIGNALS:
    void sampleReady(const twbench::HostSamplePtr &sample);
    void statusChanged(const twbench::HostStatus &status);
    void hostKeyQuestion(const twbench::HostKeyQuestion &question);
    void credentialsNeeded(const twbench::CredentialRequest &request);
    // A probe run said hello; `runId` is its "run=" field ("<pid>-<epoch>"), empty if none.
    void runStarted(const QString &runId);

private:
    void beginRun();
    void onBytes(const QByteArray &data);
    void onStderr(const QByteArray &data);
    void onTransportFailed(const QString &reason);
    void onTransportFinished(int exitCode, const QString &detail);
    void onTransportRefused(const QString &reason);
    void onPhaseChanged(HostState phase);
    int nextDelay();
    void endRun(const QString &reason);
    void deliverFrames();
    void noteDropped();
    void giveUp(const QString &reason);
    void setStatus(HostState state, const QString &detail = {}, std::int64_t retryInMs = 0);

    const HostSpec m_spec;
    TransportFactory m_factory;
    Backoff m_backoff;
    std::unique_ptr<Transport> m_transport; // created by the first start(), in this thread
    std::mutex m_transportMutex;            // guards m_transport against interrupt()
    std::atomic<bool> m_interrupted{false}; // set by interrupt(), cleared by start()
    FrameReader m_reader;
    SampleBuilder m_builder;
    QTimer *m_retryTimer = nullptr; // Owned (child), so it moves to the worker's thread with us
    QElapsedTimer m_streamingSince;
    QList<SourceIssue> m_pendingIssues; // dropped frames, told with the next sample
    HostStatus m_status;
    int m_nextDelayMs = 0;
    bool m_active = false;    // between start() and stop()
    bool m_streaming = false; // this run delivered a frame
};

} // namespace twbench
