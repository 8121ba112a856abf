// SshTransport, Fleet and HostWorker against a real sshd on 127.0.0.1 (tests/lab/sshdfixture):
// host-key trust as OpenSSH does it, logins, the probe's stream, and what happens when the
// server dies or freezes. Every wait is bounded; nothing sleeps longer than it must.
#include "remotetestutil.h"
#include "sshtestutil.h"
#include "timergapprobe.h"

#include "model/timeline.h"
#include "remote/fleet.h"
#include "remote/shellquote.h"
#include "remote/sshsession.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QProcess>
#include <QRandomGenerator>
#include <QTimer>

#include <gtest/gtest.h>

#include <cstdio>

using namespace twbench;
using namespace twbench::test;

namespace {

class Ssh : public ::testing::Test
{
protected:
    void SetUp() override
    {
        if (const QString why = SshdFixture::unavailableReason(); !why.isEmpty())
            GTEST_SKIP() << why.toStdString();
        QString error;
        ASSERT_TRUE(sshd.start(&error)) << error.toStdString();
        QFile file(sshd.knownHostsPath());
        ASSERT_TRUE(file.open(QIODevice::WriteOnly));
        file.write(sshd.knownHostsLine() + '\n');
    }

    void writeKnownHosts(const QByteArray &text)
    {
        QFile file(sshd.knownHostsPath());
        ASSERT_TRUE(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(text);
    }

    SshdFixture sshd;
};

// Sets an environment variable for the test's scope.
class EnvGuard
{
public:
    EnvGuard(const char *name, const QByteArray &value)
        : m_name(name)
        , m_had(qEnvironmentVariableIsSet(name))
        , m_old(qgetenv(name))
    {
        qputenv(name, value);
    }
    ~EnvGuard()
    {
        if (m_had)
            qputenv(m_name, m_old);
        else
            qunsetenv(m_name);
    }

private:
    const char *m_name;
    bool m_had;
    QByteArray m_old;
};

struct FleetRecorder
{
    explicit FleetRecorder(Fleet &fleet)
    {
        clock.start();
        QObject::connect(&fleet, &Fleet::statusChanged, &fleet,
                         [this](const QString &id, const HostStatus &status) {
                             statuses[id].append(status);
                             statusTimes[id].append(clock.elapsed());
                         });
        QObject::connect(
            &fleet, &Fleet::sampleReady, &fleet,
            [this](const QString &id, const HostSamplePtr &sample) {
                samples[id].append({runs.value(id).value(runs.value(id).size() - 1), sample});
            });
        QObject::connect(&fleet, &Fleet::runStarted, &fleet,
                         [this](const QString &id, const QString &run) { runs[id].append(run); });
        QObject::connect(
            &fleet, &Fleet::hostKeyQuestion, &fleet,
            [this](const QString &id, const HostKeyQuestion &q) { questions[id].append(q); });
    }
    HostState state(const QString &id) const
    {
        const QList<HostStatus> list = statuses.value(id);
        return list.isEmpty() ? HostState::Idle : list.last().state;
    }
    QElapsedTimer clock;
    QHash<QString, QList<HostStatus>> statuses;
    QHash<QString, QList<qint64>> statusTimes;
    QHash<QString, QList<std::pair<QString, HostSamplePtr>>> samples; // (run id, sample)
    QHash<QString, QStringList> runs;
    QHash<QString, QList<HostKeyQuestion>> questions;
};

qsizetype logOffsetAfter(const SshdFixture &sshd)
{
    return sshd.log().size();
}

} // namespace

TEST_F(Ssh, SamplesStreamForFiveSeconds)
{
    TransportRun run(sshSpec(sshd), sshOptions(sshd));
    QElapsedTimer clock;
    clock.start();
    run.transport.start();
    ASSERT_TRUE(waitUntil([&] { return run.ended() || clock.elapsed() >= 5000; }, 15000));
    EXPECT_FALSE(run.ended())
        << run.failure.value_or(run.refusal.value_or(QString())).toStdString();
    std::printf("login (connect, key exchange, host key, public key) took %lld ms\n",
                static_cast<long long>(run.transport.loginMs()));
    run.transport.stop();
    EXPECT_TRUE(run.questions.isEmpty());
    EXPECT_EQ(run.phases,
              (QList<HostState>{HostState::VerifyingHostKey, HostState::Authenticating}));
    ASSERT_TRUE(run.hello);
    EXPECT_FALSE(run.hello->field("run").isEmpty());
    ASSERT_GE(run.frames.size(), 4u);
    bool sawTable = false;
    for (size_t i = 0; i < run.frames.size(); ++i) {
        EXPECT_EQ(run.frames[i].sequence, i + 1);
        sawTable = sawTable || run.frames[i].section("ss") || run.frames[i].section("proc_tcp");
    }
    EXPECT_TRUE(sawTable);
    EXPECT_TRUE(run.frames.front().section("sockstat"));
    EXPECT_FALSE(run.transport.isRunning());
}

TEST_F(Ssh, UnknownKeyIsAskedWithSshKeygensFingerprint)
{
    writeKnownHosts({});
    const qsizetype logStart = logOffsetAfter(sshd);
    TransportRun run(sshSpec(sshd), sshOptions(sshd));
    run.onQuestion = [&run](const HostKeyQuestion &q) {
        QTimer::singleShot(0, &run.transport, [&run, id = q.id] {
            run.transport.answerHostKey(id, HostKeyDecision::Cancel);
        });
    };
    run.transport.start();
    ASSERT_TRUE(waitUntil([&] { return run.ended(); }, 15000));
    ASSERT_EQ(run.questions.size(), 1);
    const HostKeyQuestion &q = run.questions.first();
    // "256 SHA256:… comment (ED25519)"
    const QStringList keygen = sshd.keygenFingerprintLine().split(u' ');
    ASSERT_GE(keygen.size(), 2);
    EXPECT_EQ(q.fingerprint, keygen.at(1));
    EXPECT_EQ(QString::number(q.keyBits), keygen.at(0));
    EXPECT_EQ(q.keyType, QStringLiteral("ssh-ed25519"));
    EXPECT_EQ(q.verdict, HostKeyVerdict::Unknown);
    EXPECT_EQ(q.host, QStringLiteral("127.0.0.1"));
    EXPECT_EQ(q.port, sshd.port());
    EXPECT_EQ(q.knownHostsFile, sshd.knownHostsPath());
    EXPECT_EQ(q.knownHostsLineText.toUtf8(), sshd.knownHostsLine());
    ASSERT_TRUE(run.refusal);
    EXPECT_FALSE(run.failure);
    EXPECT_FALSE(sshd.log().mid(logStart).contains("userauth"));
}

TEST_F(Ssh, TrustAndSaveWritesALineOpenSshFinds)
{
    writeKnownHosts({});
    {
        TransportRun run(sshSpec(sshd), sshOptions(sshd));
        run.onQuestion = [&run](const HostKeyQuestion &q) {
            QTimer::singleShot(0, &run.transport, [&run, id = q.id] {
                run.transport.answerHostKey(id, HostKeyDecision::TrustAndSave);
            });
        };
        run.transport.start();
        ASSERT_TRUE(waitUntil([&] { return run.ended() || !run.frames.empty(); }, 15000));
        ASSERT_FALSE(run.frames.empty());
        EXPECT_EQ(run.questions.size(), 1);
    }
    QProcess keygen;
    keygen.start(QStringLiteral("ssh-keygen"),
                 {QStringLiteral("-F"), QStringLiteral("[127.0.0.1]:%1").arg(sshd.port()),
                  QStringLiteral("-f"), sshd.knownHostsPath()});
    ASSERT_TRUE(keygen.waitForFinished(10000));
    EXPECT_EQ(keygen.exitCode(), 0);
    EXPECT_TRUE(keygen.readAllStandardOutput().contains(sshd.knownHostsLine().split(' ').at(2)));

    // The next connection knows the key and asks nothing.
    TransportRun again(sshSpec(sshd), sshOptions(sshd));
    again.transport.start();
    ASSERT_TRUE(waitUntil([&] { return again.ended() || !again.frames.empty(); }, 15000));
    EXPECT_FALSE(again.frames.empty());
    EXPECT_TRUE(again.questions.isEmpty());
}

TEST_F(Ssh, ChangedKeyIsRefusedEvenWhenSshConfigSaysStrictHostKeyCheckingNo)
{
    // The user's own ssh config would let libssh accept anything; twbench must not read it.
    QTemporaryDir home;
    QDir(home.path()).mkpath(QStringLiteral(".ssh"));
    QFile config(home.filePath(QStringLiteral(".ssh/config")));
    ASSERT_TRUE(config.open(QIODevice::WriteOnly));
    config.write("Host *\n    StrictHostKeyChecking no\n    UserKnownHostsFile /dev/null\n");
    config.close();
    EnvGuard homeGuard("HOME", QFile::encodeName(home.path()));

    // An impostor on the same port, with another host key; known_hosts trusts the real one.
    ASSERT_TRUE(sshd.addKey(QStringLiteral("impostor")));
    QString error;
    ASSERT_TRUE(sshd.start(&error, QStringLiteral("impostor"))) << error.toStdString();
    const qsizetype logStart = logOffsetAfter(sshd);

    TransportRun run(sshSpec(sshd), sshOptions(sshd));
    run.transport.start();
    ASSERT_TRUE(waitUntil([&] { return run.ended(); }, 15000));
    ASSERT_TRUE(run.refusal) << run.failure.value_or(QString()).toStdString();
    EXPECT_TRUE(run.refusal->contains(QStringLiteral("REMOTE HOST IDENTIFICATION HAS CHANGED")));
    EXPECT_TRUE(run.refusal->contains(sshd.knownHostsPath() + QStringLiteral(" line 1")))
        << run.refusal->toStdString();
    ASSERT_EQ(run.questions.size(), 1); // shown, not asked
    EXPECT_EQ(run.questions.first().verdict, HostKeyVerdict::Changed);
    EXPECT_EQ(run.questions.first().fingerprint,
              sshd.keygenFingerprintLine(QStringLiteral("impostor")).section(u' ', 1, 1));
    EXPECT_TRUE(run.frames.empty());
    EXPECT_FALSE(run.phases.contains(HostState::Authenticating));

    // The impostor saw the key exchange and the goodbye, and never a login attempt.
    ASSERT_TRUE(waitUntil([&] { return sshd.log().mid(logStart).contains("preauth"); }, 5000))
        << sshd.log().mid(logStart).toStdString();
    const QByteArray log = sshd.log().mid(logStart);
    for (const char *word : {"userauth", "Accepted", "Failed", "Postponed", "authentication"})
        EXPECT_FALSE(log.contains(word)) << word << " in:\n" << log.toStdString();
}

TEST_F(Ssh, RevokedKeyIsRefused)
{
    const QList<QByteArray> fields = sshd.knownHostsLine().split(' ');
    writeKnownHosts(sshd.knownHostsLine() + "\n@revoked * " + fields.at(1) + ' ' + fields.at(2) +
                    '\n');
    TransportRun run(sshSpec(sshd), sshOptions(sshd));
    run.transport.start();
    ASSERT_TRUE(waitUntil([&] { return run.ended(); }, 15000));
    ASSERT_TRUE(run.refusal);
    EXPECT_TRUE(run.refusal->contains(QStringLiteral("revoked")));
    EXPECT_TRUE(run.refusal->contains(QStringLiteral(" line 2")));
    ASSERT_EQ(run.questions.size(), 1);
    EXPECT_EQ(run.questions.first().verdict, HostKeyVerdict::Revoked);
}

TEST_F(Ssh, KeyOfAnotherTypeIsRefused)
{
    ASSERT_TRUE(sshd.addKey(QStringLiteral("ecdsa"), QStringLiteral("ecdsa")));
    writeKnownHosts(sshd.knownHostsLine(QStringLiteral("ecdsa")) + '\n');
    TransportRun run(sshSpec(sshd), sshOptions(sshd));
    run.transport.start();
    ASSERT_TRUE(waitUntil([&] { return run.ended(); }, 15000));
    ASSERT_TRUE(run.refusal);
    ASSERT_EQ(run.questions.size(), 1);
    EXPECT_EQ(run.questions.first().verdict, HostKeyVerdict::OtherType);
}

TEST_F(Ssh, HeadlessRefusesUnknownKeysUnlessNewKeysAreAccepted)
{
    writeKnownHosts({});
    SshOptions options = sshOptions(sshd);
    options.headless = true;
    {
        TransportRun run(sshSpec(sshd), options);
        run.transport.start();
        ASSERT_TRUE(waitUntil([&] { return run.ended(); }, 15000));
        ASSERT_TRUE(run.refusal);
        EXPECT_TRUE(run.questions.isEmpty());
        EXPECT_TRUE(run.refusal->contains(QStringLiteral("not known")));
    }
    options.acceptNewHostKeys = true;
    TransportRun run(sshSpec(sshd), options);
    run.transport.start();
    ASSERT_TRUE(waitUntil([&] { return run.ended() || !run.frames.empty(); }, 15000));
    EXPECT_FALSE(run.frames.empty());
    EXPECT_TRUE(run.questions.isEmpty());
    const KnownHosts known(sshd.knownHostsPath(), options.globalKnownHostsFiles);
    EXPECT_TRUE(known.knownKeyTypes(QStringLiteral("127.0.0.1"), sshd.port())
                    .contains(QStringLiteral("ssh-ed25519")));
}

TEST_F(Ssh, WrongUserKeyIsAClearLoginError)
{
    ASSERT_TRUE(sshd.addKey(QStringLiteral("stranger")));
    HostSpec spec = sshSpec(sshd);
    spec.identityFile = sshd.dir() + QStringLiteral("/stranger");
    SshOptions options = sshOptions(sshd);
    options.headless = true; // so the password fallback is not asked for
    TransportRun run(spec, options);
    run.transport.start();
    ASSERT_TRUE(waitUntil([&] { return run.ended(); }, 15000));
    ASSERT_TRUE(run.refusal) << run.failure.value_or(QString()).toStdString();
    EXPECT_TRUE(run.refusal->contains(QStringLiteral("refused"))) << run.refusal->toStdString();
    EXPECT_TRUE(run.refusal->contains(spec.identityFile)) << run.refusal->toStdString();
    EXPECT_TRUE(run.refusal->contains(QStringLiteral("publickey"))) << run.refusal->toStdString();
    EXPECT_TRUE(run.requests.isEmpty());
    std::printf("the refusal reads: %s\n", qPrintable(*run.refusal));
}

namespace {

QList<QByteArray> *capturedMessages = nullptr;

void captureMessage(QtMsgType, const QMessageLogContext &, const QString &message)
{
    if (capturedMessages)
        capturedMessages->append(message.toUtf8());
}

} // namespace

TEST_F(Ssh, PasswordLoginAndThePasswordIsNowhereAfterwards)
{
    // Random per run, so a hit can only come from this test.
    const QByteArray canary =
        "Canary-" + QByteArray::number(QRandomGenerator::global()->generate64(), 36) + "-pw";
    const QByteArray wrong =
        "Wrong-" + QByteArray::number(QRandomGenerator::global()->generate64(), 36) + "-pw";
    QString account;
    QString error;
    if (!sshd.createAccount(canary, &account, &error))
        GTEST_SKIP() << "no throwaway account: " << error.toStdString();

    QTemporaryDir home;
    EnvGuard homeGuard("HOME", QFile::encodeName(home.path()));
    EnvGuard configGuard("XDG_CONFIG_HOME",
                         QFile::encodeName(home.filePath(QStringLiteral("config"))));
    EnvGuard agentGuard("SSH_AUTH_SOCK", QByteArray());
    QList<QByteArray> messages;
    capturedMessages = &messages;
    const QtMessageHandler previous = qInstallMessageHandler(captureMessage);
    QLoggingCategory::setFilterRules(QStringLiteral("twbench.*=true"));

    HostSpec spec = sshSpec(sshd);
    spec.user = account;
    spec.login = HostSpec::LoginMethod::Password;
    spec.identityFile.clear();
    {
        TransportRun run(spec, sshOptions(sshd));
        run.onRequest = [&run, &canary, &wrong](const CredentialRequest &request) {
            QTimer::singleShot(0, &run.transport, [&run, &canary, &wrong, request] {
                CredentialReply reply;
                reply.id = request.id;
                // A fresh heap copy, as a dialog's text would be.
                reply.secret = request.attempt == 1 ? wrong : canary;
                reply.secret.detach();
                run.transport.provideCredentials(reply);
                wipeSecret(reply.secret);
            });
        };
        run.transport.start();
        ASSERT_TRUE(waitUntil([&] { return run.ended() || !run.frames.empty(); }, 20000));
        EXPECT_FALSE(run.frames.empty())
            << run.refusal.value_or(run.failure.value_or(QString())).toStdString();
        ASSERT_EQ(run.requests.size(), 2);
        EXPECT_EQ(run.requests[0].kind, CredentialRequest::Kind::Password);
        EXPECT_EQ(run.requests[0].user, account);
        EXPECT_EQ(run.requests[1].attempt, 2);
        std::printf("password login took %lld ms (without the time to answer)\n",
                    static_cast<long long>(run.transport.loginMs()));
    }
    QLoggingCategory::setFilterRules(QString());
    qInstallMessageHandler(previous);
    capturedMessages = nullptr;

    EXPECT_FALSE(messages.isEmpty()); // the debug log was on, so the check below means something
    for (const QByteArray &message : std::as_const(messages)) {
        EXPECT_FALSE(message.contains(canary)) << message.toStdString();
        EXPECT_FALSE(message.contains(wrong)) << message.toStdString();
    }
    // Every file the test and the server could have written: the fixture's directory (sshd's
    // log, known_hosts, config) and the temporary HOME with its settings directory.
    int files = 0;
    for (const QString &root : {sshd.dir(), home.path()}) {
        QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile file(it.next());
            ASSERT_TRUE(file.open(QIODevice::ReadOnly));
            const QByteArray data = file.readAll();
            ++files;
            EXPECT_FALSE(data.contains(canary)) << file.fileName().toStdString();
            EXPECT_FALSE(data.contains(wrong)) << file.fileName().toStdString();
        }
    }
    EXPECT_GE(files, 5);
}

