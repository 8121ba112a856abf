#include "sshsession.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QRegularExpression>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcTwbenchSsh, "twbench.ssh", QtWarningMsg)

namespace twbench {

namespace {

// libssh 0.10's defaults without the SHA-1 "ssh-rsa" signature: what we accept from a server.
const QStringList defaultHostKeyAlgorithms{
    QStringLiteral("ssh-ed25519"),         QStringLiteral("ecdsa-sha2-nistp521"),
    QStringLiteral("ecdsa-sha2-nistp384"), QStringLiteral("ecdsa-sha2-nistp256"),
    QStringLiteral("rsa-sha2-512"),        QStringLiteral("rsa-sha2-256")};

QString hostKeyAlgorithms(const QStringList &preferredTypes)
{
    QStringList algorithms;
    for (const QString &type : preferredTypes) {
        // A known RSA key is asked for with SHA-2 signatures; the key (and its type in
        // known_hosts) is the same "ssh-rsa".
        const QStringList names =
            type == QLatin1String("ssh-rsa")
                ? QStringList{QStringLiteral("rsa-sha2-512"), QStringLiteral("rsa-sha2-256")}
                : QStringList{type};
        for (const QString &name : names) {
            if (defaultHostKeyAlgorithms.contains(name) && !algorithms.contains(name))
                algorithms.append(name);
        }
    }
    for (const QString &name : defaultHostKeyAlgorithms) {
        if (!algorithms.contains(name))
            algorithms.append(name);
    }
    return algorithms.join(u',');
}

bool isSafeWord(const QString &word, QStringView extra)
{
    if (word.isEmpty() || word.startsWith(u'-'))
        return false;
    for (const QChar c : word) {
        const bool alnum =
            (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9');
        if (!alnum && !extra.contains(c))
            return false;
    }
    return true;
}

QString errnoText(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

} // namespace

void wipeSecret(QByteArray &secret)
{
    // A literal or fromRawData() buffer is read-only memory and holds nothing typed: skip it.
    if (!secret.isEmpty() && secret.data_ptr().isMutable())
        std::memset(const_cast<char *>(secret.constData()), 0, size_t(secret.size()));
    secret.clear();
}

// --- SshCanceller ---------------------------------------------------------------------------

void SshCanceller::arm(int fd)
{
    std::lock_guard lock(m_mutex);
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = fd >= 0 ? ::fcntl(fd, F_DUPFD_CLOEXEC, 0) : -1;
    if (m_aborted && m_fd >= 0)
        ::shutdown(m_fd, SHUT_RDWR);
}

void SshCanceller::disarm()
{
    std::lock_guard lock(m_mutex);
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
}

void SshCanceller::abort()
{
    std::lock_guard lock(m_mutex);
    m_aborted = true;
    // Only the socket is touched: the session itself belongs to its thread.
    if (m_fd >= 0)
        ::shutdown(m_fd, SHUT_RDWR);
}

bool SshCanceller::isAborted() const
{
    std::lock_guard lock(m_mutex);
    return m_aborted;
}

void SshCanceller::reset()
{
    std::lock_guard lock(m_mutex);
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
    m_aborted = false;
}

// --- SshSession -----------------------------------------------------------------------------

SshSession::SshSession(Options options, std::shared_ptr<SshCanceller> canceller)
    : m_options(std::move(options))
    , m_canceller(canceller ? std::move(canceller) : std::make_shared<SshCanceller>())
{}

SshSession::~SshSession()
{
    m_canceller->disarm();
    if (m_session && ssh_is_connected(m_session.get())) {
        // Non-blocking, so a dead peer cannot hold the goodbye up.
        ssh_set_blocking(m_session.get(), 0);
        ssh_disconnect(m_session.get());
    }
}

QString SshSession::jumpCommand(const QString &jumpHost, const QString &targetHost, int targetPort,
                                QString *error)
{
    const auto failWith = [error](const QString &message) {
        if (error)
            *error = message;
        return QString();
    };
    if (jumpHost.contains(u','))
        return failWith(tr("Only one jump host is supported."));
    QString rest = jumpHost.trimmed();
    QString user;
    if (const qsizetype at = rest.lastIndexOf(u'@'); at >= 0) {
        user = rest.left(at);
        rest = rest.mid(at + 1);
    }
    QString host = rest;
    QString port;
    if (rest.startsWith(u'[')) {
        const qsizetype close = rest.indexOf(u']');
        if (close < 0)
            return failWith(tr("The jump host \"%1\" is not [user@]host[:port].").arg(jumpHost));
        host = rest.mid(1, close - 1);
        if (rest.size() > close + 1) {
            if (rest.at(close + 1) != u':')
                return failWith(
                    tr("The jump host \"%1\" is not [user@]host[:port].").arg(jumpHost));
            port = rest.mid(close + 2);
        }
    } else if (rest.count(u':') == 1) {
        host = rest.section(u':', 0, 0);
        port = rest.section(u':', 1);
    }
    bool portOk = true;
    const int portNumber = port.isEmpty() ? 22 : port.toInt(&portOk);
    if (!portOk || portNumber < 1 || portNumber > 65535)
        return failWith(tr("The jump host's port must be between 1 and 65535."));
    // Each part becomes a word of a local shell command: no spaces, no quotes, no leading '-'.
    if (!isSafeWord(host, u"._-:") || (!user.isEmpty() && !isSafeWord(user, u"._-")))
        return failWith(
            tr("The jump host \"%1\" holds characters that are not allowed there.").arg(jumpHost));
    if (!isSafeWord(targetHost, u"._-:"))
        return failWith(
            tr("The address \"%1\" cannot be reached through a jump host.").arg(targetHost));
    QString command = QStringLiteral("ssh -o BatchMode=yes -W '[%1]:%2' -p %3")
                          .arg(targetHost)
                          .arg(targetPort)
                          .arg(portNumber);
    if (!user.isEmpty())
        command += QStringLiteral(" -l ") + user;
    return command + u' ' + host;
}

SshStatus SshSession::fail(const QString &what) const
{
    const QString detail =
        m_session ? QString::fromUtf8(ssh_get_error(m_session.get())) : QString();
    if (m_canceller->isAborted())
        return SshStatus::failure(tr("%1: cancelled.").arg(what));
    if (detail.isEmpty())
        return SshStatus::failure(what);
    return SshStatus::failure(tr("%1: %2").arg(what, detail));
}

SshStatus SshSession::connect()
{
    m_session.reset(ssh_new());
    ssh_session session = m_session.get();
    if (!session)
        return SshStatus::failure(tr("Could not create an SSH session (out of memory)."));
    const QString target = KnownHosts::hostName(m_options.host, m_options.port);

    const QByteArray host = m_options.host.toUtf8();
    const unsigned int port = unsigned(m_options.port);
    const long timeout = std::max(1, m_options.timeoutSec);
    const int yes = 1;
    const bool processConfig = false;
    const int verbosity = SSH_LOG_NOLOG;
    const QByteArray algorithms = hostKeyAlgorithms(m_options.preferredHostKeyTypes).toLatin1();
    const auto set = [session](ssh_options_e option, const void *value) {
        return ssh_options_set(session, option, value) == SSH_OK;
    };
    bool ok = set(SSH_OPTIONS_LOG_VERBOSITY, &verbosity) &&
              set(SSH_OPTIONS_PROCESS_CONFIG, &processConfig) &&
              set(SSH_OPTIONS_HOST, host.constData()) && set(SSH_OPTIONS_PORT, &port) &&
              set(SSH_OPTIONS_TIMEOUT, &timeout) && set(SSH_OPTIONS_NODELAY, &yes) &&
              set(SSH_OPTIONS_STRICTHOSTKEYCHECK, &yes) &&
              set(SSH_OPTIONS_HOSTKEYS, algorithms.constData());
    if (ok && !m_options.user.isEmpty()) {
        const QByteArray user = m_options.user.toUtf8();
        ok = set(SSH_OPTIONS_USER, user.constData());
    }
    if (!ok)
        return fail(tr("Could not set up the SSH session for %1").arg(target));

    QString proxy = m_options.proxyCommand.trimmed();
    if (!m_options.jumpHost.trimmed().isEmpty()) {
        QString error;
        proxy = jumpCommand(m_options.jumpHost, m_options.host, m_options.port, &error);
        if (proxy.isEmpty())
            return SshStatus::failure(error);
    }
    if (!proxy.isEmpty()) {
        // Run locally by libssh, like OpenSSH's ProxyCommand; cancellable once connected.
        const QByteArray command = proxy.toUtf8();
        if (!set(SSH_OPTIONS_PROXYCOMMAND, command.constData()))
            return fail(tr("Could not set the proxy command for %1").arg(target));
        qCDebug(lcTwbenchSsh) << "connecting to" << target << "through" << proxy;
    } else {
        int fd = -1;
        if (SshStatus status = connectSocket(&fd); !status)
            return status;
        // From here libssh owns the socket (it closes it on failure and in ssh_free()).
        if (!set(SSH_OPTIONS_FD, &fd)) {
            ::close(fd);
            return fail(tr("Could not hand the connection to %1 to libssh").arg(target));
        }
    }

    if (ssh_connect(session) != SSH_OK)
        return fail(tr("Could not connect to %1").arg(target));
    const int fd = ssh_get_fd(session);
    m_canceller->arm(fd);
    if (m_canceller->isAborted())
        return SshStatus::failure(tr("Connecting to %1: cancelled.").arg(target));
    tuneSocket(fd);
    qCDebug(lcTwbenchSsh).noquote()
        << target << "key exchange" << ssh_get_kex_algo(session) << "cipher"
        << ssh_get_cipher_out(session) << "server" << ssh_get_serverbanner(session);
    return {};
}

SshStatus SshSession::connectSocket(int *fdOut)
{
    const QString target = KnownHosts::hostName(m_options.host, m_options.port);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV | AI_ADDRCONFIG;
    addrinfo *found = nullptr;
    const QByteArray host = m_options.host.toUtf8();
    const QByteArray port = QByteArray::number(m_options.port);
    if (const int rc = ::getaddrinfo(host.constData(), port.constData(), &hints, &found); rc != 0)
        return SshStatus::failure(
            tr("Could not resolve %1: %2")
                .arg(m_options.host, QString::fromLocal8Bit(gai_strerror(rc))));
    const std::unique_ptr<addrinfo, void (*)(addrinfo *)> guard(found, ::freeaddrinfo);

    QDeadlineTimer deadline(std::chrono::seconds(std::max(1, m_options.timeoutSec)));
    int lastError = ETIMEDOUT;
    for (addrinfo *address = found; address; address = address->ai_next) {
        const int fd =
            ::socket(address->ai_family, address->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                     address->ai_protocol);
        if (fd < 0) {
            lastError = errno;
            continue;
        }
        m_canceller->arm(fd); // abort() now shuts the connecting socket down
        tuneSocket(fd);
        int rc = ::connect(fd, address->ai_addr, address->ai_addrlen);
        if (rc != 0 && errno == EINPROGRESS) {
            // Short slices, so a cancel is seen even if shutdown() does not wake the poll.
            rc = -1;
            errno = ETIMEDOUT;
            while (!deadline.hasExpired() && !m_canceller->isAborted()) {
                pollfd pfd{fd, POLLOUT, 0};
                const int ready =
                    ::poll(&pfd, 1, int(std::min<qint64>(deadline.remainingTime(), 100)));
                if (ready < 0 && errno == EINTR)
                    continue;
                if (ready != 0) {
                    int soError = 0;
                    socklen_t length = sizeof soError;
                    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &length);
                    rc = soError == 0 ? 0 : -1;
                    errno = soError;
                    break;
                }
            }
            if (m_canceller->isAborted())
                errno = ECANCELED;
        }
        if (rc == 0) {
            // libssh expects a blocking socket; it switches by itself when asked to.
            ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
            *fdOut = fd;
            return {};
        }
        lastError = errno;
        m_canceller->disarm();
        ::close(fd);
        if (lastError == ECANCELED || deadline.hasExpired())
            break;
    }
    if (lastError == ECANCELED)
        return SshStatus::failure(tr("Connecting to %1: cancelled.").arg(target));
    return SshStatus::failure(tr("Could not connect to %1: %2").arg(target, errnoText(lastError)));
}

void SshSession::tuneSocket(int fd) const
{
    // A proxy command's socket is a socketpair: no TCP there.
    int domain = 0;
    socklen_t length = sizeof domain;
    if (::getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &length) != 0 ||
        (domain != AF_INET && domain != AF_INET6))
        return;
    const int on = 1;
    const int idle = std::max(1, m_options.keepAliveIdleSec);
    const int interval = std::max(1, m_options.keepAliveIntervalSec);
    const int count = std::max(1, m_options.keepAliveCount);
    const unsigned int userTimeout = unsigned(std::max(0, m_options.userTimeoutMs));
    // Failures here cost only the early detection of a dead peer; the stream's watchdog
    // still catches it.
    if (::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) != 0 ||
        ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on) != 0 ||
        ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle) != 0 ||
        ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval) != 0 ||
        ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof count) != 0 ||
        ::setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &userTimeout, sizeof userTimeout) != 0)
        qCDebug(lcTwbenchSsh) << "could not set TCP keepalive options:" << errnoText(errno);
}

