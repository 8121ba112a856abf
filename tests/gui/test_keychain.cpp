// Issue 3, point 4: an opt-in password in the system keychain. The workbench flow runs against
// an in-memory vault (deterministic); the real QtKeychain runs twice: against no Secret Service
// at all (a session bus address that points at nothing: a clear error, the dialog as the
// fallback, the password in no file), and against a real one (dbus-daemon + gnome-keyring in a
// temp HOME) in a child process of this test binary, because GLib keeps one session bus
// connection per process and ends the process when that bus goes away.

#include "gui/credentialdialog.h"
#include "gui/mainwindow.h"
#include "gui/passwordvault.h"
#include "gui/workbench.h"

#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <gtest/gtest.h>

#include <iostream>
#include <map>
#include <tuple>
#include <vector>

using namespace twbench;

namespace {

const char childEnv[] = "TWBENCH_KEYCHAIN_CHILD";
const QByteArray rightCanary = "twbench-keychain-right-5f0c1b2e";
const QByteArray wrongCanary = "twbench-keychain-wrong-a83d9e41";
constexpr int waitMs = 15'000;

HostSpec keychainHost(const QString &id = QStringLiteral("k0"))
{
    HostSpec spec;
    spec.id = id;
    spec.displayName = QStringLiteral("vault host");
    spec.kind = HostSpec::Kind::Ssh;
    // A port nothing listens on: the fleet's own attempts fail fast and never log in.
    spec.address = QStringLiteral("127.0.0.1");
    spec.port = 1;
    spec.user = QStringLiteral("ops");
    spec.login = HostSpec::LoginMethod::Password;
    spec.useKeychain = true;
    return spec;
}

CredentialRequest passwordRequest(std::uint64_t id, int attempt)
{
    CredentialRequest request;
    request.id = id;
    request.kind = CredentialRequest::Kind::Password;
    request.user = QStringLiteral("ops");
    request.host = QStringLiteral("127.0.0.1");
    request.attempt = attempt;
    return request;
}

HostStatus state(HostState s)
{
    HostStatus status;
    status.state = s;
    return status;
}

// Answers like the real vault: later, from the event loop.
class MemoryVault final : public PasswordVault
{
public:
    void read(const QString &key, QObject *context, Callback callback) override
    {
        ++reads;
        QTimer::singleShot(0, context, [this, key, callback] {
            Result result;
            const auto it = entries.find(key);
            result.status = it == entries.end() ? Status::NotFound : Status::Ok;
            if (it != entries.end())
                result.secret = it->second;
            callback(result);
        });
    }
    void write(const QString &key, const QByteArray &secret, QObject *context,
               Callback callback) override
    {
        ++writes;
        entries[key] = QByteArray(secret.constData(), secret.size());
        QTimer::singleShot(0, context, [callback] {
            Result result;
            result.status = Status::Ok;
            callback(result);
        });
    }
    void remove(const QString &key, QObject *context, Callback callback) override
    {
        ++removes;
        entries.erase(key);
        QTimer::singleShot(0, context, [callback] {
            Result result;
            result.status = Status::Ok;
            callback(result);
        });
    }

    std::map<QString, QByteArray> entries;
    int reads = 0;
    int writes = 0;
    int removes = 0;
};

PasswordVault::Result syncCall(const std::function<void(PasswordVault::Callback)> &call)
{
    PasswordVault::Result out;
    bool done = false;
    call([&](PasswordVault::Result &result) {
        out.status = result.status;
        out.secret = QByteArray(result.secret.constData(), result.secret.size());
        out.error = result.error;
        done = true;
    });
    EXPECT_TRUE(QTest::qWaitFor([&] { return done; }, waitMs)) << "the vault never answered";
    return out;
}

CredentialDialog *waitForDialog(MainWindow &window)
{
    EXPECT_TRUE(QTest::qWaitFor([&] { return window.credentialDialog() != nullptr; }, waitMs));
    return window.credentialDialog();
}

void answer(CredentialDialog *dialog, const QByteArray &secret, bool remember)
{
    ASSERT_NE(dialog->keychainCheck(), nullptr);
    dialog->keychainCheck()->setChecked(remember);
    QTest::keyClicks(dialog->secretEdit(), QString::fromLatin1(secret));
    QTest::keyClick(dialog->secretEdit(), Qt::Key_Return);
}

void closeDialog(MainWindow &window)
{
    QTest::qWait(0);
    QApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    EXPECT_TRUE(QTest::qWaitFor([&] { return window.credentialDialog() == nullptr; }, 1000));
}

// Every file under `root` (recursively), as the secret may have gone anywhere a settings
// file, a log or a plaintext fallback would put it.
QStringList filesHolding(const QString &root, const QList<QByteArray> &needles)
{
    QStringList hits;
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (!it.fileInfo().isFile())
            continue; // sockets
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QByteArray bytes = file.readAll();
        for (const QByteArray &needle : needles) {
            if (bytes.contains(needle) || bytes.contains(needle.toBase64()))
                hits << path;
        }
    }
    return hits;
}