// A run's end is seen with its exit status even when the status comes well after the stream's
// EOF (a probe that closes its output, then exits). libssh no longer takes packets off the
// socket for a channel past its EOF, so the status and the close used to sit unread, the
// notifier firing in a loop, until the silence watchdog dropped the host 3 s later with "No
// data … counts as dropped" instead of the exit status (SshTransport::takePacketsAfterEof()).
// The flood soaks saw it now and then under load; this makes it happen every time.
TEST_F(Ssh, ExitStatusLongAfterTheEofIsSeen)
{
    TransportRun run(sshSpec(sshd), sshOptions(sshd));
    run.transport.setScript("printf 'last words\\n' >&2\n"
                            "exec >&- 2>&-\n"
                            "sleep 1\n"
                            "exit 7\n");
    QElapsedTimer clock;
    clock.start();
    run.transport.start();
    ASSERT_TRUE(waitUntil([&] { return run.ended(); }, 15000));
    ASSERT_TRUE(run.finished)
        << run.failure.value_or(run.refusal.value_or(QString())).toStdString();
    EXPECT_TRUE(run.finished->contains(QStringLiteral("exited with status 7")))
        << run.finished->toStdString();
    EXPECT_TRUE(run.finished->contains(QStringLiteral("last words")))
        << run.finished->toStdString();
    std::printf("exit status seen %lld ms after the start (the silence watchdog: 3,000 ms)\n",
                static_cast<long long>(clock.elapsed()));
}