bool SshSession::isConnected() const
{
    return m_session && ssh_is_connected(m_session.get());
}

int SshSession::socket() const
{
    return m_session ? ssh_get_fd(m_session.get()) : -1;
}

SshStatus SshSession::serverKey(PublicKey *key) const
{
    ssh_key raw = nullptr;
    if (ssh_get_server_publickey(m_session.get(), &raw) != SSH_OK || !raw)
        return fail(tr("The server sent no host key"));
    const SshKeyPtr serverKey(raw);
    char *base64Raw = nullptr;
    if (ssh_pki_export_pubkey_base64(serverKey.get(), &base64Raw) != SSH_OK || !base64Raw)
        return fail(tr("Could not read the server's host key"));
    const SshCString base64(base64Raw);
    std::optional<PublicKey> parsed = PublicKey::fromBase64(QByteArrayView(base64.get()));
    if (!parsed)
        return SshStatus::failure(tr("The server's host key is of a kind twbench cannot read."));

    // The fingerprint as libssh computes it, which is ssh-keygen's format.
    unsigned char *hash = nullptr;
    size_t hashLength = 0;
    if (ssh_get_publickey_hash(serverKey.get(), SSH_PUBLICKEY_HASH_SHA256, &hash, &hashLength) ==
        SSH_OK) {
        const SshCString text(
            ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, hashLength));
        ssh_clean_pubkey_hash(&hash);
        if (text && QLatin1String(text.get()) != parsed->fingerprint) {
            qCWarning(lcTwbenchSsh)
                << "fingerprints disagree:" << text.get() << parsed->fingerprint;
            parsed->fingerprint = QString::fromLatin1(text.get());
        }
    }
    *key = std::move(*parsed);
    return {};
}