class KeychainFlow : public ::testing::Test
{
protected:
    void SetUp() override
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        workbench.setPasswordVault(&vault);
        workbench.restoreHosts();
        ASSERT_TRUE(workbench.addHost(keychainHost()));
        key = PasswordVault::keyFor(keychainHost());
    }

    MemoryVault vault;
    Workbench workbench;
    MainWindow window{&workbench};
    QString key;
};

// Sets HOME, the XDG directories and the session bus address for the test's duration.
class ScopedEnv
{
public:
    void set(const char *name, const QByteArray &value)
    {
        m_saved.emplace_back(name, qgetenv(name), qEnvironmentVariableIsSet(name));
        qputenv(name, value);
    }
    ~ScopedEnv()
    {
        for (auto it = m_saved.rbegin(); it != m_saved.rend(); ++it) {
            if (std::get<2>(*it))
                qputenv(std::get<0>(*it), std::get<1>(*it));
            else
                qunsetenv(std::get<0>(*it));
        }
    }

private:
    std::vector<std::tuple<const char *, QByteArray, bool>> m_saved;
};

} // namespace

TEST(PasswordVaultKey, IsUserAtAddressColonPort)
{
    HostSpec spec = keychainHost();
    spec.port = 2222;
    EXPECT_EQ(PasswordVault::keyFor(spec), QStringLiteral("ops@127.0.0.1:2222"));
}

TEST_F(KeychainFlow, StoredPasswordAnswersTheFirstAttemptWithoutADialog)
{
    vault.entries[key] = rightCanary;
    workbench.onCredentialsNeeded(QStringLiteral("k0"), passwordRequest(1, 1));
    ASSERT_TRUE(QTest::qWaitFor([&] { return vault.reads == 1; }, waitMs));
    QTest::qWait(20);
    EXPECT_EQ(window.credentialDialog(), nullptr);
    EXPECT_FALSE(workbench.hasCredentialRequest());
}

TEST_F(KeychainFlow, RejectedStoredPasswordShowsTheDialogAndOnlyTheRightOneIsStored)
{
    vault.entries[key] = "stale";
    workbench.onCredentialsNeeded(QStringLiteral("k0"), passwordRequest(1, 1));
    ASSERT_TRUE(QTest::qWaitFor([&] { return vault.reads == 1; }, waitMs));
    QTest::qWait(0);

    // The server said no: attempt 2 is typed, the dialog says why, "remember" is checked.
    workbench.onCredentialsNeeded(QStringLiteral("k0"), passwordRequest(2, 2));
    CredentialDialog *dialog = waitForDialog(window);
    ASSERT_NE(dialog, nullptr);
    EXPECT_EQ(vault.reads, 1); // a rejected stored password is not read again
    auto *note = dialog->findChild<QLabel *>(QStringLiteral("keychainNoteLabel"));
    ASSERT_NE(note, nullptr);
    EXPECT_TRUE(note->text().contains(QStringLiteral("not accepted")));
    EXPECT_TRUE(dialog->keychainCheck()->isChecked());
    answer(dialog, wrongCanary, true);
    closeDialog(window);

    // Wrong again: nothing may have been stored.
    workbench.onCredentialsNeeded(QStringLiteral("k0"), passwordRequest(3, 3));
    dialog = waitForDialog(window);
    ASSERT_NE(dialog, nullptr);
    EXPECT_EQ(vault.writes, 0);
    QSignalSpy updated(&workbench, &Workbench::keychainUpdated);
    answer(dialog, rightCanary, true);
    EXPECT_EQ(vault.writes, 0); // not before the login succeeded
    // At once, without an event loop in between: the fleet's own attempts at this unreachable
    // host report Retrying, which would rightly discard the typed password.
    workbench.onStatus(QStringLiteral("k0"), state(HostState::Streaming));
    closeDialog(window);
    ASSERT_TRUE(QTest::qWaitFor([&] { return updated.size() == 1; }, waitMs));
    EXPECT_EQ(vault.writes, 1);
    EXPECT_EQ(vault.entries[key], rightCanary);
}