TEST_F(Ssh, QuotedStringsRoundTripThroughTheRemoteShell)
{
    const auto canceller = std::make_shared<SshCanceller>();
    SshSession::Options options;
    options.host = QStringLiteral("127.0.0.1");
    options.port = sshd.port();
    options.user = QStringLiteral("root");
    options.timeoutSec = 10;
    SshSession session(options, canceller);
    ASSERT_TRUE(session.connect().ok());
    PublicKey key;
    ASSERT_TRUE(session.serverKey(&key).ok());
    ASSERT_EQ(KnownHosts(sshd.knownHostsPath(), {sshd.dir() + QStringLiteral("/none")})
                  .check(options.host, options.port, key)
                  .verdict,
              HostKeyVerdict::Known);
    ASSERT_EQ(session.authNone(), SshSession::AuthResult::Denied);
    QByteArray noPassphrase;
    SshKeyPtr userKey;
    ASSERT_EQ(session.importPrivateKey(sshd.userKeyPath(), noPassphrase, &userKey),
              SshSession::ImportResult::Ok);
    ASSERT_EQ(session.authPublicKey(userKey.get()), SshSession::AuthResult::Success);

    // Shell syntax of every kind, UTF-8, raw high bytes, control characters and newlines.
    const QList<QByteArray> pieces{
        "'",     "\"",    "\\",    "`",    "$",    "$(",       "${",   "!",    "*",    "?", "[",
        "]",     "{",     "}",     "(",    ")",    "<",        ">",    "|",    "&",    ";", "~",
        "#",     "%",     "^",     "=",    ",",    " ",        "\t",   "\n",   "\r",   "-", "--",
        "'\\''", "é",     "漢字",  "😀",    "\x01", "\x1b[31m", "\x7f", "\xff", "\xc3", "a", "Z",
        "9",     "$HOME", "$(id)", "`id`", "\\n",  "%s",       "%n",   "&&",   "||",   ";;"};
    QRandomGenerator random(20240601);
    QList<QByteArray> strings;
    for (int i = 0; i < 1000; ++i) {
        QByteArray value;
        const int count = int(random.bounded(12));
        for (int j = 0; j < count; ++j)
            value += pieces.at(random.bounded(int(pieces.size())));
        strings.append(value);
    }
    int mismatches = 0;
    constexpr int batch = 100;
    for (int first = 0; first < strings.size(); first += batch) {
        // printf's format repeats for each word: every string comes back ended by a NUL.
        QByteArray command = "printf '%s\\000'";
        for (int i = first; i < first + batch; ++i)
            command += ' ' + shell::quote(QByteArrayView(strings.at(i)));
        QByteArray out;
        QByteArray err;
        int status = -1;
        ASSERT_TRUE(session.execute(command, &out, &err, &status).ok());
        ASSERT_EQ(status, 0) << err.toStdString();
        const QList<QByteArray> back = out.split('\0');
        ASSERT_EQ(back.size(), batch + 1);
        for (int i = 0; i < batch; ++i) {
            if (back.at(i) != strings.at(first + i)) {
                ++mismatches;
                ADD_FAILURE() << "sent " << strings.at(first + i).toHex().toStdString() << " got "
                              << back.at(i).toHex().toStdString();
            }
        }
    }
    EXPECT_EQ(mismatches, 0);
}

