// Issue 9, item 6: a password canary, typed for a real password login to a real sshd on
// 127.0.0.1 with every twbench log category at full verbosity, while the workbench records the
// session, is afterwards in no log message, no settings file, no capture (saved or live, with
// its write-ahead log), no temporary file and nothing sshd wrote. (Core dumps: the workbench
// writes none at all, Cli.CrashedWorkbenchLeavesNoCoreDump.) Part of the test_cli suite: it
// needs the SSH suites' lock and a throwaway account.

#include "gui/capturerecorder.h"
#include "gui/findingsrunner.h"
#include "gui/workbench.h"
#include "lab/scopedenv.h"
#include "lab/sshdfixture.h"
#include "model/capture/capturefile.h"
#include "remote/hostspec.h"
#include "remote/sshtestutil.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>

using namespace twbench;
using namespace twbench::test;

namespace {

QList<QByteArray> *loggedMessages = nullptr;

void keepMessage(QtMsgType, const QMessageLogContext &, const QString &message)
{
    if (loggedMessages)
        loggedMessages->append(message.toUtf8());
}

// The forms a secret could take in a file: as typed (UTF-8), as a QString's bytes (UTF-16),
// and base64 of either (what a naive "obfuscation" would store).
QList<QByteArray> formsOf(const QByteArray &secret)
{
    const QString text = QString::fromUtf8(secret);
    const QByteArray utf16(reinterpret_cast<const char *>(text.utf16()),
                           text.size() * qsizetype(sizeof(char16_t)));
    return {secret, utf16, secret.toBase64(), utf16.toBase64()};
}

QStringList filesHolding(const QString &root, const QList<QByteArray> &needles, int *scanned)
{
    QStringList hits;
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (!it.fileInfo().isFile())
            continue; // sockets, fifos
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        ++*scanned;
        const QByteArray bytes = file.readAll();
        for (const QByteArray &needle : needles) {
            if (bytes.contains(needle)) {
                hits << path;
                break;
            }
        }
    }
    return hits;
}

} // namespace