TEST_F(KeychainFlow, FailedLoginDiscardsTheTypedPassword)
{
    workbench.onCredentialsNeeded(QStringLiteral("k0"), passwordRequest(1, 1));
    CredentialDialog *dialog = waitForDialog(window);
    ASSERT_NE(dialog, nullptr); // nothing stored: the dialog
    EXPECT_EQ(vault.reads, 1);
    answer(dialog, wrongCanary, true);
    closeDialog(window);
    workbench.onStatus(QStringLiteral("k0"), state(HostState::Failed));
    workbench.onStatus(QStringLiteral("k0"), state(HostState::Streaming));
    QTest::qWait(20);
    EXPECT_EQ(vault.writes, 0);
    EXPECT_TRUE(vault.entries.empty());
}

TEST_F(KeychainFlow, RememberOnAHostWithoutKeychainOptsItIn)
{
    HostSpec spec = keychainHost(QStringLiteral("k1"));
    spec.useKeychain = false;
    spec.port = 2;
    ASSERT_TRUE(workbench.addHost(spec));
    workbench.onCredentialsNeeded(QStringLiteral("k1"), passwordRequest(1, 1));
    CredentialDialog *dialog = waitForDialog(window);
    ASSERT_NE(dialog, nullptr);
    EXPECT_EQ(vault.reads, 0); // not opted in: the keychain is not even asked
    EXPECT_FALSE(dialog->keychainCheck()->isChecked());
    answer(dialog, rightCanary, true);
    workbench.onStatus(QStringLiteral("k1"), state(HostState::Streaming));
    closeDialog(window);
    ASSERT_TRUE(QTest::qWaitFor([&] { return vault.writes == 1; }, waitMs));
    EXPECT_EQ(vault.entries[PasswordVault::keyFor(spec)], rightCanary);
    EXPECT_TRUE(workbench.hostSpec(QStringLiteral("k1"))->useKeychain);
}

TEST_F(KeychainFlow, PassphrasesAndVisibleAnswersAreNeverOfferedForTheKeychain)
{
    CredentialRequest passphrase = passwordRequest(1, 1);
    passphrase.kind = CredentialRequest::Kind::Passphrase;
    workbench.onCredentialsNeeded(QStringLiteral("k0"), passphrase);
    CredentialDialog *dialog = waitForDialog(window);
    ASSERT_NE(dialog, nullptr);
    EXPECT_EQ(vault.reads, 0);
    EXPECT_EQ(dialog->keychainCheck(), nullptr);
    dialog->reject();
    closeDialog(window);

    CredentialRequest otp = passwordRequest(2, 1);
    otp.kind = CredentialRequest::Kind::KeyboardInteractive;
    otp.prompt = QStringLiteral("Verification code: ");
    otp.echo = true;
    workbench.onCredentialsNeeded(QStringLiteral("k0"), otp);
    dialog = waitForDialog(window);
    ASSERT_NE(dialog, nullptr);
    EXPECT_EQ(vault.reads, 0);
    EXPECT_EQ(dialog->keychainCheck(), nullptr);
    dialog->reject();
    closeDialog(window);

    // sshd's PAM password prompt: answered from the keychain like a password.
    vault.entries[key] = rightCanary;
    CredentialRequest pam = passwordRequest(3, 1);
    pam.kind = CredentialRequest::Kind::KeyboardInteractive;
    pam.prompt = QStringLiteral("Password: ");
    workbench.onCredentialsNeeded(QStringLiteral("k0"), pam);
    ASSERT_TRUE(QTest::qWaitFor([&] { return vault.reads == 1; }, waitMs));
    QTest::qWait(20);
    EXPECT_EQ(window.credentialDialog(), nullptr);
}