TEST_F(Ssh, CancelledKeyFailsUntilConnectedByHand)
{
    writeKnownHosts({});
    Fleet fleet;
    fleet.setSshOptions(sshOptions(sshd));
    fleet.setBackoff({100, 400, 60000, 0.0});
    FleetRecorder recorder(fleet);
    HostKeyDecision answer = HostKeyDecision::Cancel;
    QObject::connect(&fleet, &Fleet::hostKeyQuestion, &fleet,
                     [&fleet, &answer](const QString &id, const HostKeyQuestion &q) {
                         if (q.verdict == HostKeyVerdict::Unknown)
                             fleet.answerHostKey(id, q.id, answer);
                     });
    const QString id = QStringLiteral("h");
    ASSERT_TRUE(fleet.addHost(sshSpec(sshd, id)));
    ASSERT_TRUE(waitUntil([&] { return recorder.state(id) == HostState::Failed; }, 15000));
    // No retries: nothing more happens by itself.
    const qsizetype count = recorder.statuses[id].size();
    waitUntil([] { return false; }, 600);
    EXPECT_EQ(recorder.statuses[id].size(), count);
    EXPECT_EQ(recorder.questions[id].size(), 1);

    answer = HostKeyDecision::ConnectOnce;
    ASSERT_TRUE(fleet.connectHost(id));
    ASSERT_TRUE(waitUntil([&] { return recorder.state(id) == HostState::Streaming; }, 15000));
    EXPECT_EQ(recorder.questions[id].size(), 2);
    ASSERT_TRUE(fleet.disconnectHost(id));
    ASSERT_TRUE(waitUntil([&] { return recorder.state(id) == HostState::Stopped; }, 10000));

    // Forgetting a key that was never saved removes nothing; saving then forgetting removes it.
    EXPECT_EQ(fleet.forgetHostKey(id).removedNames, 0);
    answer = HostKeyDecision::TrustAndSave;
    ASSERT_TRUE(fleet.connectHost(id));
    ASSERT_TRUE(waitUntil([&] { return recorder.state(id) == HostState::Streaming; }, 15000));
    const QList<HostState> expected{HostState::Connecting, HostState::VerifyingHostKey,
                                    HostState::Authenticating, HostState::Streaming};
    QList<HostState> last;
    for (const HostStatus &status : recorder.statuses[id].mid(recorder.statuses[id].size() - 4))
        last.append(status.state);
    EXPECT_EQ(last, expected);
    const KnownHosts::Removal removal = fleet.forgetHostKey(id);
    EXPECT_EQ(removal.removedNames, 1);
    EXPECT_TRUE(removal.error.isEmpty());
}

