#include "sshtransport.h"

#include "homepath.h"
#include "shellquote.h"

#include "model/parsereport.h"

#include <QDir>
#include <QSocketNotifier>
#include <QTimer>

#include <algorithm>
#include <atomic>

namespace twbench {

namespace {

std::uint64_t nextQuestionId()
{
    // Unique in the process, so unique per fleet: answers are matched by it.
    static std::atomic<std::uint64_t> next{1};
    return next.fetch_add(1);
}

QString methodNames(int methods)
{
    QStringList names;
    if (methods & SSH_AUTH_METHOD_PUBLICKEY)
        names.append(QStringLiteral("publickey"));
    if (methods & SSH_AUTH_METHOD_INTERACTIVE)
        names.append(QStringLiteral("keyboard-interactive"));
    if (methods & SSH_AUTH_METHOD_PASSWORD)
        names.append(QStringLiteral("password"));
    if (methods & SSH_AUTH_METHOD_HOSTBASED)
        names.append(QStringLiteral("hostbased"));
    if (methods & SSH_AUTH_METHOD_GSSAPI_MIC)
        names.append(QStringLiteral("gssapi-with-mic"));
    return names.isEmpty() ? QStringLiteral("-") : names.join(QStringLiteral(", "));
}

} // namespace

SshTransport::SshTransport(HostSpec spec, ProbeParameters parameters, SshOptions options,
                           QObject *parent)
    : Transport(parent)
    , m_spec(std::move(spec))
    , m_parameters(parameters)
    , m_options(std::move(options))
    , m_knownHosts(m_options.knownHostsFile, m_options.globalKnownHostsFiles)
    , m_canceller(std::make_shared<SshCanceller>())
    , m_watchdog(new QTimer(this))
    , m_followStep(new QTimer(this))
{
    m_watchdog->setSingleShot(true);
    connect(m_watchdog, &QTimer::timeout, this, &SshTransport::onWatchdog);
    m_followStep->setSingleShot(true);
    m_followStep->setInterval(followStepMs);
    connect(m_followStep, &QTimer::timeout, this, &SshTransport::pump);
}

SshTransport::~SshTransport()
{
    stop();
}

QString SshTransport::target() const
{
    const QString host = KnownHosts::hostName(m_spec.address, m_spec.port);
    return m_spec.user.isEmpty() ? host : m_spec.user + u'@' + host;
}

QByteArray SshTransport::remoteCommand(const ProbeParameters &parameters)
{
    using Privilege = ProbeParameters::Privilege;
    const QStringList arguments =
        parameters.arguments(parameters.useSudo ? Privilege::Sudo : Privilege::User);
    for (const QString &argument : arguments) {
        if (!shell::plainWordError(argument).isEmpty())
            return {};
    }
    const QByteArray plain =
        QByteArrayLiteral("exec /bin/sh -s -- ") + shell::quoteWords(arguments);
    if (!parameters.useSudo)
        return plain;
    // `sudo -n` never prompts: it runs the command or fails at once, before reading stdin, so the
    // probe text is still on stdin for the fallback. The cheap `/bin/sh -c :` asks first, so the
    // probe itself can still be exec'd (the process sshd signals and whose exit status it
    // reports); a refusal (no sudoers rule, password required, requiretty, no sudo) runs the
    // probe unprivileged, which says "privilege=sudo-failed" in its hello for the samples to
    // report. Only plain words and `&&`, `||`: valid in sh, bash, zsh, ksh, csh, tcsh and fish 3.
    return QByteArrayLiteral("sudo -n /bin/sh -c : && exec sudo -n /bin/sh -s -- ") +
           shell::quoteWords(arguments) + QByteArrayLiteral(" || exec /bin/sh -s -- ") +
           shell::quoteWords(parameters.arguments(Privilege::SudoFailed));
}

void SshTransport::start()
{
    if (m_phase != Phase::Idle)
        return;
    m_canceller->reset();
    m_stderrTail.clear();
    m_exit = {};
    m_phase = Phase::Connecting;
    const std::uint64_t generation = ++m_generation;
    // Queued: the caller (the worker) has set its status before anything of ours is reported.
    QMetaObject::invokeMethod(
        this,
        [this, generation] {
            if (generation == m_generation && m_phase == Phase::Connecting)
                connectAndVerify();
        },
        Qt::QueuedConnection);
}

void SshTransport::stop()
{
    ++m_generation;
    // "Connect once" covers the automatic reconnects of this run of the host, not the next
    // connection the operator starts by hand.
    m_acceptedOnce.reset();
    if (m_phase == Phase::Idle)
        return;
    teardown(false);
    m_phase = Phase::Idle;
}

bool SshTransport::isRunning() const
{
    return m_phase != Phase::Idle;
}

void SshTransport::abort()
{
    m_canceller->abort();
}

void SshTransport::connectAndVerify()
{
    if (m_spec.kind != HostSpec::Kind::Ssh || !m_spec.isValid()) {
        refuseRun(m_spec.isValid() ? tr("This host is not an SSH host.")
                                   : m_spec.validationError());
        return;
    }
    m_loginClock.start();
    SshSession::Options options;
    options.host = m_spec.address.trimmed();
    options.port = m_spec.port;
    options.user = m_spec.user;
    options.jumpHost = m_spec.jumpHost;
    options.proxyCommand = m_spec.proxyCommand;
    options.timeoutSec = m_options.timeoutSec;
    options.keepAliveIdleSec = m_options.keepAliveIdleSec;
    options.keepAliveIntervalSec = m_options.keepAliveIntervalSec;
    options.keepAliveCount = m_options.keepAliveCount;
    options.userTimeoutMs = m_options.userTimeoutMs;
    options.preferredHostKeyTypes = m_knownHosts.knownKeyTypes(options.host, options.port);
    m_session = std::make_unique<SshSession>(options, m_canceller);
    const std::uint64_t generation = m_generation;
    if (SshStatus status = m_session->connect(); !status) {
        failRun(status.error(), true);
        return;
    }
    if (generation != m_generation)
        return;

    // Before any login call, as OpenSSH does: nothing is sent to a server we do not trust.
    Q_EMIT phaseChanged(HostState::VerifyingHostKey);
    if (generation != m_generation)
        return;
    if (SshStatus status = m_session->serverKey(&m_serverKey); !status) {
        failRun(status.error(), true);
        return;
    }
    const KnownHosts::Verdict verdict = m_knownHosts.check(options.host, options.port, m_serverKey);

    HostKeyQuestion question;
    question.id = nextQuestionId();
    question.hostId = m_spec.id;
    question.host = options.host;
    question.port = options.port;
    question.keyType = m_serverKey.type;
    question.keyBits = m_serverKey.bits;
    question.fingerprint = m_serverKey.fingerprint;
    question.verdict = verdict.verdict;
    question.knownHostsFile = verdict.file;
    question.knownHostsLine = verdict.line;
    question.knownHostsLineText =
        verdict.verdict == HostKeyVerdict::Unknown
            ? KnownHosts::entryLine(options.host, options.port, m_serverKey)
            : verdict.lineText;
    const QString where = tr("%1 line %2").arg(verdict.file).arg(verdict.line);
    // As OpenSSH says it: "ED25519 key fingerprint is SHA256:…".
    const QString shown = tr("%1 key fingerprint is %2")
                              .arg(openSshKeyName(m_serverKey.type), m_serverKey.fingerprint);

    switch (verdict.verdict) {
    case HostKeyVerdict::Known:
        proceedToLogin();
        return;
    case HostKeyVerdict::Unknown:
        if (m_acceptedOnce && *m_acceptedOnce == m_serverKey) {
            proceedToLogin();
            return;
        }
        if (m_options.headless) {
            if (!m_options.acceptNewHostKeys) {
                refuseRun(tr("The host key of %1 is not known (%2) and this run may not ask: "
                             "refused. Add the key to %3, or allow new host keys.")
                              .arg(KnownHosts::hostName(options.host, options.port), shown,
                                   verdict.file));
                return;
            }
            if (const QString error = m_knownHosts.append(options.host, options.port, m_serverKey);
                !error.isEmpty()) {
                refuseRun(error);
                return;
            }
            qCInfo(lcTwbenchSsh).noquote()
                << "added the host key of" << target() << shown << "to" << verdict.file;
            proceedToLogin();
            return;
        }
        m_pendingQuestion = question.id;
        m_phase = Phase::WaitingForHostKey;
        Q_EMIT hostKeyQuestion(question);
        return;
    case HostKeyVerdict::Changed:
        Q_EMIT hostKeyQuestion(question); // shown, not asked: there is no choice to make
        refuseRun(tr("WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! Someone could be "
                     "eavesdropping on you right now (a man-in-the-middle attack), or the host "
                     "key has just been changed. %1 now shows the %2; %3 holds another key for "
                     "it. twbench does not connect. If the change is expected, forget the old key "
                     "and connect again.")
                      .arg(KnownHosts::hostName(options.host, options.port), shown, where));
        return;
    case HostKeyVerdict::OtherType:
        Q_EMIT hostKeyQuestion(question);
        refuseRun(tr("WARNING: the host key of %1 is a %2, but %3 holds a key of another type for "
                     "it: the host may have been replaced, or someone may be in the middle. "
                     "twbench does not connect. If the change is expected, forget the old key and "
                     "connect again.")
                      .arg(KnownHosts::hostName(options.host, options.port), shown, where));
        return;
    case HostKeyVerdict::Revoked:
        Q_EMIT hostKeyQuestion(question);
        refuseRun(tr("The host key of %1 (%2) is marked as revoked in %3. twbench does not "
                     "connect.")
                      .arg(KnownHosts::hostName(options.host, options.port), shown, where));
        return;
    }
}

void SshTransport::answerHostKey(std::uint64_t questionId, HostKeyDecision decision)
{
    if (m_phase != Phase::WaitingForHostKey || questionId != m_pendingQuestion)
        return;
    m_pendingQuestion = 0;
    switch (decision) {
    case HostKeyDecision::Cancel:
        refuseRun(tr("The host key of %1 was not accepted.").arg(target()));
        return;
    case HostKeyDecision::ConnectOnce:
        // Kept for the automatic reconnects of this host, never written anywhere.
        m_acceptedOnce = m_serverKey;
        break;
    case HostKeyDecision::TrustAndSave:
        if (const QString error =
                m_knownHosts.append(m_spec.address.trimmed(), m_spec.port, m_serverKey);
            !error.isEmpty()) {
            refuseRun(error);
            return;
        }
        break;
    }
    proceedToLogin();
}

void SshTransport::proceedToLogin()
{
    m_phase = Phase::Authenticating;
    const std::uint64_t generation = m_generation;
    Q_EMIT phaseChanged(HostState::Authenticating);
    if (generation != m_generation)
        return;
    m_methods.clear();
    m_methodIndex = 0;
    m_failures = 0;
    m_attempt = 1;
    m_keyStage = KeyStage::TryPublic;
    m_kbdintStarted = false;
    m_kbdintPrompted = false;
    m_notes.clear();

    switch (m_session->authNone()) {
    case SshSession::AuthResult::Success:
        startStream();
        return;
    case SshSession::AuthResult::Error:
    case SshSession::AuthResult::Info:
        failRun(tr("Logging in to %1 failed: %2").arg(target(), m_session->lastError()), true);
        return;
    case SshSession::AuthResult::Denied:
    case SshSession::AuthResult::Partial:
        break;
    }
    m_offered = m_session->offeredMethods();
    const bool agent = !qEnvironmentVariable("SSH_AUTH_SOCK").isEmpty();
    const bool keyFile = !m_spec.identityFile.trimmed().isEmpty();
    switch (m_spec.login) {
    case HostSpec::LoginMethod::Agent:
        if (agent)
            m_methods.append(Method::Agent);
        if (keyFile)
            m_methods.append(Method::KeyFile);
        break;
    case HostSpec::LoginMethod::IdentityFile:
        if (keyFile)
            m_methods.append(Method::KeyFile);
        if (agent)
            m_methods.append(Method::Agent);
        break;
    case HostSpec::LoginMethod::Password:
        break;
    }
    m_methods.append(Method::KeyboardInteractive);
    m_methods.append(Method::Password);
    continueLogin();
}

void SshTransport::nextMethod()
{
    ++m_methodIndex;
    m_attempt = 1;
    m_keyStage = KeyStage::TryPublic;
    m_kbdintStarted = false;
    m_kbdintPrompted = false;
    m_privateKey.reset();
}

void SshTransport::continueLogin()
{
    const std::uint64_t generation = m_generation;
    while (m_methodIndex < m_methods.size() && m_failures < m_options.maxAuthFailures) {
        if (!runMethod(m_methods.at(m_methodIndex)))
            return; // waiting for the operator, or the run is over
        if (generation != m_generation || m_phase == Phase::Idle)
            return;
    }
    wipeSecret(m_secret);
    QString message = tr("Login as %1 was refused by the server.").arg(target());
    if (!m_notes.isEmpty())
        message += u' ' + tr("Tried: %1.").arg(m_notes.join(QStringLiteral("; ")));
    message += u' ' + tr("The server accepts: %1.").arg(methodNames(m_offered));
    refuseRun(message);
}

bool SshTransport::runMethod(Method method)
{
    using Auth = SshSession::AuthResult;
    // One server answer, common to every method: true means "go on with the loop".
    const auto handle = [this](Auth result, const QString &what) {
        switch (result) {
        case Auth::Success:
            startStream();
            return false;
        case Auth::Partial:
            // More is required: the server says which methods remain.
            m_offered = m_session->offeredMethods();
            m_notes.append(tr("%1 accepted, more required").arg(what));
            nextMethod();
            return true;
        case Auth::Denied:
            ++m_failures;
            return true;
        case Auth::Info:
        case Auth::Error:
            failRun(tr("Logging in to %1 failed: %2").arg(target(), m_session->lastError()), true);
            return false;
        }
        return false;
    };

    switch (method) {
    case Method::Agent: {
        if (!(m_offered & SSH_AUTH_METHOD_PUBLICKEY)) {
            nextMethod();
            return true;
        }
        // The agent is only asked to sign; forwarding it is never requested.
        const Auth result = m_session->authAgent();
        if (result == Auth::Denied)
            m_notes.append(tr("the agent's keys"));
        if (!handle(result, tr("the agent's key")))
            return false;
        if (result == Auth::Denied)
            nextMethod();
        return true;
    }
    case Method::KeyFile: {
        const QString path = expandHome(m_spec.identityFile.trimmed());
        if (!(m_offered & SSH_AUTH_METHOD_PUBLICKEY)) {
            nextMethod();
            return true;
        }
        if (m_keyStage == KeyStage::TryPublic) {
            // Asking whether the server would take the key costs no passphrase: OpenSSH asks
            // first too, so nobody types one for a key that is refused anyway.
            if (const SshKeyPtr publicKey =
                    SshSession::importPublicKey(path + QStringLiteral(".pub"))) {
                const Auth result = m_session->tryPublicKey(publicKey.get());
                if (result == Auth::Denied) {
                    m_notes.append(tr("the key %1 (not accepted)").arg(path));
                    ++m_failures;
                    nextMethod();
                    return true;
                }
                if (result != Auth::Success)
                    return handle(result, path);
            }
            m_keyStage = KeyStage::Import;
        }
        if (m_keyStage == KeyStage::Import) {
            switch (m_session->importPrivateKey(path, m_secret, &m_privateKey)) {
            case SshSession::ImportResult::Ok:
                m_keyStage = KeyStage::Authenticate;
                break;
            case SshSession::ImportResult::NeedPassphrase:
                if (m_options.headless) {
                    m_notes.append(tr("the key %1 needs a passphrase, which this run may not "
                                      "ask for")
                                       .arg(path));
                    nextMethod();
                    return true;
                }
                ask(CredentialRequest::Kind::Passphrase);
                return false;
            case SshSession::ImportResult::BadPassphrase:
                if (++m_attempt > m_options.maxAttemptsPerMethod) {
                    m_notes.append(tr("the key %1 (wrong passphrase)").arg(path));
                    nextMethod();
                    return true;
                }
                ask(CredentialRequest::Kind::Passphrase);
                return false;
            case SshSession::ImportResult::Unreadable:
                m_notes.append(tr("the key %1 (cannot be read)").arg(path));
                nextMethod();
                return true;
            }
        }
        const Auth result = m_session->authPublicKey(m_privateKey.get());
        m_privateKey.reset();
        if (result == Auth::Denied)
            m_notes.append(tr("the key %1 (not accepted)").arg(path));
        if (!handle(result, path))
            return false;
        if (result == Auth::Denied)
            nextMethod();
        return true;
    }
    case Method::KeyboardInteractive: {
        if (!(m_offered & SSH_AUTH_METHOD_INTERACTIVE)) {
            nextMethod();
            return true;
        }
        if (m_promptIndex < m_prompts.size()) {
            if (m_options.headless) {
                m_notes.append(tr("keyboard-interactive (this run may not ask)"));
                m_prompts.clear();
                nextMethod();
                return true;
            }
            ask(CredentialRequest::Kind::KeyboardInteractive, m_prompts.at(m_promptIndex).text,
                m_prompts.at(m_promptIndex).echo);
            return false;
        }
        const Auth result =
            m_kbdintStarted ? m_session->kbdintContinue() : m_session->kbdintStart();
        m_kbdintStarted = true;
        if (result == Auth::Info) {
            m_prompts = m_session->kbdintPrompts();
            m_promptIndex = 0;
            if (!m_prompts.isEmpty())
                m_kbdintPrompted = true;
            return true; // asks for the prompts (or answers an empty round) on the next turn
        }
        if (result == Auth::Denied) {
            m_prompts.clear();
            m_kbdintStarted = false;
            ++m_failures;
            // A server that refuses before asking anything has nothing for us here.
            if (!m_kbdintPrompted || ++m_attempt > m_options.maxAttemptsPerMethod) {
                if (m_kbdintPrompted)
                    m_notes.append(tr("keyboard-interactive"));
                nextMethod();
            }
            m_kbdintPrompted = false;
            return true;
        }
        return handle(result, tr("keyboard-interactive"));
    }
    case Method::Password: {
        if (!(m_offered & SSH_AUTH_METHOD_PASSWORD)) {
            nextMethod();
            return true;
        }
        if (m_options.headless) {
            m_notes.append(tr("a password (this run may not ask)"));
            nextMethod();
            return true;
        }
        if (m_secret.isEmpty()) {
            ask(CredentialRequest::Kind::Password);
            return false;
        }
        const Auth result = m_session->authPassword(m_secret);
        if (result == Auth::Denied) {
            ++m_failures;
            if (++m_attempt > m_options.maxAttemptsPerMethod) {
                m_notes.append(tr("a password"));
                nextMethod();
            }
            return true;
        }
        return handle(result, tr("the password"));
    }
    }
    return false;
}

void SshTransport::ask(CredentialRequest::Kind kind, const QString &prompt, bool echo)
{
    CredentialRequest request;
    request.id = nextQuestionId();
    request.hostId = m_spec.id;
    request.kind = kind;
    request.user = m_spec.user;
    request.host = m_spec.address.trimmed();
    request.attempt = m_attempt;
    request.echo = echo;
    switch (kind) {
    case CredentialRequest::Kind::Passphrase:
        request.identityFile = m_spec.identityFile;
        break;
    case CredentialRequest::Kind::KeyboardInteractive:
        request.name = m_session->kbdintName();
        request.instruction = m_session->kbdintInstruction();
        request.prompt = prompt;
        break;
    case CredentialRequest::Kind::Password:
        request.prompt = tr("Password:");
        break;
    }
    m_pendingRequest = request;
    m_phase = Phase::WaitingForCredentials;
    Q_EMIT credentialsNeeded(request);
}

void SshTransport::provideCredentials(CredentialReply reply)
{
    if (m_phase != Phase::WaitingForCredentials || reply.id != m_pendingRequest.id) {
        wipeSecret(reply.secret);
        return;
    }
    m_phase = Phase::Authenticating;
    m_pendingRequest.id = 0;
    if (reply.cancelled) {
        wipeSecret(reply.secret);
        refuseRun(tr("Login as %1 was cancelled.").arg(target()));
        return;
    }
    if (m_pendingRequest.kind == CredentialRequest::Kind::KeyboardInteractive) {
        const bool ok = m_session->kbdintAnswer(int(m_promptIndex), reply.secret);
        ++m_promptIndex;
        if (!ok) {
            failRun(tr("Logging in to %1 failed: %2").arg(target(), m_session->lastError()), true);
            return;
        }
    } else {
        wipeSecret(m_secret);
        m_secret = reply.secret; // shares the buffer, which its one use wipes
        if (m_secret.isEmpty())
            m_secret = QByteArrayLiteral("\0"); // typed nothing: still an answer, not a new ask
        reply.secret = QByteArray();
    }
    continueLogin();
}

void SshTransport::startStream()
{
    wipeSecret(m_secret);
    m_loginMs = m_loginClock.elapsed();
    qCDebug(lcTwbenchSsh).noquote() << "logged in to" << target() << "in" << m_loginMs << "ms";
    if (const QString why = m_parameters.error(); !why.isEmpty()) {
        refuseRun(why);
        return;
    }
    const QByteArray command = remoteCommand(m_parameters);
    const QByteArray script = m_script.isEmpty() ? probeScript() : m_script;
    if (command.isEmpty() || script.isEmpty()) {
        refuseRun(tr("The probe or its parameters are missing from this build."));
        return;
    }
    ssh_session session = m_session->handle();
    m_channel.reset(ssh_channel_new(session));
    if (!m_channel || ssh_channel_open_session(m_channel.get()) != SSH_OK) {
        failRun(tr("%1 did not open a channel: %2").arg(target(), m_session->lastError()), true);
        return;
    }
    watchExit(m_channelCallbacks, m_exit);
    if (ssh_set_channel_callbacks(m_channel.get(), &m_channelCallbacks) != SSH_OK) {
        failRun(tr("Could not watch the probe's exit on %1.").arg(target()), true);
        return;
    }
    if (ssh_channel_request_exec(m_channel.get(), command.constData()) != SSH_OK) {
        failRun(tr("%1 did not start the probe: %2").arg(target(), m_session->lastError()), true);
        return;
    }
    // The script as data on stdin, then EOF: the login shell never parses it.
    qsizetype written = 0;
    while (written < script.size()) {
        const int n = ssh_channel_write(m_channel.get(), script.constData() + written,
                                        uint32_t(script.size() - written));
        if (n <= 0) {
            failRun(tr("Could not send the probe to %1: %2").arg(target(), m_session->lastError()),
                    true);
            return;
        }
        written += n;
    }
    if (ssh_channel_send_eof(m_channel.get()) != SSH_OK) {
        failRun(tr("Could not send the probe to %1: %2").arg(target(), m_session->lastError()),
                true);
        return;
    }
    // From here nothing blocks: reads happen when the socket says there is something.
    ssh_set_blocking(session, 0);
    m_phase = Phase::Streaming;
    m_notifier = new QSocketNotifier(qintptr(m_session->socket()), QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &SshTransport::pump);
    m_watchdog->start(std::max(1, m_options.silentIntervals) *
                      std::max(1, m_parameters.counterIntervalSec) * 1000);
    pump();
}

void SshTransport::pump()
{
    if (m_phase != Phase::Streaming)
        return;
    const std::uint64_t generation = m_generation;
    // First, so that what the steps' non-blocking polls took off the socket is read below.
    const bool followsPending = advanceFollows();
    if (generation != m_generation || m_phase != Phase::Streaming)
        return;
    QByteArray buffer(readChunk, Qt::Uninitialized);
    int chunks = 0;
    for (; chunks < maxChunksPerTurn; ++chunks) {
        const int out = ssh_channel_read_nonblocking(m_channel.get(), buffer.data(),
                                                     uint32_t(buffer.size()), 0);
        if (out == SSH_ERROR) {
            failRun(tr("The connection to %1 was lost: %2").arg(target(), m_session->lastError()),
                    true);
            return;
        }
        if (out > 0) {
            m_watchdog->start();
            Q_EMIT bytesReceived(buffer.left(out));
            if (generation != m_generation || m_phase != Phase::Streaming)
                return; // the worker stopped us while handling the data
        }
        // Read every turn: a server blocked on a full stderr window would stop stdout too.
        const int err = ssh_channel_read_nonblocking(m_channel.get(), buffer.data(),
                                                     uint32_t(maxStderrTail), 1);
        if (err == SSH_ERROR) {
            failRun(tr("The connection to %1 was lost: %2").arg(target(), m_session->lastError()),
                    true);
            return;
        }
        if (err > 0) {
            const QByteArray data = buffer.left(err);
            m_stderrTail.append(data);
            if (m_stderrTail.size() > maxStderrTail)
                m_stderrTail.remove(0, m_stderrTail.size() - maxStderrTail);
            Q_EMIT stderrReceived(data);
            if (generation != m_generation || m_phase != Phase::Streaming)
                return;
        }
        // The follows' channels take their turn in the same round: none can starve the probe
        // or the others.
        bool followed = false;
        if (!pumpFollows(generation, buffer, &followed))
            return;
        if (out <= 0 && err <= 0 && !followed)
            break;
    }
    // A step's answer may have been read above, by another channel's read: look again soon.
    if (followsPending && !m_followStep->isActive())
        m_followStep->start();
    if (chunks == maxChunksPerTurn) {
        // More may be buffered inside libssh where the notifier cannot see it.
        QMetaObject::invokeMethod(
            this,
            [this, generation] {
                if (generation == m_generation)
                    pump();
            },
            Qt::QueuedConnection);
        return;
    }
    takePacketsAfterEof();
    if (ssh_channel_is_closed(m_channel.get()) ||
        (ssh_channel_is_eof(m_channel.get()) && m_exit.reported())) {
        finishRun();
        return;
    }
    endFinishedFollows();
}

void SshTransport::takePacketsAfterEof()
{
    // Once a channel has seen its EOF, libssh's reads of it no longer take packets off the
    // socket (ssh_channel_poll() skips ssh_handle_packets() when remote_eof is set). When the
    // exit status and the close come in a later segment than the EOF, and no other channel is
    // read, they would stay unread: the socket readable, the notifier firing in a loop, and the
    // run ended by the silence watchdog without its exit status. ssh_channel_get_exit_status()
    // handles the packets that have arrived; on this non-blocking session it never waits.
    const auto waitsForExit = [](ssh_channel channel, const ChannelExit &exit) {
        return channel && ssh_channel_is_eof(channel) && !exit.reported() &&
               !ssh_channel_is_closed(channel);
    };
    ssh_channel waiting = waitsForExit(m_channel.get(), m_exit) ? m_channel.get() : nullptr;
    for (const std::unique_ptr<Follow> &follow : m_follows) {
        if (!waiting && follow->step == Follow::Step::Streaming &&
            waitsForExit(follow->channel.get(), follow->exit))
            waiting = follow->channel.get();
    }
    if (waiting)
        ssh_channel_get_exit_status(waiting);
}

SshTransport::Follow *SshTransport::findFollow(int followId) const
{
    for (const std::unique_ptr<Follow> &follow : m_follows) {
        if (follow->id == followId)
            return follow.get();
    }
    return nullptr;
}

int SshTransport::streamingFollows() const
{
    return int(std::count_if(m_follows.begin(), m_follows.end(), [](const auto &follow) {
        return follow->step == Follow::Step::Streaming;
    }));
}

bool SshTransport::openFollow(int followId, const FollowCommand &command)
{
    if (m_phase != Phase::Streaming || !command.error().isEmpty())
        return false;
    closeFollow(followId);
    auto follow = std::make_unique<Follow>();
    follow->id = followId;
    follow->target = command.target;
    follow->script = command.remoteScript();
    follow->since.start();
    follow->channel.reset(ssh_channel_new(m_session->handle()));
    if (follow->channel) {
        watchExit(follow->callbacks, follow->exit);
        if (ssh_set_channel_callbacks(follow->channel.get(), &follow->callbacks) != SSH_OK)
            follow->channel.reset(); // reported by the first step, below
    }
    m_follows.push_back(std::move(follow));
    // The steps run from the pump, never from here: problems come as followEnded() later.
    const std::uint64_t generation = m_generation;
    QMetaObject::invokeMethod(
        this,
        [this, generation] {
            if (generation == m_generation)
                pump();
        },
        Qt::QueuedConnection);
    return true;
}

void SshTransport::closeFollow(int followId)
{
    const auto it = std::find_if(m_follows.begin(), m_follows.end(),
                                 [followId](const auto &follow) { return follow->id == followId; });
    if (it == m_follows.end())
        return;
    std::unique_ptr<Follow> follow = std::move(*it);
    m_follows.erase(it);
    releaseFollow(*follow, true);
}

bool SshTransport::advanceFollows()
{
    bool pending = false;
    const std::uint64_t generation = m_generation;
    QList<int> ids;
    for (const std::unique_ptr<Follow> &follow : m_follows) {
        if (follow->step != Follow::Step::Streaming)
            ids.append(follow->id);
    }
    for (const int id : ids) {
        Follow *follow = findFollow(id);
        if (!follow)
            continue;
        const QString target = printableExcerpt(follow->target.toUtf8());
        if (!follow->channel) {
            endFollow(id, tr("Could not make a channel to follow %1 on %2: %3")
                              .arg(target, this->target(), m_session->lastError()));
            if (generation != m_generation)
                return false;
            continue;
        }
        ssh_channel channel = follow->channel.get();
        int rc = SSH_OK;
        if (follow->step == Follow::Step::Opening) {
            rc = ssh_channel_open_session(channel);
            if (rc == SSH_OK)
                follow->step = Follow::Step::Requesting;
        }
        if (rc == SSH_OK && follow->step == Follow::Step::Requesting) {
            rc = ssh_channel_request_exec(channel, followCommandLine().constData());
            if (rc == SSH_OK)
                follow->step = Follow::Step::Sending;
        }
        if (rc == SSH_OK && follow->step == Follow::Step::Sending) {
            // Small, and the window of a new channel is large: sent at once, in practice.
            while (follow->written < follow->script.size()) {
                const int n =
                    ssh_channel_write(channel, follow->script.constData() + follow->written,
                                      uint32_t(follow->script.size() - follow->written));
                if (n < 0) {
                    rc = SSH_ERROR;
                    break;
                }
                if (n == 0) {
                    rc = SSH_AGAIN; // no window yet
                    break;
                }
                follow->written += n;
            }
            if (rc == SSH_OK) {
                rc = ssh_channel_send_eof(channel);
                if (rc == SSH_OK)
                    follow->step = Follow::Step::Streaming;
            }
        }
        if (rc == SSH_ERROR) {
            // The usual refusal of a channel: sshd's MaxSessions.
            const QString reason =
                follow->step == Follow::Step::Opening
                    ? tr("%1 refused a channel to follow %2 (%3); sshd allows MaxSessions "
                         "channels on one connection, 10 by default, the probe's included.")
                          .arg(this->target(), target, m_session->lastError())
                    : tr("%1 did not start following %2: %3")
                          .arg(this->target(), target, m_session->lastError());
            endFollow(id, reason);
            if (generation != m_generation)
                return false;
            continue;
        }
        if (follow->step == Follow::Step::Streaming)
            continue;
        if (follow->since.hasExpired(qint64(std::max(1, m_options.timeoutSec)) * 1000)) {
            endFollow(id, tr("%1 did not start following %2 within %3 s.")
                              .arg(this->target(), target)
                              .arg(m_options.timeoutSec));
            if (generation != m_generation)
                return false;
            continue;
        }
        pending = true;
    }
    return pending;
}

bool SshTransport::pumpFollows(std::uint64_t generation, QByteArray &buffer, bool *read)
{
    QList<int> ids;
    for (const std::unique_ptr<Follow> &follow : m_follows) {
        if (follow->step == Follow::Step::Streaming)
            ids.append(follow->id);
    }
    const auto stillRunning = [&] {
        return generation == m_generation && m_phase == Phase::Streaming;
    };
    for (const int id : ids) {
        Follow *follow = findFollow(id);
        if (!follow)
            continue;
        const int out = ssh_channel_read_nonblocking(follow->channel.get(), buffer.data(),
                                                     uint32_t(buffer.size()), 0);
        if (out == SSH_ERROR) {
            endFollow(id, tr("Reading the follower of %1 on %2 failed: %3")
                              .arg(printableExcerpt(follow->target.toUtf8()), target(),
                                   m_session->lastError()));
            if (!stillRunning())
                return false;
            continue;
        }
        if (out > 0) {
            *read = true;
            Q_EMIT followBytes(id, buffer.left(out));
            if (!stillRunning())
                return false;
            follow = findFollow(id); // the handler may have closed it
            if (!follow)
                continue;
        }
        const int err = ssh_channel_read_nonblocking(follow->channel.get(), buffer.data(),
                                                     uint32_t(maxStderrTail), 1);
        if (err > 0) {
            *read = true;
            const QByteArray data = buffer.left(err);
            follow->stderrTail.append(data);
            if (follow->stderrTail.size() > maxStderrTail)
                follow->stderrTail.remove(0, follow->stderrTail.size() - maxStderrTail);
            Q_EMIT followStderr(id, data);
            if (!stillRunning())
                return false;
        }
    }
    return true;
}

void SshTransport::endFinishedFollows()
{
    QList<int> ended;
    for (const std::unique_ptr<Follow> &follow : m_follows) {
        ssh_channel channel = follow->channel.get();
        if (follow->step == Follow::Step::Streaming &&
            (ssh_channel_is_closed(channel) ||
             (ssh_channel_is_eof(channel) && follow->exit.reported())))
            ended.append(follow->id);
    }
    const std::uint64_t generation = m_generation;
    for (const int id : ended) {
        const Follow *follow = findFollow(id);
        if (!follow)
            continue;
        const QString target = printableExcerpt(follow->target.toUtf8());
        QString reason;
        if (!follow->exit.signal.isEmpty())
            reason = tr("The follower of %1 on %2 was killed by signal %3.")
                         .arg(target, this->target(),
                              printableExcerpt(follow->exit.signal.toUtf8(), 40));
        else if (follow->exit.status)
            reason = tr("The follower of %1 on %2 exited with status %3.")
                         .arg(target, this->target())
                         .arg(*follow->exit.status);
        else
            reason = tr("The follower of %1 on %2 ended.").arg(target, this->target());
        const QByteArray tail = follow->stderrTail.trimmed();
        if (!tail.isEmpty()) {
            const qsizetype lastBreak = tail.lastIndexOf('\n');
            reason +=
                u' ' +
                tr("Its last message: %1")
                    .arg(printableExcerpt(lastBreak < 0 ? tail : tail.sliced(lastBreak + 1), 300));
        }
        endFollow(id, reason);
        if (generation != m_generation)
            return;
    }
}

void SshTransport::endFollow(int followId, const QString &reason)
{
    const auto it = std::find_if(m_follows.begin(), m_follows.end(),
                                 [followId](const auto &follow) { return follow->id == followId; });
    if (it == m_follows.end())
        return;
    std::unique_ptr<Follow> follow = std::move(*it);
    m_follows.erase(it);
    releaseFollow(*follow, false);
    Q_EMIT followEnded(followId, reason);
}

void SshTransport::releaseFollow(Follow &follow, bool askToEnd)
{
    if (!follow.channel)
        return;
    ssh_channel channel = follow.channel.get();
    // libssh may still hear of this channel (its close, a late exit status) after the free below,
    // which it defers until the server's close: the callbacks must not point at us by then.
    ssh_remove_channel_callbacks(channel, &follow.callbacks);
    if (askToEnd && m_session && m_session->isConnected() && ssh_channel_is_open(channel)) {
        // tail ends now rather than at its next write into a closed channel.
        ssh_channel_request_send_signal(channel, "TERM");
        ssh_channel_close(channel);
    }
    follow.channel.reset();
}

void SshTransport::releaseFollows(bool connectionDead)
{
    m_followStep->stop();
    std::vector<std::unique_ptr<Follow>> follows = std::move(m_follows);
    m_follows.clear();
    for (const std::unique_ptr<Follow> &follow : follows)
        releaseFollow(*follow, !connectionDead);
}

void SshTransport::watchExit(ssh_channel_callbacks_struct &callbacks, ChannelExit &exit)
{
    ssh_callbacks_init(&callbacks);
    callbacks.userdata = &exit;
    callbacks.channel_exit_status_function = &SshTransport::onExitStatus;
    callbacks.channel_exit_signal_function = &SshTransport::onExitSignal;
}

void SshTransport::onExitStatus(ssh_session, ssh_channel, int status, void *userdata)
{
    static_cast<ChannelExit *>(userdata)->status = status;
}

void SshTransport::onExitSignal(ssh_session, ssh_channel, const char *signal, int core,
                                const char *message, const char *language, void *userdata)
{
    Q_UNUSED(core)
    Q_UNUSED(message)
    Q_UNUSED(language)
    static_cast<ChannelExit *>(userdata)->signal = QString::fromUtf8(signal);
}

void SshTransport::onWatchdog()
{
    if (m_phase != Phase::Streaming)
        return;
    failRun(tr("No data from %1 for %2 s: the connection counts as dropped.")
                .arg(target())
                .arg(m_watchdog->interval() / 1000),
            true);
}

void SshTransport::finishRun()
{
    QString detail;
    const bool signalled = !m_exit.signal.isEmpty();
    if (signalled)
        detail = tr("The probe on %1 was killed by signal %2.")
                     .arg(target(), printableExcerpt(m_exit.signal.toUtf8(), 40));
    else if (m_exit.status.value_or(-1) == 0)
        detail = tr("The probe on %1 ended.").arg(target());
    else if (m_exit.status)
        detail = tr("The probe on %1 exited with status %2.").arg(target()).arg(*m_exit.status);
    else
        detail = tr("The probe on %1 ended without an exit status.").arg(target());
    detail += stderrSummary();
    const int code = m_exit.status.value_or(-1);
    teardown(false);
    m_phase = Phase::Idle;
    if (signalled)
        Q_EMIT failed(detail);
    else
        Q_EMIT finished(code, detail);
}

void SshTransport::failRun(const QString &reason, bool connectionDead)
{
    teardown(connectionDead);
    m_phase = Phase::Idle;
    Q_EMIT failed(reason);
}

void SshTransport::refuseRun(const QString &reason)
{
    teardown(false);
    m_phase = Phase::Idle;
    Q_EMIT refused(reason);
}

void SshTransport::teardown(bool connectionDead)
{
    wipeSecret(m_secret);
    m_privateKey.reset();
    m_prompts.clear();
    m_promptIndex = 0;
    m_pendingQuestion = 0;
    m_pendingRequest.id = 0;
    m_watchdog->stop();
    delete std::exchange(m_notifier, nullptr);
    if (connectionDead)
        m_canceller->abort(); // every write below fails at once instead of waiting
    if (m_session && m_session->isConnected())
        ssh_set_blocking(m_session->handle(), 0);
    // The follows end with the run, before the session they live in.
    releaseFollows(connectionDead);
    if (m_channel) {
        if (!connectionDead && m_session && m_session->isConnected()) {
            ssh_set_blocking(m_session->handle(), 0);
            // The probe ends now rather than at its next write into a closed channel.
            ssh_channel_request_send_signal(m_channel.get(), "TERM");
            ssh_channel_close(m_channel.get());
        }
        m_channel.reset();
    }
    m_session.reset();
}

QString SshTransport::stderrSummary() const
{
    const QByteArray tail = m_stderrTail.trimmed();
    if (tail.isEmpty())
        return {};
    const qsizetype lastBreak = tail.lastIndexOf('\n');
    const QByteArray lastLine = lastBreak < 0 ? tail : tail.sliced(lastBreak + 1);
    return u' ' + tr("Its last error output: %1").arg(printableExcerpt(lastLine, 300));
}

} // namespace twbench