TEST(Secrets, PasswordCanaryIsInNoLogSettingsCaptureOrTemporaryFile)
{
    SshdFixture sshd;
    QString error;
    ASSERT_TRUE(sshd.start(&error)) << error.toStdString();
    const QByteArray canary =
        "Canary-" + QByteArray::number(QRandomGenerator::global()->generate64(), 36) + "-pw";
    QString account;
    if (!sshd.createAccount(canary, &account, &error))
        GTEST_SKIP() << "no throwaway account: " << error.toStdString();

    // Everything the workbench may write goes under one temporary root: HOME (known_hosts),
    // the settings, the recordings, and TMPDIR for any temporary file.
    QTemporaryDir root;
    ASSERT_TRUE(root.isValid());
    const QString home = root.filePath(QStringLiteral("home"));
    const QString temp = root.filePath(QStringLiteral("tmp"));
    ASSERT_TRUE(QDir().mkpath(home + QStringLiteral("/.ssh")) && QDir().mkpath(temp));
    const ScopedEnv homeEnv("HOME", QFile::encodeName(home));
    const ScopedEnv configEnv("XDG_CONFIG_HOME",
                              QFile::encodeName(home + QStringLiteral("/config")));
    const ScopedEnv dataEnv("XDG_DATA_HOME", QFile::encodeName(home + QStringLiteral("/data")));
    const ScopedEnv tempEnv("TMPDIR", QFile::encodeName(temp));
    const ScopedEnv agentEnv("SSH_AUTH_SOCK", QByteArray());
    QFile knownHosts(home + QStringLiteral("/.ssh/known_hosts"));
    ASSERT_TRUE(knownHosts.open(QIODevice::WriteOnly));
    knownHosts.write(sshd.knownHostsLine() + '\n');
    knownHosts.close();
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();

    QList<QByteArray> messages;
    loggedMessages = &messages;
    const QtMessageHandler previous = qInstallMessageHandler(keepMessage);
    QLoggingCategory::setFilterRules(QStringLiteral("twbench.*=true"));

    const QString recording = root.filePath(QStringLiteral("home/data/recording.twbench"));
    const QString saved = root.filePath(QStringLiteral("home/saved.twbench"));
    {
        Workbench workbench;
        FindingsRunner findings(&workbench);
        CaptureRecorder recorder(&workbench, &findings);
        ASSERT_TRUE(QDir().mkpath(QFileInfo(recording).path()));
        ASSERT_TRUE(recorder.start(recording, &error)) << error.toStdString();

        HostSpec spec = sshSpec(sshd, QStringLiteral("pw"));
        spec.user = account;
        spec.login = HostSpec::LoginMethod::Password;
        spec.identityFile.clear();
        int requests = 0;
        QObject::connect(&workbench, &Workbench::credentialRequestQueued, &workbench, [&] {
            const std::optional<CredentialRequest> request = workbench.takeCredentialRequest();
            if (!request)
                return;
            ++requests;
            CredentialReply reply;
            reply.id = request->id;
            reply.secret = canary;
            reply.secret.detach(); // a fresh heap copy, as the dialog's would be
            workbench.provideCredentials(QStringLiteral("pw"), reply);
        });
        ASSERT_TRUE(workbench.addHost(spec));
        bool streamed = false;
        QObject::connect(&workbench, &Workbench::tableArrived,
                         [&](const QString &hostId, const SnapshotPtr &) {
                             streamed = streamed || hostId == QStringLiteral("pw");
                         });
        ASSERT_TRUE(QTest::qWaitFor([&] { return streamed; }, 30000))
            << "no table from the password host; requests answered: " << requests
            << ", status: " << workbench.status(QStringLiteral("pw")).detail.toStdString();
        EXPECT_GE(requests, 1);
        ASSERT_TRUE(recorder.saveAndWait(saved, &error)) << error.toStdString();
        // The live recording, with its write-ahead log, is scanned as the session left it.
        QFile::copy(recording, root.filePath(QStringLiteral("live.twbench")));
        QFile::copy(recording + QStringLiteral("-wal"),
                    root.filePath(QStringLiteral("live.twbench-wal")));
    }
    QLoggingCategory::setFilterRules(QString());
    qInstallMessageHandler(previous);
    loggedMessages = nullptr;

    // The capture holds the session (so scanning it means something) and reopens.
    const std::unique_ptr<CaptureReader> reader = CaptureReader::open(saved, &error);
    ASSERT_TRUE(reader) << error.toStdString();
    EXPECT_GE(reader->tables(QStringLiteral("pw")).size(), 1u);

    // The debug log was on and saw the login (libssh's own log is always off: SshSession sets
    // SSH_LOG_NOLOG, which no configuration turns on), so the check below means something.
    EXPECT_TRUE(
        std::any_of(messages.cbegin(), messages.cend(),
                    [](const QByteArray &message) { return message.contains("logged in to"); }))
        << messages.size() << " messages";
    const QList<QByteArray> forms = formsOf(canary);
    for (const QByteArray &message : std::as_const(messages)) {
        for (const QByteArray &form : forms)
            EXPECT_FALSE(message.contains(form)) << message.toStdString();
    }
    int scanned = 0;
    QStringList hits = filesHolding(root.path(), forms, &scanned);
    hits += filesHolding(sshd.dir(), forms, &scanned);
    EXPECT_TRUE(hits.isEmpty()) << "the password is in: " << hits.join(u' ').toStdString();
    EXPECT_GE(scanned, 6) << "too few files to mean anything";
    // The hunt finds what it looks for: a file holding the canary's UTF-16 form is a hit.
    QFile planted(root.filePath(QStringLiteral("planted")));
    ASSERT_TRUE(planted.open(QIODevice::WriteOnly));
    planted.write("x" + forms.at(1) + "y");
    planted.close();
    int rescanned = 0;
    EXPECT_EQ(filesHolding(root.path(), forms, &rescanned), QStringList{planted.fileName()});
    std::cout << "password canary searched in " << messages.size() << " log messages and "
              << scanned << " files (capture, live recording and its WAL, settings, "
              << "known_hosts, sshd's log): not found\n";
}