SshSession::AuthResult SshSession::authResult(int rc) const
{
    switch (rc) {
    case SSH_AUTH_SUCCESS:
        return AuthResult::Success;
    case SSH_AUTH_DENIED:
        return AuthResult::Denied;
    case SSH_AUTH_PARTIAL:
        return AuthResult::Partial;
    case SSH_AUTH_INFO:
        return AuthResult::Info;
    default:
        return AuthResult::Error;
    }
}

SshSession::AuthResult SshSession::authNone()
{
    return authResult(ssh_userauth_none(m_session.get(), nullptr));
}

int SshSession::offeredMethods() const
{
    return ssh_userauth_list(m_session.get(), nullptr);
}

SshSession::AuthResult SshSession::authAgent()
{
    return authResult(ssh_userauth_agent(m_session.get(), nullptr));
}

SshSession::AuthResult SshSession::tryPublicKey(ssh_key publicKey)
{
    return authResult(ssh_userauth_try_publickey(m_session.get(), nullptr, publicKey));
}

SshSession::AuthResult SshSession::authPublicKey(ssh_key privateKey)
{
    return authResult(ssh_userauth_publickey(m_session.get(), nullptr, privateKey));
}

namespace {

// libssh asks for a passphrase only for an encrypted key; we learn that and say no, so the
// operator is asked by the GUI rather than by libssh on a terminal.
int noteNeedPassphrase(const char *, char *, size_t, int, int, void *userdata)
{
    *static_cast<bool *>(userdata) = true;
    return -1;
}

} // namespace

