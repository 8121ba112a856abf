#pragma once

#include "framereader.h"
#include "hostspec.h"
#include "samplebuilder.h"
#include "transport.h"

#include "model/hostsample.h"
#include "model/hoststate.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>

#include <functional>
#include <memory>

class QTimer;

namespace twbench {

// Registers the types that cross threads in queued signals (HostSamplePtr, HostStatus).
// Idempotent; Fleet and HostWorker call it, so callers need not.
void registerRemoteMetaTypes();

// One host's collection: owns its Transport, FrameReader and SampleBuilder and lives in its own
// QThread (Fleet puts it there), so reading and parsing never run on the GUI thread. It talks
// to the rest only by signals carrying immutable values.
//
// A probe that dies or cannot start is restarted after a delay that starts at
// Backoff::initialMs and doubles up to Backoff::maxMs; it falls back to initialMs once a run
// has streamed for Backoff::stableAfterMs. Meanwhile the status is Retrying, with the reason
// and the delay. Problems that a restart cannot fix (no transport for this kind of host, a
// probe protocol this build does not read) give Failed, without retries.
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
    };

    explicit HostWorker(HostSpec spec, TransportFactory factory = {}, QObject *parent = nullptr);
    ~HostWorker() override;

    // The factory used when none is given: LocalTransport for Kind::Local, nothing else yet.
    static std::unique_ptr<Transport> defaultTransport(const HostSpec &spec);

    // Immutable after construction, so any thread may read it.
    const HostSpec &spec() const { return m_spec; }
    // Before start(); tests shorten the delays.
    void setBackoff(const Backoff &backoff);

    // Both run in the worker's thread: call them through a queued invocation from elsewhere.
    void start();
    void stop();

Q_SIGNALS:
    void sampleReady(const twbench::HostSamplePtr &sample);
    void statusChanged(const twbench::HostStatus &status);

private:
    void beginRun();
    void onBytes(const QByteArray &data);
    void onStderr(const QByteArray &data);
    void onTransportFailed(const QString &reason);
    void onTransportFinished(int exitCode, const QString &detail);
    void endRun(const QString &reason);
    void deliverFrames();
    void noteDropped();
    void giveUp(const QString &reason);
    void setStatus(HostState state, const QString &detail = {}, std::int64_t retryInMs = 0);

    const HostSpec m_spec;
    TransportFactory m_factory;
    Backoff m_backoff;
    std::unique_ptr<Transport> m_transport; // created by the first start(), in this thread
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
