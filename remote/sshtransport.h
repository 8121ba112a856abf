#pragma once

#include "hostspec.h"
#include "knownhosts.h"
#include "probeparameters.h"
#include "sshsession.h"
#include "sshtypes.h"
#include "transport.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>

#include <libssh/callbacks.h>

#include <memory>
#include <optional>
#include <vector>

class QSocketNotifier;
class QTimer;

namespace twbench {

// How every SSH host of a fleet connects and what it may ask. Holds no secret.
struct SshOptions
{
    QString knownHostsFile;            // empty: ~/.ssh/known_hosts (where new keys go)
    QStringList globalKnownHostsFiles; // empty: /etc/ssh/ssh_known_hosts (read only)
    // Headless runs ask nothing: an unknown host key is refused unless acceptNewHostKeys
    // (OpenSSH's StrictHostKeyChecking=accept-new), and a login that needs something typed
    // fails with a message saying so.
    bool headless = false;
    bool acceptNewHostKeys = false;
    int timeoutSec = 15; // each blocking step: TCP connect, key exchange, each login call
    int keepAliveIdleSec = 10;
    int keepAliveIntervalSec = 5;
    int keepAliveCount = 3;
    int userTimeoutMs = 30000;
    int silentIntervals = 3;      // a stream silent this many counter intervals is dropped
    int maxAttemptsPerMethod = 3; // passphrase, keyboard-interactive and password tries
    int maxAuthFailures = 5;      // refusals in all; sshd disconnects at MaxAuthTries (6)
};

// The probe over SSH, as a state machine on its worker's event loop:
//   connect (blocking, bounded by timeoutSec, cancelled by abort())
//   → host key against known_hosts (Unknown: hostKeyQuestion(), then back to the event loop
//     until answerHostKey(); Changed / OtherType / Revoked: refused(), no override)
//   → login: none, then agent, identity file (passphrase asked when needed), keyboard-
//     interactive, password, as the server offers them (credentialsNeeded() waits the same way)
//   → one exec channel: `exec /bin/sh -s -- ARGS` with the probe written to its stdin (with
//     HostSpec::useSudo, through `sudo -n`, falling back to the login user: remoteCommand())
//   → the stream, read without blocking when the socket is readable; stdout and stderr in turn,
//     so a chatty stderr cannot stall stdout; a stream silent for silentIntervals counter
//     intervals counts as dropped (failed()).
//   → follows (openFollow()), once the probe streams: each one more exec channel on the same
//     session (no second login), `exec /bin/sh -s` with FollowCommand::remoteScript() on its
//     stdin, for the reason below. The channel is opened, the exec requested and the script sent
//     without blocking, a step each time the socket answers (and every followStepMs while a step
//     waits); then its stdout and stderr are read in the same pump as the probe's, a chunk each
//     per round within maxChunksPerTurn. A follow that ends, or that the server refuses (sshd
//     allows MaxSessions channels a connection, 10 by default), gives followEnded() and leaves
//     the probe alone; the probe's end closes every follow.
//
// Why stdin and not `exec /bin/sh -c '<probe>'`: sshd hands the command line to the account's
// login shell. A single-quoted multi-line script is one word in sh, bash, zsh and ksh, but csh
// and tcsh refuse newlines inside quotes and expand '!', and fish treats \\ and \' inside single
// quotes as escapes, so the probe text would arrive changed. `exec /bin/sh -s -- '1' '2' …`
// holds only plain words, valid in every one of those shells, and the script travels as data on
// the channel, never parsed by the login shell. `exec` replaces the login shell, so the probe is
// the process sshd waits for and signals.
class SshTransport final : public Transport
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SshTransport)

public:
    SshTransport(HostSpec spec, ProbeParameters parameters, SshOptions options = {},
                 QObject *parent = nullptr);
    ~SshTransport() override;

    void start() override;
    void stop() override;
    bool isRunning() const override;
    void abort() override;
    void answerHostKey(std::uint64_t questionId, HostKeyDecision decision) override;
    void provideCredentials(CredentialReply reply) override;

    bool supportsFollows() const override { return true; }
    bool openFollow(int followId, const FollowCommand &command) override;
    void closeFollow(int followId) override;
    // Follows whose channel is open and streaming (tests).
    int streamingFollows() const;

    // The command line sent to the server; empty when a parameter is not a plain word.
    static QByteArray remoteCommand(const ProbeParameters &parameters);
    // A follow's command line: plain words, the script comes on stdin.
    static QByteArray followCommandLine() { return QByteArrayLiteral("exec /bin/sh -s"); }
    // Replaces the built-in probe text (tests).
    void setScript(const QByteArray &script) { m_script = script; }
    QByteArray stderrTail() const { return m_stderrTail; }
    // Connect + key exchange + host key + login of the last run that got that far, in ms.
    qint64 loginMs() const { return m_loginMs; }

    static constexpr qsizetype maxStderrTail = 4096;
    static constexpr qsizetype readChunk = 64 * 1024;
    static constexpr int maxChunksPerTurn = 16; // then the event loop gets a turn
    static constexpr int followStepMs = 20;     // how often a follow's pending step is retried

