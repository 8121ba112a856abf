#pragma once

#include "framereader.h"
#include "hostspec.h"
#include "linesplitter.h"
#include "samplebuilder.h"
#include "sshtransport.h"
#include "transport.h"

#include "model/accesslog/accesslogaggregator.h"
#include "model/hostsample.h"
#include "model/hoststate.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

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
//
// Access logs (HostSpec::logs): once a run's probe says hello, the worker opens one follow per
// log source on the transport (Transport::openFollow()), cuts its output into lines
// (LineSplitter, at AccessLogAggregator::maxLineBytes) and counts them into an
// AccessLogAggregator per source; every sample then carries one LogWindow per source, from the
// previous sample's time to its own (HostSample::logs). A follow that ends by itself is opened
// again after a delay of followInitialMs doubling up to followMaxMs (back to followInitialMs
// after a minute of following); until then, and while the follower complains (a missing file,
// a refused permission), the windows carry the reason in LogWindow::error. A container follow
// opened again asks docker for the lines after the last one it counted (--since), at most
// maxCatchUpMs back, so none is counted twice; a file is followed again from its end
// (`tail -F -n 0`): lines written while no follow ran are not counted.
//
// History: a follow's first open (when its lines carry a time) reads back the log's recent past
// (FollowCommand::readHistory) and sets its aggregator's cut-off to the remote's time then, less
// historySlackMs (AccessLogAggregator::setHistoryBefore()). Once that read-back has arrived, the
// next sample carries the history windows of that source (one per 10 s bin, oldest first), then
// its live window: it holds every line logged since the cut-off and spans from there, where the
// history ends (without history, a follow's first window has no span, see openedInWindow); each
// later sample carries one live window.
// The read-back has arrived when a line logged after the cut-off came, or no line logged before
// it came for a sample while the follow ran for followSettleMs, or the follow ended, or after
// maxHistoryWaitMs. Until then the samples carry no window of that source: a live window there
// would end after the history, and AccessLogStats takes a source's windows in time order only.
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
    // Before start(): the delays before a log follow that ended is opened again.
    void setFollowBackoff(int initialMs, int maxMs);

    static constexpr int followInitialMs = 1000;
    static constexpr int followMaxMs = 60000;
    static constexpr std::int64_t maxCatchUpMs = 5 * 60 * 1000;
    // A follow opened again after it ended shows the old reason this long, unless data flows.
    static constexpr qint64 followSettleMs = 2000;
    // The longest follower message kept (tail's stderr, docker's own errors).
    static constexpr qsizetype maxMessageBytes = 1024;
    // The history's cut-off lies this far before the remote's time at the first open: a line
    // logged while the follower started counts live rather than land in the history's last bin.
    static constexpr std::int64_t historySlackMs = 1000;
    // The longest a source's windows wait for its read-back (a slow link, a log whose times lag).
    static constexpr qint64 maxHistoryWaitMs = 30000;

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

    // One access-log source and its follow.
    struct LogFollow
    {
        explicit LogFollow(const LogSourceSpec &spec);

        LogSourceSpec spec;
        std::optional<AccessLogAggregator> aggregator; // nullopt: the source cannot be followed
        QString setupError; // translated: why it cannot be followed at all
        LineSplitter lines{AccessLogAggregator::maxLineBytes};
        LineSplitter messages{maxMessageBytes};
        bool open = false;
        bool everOpened = false;
        QString endedReason; // translated: why the last follow ended, until one runs again
        QString complaint;   // the follower's latest message while it runs, printable
        int delayMs = followInitialMs;
        qint64 reopenAtMs = 0;             // m_clock time before which it is not opened again
        qint64 openedAtClock = 0;          // m_clock time of the last open
        std::int64_t openedAtSampleMs = 0; // remoteNowMs() at the last open
        // Opened since the last sample: the next window covers only part of its interval (the
        // follower started reading somewhere inside it), so it gives counts but no rate.
        bool openedInWindow = false;
        std::optional<DockerLogTime> lastSeen; // containers: the last line's stamp
        // The first open read back the recent past, whose windows are not handed over yet.
        bool historyPending = false;
        std::int64_t historyLinesSeen = 0; // aggregator->historyLines() at the previous sample
        // The follow that read the history back still runs: it read every line since the cut-off.
        bool readSinceCutOff = false;
    };
    void openFollows();
    void openFollow(int index);
    void closeFollows();
    void onFollowBytes(int followId, const QByteArray &data);
    void onFollowStderr(int followId, const QByteArray &data);
    void onFollowEnded(int followId, const QString &reason);
    void armFollowTimer();
    LogFollow *logFollow(int followId);
    QString windowError(const LogFollow &follow) const;
    bool historyArrived(LogFollow &follow, std::int64_t sampleMs) const;
    HostSamplePtr withLogWindows(HostSamplePtr sample);
    // The remote's clock as last heard: the latest sample, or this run's start.
    std::int64_t remoteNowMs() const { return std::max(m_lastSampleMs, m_runStartMs); }
    // The remote's clock now, estimated: as last heard, plus the time since; 0 when unknown.
    std::int64_t remoteEstimateMs() const;

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
    bool m_helloSeen = false; // this run's probe said hello: follows may be opened

    std::vector<std::unique_ptr<LogFollow>> m_logs; // index = follow id
    QTimer *m_followTimer = nullptr;                // Owned (child): the next follow to open again
    QElapsedTimer m_clock;                          // for the follows' delays
    std::int64_t m_lastSampleMs = 0; // the remote's clock at the latest sample (any run)
    std::int64_t m_runStartMs = 0;   // the remote's clock at this run's start, from its hello
    qint64 m_lastSampleClock = 0;    // m_clock time when m_lastSampleMs was heard
    qint64 m_runStartClock = 0;      // m_clock time when m_runStartMs was heard
    int m_followInitialMs = followInitialMs;
    int m_followMaxMs = followMaxMs;
};

} // namespace twbench