namespace {

// Both failure tests: stream, break the server with `breakIt`, see the drop detected, repair
// with `repair`, see samples come back under a new run id. Returns (detection ms, resume ms).
void dropAndRecover(SshdFixture &sshd, const std::function<void()> &breakIt,
                    const std::function<void()> &repair, qint64 deadlineMs)
{
    Fleet fleet;
    SshOptions options = sshOptions(sshd);
    options.timeoutSec = 2; // attempts against a frozen server end quickly
    fleet.setSshOptions(options);
    fleet.setBackoff({200, 1000, 60000, 0.2});
    FleetRecorder recorder(fleet);
    test::TimerGapProbe lateness;
    const QString id = QStringLiteral("h");
    ASSERT_TRUE(fleet.addHost(sshSpec(sshd, id)));
    ASSERT_TRUE(waitUntil([&] { return recorder.samples[id].size() >= 2; }, 15000));
    ASSERT_EQ(recorder.runs[id].size(), 1);
    const QString firstRun = recorder.runs[id].first();
    EXPECT_FALSE(firstRun.isEmpty());

    const qint64 brokenAt = recorder.clock.elapsed();
    lateness.excluding(breakIt);
    ASSERT_TRUE(waitUntil([&] { return recorder.state(id) == HostState::Retrying; }, 15000));
    const qint64 detectedMs = recorder.clock.elapsed() - brokenAt;
    const HostStatus retrying = recorder.statuses[id].last();
    EXPECT_GT(retrying.retryInMs, 0);
    EXPECT_FALSE(retrying.detail.isEmpty());
    EXPECT_LE(detectedMs, deadlineMs) << retrying.detail.toStdString();

    const qint64 repairedAt = recorder.clock.elapsed();
    lateness.excluding(repair);
    const auto resumed = [&] {
        const auto &samples = recorder.samples[id];
        return !samples.isEmpty() && samples.last().first != firstRun;
    };
    ASSERT_TRUE(waitUntil(resumed, 20000));
    const qint64 resumedMs = recorder.clock.elapsed() - repairedAt;
    std::printf("drop detected after %lld ms (%s); samples resumed %lld ms after the repair; "
                "GUI-thread timer at most %lld ms late\n",
                static_cast<long long>(detectedMs), qPrintable(retrying.detail),
                static_cast<long long>(resumedMs),
                static_cast<long long>(lateness.maxLatenessMs()));
    EXPECT_LT(lateness.maxLatenessMs(), 100);

    // No sample twice, none reordered: within a run the sequence climbs by one, and the new run
    // starts at 1; the timeline draws a gap there.
    Timeline timeline;
    QString run;
    std::uint64_t previous = 0;
    std::uint32_t segmentBefore = 0;
    for (const auto &[sampleRun, sample] : std::as_const(recorder.samples[id])) {
        if (sampleRun != run) {
            run = sampleRun;
            previous = 0;
            if (auto point = timeline.latest(Timeline::Metric::TimeWait))
                segmentBefore = point->segment;
        }
        EXPECT_EQ(sample->sequence, previous + 1);
        previous = sample->sequence;
        timeline.add(*sample);
    }
    const auto latest = timeline.latest(Timeline::Metric::TimeWait);
    ASSERT_TRUE(latest);
    EXPECT_GT(latest->segment, segmentBefore);
}

} // namespace

