#include "sshdfixture.h"

#include "processes.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QThread>

#include <arpa/inet.h>
#include <csignal>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace twbench::test {

namespace {

const QString sshdPath = QStringLiteral("/usr/sbin/sshd");

bool run(const QString &program, const QStringList &arguments, QByteArray *output = nullptr,
         const QByteArray &input = {})
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, arguments);
    if (!process.waitForStarted(5000))
        return false;
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(20000)) {
        process.kill();
        process.waitForFinished(2000);
        return false;
    }
    if (output)
        *output = process.readAll();
    return process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

int freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) == 0)
        port = ntohs(address.sin_port);
    ::close(fd);
    return port;
}

bool portAccepts(int port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(quint16(port));
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0;
    ::close(fd);
    return ok;
}

} // namespace

QList<int> descendantProcesses(int pid)
{
    const QHash<int, QList<int>> children = childrenByParent();
    QList<int> found;
    QList<int> queue{pid};
    while (!queue.isEmpty()) {
        const int parent = queue.takeFirst();
        for (const int child : children.value(parent)) {
            found.append(child);
            queue.append(child);
        }
    }
    return found;
}

SshdFixture::SshdFixture() = default;

SshdFixture::~SshdFixture()
{
    stop();
    removeAccount();
}

QString SshdFixture::unavailableReason()
{
    if (!QFileInfo(sshdPath).isExecutable())
        return QStringLiteral("sshd is not installed (openssh-server)");
    if (QStandardPaths::findExecutable(QStringLiteral("ssh-keygen")).isEmpty())
        return QStringLiteral("ssh-keygen is not installed (openssh-client)");
    if (::geteuid() != 0)
        return QStringLiteral("sshd needs root to run as a test server here");
    return {};
}

bool SshdFixture::addKey(const QString &name, const QString &type)
{
    QFile::remove(m_dir.filePath(name));
    QFile::remove(m_dir.filePath(name + QStringLiteral(".pub")));
    return run(QStringLiteral("ssh-keygen"),
               {QStringLiteral("-q"), QStringLiteral("-t"), type, QStringLiteral("-N"), QString(),
                QStringLiteral("-C"), QStringLiteral("twbench-test-") + name, QStringLiteral("-f"),
                m_dir.filePath(name)});
}

bool SshdFixture::prepare(QString *error)
{
    if (m_prepared)
        return true;
    const auto failWith = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    if (!m_dir.isValid())
        return failWith(QStringLiteral("no temporary directory"));
    if (!addKey(QStringLiteral("hostkey")) || !addKey(QStringLiteral("userkey")))
        return failWith(QStringLiteral("ssh-keygen failed"));
    if (!QFile::copy(m_dir.filePath(QStringLiteral("userkey.pub")),
                     m_dir.filePath(QStringLiteral("authorized_keys"))))
        return failWith(QStringLiteral("could not write authorized_keys"));
    // sshd's privilege separation directory.
    QDir().mkpath(QStringLiteral("/run/sshd"));
    m_prepared = true;
    return true;
}

bool SshdFixture::start(QString *error, const QString &hostKeyName)
{
    const auto failWith = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    if (!prepare(error))
        return false;
    stop();
    if (m_port == 0)
        m_port = freePort();
    if (m_port == 0)
        return failWith(QStringLiteral("no free port"));

    const QString config =
        QStringLiteral("ListenAddress 127.0.0.1\n"
                       "Port %1\n"
                       "HostKey %2\n"
                       "PidFile %3/sshd.pid\n"
                       "AuthorizedKeysFile %3/authorized_keys\n"
                       "StrictModes no\n"
                       "UsePAM no\n"
                       "PermitRootLogin yes\n"
                       "PubkeyAuthentication yes\n"
                       "PasswordAuthentication yes\n"
                       "KbdInteractiveAuthentication no\n"
                       "LogLevel DEBUG1\n"
                       // Twenty hosts connect at once in one test; the default drops some.
                       "MaxStartups 100:30:200\n"
                       "UseDNS no\n"
                       "PrintMotd no\n"
                       "PrintLastLog no\n"
                       "Subsystem sftp internal-sftp\n")
            .arg(m_port)
            .arg(m_dir.filePath(hostKeyName), m_dir.path());
    QFile file(m_dir.filePath(QStringLiteral("sshd_config")));
    if (!file.open(QIODevice::WriteOnly) || file.write(config.toUtf8()) != config.toUtf8().size())
        return failWith(QStringLiteral("could not write sshd_config"));
    file.close();

    m_sshd = std::make_unique<QProcess>();
    // A file, not a pipe: a full pipe would block sshd's logging and with it every login.
    m_sshd->setStandardOutputFile(logPath(), QIODevice::Append);
    m_sshd->setStandardErrorFile(logPath(), QIODevice::Append);
    m_sshd->setStandardInputFile(QProcess::nullDevice());
    m_sshd->start(sshdPath, {QStringLiteral("-D"), QStringLiteral("-e"), QStringLiteral("-f"),
                             m_dir.filePath(QStringLiteral("sshd_config"))});
    if (!m_sshd->waitForStarted(5000))
        return failWith(QStringLiteral("sshd did not start: ") + m_sshd->errorString());
    QDeadlineTimer deadline(10000);
    while (!portAccepts(m_port)) {
        if (m_sshd->state() != QProcess::Running || deadline.hasExpired()) {
            const QByteArray text = log();
            stop();
            return failWith(QStringLiteral("sshd did not listen on port %1: %2")
                                .arg(m_port)
                                .arg(QString::fromUtf8(text.right(1000))));
        }
        QThread::msleep(10);
    }
    return true;
}