TEST_F(KeychainFlow, TurningKeychainOffDeletesTheStoredPassword)
{
    vault.entries[key] = rightCanary;
    // A duplicate of the same account keeps the shared entry alive.
    HostSpec twin = keychainHost(QStringLiteral("k2"));
    ASSERT_TRUE(workbench.addHost(twin));
    HostSpec off = keychainHost();
    off.useKeychain = false;
    ASSERT_TRUE(workbench.updateHost(off));
    QTest::qWait(20);
    EXPECT_EQ(vault.removes, 0);
    twin.useKeychain = false;
    QSignalSpy updated(&workbench, &Workbench::keychainUpdated);
    ASSERT_TRUE(workbench.updateHost(twin));
    ASSERT_TRUE(QTest::qWaitFor([&] { return updated.size() == 1; }, waitMs));
    EXPECT_EQ(vault.removes, 1);
    EXPECT_TRUE(vault.entries.empty());
}

// The real QtKeychain with no Secret Service: a clear error, never a hang, never a file.
TEST(KeychainWithoutSecretService, ReportsAnErrorFallsBackToTheDialogAndWritesNoFile)
{
    if (qEnvironmentVariableIsSet(childEnv))
        GTEST_SKIP() << "inside the Secret Service child";
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    ScopedEnv env;
    env.set("HOME", dir.path().toUtf8());
    env.set("XDG_CONFIG_HOME", dir.filePath(QStringLiteral("config")).toUtf8());
    env.set("XDG_DATA_HOME", dir.filePath(QStringLiteral("data")).toUtf8());
    env.set("DBUS_SESSION_BUS_ADDRESS",
            "unix:path=" + dir.filePath(QStringLiteral("no-bus-here")).toUtf8());
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();

    KeychainVault vault;
    vault.setTimeoutMs(5000);
    const QString key = PasswordVault::keyFor(keychainHost());
    PasswordVault::Result read =
        syncCall([&](PasswordVault::Callback cb) { vault.read(key, &vault, cb); });
    EXPECT_EQ(read.status, PasswordVault::Status::Failed);
    EXPECT_FALSE(read.error.isEmpty());
    PasswordVault::Result written =
        syncCall([&](PasswordVault::Callback cb) { vault.write(key, rightCanary, &vault, cb); });
    EXPECT_EQ(written.status, PasswordVault::Status::Failed);
    EXPECT_FALSE(written.error.isEmpty());

    {
        Workbench workbench;
        workbench.setPasswordVault(&vault);
        MainWindow window(&workbench);
        workbench.restoreHosts();
        ASSERT_TRUE(workbench.addHost(keychainHost()));
        QSignalSpy problems(&workbench, &Workbench::keychainProblem);
        workbench.onCredentialsNeeded(QStringLiteral("k0"), passwordRequest(1, 1));
        CredentialDialog *dialog = waitForDialog(window);
        ASSERT_NE(dialog, nullptr) << "no dialog after the keychain failed";
        auto *note = dialog->findChild<QLabel *>(QStringLiteral("keychainNoteLabel"));
        ASSERT_NE(note, nullptr);
        EXPECT_EQ(note->text(), read.error);
        EXPECT_EQ(problems.size(), 1);
        answer(dialog, rightCanary, true);
        workbench.onStatus(QStringLiteral("k0"), state(HostState::Streaming));
        closeDialog(window);
        ASSERT_TRUE(QTest::qWaitFor([&] { return problems.size() == 2; }, waitMs));
        window.close();
    }
    QSettings().sync();
    EXPECT_EQ(filesHolding(dir.path(), {rightCanary}), QStringList());
    // The settings file, wherever test mode put it.
    const QString settingsDir = QFileInfo(QSettings().fileName()).path();
    if (QFileInfo::exists(settingsDir)) {
        EXPECT_EQ(filesHolding(settingsDir, {rightCanary}), QStringList());
    }
}

