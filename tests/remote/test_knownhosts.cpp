// KnownHosts against OpenSSH's own tools: fingerprints and bits as ssh-keygen -l prints them,
// hashed names as ssh-keygen -H writes them, lines we append as ssh-keygen -F finds them.
#include "remotetestutil.h"

#include "lab/sshdfixture.h"
#include "remote/knownhosts.h"
#include "remote/shellquote.h"
#include "remote/sshsession.h"
#include "remote/sshtransport.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <sys/stat.h>

using namespace twbench;

namespace {

QByteArray runTool(const QStringList &command, int *exitCode = nullptr)
{
    QProcess process;
    process.start(command.first(), command.mid(1));
    process.waitForFinished(20000);
    if (exitCode)
        *exitCode = process.exitCode();
    return process.readAllStandardOutput();
}

void writeFile(const QString &path, const QByteArray &text)
{
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(text);
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

struct Keys
{
    QTemporaryDir dir;
    std::optional<PublicKey> load(const QString &name, const QString &type,
                                  const QString &bits = {})
    {
        QStringList command{QStringLiteral("ssh-keygen"), QStringLiteral("-q"),
                            QStringLiteral("-t"),         type,
                            QStringLiteral("-N"),         QString(),
                            QStringLiteral("-f"),         dir.filePath(name)};
        if (!bits.isEmpty())
            command += {QStringLiteral("-b"), bits};
        runTool(command);
        const QList<QByteArray> fields =
            readFile(dir.filePath(name + QStringLiteral(".pub"))).split(' ');
        if (fields.size() < 2)
            return std::nullopt;
        return PublicKey::fromBase64(fields.at(1));
    }
};

bool haveKeygen()
{
    return !test::findTool(QStringLiteral("ssh-keygen")).isEmpty();
}

} // namespace

TEST(KnownHosts, FingerprintAndBitsAreWhatSshKeygenPrints)
{
    if (!haveKeygen())
        GTEST_SKIP() << "ssh-keygen is not installed";
    Keys keys;
    const QList<std::pair<QString, QString>> kinds{{QStringLiteral("ed25519"), QString()},
                                                   {QStringLiteral("ecdsa"), QStringLiteral("384")},
                                                   {QStringLiteral("rsa"), QStringLiteral("3072")}};
    for (const auto &[type, bits] : kinds) {
        const std::optional<PublicKey> key = keys.load(type, type, bits);
        ASSERT_TRUE(key) << type.toStdString();
        // "256 SHA256:abc… comment (ED25519)"
        const QList<QByteArray> printed =
            runTool({QStringLiteral("ssh-keygen"), QStringLiteral("-lf"),
                     keys.dir.filePath(type + QStringLiteral(".pub"))})
                .split(' ');
        ASSERT_GE(printed.size(), 2);
        EXPECT_EQ(QString::number(key->bits).toUtf8(), printed.at(0)) << type.toStdString();
        EXPECT_EQ(key->fingerprint.toUtf8(), printed.at(1)) << type.toStdString();
    }
}

TEST(KnownHosts, PatternsNegationAndPorts)
{
    EXPECT_TRUE(KnownHosts::matchPattern(u"db1.example.com", u"*.example.com"));
    EXPECT_TRUE(KnownHosts::matchPattern(u"db1", u"db?"));
    EXPECT_FALSE(KnownHosts::matchPattern(u"db12", u"db?"));
    EXPECT_TRUE(KnownHosts::matchPattern(u"[10.0.0.1]:2222", u"[10.0.0.*]:2222"));
    EXPECT_EQ(KnownHosts::matchHostList(QStringLiteral("db1.example.com"),
                                        QStringLiteral("*.example.com,!db1.example.com")),
              -1);
    EXPECT_EQ(KnownHosts::matchHostList(QStringLiteral("db2.example.com"),
                                        QStringLiteral("*.example.com,!db1.example.com")),
              1);
    EXPECT_EQ(KnownHosts::matchHostList(QStringLiteral("web"), QStringLiteral("DB,Web")), 1);
    EXPECT_EQ(KnownHosts::hostName(QStringLiteral("Host"), 22), QStringLiteral("host"));
    EXPECT_EQ(KnownHosts::hostName(QStringLiteral("10.0.0.1"), 2222),
              QStringLiteral("[10.0.0.1]:2222"));
}

TEST(KnownHosts, VerdictsWithFileAndLine)
{
    if (!haveKeygen())
        GTEST_SKIP() << "ssh-keygen is not installed";
    Keys keys;
    const auto server = keys.load(QStringLiteral("server"), QStringLiteral("ed25519"));
    const auto other = keys.load(QStringLiteral("other"), QStringLiteral("ed25519"));
    const auto ecdsa = keys.load(QStringLiteral("ecdsa"), QStringLiteral("ecdsa"));
    ASSERT_TRUE(server && other && ecdsa);
    const QString user = keys.dir.filePath(QStringLiteral("known_hosts"));
    const QString global = keys.dir.filePath(QStringLiteral("global"));
    const KnownHosts known(user, {global});
    const auto line = [](const QString &hosts, const PublicKey &key) -> QByteArray {
        return hosts.toUtf8() + ' ' + key.type.toUtf8() + ' ' + key.base64() + " comment\n";
    };
    const QString host = QStringLiteral("db.example.com");

    EXPECT_EQ(known.check(host, 22, *server).verdict, HostKeyVerdict::Unknown);

    writeFile(user, "# comment\n\n" + line(QStringLiteral("web,db.example.com"), *server));
    KnownHosts::Verdict verdict = known.check(host, 22, *server);
    EXPECT_EQ(verdict.verdict, HostKeyVerdict::Known);
    EXPECT_EQ(verdict.file, user);
    EXPECT_EQ(verdict.line, 3);
    // Another port is another name.
    EXPECT_EQ(known.check(host, 2222, *server).verdict, HostKeyVerdict::Unknown);

    writeFile(user, line(QStringLiteral("*.example.com"), *other));
    verdict = known.check(host, 22, *server);
    EXPECT_EQ(verdict.verdict, HostKeyVerdict::Changed);
    EXPECT_EQ(verdict.line, 1);

    writeFile(user, line(QStringLiteral("*.example.com,!db.example.com"), *other));
    EXPECT_EQ(known.check(host, 22, *server).verdict, HostKeyVerdict::Unknown);

    writeFile(user, line(QStringLiteral("db.example.com"), *ecdsa));
    EXPECT_EQ(known.check(host, 22, *server).verdict, HostKeyVerdict::OtherType);
    EXPECT_EQ(known.knownKeyTypes(host, 22), QStringList{ecdsa->type});

    // @cert-authority is no host key; @revoked in the global file beats Known in the user's.
    writeFile(user, "@cert-authority * " + line(QString(), *other).trimmed() + '\n' +
                        line(QStringLiteral("db.example.com"), *server));
    EXPECT_EQ(known.check(host, 22, *server).verdict, HostKeyVerdict::Known);
    writeFile(global, "@revoked * " + line(QString(), *server).trimmed() + '\n');
    verdict = known.check(host, 22, *server);
    EXPECT_EQ(verdict.verdict, HostKeyVerdict::Revoked);
    EXPECT_EQ(verdict.file, global);
    EXPECT_EQ(verdict.line, 1);
}

TEST(KnownHosts, HashedNamesAsSshKeygenWritesThem)
{
    if (!haveKeygen())
        GTEST_SKIP() << "ssh-keygen is not installed";
    Keys keys;
    const auto server = keys.load(QStringLiteral("server"), QStringLiteral("ed25519"));
    ASSERT_TRUE(server);
    const QString user = keys.dir.filePath(QStringLiteral("known_hosts"));
    writeFile(user, "[10.1.2.3]:2222 " + server->type.toUtf8() + ' ' + server->base64() + '\n' +
                        "other.example " + server->type.toUtf8() + ' ' + server->base64() + '\n');
    int exitCode = -1;
    runTool({QStringLiteral("ssh-keygen"), QStringLiteral("-H"), QStringLiteral("-f"), user},
            &exitCode);
    ASSERT_EQ(exitCode, 0);
    ASSERT_TRUE(readFile(user).startsWith("|1|"));
    const KnownHosts known(user, {keys.dir.filePath(QStringLiteral("none"))});
    EXPECT_EQ(known.check(QStringLiteral("10.1.2.3"), 2222, *server).verdict,
              HostKeyVerdict::Known);
    EXPECT_EQ(known.check(QStringLiteral("10.1.2.3"), 22, *server).verdict,
              HostKeyVerdict::Unknown);

    // Forgetting one hashed name leaves the other.
    const KnownHosts::Removal removal = known.removeHost(QStringLiteral("10.1.2.3"), 2222);
    EXPECT_TRUE(removal.error.isEmpty());
    EXPECT_EQ(removal.removedNames, 1);
    EXPECT_EQ(known.check(QStringLiteral("10.1.2.3"), 2222, *server).verdict,
              HostKeyVerdict::Unknown);
    EXPECT_EQ(known.check(QStringLiteral("other.example"), 22, *server).verdict,
              HostKeyVerdict::Known);
}

TEST(KnownHosts, AppendCreatesPrivateFilesAndSshKeygenFindsTheLine)
{
    if (!haveKeygen())
        GTEST_SKIP() << "ssh-keygen is not installed";
    Keys keys;
    const auto server = keys.load(QStringLiteral("server"), QStringLiteral("ed25519"));
    ASSERT_TRUE(server);
    const QString user = keys.dir.filePath(QStringLiteral("home/.ssh/known_hosts"));
    QDir().mkpath(keys.dir.filePath(QStringLiteral("home")));
    const KnownHosts known(user, {keys.dir.filePath(QStringLiteral("none"))});
    ASSERT_EQ(known.append(QStringLiteral("127.0.0.1"), 2022, *server), QString());
    struct stat st
    {
    };
    ASSERT_EQ(::stat(QFile::encodeName(user).constData(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    ASSERT_EQ(::stat(QFile::encodeName(QFileInfo(user).absolutePath()).constData(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    int exitCode = -1;
    const QByteArray found =
        runTool({QStringLiteral("ssh-keygen"), QStringLiteral("-F"),
                 QStringLiteral("[127.0.0.1]:2022"), QStringLiteral("-f"), user},
                &exitCode);
    EXPECT_EQ(exitCode, 0);
    EXPECT_TRUE(found.contains(server->base64()));
    EXPECT_EQ(known.check(QStringLiteral("127.0.0.1"), 2022, *server).verdict,
              HostKeyVerdict::Known);
}

TEST(KnownHosts, ForgetRemovesOnlyThatHost)
{
    if (!haveKeygen())
        GTEST_SKIP() << "ssh-keygen is not installed";
    Keys keys;
    const auto server = keys.load(QStringLiteral("server"), QStringLiteral("ed25519"));
    ASSERT_TRUE(server);
    const QByteArray key = server->type.toUtf8() + ' ' + server->base64();
    const QString user = keys.dir.filePath(QStringLiteral("known_hosts"));
    writeFile(user, "db," + QByteArray("web ") + key + " both\n" + // db goes, web stays
                        "db " + key + "\n" +                       // goes
                        "@revoked db " + key + "\n" +              // stays: not a trust line
                        "*.example " + key + "\n" +                // stays: a wildcard
                        "[db]:2222 " + key + "\n");                // stays: another port
    const KnownHosts known(user, {keys.dir.filePath(QStringLiteral("none"))});
    QFile::setPermissions(user, QFile::ReadOwner | QFile::WriteOwner);
    const KnownHosts::Removal removal = known.removeHost(QStringLiteral("db"), 22);
    EXPECT_TRUE(removal.error.isEmpty());
    EXPECT_EQ(removal.removedNames, 2);
    EXPECT_EQ(readFile(user), "web " + key + " both\n" + "@revoked db " + key + "\n" +
                                  "*.example " + key + "\n" + "[db]:2222 " + key + "\n");
    EXPECT_EQ(QFileInfo(user).permissions() & (QFile::ReadGroup | QFile::ReadOther),
              QFile::Permissions());
}

TEST(ShellQuote, ValidatesBeforeQuoting)
{
    EXPECT_TRUE(shell::containerNameError(QStringLiteral("api-1_v2.x")).isEmpty());
    EXPECT_FALSE(shell::containerNameError(QStringLiteral("-rm")).isEmpty());
    EXPECT_FALSE(shell::containerNameError(QStringLiteral("a b")).isEmpty());
    EXPECT_FALSE(shell::containerNameError(QStringLiteral("a;b")).isEmpty());
    EXPECT_FALSE(shell::containerNameError(QString()).isEmpty());
    EXPECT_TRUE(shell::absolutePathError(QStringLiteral("/var/lib/docker/x y")).isEmpty());
    EXPECT_FALSE(shell::absolutePathError(QStringLiteral("relative")).isEmpty());
    EXPECT_FALSE(shell::absolutePathError(QStringLiteral("/a\nb")).isEmpty());
    EXPECT_FALSE(shell::absolutePathError(QStringLiteral("/a") + QChar(0)).isEmpty());
    EXPECT_EQ(shell::quote(QByteArrayView("it's")), QByteArray("'it'\\''s'"));
    EXPECT_EQ(shell::quoteWords({QStringLiteral("1"), QStringLiteral("auto")}),
              QByteArray("'1' 'auto'"));
    EXPECT_EQ(SshTransport::remoteCommand(ProbeParameters{}),
              QByteArray("exec /bin/sh -s -- '1' '2' '0' 'auto' '30' '10' 'user' 'docker'"));
}

TEST(SshSession, JumpHostCommandIsBuiltFromValidatedParts)
{
    QString error;
    EXPECT_EQ(
        SshSession::jumpCommand(QStringLiteral("ops@bastion.example:2200"),
                                QStringLiteral("10.0.0.5"), 22, &error),
        QStringLiteral("ssh -o BatchMode=yes -W '[10.0.0.5]:22' -p 2200 -l ops bastion.example"));
    EXPECT_EQ(
        SshSession::jumpCommand(QStringLiteral("bastion"), QStringLiteral("db"), 2222, &error),
        QStringLiteral("ssh -o BatchMode=yes -W '[db]:2222' -p 22 bastion"));
    for (const char *bad : {"-oProxyCommand=x", "a b", "a;b", "u@h:99999", "a,b", "$(id)"}) {
        error.clear();
        EXPECT_TRUE(
            SshSession::jumpCommand(QString::fromLatin1(bad), QStringLiteral("db"), 22, &error)
                .isEmpty())
            << bad;
        EXPECT_FALSE(error.isEmpty()) << bad;
    }
    EXPECT_TRUE(SshSession::jumpCommand(QStringLiteral("bastion"), QStringLiteral("-x"), 22, &error)
                    .isEmpty());
}

TEST(SshSession, WipeSecretOverwritesTheSharedBuffer)
{
    QByteArray secret = QByteArray("canary-") + QByteArray::number(42);
    const QByteArray copy = secret; // the same buffer, as after a queued call
    wipeSecret(secret);
    EXPECT_TRUE(secret.isEmpty());
    EXPECT_EQ(copy, QByteArray(9, '\0'));
    QByteArray literal = QByteArrayLiteral("literal"); // read-only memory: left alone, no crash
    wipeSecret(literal);
    EXPECT_TRUE(literal.isEmpty());
}
