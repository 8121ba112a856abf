#include "hostworker.h"

#include <QDateTime>

#include "localtransport.h"
#include "probeparameters.h"

#include "model/accesslog/accesslogformat.h"
#include "model/parsereport.h"

#include <QMetaType>
#include <QRandomGenerator>
#include <QTimer>

#include <algorithm>

namespace twbench {

namespace {

constexpr qsizetype maxPendingIssues = 20;

// tail's notes that say the follow goes on (LC_ALL=C: GNU's and busybox's wording); any other
// message of the follower is a complaint, shown until the log flows again.
bool isFollowerNote(QByteArrayView line)
{
    return line.contains("has appeared") || line.contains("following new file") ||
           line.contains("following end of new file") || line.contains("file truncated");
}

} // namespace

HostWorker::LogFollow::LogFollow(const LogSourceSpec &source)
    : spec(source)
{
    setupError = spec.validationError();
    if (!setupError.isEmpty())
        return;
    QString why;
    if (std::optional<AccessLogFormat> format = AccessLogFormat::fromSpec(spec.format, &why))
        aggregator.emplace(spec.id(), std::move(*format));
    else
        setupError = why;
}

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
    m_followTimer = new QTimer(this);
    m_followTimer->setSingleShot(true);
    connect(m_followTimer, &QTimer::timeout, this, &HostWorker::openFollows);
    m_clock.start();
    for (const LogSourceSpec &source : m_spec.logs)
        m_logs.push_back(std::make_unique<LogFollow>(source));
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

void HostWorker::setFollowBackoff(int initialMs, int maxMs)
{
    m_followInitialMs = std::max(initialMs, 1);
    m_followMaxMs = std::max(maxMs, m_followInitialMs);
    for (const std::unique_ptr<LogFollow> &follow : m_logs)
        follow->delayMs = m_followInitialMs;
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
        connect(t, &Transport::followBytes, this, &HostWorker::onFollowBytes);
        connect(t, &Transport::followStderr, this, &HostWorker::onFollowStderr);
        connect(t, &Transport::followEnded, this, &HostWorker::onFollowEnded);
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
    closeFollows();
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
    closeFollows();
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
        const QByteArray run = hello->field("run");
        Q_EMIT runStarted(QString::fromLatin1(run));
        if (!m_active)
            return;
        // "run=<pid>-<epoch seconds>": where the first sample's log windows start.
        bool ok = false;
        const qint64 startSec = run.sliced(run.lastIndexOf('-') + 1).toLongLong(&ok);
        m_runStartMs = ok ? startSec * 1000 : 0;
        m_runStartClock = m_clock.elapsed();
        m_builder.setHello(std::move(*hello));
        // The probe streams: the logs can be followed beside it.
        m_helloSeen = true;
        openFollows();
        if (!m_active)
            return;
    }
    noteDropped();
    for (const ProbeFrame &frame : m_reader.takeFrames()) {
        if (!m_streaming) {
            m_streaming = true;
            m_streamingSince.start();
            setStatus(HostState::Streaming);
        }
        HostSamplePtr sample = m_builder.build(frame, std::exchange(m_pendingIssues, {}));
        if (!m_logs.empty())
            sample = withLogWindows(std::move(sample));
        m_lastSampleMs = frame.epochMs;
        m_lastSampleClock = m_clock.elapsed();
        Q_EMIT sampleReady(sample);
        if (!m_active)
            return;
    }
}

HostSamplePtr HostWorker::withLogWindows(HostSamplePtr built)
{
    // The sample is ours alone until it is emitted; a copy shares its tables and costs little.
    auto sample = std::make_shared<HostSample>(*built);
    const std::int64_t toMs = sample->epochMs;
    std::int64_t fromMs = m_lastSampleMs;
    if (fromMs <= 0 || fromMs > toMs) {
        // The first sample: since the probe started, or one interval.
        fromMs = m_runStartMs > 0 && m_runStartMs <= toMs
                     ? m_runStartMs
                     : toMs - std::int64_t(m_spec.counterIntervalSec) * 1000;
    }
    sample->logs.reserve(qsizetype(m_logs.size()));
    for (const std::unique_ptr<LogFollow> &follow : m_logs) {
        std::int64_t historyToMs = 0;
        if (follow->historyPending) {
            // No window of this source until its read-back has arrived: the history must come
            // first (AccessLogStats takes a source's windows in time order only).
            if (!historyArrived(*follow, toMs))
                continue;
            follow->historyPending = false;
            for (LogWindow &window : follow->aggregator->takeHistory()) {
                // The cut-off lies before this sample (historyArrived()), so the history ends
                // before the live window below; a clock step could still put it after.
                if (window.toMs >= toMs)
                    break;
                historyToMs = window.toMs;
                sample->logs.append(std::move(window));
            }
        }
        const QString error = windowError(*follow);
        // A follow opened inside this interval read only its end: a rate over the whole
        // interval would dip towards zero at every (re)open. Its window is given no span.
        // Unless it read back history: then it read every line logged since the cut-off, where
        // the history ends, and spans from there (without a gap in the bins' coverage, which
        // would cut the steady-rate detector's runs short).
        std::int64_t windowFromMs = fromMs;
        if (std::exchange(follow->openedInWindow, false))
            windowFromMs = historyToMs > 0 && follow->readSinceCutOff ? historyToMs : toMs;
        if (follow->aggregator) {
            sample->logs.append(follow->aggregator->take(windowFromMs, toMs, error));
        } else {
            LogWindow window;
            window.sourceId = follow->spec.id();
            window.fromMs = windowFromMs;
            window.toMs = toMs;
            window.error = error;
            sample->logs.append(window);
        }
    }
    return sample;
}