// The real QtKeychain against a real Secret Service, run by the parent test below.
TEST(KeychainSecretServiceChild, VaultRoundTrip)
{
    if (!qEnvironmentVariableIsSet(childEnv))
        GTEST_SKIP() << "runs only in the child process KeychainSecretService starts";
    KeychainVault vault;
    vault.setTimeoutMs(5000);
    const QString key = QStringLiteral("roundtrip@127.0.0.1:22");
    // gnome-keyring may still be registering on the bus: retry, bounded.
    PasswordVault::Result written;
    QElapsedTimer since;
    since.start();
    do {
        written = syncCall(
            [&](PasswordVault::Callback cb) { vault.write(key, rightCanary, &vault, cb); });
        if (written.status == PasswordVault::Status::Ok)
            break;
        QTest::qWait(200);
    } while (since.elapsed() < waitMs);
    ASSERT_EQ(written.status, PasswordVault::Status::Ok) << written.error.toStdString();
    PasswordVault::Result read =
        syncCall([&](PasswordVault::Callback cb) { vault.read(key, &vault, cb); });
    ASSERT_EQ(read.status, PasswordVault::Status::Ok) << read.error.toStdString();
    EXPECT_EQ(read.secret, rightCanary);
    PasswordVault::Result removed =
        syncCall([&](PasswordVault::Callback cb) { vault.remove(key, &vault, cb); });
    EXPECT_EQ(removed.status, PasswordVault::Status::Ok) << removed.error.toStdString();
    read = syncCall([&](PasswordVault::Callback cb) { vault.read(key, &vault, cb); });
    EXPECT_EQ(read.status, PasswordVault::Status::NotFound) << read.error.toStdString();
}

TEST(KeychainSecretServiceChild, WrongPasswordNeverStoredRightOneStoredThenDeleted)
{
    if (!qEnvironmentVariableIsSet(childEnv))
        GTEST_SKIP() << "runs only in the child process KeychainSecretService starts";
    QStandardPaths::setTestModeEnabled(true);
    KeychainVault vault;
    vault.setTimeoutMs(5000);
    const QString key = PasswordVault::keyFor(keychainHost());
    Workbench workbench;
    workbench.setPasswordVault(&vault);
    MainWindow window(&workbench);
    workbench.restoreHosts();
    ASSERT_TRUE(workbench.addHost(keychainHost()));

    workbench.onCredentialsNeeded(QStringLiteral("k0"), passwordRequest(1, 1));
    CredentialDialog *dialog = waitForDialog(window);
    ASSERT_NE(dialog, nullptr); // nothing stored yet
    EXPECT_EQ(dialog->findChild<QLabel *>(QStringLiteral("keychainNoteLabel")), nullptr);
    answer(dialog, wrongCanary, true);
    closeDialog(window);
    workbench.onCredentialsNeeded(QStringLiteral("k0"), passwordRequest(2, 2));
    dialog = waitForDialog(window);
    ASSERT_NE(dialog, nullptr);
    PasswordVault::Result read =
        syncCall([&](PasswordVault::Callback cb) { vault.read(key, &vault, cb); });
    EXPECT_EQ(read.status, PasswordVault::Status::NotFound) << "stored before the login";
    QSignalSpy updated(&workbench, &Workbench::keychainUpdated);
    QSignalSpy problems(&workbench, &Workbench::keychainProblem);
    answer(dialog, rightCanary, true);
    workbench.onStatus(QStringLiteral("k0"), state(HostState::Streaming));
    closeDialog(window);
    ASSERT_TRUE(QTest::qWaitFor([&] { return updated.size() + problems.size() == 1; }, waitMs));
    ASSERT_EQ(updated.size(), 1) << problems.value(0).value(1).toString().toStdString();
    read = syncCall([&](PasswordVault::Callback cb) { vault.read(key, &vault, cb); });
    ASSERT_EQ(read.status, PasswordVault::Status::Ok) << read.error.toStdString();
    EXPECT_EQ(read.secret, rightCanary);

    HostSpec off = keychainHost();
    off.useKeychain = false;
    ASSERT_TRUE(workbench.updateHost(off));
    ASSERT_TRUE(QTest::qWaitFor([&] { return updated.size() + problems.size() == 2; }, waitMs));
    EXPECT_EQ(updated.size(), 2);
    read = syncCall([&](PasswordVault::Callback cb) { vault.read(key, &vault, cb); });
    EXPECT_EQ(read.status, PasswordVault::Status::NotFound) << read.error.toStdString();
    window.close();
}

