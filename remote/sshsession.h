#pragma once

#include "knownhosts.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QLoggingCategory>
#include <QString>
#include <QStringList>

#include <libssh/libssh.h>

#include <memory>
#include <mutex>

Q_DECLARE_LOGGING_CATEGORY(lcTwbenchSsh)

namespace twbench {

// Guards for libssh's C handles: every handle has exactly one owner and is freed on every path.
struct SshSessionDeleter
{
    void operator()(ssh_session session) const { ssh_free(session); }
};
struct SshChannelDeleter
{
    void operator()(ssh_channel channel) const { ssh_channel_free(channel); }
};
struct SshKeyDeleter
{
    void operator()(ssh_key key) const { ssh_key_free(key); }
};
struct SshStringDeleter
{
    void operator()(char *text) const { ssh_string_free_char(text); }
};
using SshSessionPtr = std::unique_ptr<ssh_session_struct, SshSessionDeleter>;
using SshChannelPtr = std::unique_ptr<ssh_channel_struct, SshChannelDeleter>;
using SshKeyPtr = std::unique_ptr<ssh_key_struct, SshKeyDeleter>;
using SshCString = std::unique_ptr<char, SshStringDeleter>;

// Overwrites a secret's bytes where they are, then empties it. The buffer of a QByteArray that
// crossed threads in queued calls is shared by every copy: writing through constData() wipes
// them all, where fill(0) would detach and wipe only a fresh copy.
void wipeSecret(QByteArray &secret);

// The result of a libssh step: ok, or why not (translated, ready for the operator).
class [[nodiscard]] SshStatus
{
public:
    SshStatus() = default;
    static SshStatus failure(QString message)
    {
        SshStatus status;
        status.m_error = std::move(message);
        status.m_failed = true;
        return status;
    }
    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const QString &error() const { return m_error; }

private:
    QString m_error;
    bool m_failed = false;
};

// Cancels a session's blocking calls from any thread by shutting its socket down: the call
// that waits returns with an error, in the session's own thread, which then cleans up. It
// holds its own dup() of the socket, so the descriptor it shuts down can never be one that
// libssh closed and the process reused meanwhile. Thread-safe.
class SshCanceller final
{
    Q_DISABLE_COPY_MOVE(SshCanceller)

public:
    SshCanceller() = default;
    ~SshCanceller() { disarm(); }

    // The session's thread: watch `fd` (duplicated) until disarm(). Shuts it down at once when
    // abort() came first.
    void arm(int fd);
    void disarm();
    // Any thread.
    void abort();
    bool isAborted() const;
    void reset(); // the session's thread, before a new connection

private:
    mutable std::mutex m_mutex;
    int m_fd = -1; // Owned: our dup of the session's socket
    bool m_aborted = false;
};

// One SSH connection, driven from one thread (libssh's rule: a session and its channels belong
// to one thread). Blocking calls are bounded by Options::timeoutSec and cut short by the
// canceller. The user's ~/.ssh/config is never read by libssh (SSH_OPTIONS_PROCESS_CONFIG off):
// libssh 0.10 would honour "StrictHostKeyChecking no" from it; what twbench needs from that
// file it imports into the HostSpec itself. Host keys are checked by the caller with
// KnownHosts, between connect() and the first login call.
class SshSession final
{
    Q_DECLARE_TR_FUNCTIONS(SshSession)
    Q_DISABLE_COPY_MOVE(SshSession)

public:
    struct Options
    {
        QString host;
        int port = 22;
        QString user;         // empty: the local user
        QString jumpHost;     // "[user@]host[:port]", run as `ssh -W` through ProxyCommand
        QString proxyCommand; // the operator's own, used as given (%h, %p expanded by libssh)
        int timeoutSec = 15;  // every blocking step
        // TCP keepalive: a silent peer is probed after idle s, every interval s, count times.
        int keepAliveIdleSec = 10;
        int keepAliveIntervalSec = 5;
        int keepAliveCount = 3;
        int userTimeoutMs = 30000;         // TCP_USER_TIMEOUT: unacknowledged data this long drops
        QStringList preferredHostKeyTypes; // from known_hosts, asked for first
    };

    enum class AuthResult : std::uint8_t { Success, Denied, Partial, Info, Error };
    enum class ImportResult : std::uint8_t { Ok, NeedPassphrase, BadPassphrase, Unreadable };

    struct Prompt
    {
        QString text;
        bool echo = false;
    };

    SshSession(Options options, std::shared_ptr<SshCanceller> canceller);
    ~SshSession();

    // The ProxyCommand for a jump host, from validated parts; empty with *error set when the
    // jump host or target cannot be put in a command line safely.
    static QString jumpCommand(const QString &jumpHost, const QString &targetHost, int targetPort,
                               QString *error);

    SshStatus connect();
    ssh_session handle() const { return m_session.get(); }
    bool isConnected() const;
    int socket() const;

    SshStatus serverKey(PublicKey *key) const;

    // Login steps; on Error, lastError() says why (translated).
    AuthResult authNone();
    int offeredMethods() const; // SSH_AUTH_METHOD_* bits, valid after authNone()
    AuthResult authAgent();
    AuthResult tryPublicKey(ssh_key publicKey);
    AuthResult authPublicKey(ssh_key privateKey);
    // `passphrase` may be empty (the key is tried as unencrypted); it is wiped.
    ImportResult importPrivateKey(const QString &path, QByteArray &passphrase, SshKeyPtr *key);
    static SshKeyPtr importPublicKey(const QString &path);
    AuthResult kbdintStart();
    AuthResult kbdintContinue();
    QString kbdintName() const;
    QString kbdintInstruction() const;
    QList<Prompt> kbdintPrompts() const;
    bool kbdintAnswer(int index, QByteArray &answer); // the answer is wiped
    AuthResult authPassword(QByteArray &password);    // the password is wiped
    QString lastError() const;
    QString banner() const; // the server's pre-login banner, raw remote text

    // Runs `command` on a new channel and collects its output (bounded by maxBytes each);
    // blocking. For tests and one-off commands, not for the probe's stream.
    SshStatus execute(const QByteArray &command, QByteArray *out, QByteArray *err, int *exitStatus,
                      qsizetype maxBytes = 16 * 1024 * 1024);

private:
    SshStatus fail(const QString &what) const;
    AuthResult authResult(int rc) const;
    SshStatus connectSocket(int *fd);
    void tuneSocket(int fd) const;

    Options m_options;
    std::shared_ptr<SshCanceller> m_canceller;
    SshSessionPtr m_session;
};

} // namespace twbench