TEST_F(Ssh, KilledSessionIsDetectedAndTheStreamResumes)
{
    dropAndRecover(
        sshd, [this] { EXPECT_GT(sshd.killSessions(), 0); }, [] {}, 3 * 1000 + 1000);
}

TEST_F(Ssh, FrozenServerIsDetectedAndTheStreamResumes)
{
    // Silent for three 1 s intervals counts as dropped; a second of margin for the last frame.
    dropAndRecover(
        sshd, [this] { sshd.freeze(); }, [this] { sshd.thaw(); }, 3 * 1000 + 1500);
}

TEST_F(Ssh, TwentyHostsStreamAtOnce)
{
    Fleet fleet;
    fleet.setSshOptions(sshOptions(sshd));
    FleetRecorder recorder(fleet);
    QStringList ids;
    for (int i = 0; i < 20; ++i) {
        ids.append(QStringLiteral("alias-%1").arg(i));
        ASSERT_TRUE(fleet.addHost(sshSpec(sshd, ids.last())));
    }
    // From here the test's thread only forwards: 20 key exchanges, logins and probes run on
    // the workers' threads (and in 20 sshd processes, on the same 2 cores).
    test::TimerGapProbe lateness;
    QElapsedTimer clock;
    clock.start();
    const auto allStreaming = [&] {
        return std::all_of(ids.cbegin(), ids.cend(),
                           [&](const QString &id) { return recorder.samples[id].size() >= 2; });
    };
    ASSERT_TRUE(waitUntil(allStreaming, 40000));
    std::printf(
        "20 hosts each had 2 samples after %lld ms; GUI-thread timer at most %lld ms late\n",
        static_cast<long long>(clock.elapsed()), static_cast<long long>(lateness.maxLatenessMs()));
    // Not the 100 ms of the failure tests: here 20 key exchanges and 20 sshd forks start at
    // once on 2 cores (447 ms seen under ASan), and the test's thread waits for a core. The
    // bound still catches a connect or login run on this thread (seconds).
    EXPECT_LT(lateness.maxLatenessMs(), 1000);
    for (const QString &id : std::as_const(ids))
        EXPECT_EQ(fleet.status(id).state, HostState::Streaming) << id.toStdString();
    QElapsedTimer removal;
    removal.start();
    fleet.removeAll();
    std::printf("removing the 20 hosts took %lld ms\n", static_cast<long long>(removal.elapsed()));
}