private:
    enum class Phase : std::uint8_t {
        Idle,
        Connecting,
        WaitingForHostKey,
        Authenticating,
        WaitingForCredentials,
        Streaming,
    };
    enum class Method : std::uint8_t { Agent, KeyFile, KeyboardInteractive, Password };
    enum class KeyStage : std::uint8_t { TryPublic, Import, Authenticate };

    void connectAndVerify();
    void proceedToLogin();
    void continueLogin();
    bool runMethod(Method method); // false: waiting for an answer or the run ended
    void ask(CredentialRequest::Kind kind, const QString &prompt = {}, bool echo = false);
    void nextMethod();
    void startStream();
    void pump();
    void onWatchdog();

    // One follow: its channel and where its opening stands.
    // How a channel's command ended, as the server reported it: the probe's and each follow's.
    // libssh calls watchExit()'s callbacks with a pointer to one of these.
    struct ChannelExit
    {
        std::optional<int> status;
        QString signal;

        bool reported() const { return status || !signal.isEmpty(); }
    };
    // Points `callbacks` at `exit`, for ssh_set_channel_callbacks().
    static void watchExit(ssh_channel_callbacks_struct &callbacks, ChannelExit &exit);

    struct Follow
    {
        enum class Step : std::uint8_t { Opening, Requesting, Sending, Streaming };

        int id = 0;
        QString target; // for messages
        QByteArray script;
        qsizetype written = 0;
        Step step = Step::Opening;
        SshChannelPtr channel;
        ssh_channel_callbacks_struct callbacks{}; // userdata: `exit`
        QElapsedTimer since;                      // opening started
        QByteArray stderrTail;
        ChannelExit exit;
    };
    Follow *findFollow(int followId) const;
    // Moves pending follows one step on, without blocking. True when any is still pending.
    bool advanceFollows();
    // One chunk of stdout and stderr of each streaming follow; false when the run ended (or the
    // transport was stopped) inside a handler. *read: whether anything was read.
    bool pumpFollows(std::uint64_t generation, QByteArray &buffer, bool *read);
    // Handles the packets that arrived after a channel's EOF (its exit status, its close).
    void takePacketsAfterEof();
    void endFinishedFollows();
    void endFollow(int followId, const QString &reason);
    void releaseFollow(Follow &follow, bool askToEnd);
    void releaseFollows(bool connectionDead);
    void failRun(const QString &reason, bool connectionDead = false);
    void refuseRun(const QString &reason);
    void finishRun();
    void teardown(bool connectionDead);
    QString target() const;
    QString stderrSummary() const;

    static void onExitStatus(ssh_session, ssh_channel, int status, void *userdata);
    static void onExitSignal(ssh_session, ssh_channel, const char *signal, int core,
                             const char *message, const char *language, void *userdata);

    const HostSpec m_spec;
    const ProbeParameters m_parameters;
    const SshOptions m_options;
    const KnownHosts m_knownHosts;
    const std::shared_ptr<SshCanceller> m_canceller; // shared with abort() callers' threads
    QByteArray m_script;
    Phase m_phase = Phase::Idle;
    std::uint64_t m_generation = 0; // tells a queued step of an old run from the current one

    std::unique_ptr<SshSession> m_session;
    SshChannelPtr m_channel; // freed before m_session
    ssh_channel_callbacks_struct m_channelCallbacks{};
    QSocketNotifier *m_notifier = nullptr; // Owned (child); only while streaming
    QTimer *m_watchdog = nullptr;          // Owned (child)
    QTimer *m_followStep = nullptr;        // Owned (child); while a follow's step waits
    // Freed before m_session (teardown()); unique_ptr: libssh holds their callbacks' address.
    std::vector<std::unique_ptr<Follow>> m_follows;

    PublicKey m_serverKey;
    std::optional<PublicKey> m_acceptedOnce; // "connect once": automatic reconnects, until stop()
    std::uint64_t m_pendingQuestion = 0;
    CredentialRequest m_pendingRequest;

    QList<Method> m_methods;
    qsizetype m_methodIndex = 0;
    int m_offered = 0; // SSH_AUTH_METHOD_* bits
    int m_attempt = 1;
    int m_failures = 0;
    KeyStage m_keyStage = KeyStage::TryPublic;
    SshKeyPtr m_privateKey;
    bool m_kbdintStarted = false;
    bool m_kbdintPrompted = false;
    QList<SshSession::Prompt> m_prompts;
    qsizetype m_promptIndex = 0;
    QByteArray m_secret; // between the reply and its one use; wiped then
    QStringList m_notes; // what the login tried, for the refusal message

    QByteArray m_stderrTail;
    ChannelExit m_exit; // the probe's
    QElapsedTimer m_loginClock;
    qint64 m_loginMs = -1;
};

} // namespace twbench