void SshdFixture::stop()
{
    if (!m_sshd)
        return;
    if (m_sshd->state() != QProcess::NotRunning) {
        const int listener = int(m_sshd->processId());
        const QList<int> below = descendantProcesses(listener);
        // A frozen sshd would never act on SIGTERM.
        ::kill(listener, SIGCONT);
        for (const int pid : below)
            ::kill(pid, SIGCONT);
        ::kill(listener, SIGTERM);
        if (!m_sshd->waitForFinished(5000)) {
            ::kill(listener, SIGKILL);
            m_sshd->waitForFinished(2000);
        }
        // Connections outlive the listener in OpenSSH; the test wants none left.
        for (const int pid : below)
            ::kill(pid, SIGKILL);
    }
    m_sshd.reset();
}

bool SshdFixture::isRunning() const
{
    return m_sshd && m_sshd->state() == QProcess::Running;
}

qint64 SshdFixture::pid() const
{
    return m_sshd ? m_sshd->processId() : 0;
}

QByteArray SshdFixture::log() const
{
    QFile file(logPath());
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QByteArray SshdFixture::knownHostsLine(const QString &keyName) const
{
    QFile file(m_dir.filePath(keyName + QStringLiteral(".pub")));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QList<QByteArray> fields = file.readAll().trimmed().split(' ');
    if (fields.size() < 2)
        return {};
    return "[127.0.0.1]:" + QByteArray::number(m_port) + ' ' + fields.at(0) + ' ' + fields.at(1);
}

QString SshdFixture::keygenFingerprintLine(const QString &keyName) const
{
    QByteArray output;
    if (!run(QStringLiteral("ssh-keygen"),
             {QStringLiteral("-lf"), m_dir.filePath(keyName + QStringLiteral(".pub"))}, &output))
        return {};
    return QString::fromUtf8(output.trimmed());
}

QList<int> SshdFixture::sessionProcesses() const
{
    if (!isRunning())
        return {};
    return descendantProcesses(int(m_sshd->processId()));
}

int SshdFixture::killSessions()
{
    const QList<int> pids = sessionProcesses();
    for (const int pid : pids)
        ::kill(pid, SIGKILL);
    return int(pids.size());
}

void SshdFixture::freeze()
{
    if (!isRunning())
        return;
    ::kill(pid_t(m_sshd->processId()), SIGSTOP);
    for (const int pid : sessionProcesses())
        ::kill(pid, SIGSTOP);
}

void SshdFixture::thaw()
{
    if (!isRunning())
        return;
    for (const int pid : sessionProcesses())
        ::kill(pid, SIGCONT);
    ::kill(pid_t(m_sshd->processId()), SIGCONT);
}

bool SshdFixture::createAccount(const QByteArray &password, QString *name, QString *error)
{
    const auto failWith = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    if (::geteuid() != 0)
        return failWith(QStringLiteral("creating an account needs root"));
    if (QStandardPaths::findExecutable(QStringLiteral("useradd")).isEmpty() ||
        QStandardPaths::findExecutable(QStringLiteral("chpasswd")).isEmpty())
        return failWith(QStringLiteral("useradd or chpasswd is not installed (passwd)"));
    const QString account = QStringLiteral("twbt%1").arg(
        QRandomGenerator::global()->bounded(100000000u), 8, 10, QLatin1Char('0'));
    QByteArray output;
    if (!run(QStringLiteral("useradd"),
             {QStringLiteral("-M"), QStringLiteral("-s"), QStringLiteral("/bin/sh"),
              QStringLiteral("-d"), QStringLiteral("/"), account},
             &output))
        return failWith(QStringLiteral("useradd failed: ") + QString::fromUtf8(output));
    m_account = account;
    // The password goes on stdin only: never on a command line or into a file.
    if (!run(QStringLiteral("chpasswd"), {}, &output, account.toUtf8() + ':' + password + '\n'))
        return failWith(QStringLiteral("chpasswd failed: ") + QString::fromUtf8(output));
    *name = account;
    return true;
}

void SshdFixture::removeAccount()
{
    if (m_account.isEmpty())
        return;
    run(QStringLiteral("userdel"), {QStringLiteral("-f"), m_account});
    m_account.clear();
}

} // namespace twbench::test