bool HostWorker::historyArrived(LogFollow &follow, std::int64_t sampleMs) const
{
    const AccessLogAggregator &aggregator = *follow.aggregator;
    const std::int64_t lines = std::exchange(follow.historyLinesSeen, aggregator.historyLines());
    const qint64 openFor = m_clock.elapsed() - follow.openedAtClock;
    if (openFor >= maxHistoryWaitMs)
        return true;
    if (aggregator.historyBefore().value_or(0) >= sampleMs)
        return false; // the history would end after this sample's live window
    if (!follow.open || aggregator.historyReachedLive())
        return true;
    // A log that had nothing to read back, or whose read-back is through with nothing live yet.
    return openFor >= followSettleMs && aggregator.historyLines() == lines;
}

std::int64_t HostWorker::remoteEstimateMs() const
{
    if (remoteNowMs() <= 0)
        return 0;
    const qint64 heardAt = m_runStartMs >= m_lastSampleMs ? m_runStartClock : m_lastSampleClock;
    return remoteNowMs() + (m_clock.elapsed() - heardAt);
}

QString HostWorker::windowError(const LogFollow &follow) const
{
    if (!follow.setupError.isEmpty())
        return tr("The log %1 cannot be followed: %2")
            .arg(printableExcerpt(follow.spec.id().toUtf8()), follow.setupError);
    if (follow.open) {
        if (!follow.complaint.isEmpty())
            return tr("The follower of %1 says: %2")
                .arg(printableExcerpt(follow.spec.id().toUtf8()), follow.complaint);
        // Opened again after it ended: the old reason holds until the log flows or the new
        // follower has run quietly for a while (a missing container makes docker exit at once,
        // and a sample must not catch the moment between the start and its complaint).
        if (m_clock.elapsed() - follow.openedAtClock < followSettleMs)
            return follow.endedReason;
        return {};
    }
    return follow.endedReason; // empty before the first open
}

HostWorker::LogFollow *HostWorker::logFollow(int followId)
{
    if (followId < 0 || followId >= int(m_logs.size()))
        return nullptr;
    return m_logs[size_t(followId)].get();
}

void HostWorker::openFollows()
{
    if (!m_active || !m_helloSeen || !m_transport)
        return;
    const qint64 now = m_clock.elapsed();
    for (int i = 0; i < int(m_logs.size()); ++i) {
        const LogFollow &follow = *m_logs[size_t(i)];
        if (!follow.open && follow.setupError.isEmpty() && follow.reopenAtMs <= now)
            openFollow(i);
        if (!m_active)
            return;
    }
    armFollowTimer();
}

void HostWorker::openFollow(int index)
{
    LogFollow &follow = *m_logs[size_t(index)];
    FollowCommand command = FollowCommand::forSource(follow.spec, m_spec);
    // The first open reads back the recent past, when its lines can be told from live ones by
    // their time and the remote's clock is known.
    const std::int64_t remoteNow = remoteEstimateMs();
    command.readHistory =
        !follow.everOpened && follow.aggregator && remoteNow > 0 &&
        (follow.spec.kind == LogSourceSpec::Kind::Container || follow.aggregator->linesCarryTime());
    if (follow.spec.kind == LogSourceSpec::Kind::Container && follow.everOpened) {
        // Again: from just after the last line counted (or, when none came, from when the last
        // follow began), so docker sends what was missed and nothing twice; not further back
        // than maxCatchUpMs, so a long outage does not land as one burst.
        std::optional<DockerLogTime> from = follow.lastSeen;
        if (!from && follow.openedAtSampleMs > 0)
            from = DockerLogTime::fromMs(follow.openedAtSampleMs);
        if (from && remoteNowMs() > 0)
            from = std::max(*from, DockerLogTime::fromMs(remoteNowMs() - maxCatchUpMs));
        if (from)
            command.since = from->sinceAfter();
    }
    if (const QString why = command.error(); !why.isEmpty()) {
        follow.setupError = why;
        return;
    }
    follow.lines.reset();
    follow.messages.reset();
    follow.complaint.clear();
    if (!m_transport->openFollow(index, command)) {
        follow.endedReason = m_transport->supportsFollows()
                                 ? tr("The log %1 could not be followed yet.")
                                       .arg(printableExcerpt(follow.spec.id().toUtf8()))
                                 : tr("This kind of host cannot follow logs.");
        follow.reopenAtMs = m_clock.elapsed() + follow.delayMs;
        follow.delayMs = std::min(follow.delayMs * 2, m_followMaxMs);
        return;
    }
    if (command.readHistory) {
        follow.aggregator->setHistoryBefore(remoteNow - historySlackMs);
        follow.historyPending = true;
        follow.historyLinesSeen = 0;
        follow.readSinceCutOff = true;
    }
    follow.open = true;
    follow.everOpened = true;
    follow.openedAtClock = m_clock.elapsed();
    follow.openedAtSampleMs = remoteNowMs();
    follow.openedInWindow = true;
}