TEST(KeychainSecretService, RealSecretServiceInAChildProcess)
{
    if (qEnvironmentVariableIsSet(childEnv))
        GTEST_SKIP() << "inside the child";
    const QString dbusDaemon = QStandardPaths::findExecutable(QStringLiteral("dbus-daemon"));
    const QString keyringDaemon =
        QStandardPaths::findExecutable(QStringLiteral("gnome-keyring-daemon"));
    if (dbusDaemon.isEmpty() || keyringDaemon.isEmpty())
        GTEST_SKIP() << "needs dbus-daemon and gnome-keyring-daemon (scripts/deps.sh test)";

    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString home = dir.filePath(QStringLiteral("home"));
    const QString runtime = dir.filePath(QStringLiteral("run"));
    for (const QString &path :
         QStringList{home + QStringLiteral("/.local/share"), home + QStringLiteral("/.config"),
                     home + QStringLiteral("/.cache"), runtime})
        ASSERT_TRUE(QDir().mkpath(path));
    QFile::setPermissions(runtime,
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/.local/share"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/.config"));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), home + QStringLiteral("/.cache"));
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtime);
    env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
    env.remove(QStringLiteral("GNOME_KEYRING_CONTROL"));

    const QString address = QStringLiteral("unix:path=") + runtime + QStringLiteral("/bus");
    QProcess bus;
    bus.setProcessEnvironment(env);
    bus.start(dbusDaemon, {QStringLiteral("--session"), QStringLiteral("--nofork"),
                           QStringLiteral("--nopidfile"), QStringLiteral("--print-address"),
                           QStringLiteral("--address=") + address});
    ASSERT_TRUE(bus.waitForStarted(5000));
    ASSERT_TRUE(bus.waitForReadyRead(5000)) << bus.readAllStandardError().toStdString();
    env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), address);

    QProcess keyring;
    keyring.setProcessEnvironment(env);
    keyring.setProcessChannelMode(QProcess::MergedChannels);
    keyring.start(keyringDaemon, {QStringLiteral("--foreground"), QStringLiteral("--unlock"),
                                  QStringLiteral("--components=secrets")});
    ASSERT_TRUE(keyring.waitForStarted(5000));
    // The login keyring is created with, and unlocked by, what arrives on stdin.
    // Written out before anything blocks: QProcess only writes from the event loop or a wait.
    keyring.write("twbench-test-unlock");
    ASSERT_TRUE(keyring.waitForBytesWritten(5000));
    keyring.closeWriteChannel();

    QProcess child;
    QProcessEnvironment childEnvironment = env;
    childEnvironment.insert(QString::fromLatin1(childEnv), QStringLiteral("1"));
    childEnvironment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    child.setProcessEnvironment(childEnvironment);
    child.setProcessChannelMode(QProcess::MergedChannels);
    child.start(QCoreApplication::applicationFilePath(),
                {QStringLiteral("--gtest_filter=KeychainSecretServiceChild.*")});
    ASSERT_TRUE(child.waitForStarted(5000));
    const bool finished = child.waitForFinished(120'000);
    if (!finished)
        child.kill(), child.waitForFinished(5000);
    const QByteArray output = child.readAll();
    if (qEnvironmentVariableIsSet("TWBENCH_KEYCHAIN_DEBUG"))
        std::cout << output.toStdString();
    const QStringList leaks = filesHolding(dir.path(), {rightCanary, wrongCanary});
    const bool keyringWritten =
        QFile::exists(home + QStringLiteral("/.local/share/keyrings/login.keyring"));

    // Ours to stop, by their own pids.
    keyring.kill();
    keyring.waitForFinished(5000);
    bus.kill();
    bus.waitForFinished(5000);

    ASSERT_TRUE(finished) << "the child did not finish:\n" << output.toStdString();
    EXPECT_EQ(child.exitStatus(), QProcess::NormalExit);
    EXPECT_EQ(child.exitCode(), 0) << output.toStdString();
    EXPECT_TRUE(output.contains("[  PASSED  ] 2 tests")) << output.toStdString();
    EXPECT_FALSE(output.contains("SKIPPED")) << output.toStdString();
    // The keyring's own encrypted store was used, and neither password is readable in any
    // file under HOME (plain or base64): not in the store, not in a settings file.
    EXPECT_TRUE(keyringWritten);
    EXPECT_EQ(leaks, QStringList());
    std::cout << "[ keychain ] a real Secret Service (gnome-keyring) served the child\n";
}