SshSession::ImportResult SshSession::importPrivateKey(const QString &path, QByteArray &passphrase,
                                                      SshKeyPtr *key)
{
    const QByteArray file = QFile::encodeName(path);
    if (!QFile::exists(path)) {
        wipeSecret(passphrase);
        return ImportResult::Unreadable;
    }
    bool needed = false;
    ssh_key raw = nullptr;
    int rc = SSH_ERROR;
    if (passphrase.isEmpty()) {
        rc = ssh_pki_import_privkey_file(file.constData(), nullptr, noteNeedPassphrase, &needed,
                                         &raw);
    } else {
        passphrase.append('\0'); // a C string for libssh; wiped with the rest
        rc = ssh_pki_import_privkey_file(file.constData(), passphrase.constData(), nullptr, nullptr,
                                         &raw);
    }
    const bool hadPassphrase = !passphrase.isEmpty();
    wipeSecret(passphrase);
    if (rc == SSH_OK && raw) {
        key->reset(raw);
        return ImportResult::Ok;
    }
    if (raw)
        ssh_key_free(raw);
    if (needed)
        return ImportResult::NeedPassphrase;
    return hadPassphrase ? ImportResult::BadPassphrase : ImportResult::Unreadable;
}

SshKeyPtr SshSession::importPublicKey(const QString &path)
{
    ssh_key raw = nullptr;
    if (ssh_pki_import_pubkey_file(QFile::encodeName(path).constData(), &raw) != SSH_OK)
        return {};
    return SshKeyPtr(raw);
}