void HostWorker::closeFollows()
{
    // The transport closes them with the run; what stays is when each may be opened again.
    m_helloSeen = false;
    m_followTimer->stop();
    for (int i = 0; i < int(m_logs.size()); ++i) {
        LogFollow *follow = m_logs[size_t(i)].get();
        if (follow->open && m_transport)
            m_transport->closeFollow(i);
        follow->open = false;
        follow->readSinceCutOff = false;
        follow->lines.reset();
        follow->messages.reset();
        follow->complaint.clear();
        follow->reopenAtMs = 0; // the next run opens every follow at once
    }
}

void HostWorker::armFollowTimer()
{
    qint64 next = -1;
    for (const std::unique_ptr<LogFollow> &follow : m_logs) {
        if (!follow->open && follow->setupError.isEmpty() &&
            (next < 0 || follow->reopenAtMs < next))
            next = follow->reopenAtMs;
    }
    if (next < 0) {
        m_followTimer->stop();
        return;
    }
    m_followTimer->start(int(std::clamp<qint64>(next - m_clock.elapsed(), 0, m_followMaxMs)));
}

void HostWorker::onFollowBytes(int followId, const QByteArray &data)
{
    LogFollow *follow = logFollow(followId);
    if (!m_active || !follow || !follow->open || !follow->aggregator)
        return;
    const bool stamped = follow->spec.kind == LogSourceSpec::Kind::Container;
    follow->lines.feed(data, [follow, stamped](QByteArrayView line, bool truncated) {
        std::optional<std::int64_t> stampMs;
        if (stamped) {
            // docker's own messages have no stamp: they are not the container's output.
            const std::optional<DockerLogTime> time = DockerLogTime::take(&line);
            if (!time) {
                if (!line.trimmed().isEmpty())
                    follow->complaint = printableExcerpt(line, 300);
                return;
            }
            follow->lastSeen = std::max(follow->lastSeen.value_or(*time), *time);
            stampMs = time->toMs();
        }
        follow->complaint.clear(); // the log flows
        follow->endedReason.clear();
        follow->aggregator->addLine(line, truncated, stampMs);
    });
}

void HostWorker::onFollowStderr(int followId, const QByteArray &data)
{
    LogFollow *follow = logFollow(followId);
    if (!m_active || !follow || !follow->open)
        return;
    follow->messages.feed(data, [follow](QByteArrayView line, bool) {
        line = line.trimmed();
        if (line.isEmpty())
            return;
        if (isFollowerNote(line)) {
            follow->complaint.clear();
            follow->endedReason.clear();
        } else {
            follow->complaint = printableExcerpt(line, 300);
        }
    });
}

void HostWorker::onFollowEnded(int followId, const QString &reason)
{
    LogFollow *follow = logFollow(followId);
    if (!m_active || !follow || !follow->open)
        return;
    follow->open = false;
    follow->readSinceCutOff = false;
    if (m_clock.elapsed() - follow->openedAtClock >= m_backoff.stableAfterMs)
        follow->delayMs = m_followInitialMs;
    follow->endedReason = reason;
    // docker says why on its output ("Error response from daemon: No such container: …").
    if (!follow->complaint.isEmpty() && !reason.contains(follow->complaint))
        follow->endedReason += u' ' + follow->complaint;
    follow->complaint.clear();
    follow->lines.reset();
    follow->messages.reset();
    follow->reopenAtMs = m_clock.elapsed() + follow->delayMs;
    follow->delayMs = std::min(follow->delayMs * 2, m_followMaxMs);
    armFollowTimer();
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
    closeFollows(); // they ended with the run
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
    closeFollows();
    setStatus(HostState::Failed, reason);
}

void HostWorker::setStatus(HostState state, const QString &detail, std::int64_t retryInMs)
{
    m_status = HostStatus{state, detail, retryInMs, QDateTime::currentMSecsSinceEpoch()};
    Q_EMIT statusChanged(m_status);
}

} // namespace twbench
