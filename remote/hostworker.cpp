#include "hostworker.h"

#include <QDateTime>

#include "localtransport.h"
#include "probeparameters.h"

#include <QMetaType>
#include <QRandomGenerator>
#include <QTimer>

#include <algorithm>

namespace twbench {

namespace {

constexpr qsizetype maxPendingIssues = 20;

} // namespace

void registerRemoteMetaTypes()
{
    qRegisterMetaType<twbench::HostSamplePtr>("twbench::HostSamplePtr");
    qRegisterMetaType<twbench::HostStatus>("twbench::HostStatus");
    qRegisterMetaType<twbench::HostState>("twbench::HostState");
    qRegisterMetaType<twbench::HostKeyQuestion>("twbench::HostKeyQuestion");
    qRegisterMetaType<twbench::HostKeyDecision>("twbench::HostKeyDecision");
    qRegisterMetaType<twbench::CredentialRequest>("twbench::CredentialRequest");
    qRegisterMetaType<twbench::CredentialReply>("twbench::CredentialReply");
}

HostWorker::HostWorker(HostSpec spec, TransportFactory factory, QObject *parent)
    : QObject(parent)
    , m_spec(std::move(spec))
    , m_factory(factory ? std::move(factory)
                        : TransportFactory([](const HostSpec &s) { return defaultTransport(s); }))
    , m_builder(m_spec.id)
    , m_retryTimer(new QTimer(this))
{
    registerRemoteMetaTypes();
    m_nextDelayMs = m_backoff.initialMs;
    m_retryTimer->setSingleShot(true);
    connect(m_retryTimer, &QTimer::timeout, this, &HostWorker::beginRun);
}

HostWorker::~HostWorker()
{
    // The transport must end its process in this thread, before its signals reach a half-
    // destroyed worker.
    std::lock_guard lock(m_transportMutex);
    if (m_transport) {
        m_transport->disconnect(this);
        m_transport->stop();
        m_transport.reset();
    }
}

std::unique_ptr<Transport> HostWorker::defaultTransport(const HostSpec &spec)
{
    return defaultTransport(spec, SshOptions{});
}

std::unique_ptr<Transport> HostWorker::defaultTransport(const HostSpec &spec,
                                                        const SshOptions &options)
{
    switch (spec.kind) {
    case HostSpec::Kind::Local:
        return std::make_unique<LocalTransport>(ProbeParameters::fromSpec(spec));
    case HostSpec::Kind::Ssh:
        return std::make_unique<SshTransport>(spec, ProbeParameters::fromSpec(spec), options);
    case HostSpec::Kind::Replay:
        break;
    }
    return nullptr;
}

void HostWorker::setBackoff(const Backoff &backoff)
{
    m_backoff = backoff;
    m_backoff.initialMs = std::max(backoff.initialMs, 1);
    m_backoff.maxMs = std::max(backoff.maxMs, m_backoff.initialMs);
    m_backoff.jitter = std::clamp(backoff.jitter, 0.0, 0.9);
    m_nextDelayMs = m_backoff.initialMs;
}

void HostWorker::start()
{
    if (m_active)
        return;
    m_active = true;
    m_interrupted = false;
    m_nextDelayMs = m_backoff.initialMs;
    if (!m_transport) {
        std::unique_ptr<Transport> transport = m_factory(m_spec);
        if (!transport) {
            giveUp(tr("This kind of host is not supported yet."));
            return;
        }
        Transport *t = transport.get();
        connect(t, &Transport::bytesReceived, this, &HostWorker::onBytes);
        connect(t, &Transport::stderrReceived, this, &HostWorker::onStderr);
        connect(t, &Transport::failed, this, &HostWorker::onTransportFailed);
        connect(t, &Transport::refused, this, &HostWorker::onTransportRefused);
        connect(t, &Transport::finished, this, &HostWorker::onTransportFinished);
        connect(t, &Transport::phaseChanged, this, &HostWorker::onPhaseChanged);
        connect(t, &Transport::hostKeyQuestion, this, &HostWorker::hostKeyQuestion);
        connect(t, &Transport::credentialsNeeded, this, &HostWorker::credentialsNeeded);
        std::lock_guard lock(m_transportMutex);
        m_transport = std::move(transport);
    }
    beginRun();
}

void HostWorker::interrupt()
{
    m_interrupted = true;
    std::lock_guard lock(m_transportMutex);
    if (m_transport)
        m_transport->abort();
}

void HostWorker::answerHostKey(std::uint64_t questionId, HostKeyDecision decision)
{
    if (m_transport && m_active)
        m_transport->answerHostKey(questionId, decision);
}

void HostWorker::provideCredentials(CredentialReply reply)
{
    if (m_transport && m_active)
        m_transport->provideCredentials(std::move(reply));
    else
        wipeSecret(reply.secret);
}

void HostWorker::onPhaseChanged(HostState phase)
{
    if (m_active)
        setStatus(phase);
}

void HostWorker::onTransportRefused(const QString &reason)
{
    if (m_active)
        giveUp(reason);
}

void HostWorker::stop()
{
    const bool wasActive = m_active;
    m_active = false;
    m_retryTimer->stop();
    if (m_transport)
        m_transport->stop();
    m_reader = FrameReader{};
    m_pendingIssues.clear();
    if (wasActive)
        setStatus(HostState::Stopped);
}

void HostWorker::beginRun()
{
    if (!m_active || !m_transport)
        return;
    // Each run is a new stream: nothing of the previous one may complete a frame.
    m_reader = FrameReader{};
    m_streaming = false;
    setStatus(HostState::Connecting);
    m_transport->start(); // may report failure synchronously: state is set before
}

void HostWorker::onBytes(const QByteArray &data)
{
    if (!m_active)
        return;
    m_reader.feed(data);
    deliverFrames();
}

void HostWorker::onStderr(const QByteArray &data)
{
    // The transport keeps the tail for its failure detail; a probe that writes stderr while it
    // streams is otherwise fine (ss warns about kernels it does not know, for instance).
    Q_UNUSED(data)
}

void HostWorker::deliverFrames()
{
    if (auto hello = m_reader.takeHello()) {
        if (hello->protocolVersion != probeProtocolVersion) {
            giveUp(tr("The probe speaks protocol %1; this twbench reads protocol %2.")
                       .arg(hello->protocolVersion)
                       .arg(probeProtocolVersion));
            return;
        }
        Q_EMIT runStarted(QString::fromLatin1(hello->field("run")));
        m_builder.setHello(std::move(*hello));
    }
    noteDropped();
    for (const ProbeFrame &frame : m_reader.takeFrames()) {
        if (!m_streaming) {
            m_streaming = true;
            m_streamingSince.start();
            setStatus(HostState::Streaming);
        }
        Q_EMIT sampleReady(m_builder.build(frame, std::exchange(m_pendingIssues, {})));
    }
}

void HostWorker::noteDropped()
{
    for (const FrameReader::DroppedFrame &dropped : m_reader.takeDropped()) {
        if (m_pendingIssues.size() >= maxPendingIssues)
            break;
        QString message;
        switch (dropped.reason) {
        case FrameReader::DropReason::Truncated:
            message = tr("Sample %1 was cut short and is lost.").arg(dropped.sequence);
            break;
        case FrameReader::DropReason::Oversized:
            message = tr("Sample %1 was larger than %2 MiB and is dropped.")
                          .arg(dropped.sequence)
                          .arg(m_reader.limits().maxFrameBytes / (1024 * 1024));
            break;
        case FrameReader::DropReason::Mismatched:
            message = tr("Sample %1 ended out of order and is dropped.").arg(dropped.sequence);
            break;
        }
        m_pendingIssues.append(SourceIssue{QStringLiteral("probe"), message});
    }
}

void HostWorker::onTransportFailed(const QString &reason)
{
    endRun(reason);
}

void HostWorker::onTransportFinished(int exitCode, const QString &detail)
{
    Q_UNUSED(exitCode) // the detail says it; any end of a long-lived probe is a failure
    endRun(detail.isEmpty() ? tr("The probe ended.") : detail);
}

void HostWorker::endRun(const QString &reason)
{
    if (!m_active)
        return;
    m_reader.finish();
    deliverFrames(); // a last complete frame may have arrived with the end
    if (!m_active)   // deliverFrames() may have given up
        return;
    if (m_interrupted)
        return; // the stop() that goes with interrupt() is on its way: no retry, no flicker
    if (m_streaming && m_streamingSince.elapsed() >= m_backoff.stableAfterMs)
        m_nextDelayMs = m_backoff.initialMs;
    const int delay = nextDelay();
    setStatus(HostState::Retrying, reason, delay);
    m_retryTimer->start(delay);
}

int HostWorker::nextDelay()
{
    const int base = m_nextDelayMs;
    m_nextDelayMs = int(std::min<qint64>(qint64(base) * 2, m_backoff.maxMs));
    if (m_backoff.jitter <= 0)
        return base;
    // Shorter, never longer: maxMs stays the longest wait.
    const double factor = 1.0 - m_backoff.jitter * QRandomGenerator::global()->generateDouble();
    return std::max(1, int(base * factor));
}

void HostWorker::giveUp(const QString &reason)
{
    m_active = false;
    m_retryTimer->stop();
    if (m_transport)
        m_transport->stop();
    setStatus(HostState::Failed, reason);
}

void HostWorker::setStatus(HostState state, const QString &detail, std::int64_t retryInMs)
{
    m_status = HostStatus{state, detail, retryInMs, QDateTime::currentMSecsSinceEpoch()};
    Q_EMIT statusChanged(m_status);
}

} // namespace twbench