SshSession::AuthResult SshSession::kbdintStart()
{
    return authResult(ssh_userauth_kbdint(m_session.get(), nullptr, nullptr));
}

SshSession::AuthResult SshSession::kbdintContinue()
{
    return authResult(ssh_userauth_kbdint(m_session.get(), nullptr, nullptr));
}

QString SshSession::kbdintName() const
{
    return QString::fromUtf8(ssh_userauth_kbdint_getname(m_session.get()));
}

QString SshSession::kbdintInstruction() const
{
    return QString::fromUtf8(ssh_userauth_kbdint_getinstruction(m_session.get()));
}

QList<SshSession::Prompt> SshSession::kbdintPrompts() const
{
    QList<Prompt> prompts;
    const int count = ssh_userauth_kbdint_getnprompts(m_session.get());
    for (int i = 0; i < count; ++i) {
        char echo = 0;
        const char *text = ssh_userauth_kbdint_getprompt(m_session.get(), unsigned(i), &echo);
        prompts.append(Prompt{QString::fromUtf8(text), echo != 0});
    }
    return prompts;
}

bool SshSession::kbdintAnswer(int index, QByteArray &answer)
{
    answer.append('\0');
    // libssh keeps its own copy until the next round and burns it when done.
    const bool ok =
        ssh_userauth_kbdint_setanswer(m_session.get(), unsigned(index), answer.constData()) == 0;
    wipeSecret(answer);
    return ok;
}

SshSession::AuthResult SshSession::authPassword(QByteArray &password)
{
    password.append('\0');
    const int rc = ssh_userauth_password(m_session.get(), nullptr, password.constData());
    wipeSecret(password);
    return authResult(rc);
}

QString SshSession::lastError() const
{
    if (m_canceller->isAborted())
        return tr("cancelled");
    return m_session ? QString::fromUtf8(ssh_get_error(m_session.get())) : QString();
}

QString SshSession::banner() const
{
    char *raw = ssh_get_issue_banner(m_session.get());
    const SshCString text(raw);
    return text ? QString::fromUtf8(text.get()) : QString();
}

SshStatus SshSession::execute(const QByteArray &command, QByteArray *out, QByteArray *err,
                              int *exitStatus, qsizetype maxBytes)
{
    SshChannelPtr channel(ssh_channel_new(m_session.get()));
    if (!channel)
        return fail(tr("Could not create a channel"));
    if (ssh_channel_open_session(channel.get()) != SSH_OK)
        return fail(tr("Could not open a channel"));
    if (ssh_channel_request_exec(channel.get(), command.constData()) != SSH_OK)
        return fail(tr("The server refused to run the command"));
    QDeadlineTimer deadline(std::chrono::seconds(std::max(1, m_options.timeoutSec)));
    char buffer[16384];
    while (true) {
        // Short waits on stdout with stderr drained in between: neither stream can stall the
        // other by filling its window.
        const int n = ssh_channel_read_timeout(channel.get(), buffer, sizeof buffer, 0, 50);
        if (n == SSH_ERROR)
            return fail(tr("Reading the command's output failed"));
        if (n > 0 && out && out->size() < maxBytes)
            out->append(buffer, std::min<qsizetype>(n, maxBytes - out->size()));
        int e = 0;
        while ((e = ssh_channel_read_nonblocking(channel.get(), buffer, sizeof buffer, 1)) > 0) {
            if (err && err->size() < maxBytes)
                err->append(buffer, std::min<qsizetype>(e, maxBytes - err->size()));
        }
        if (e == SSH_ERROR)
            return fail(tr("Reading the command's error output failed"));
        if (n <= 0 && ssh_channel_is_eof(channel.get()))
            break;
        if (n <= 0 && deadline.hasExpired())
            return SshStatus::failure(tr("The command did not finish in time."));
    }
    if (exitStatus)
        *exitStatus = ssh_channel_get_exit_status(channel.get());
    ssh_channel_send_eof(channel.get());
    ssh_channel_close(channel.get());
    return {};
}

} // namespace twbench
