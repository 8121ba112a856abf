#pragma once

#include <QByteArray>
#include <QList>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace twbench::test {

// A throwaway OpenSSH server on 127.0.0.1 for the SSH tests, all of it in a temporary
// directory: a generated ed25519 host key, a user key pair with its authorized_keys, a
// known_hosts that trusts the host key, an sshd_config on a free port, and sshd's log.
// `sshd -D -e -f cfg` runs as a child of the test and is stopped by pid (SIGCONT first, in case a
// test froze it). Tests run as root, hence PermitRootLogin and no StrictModes.
class SshdFixture final
{
    Q_DISABLE_COPY_MOVE(SshdFixture)

public:
    SshdFixture();
    ~SshdFixture();

    // Empty when sshd and ssh-keygen are there and this process may run them; else why not.
    static QString unavailableReason();

    // Creates the files (first time) and starts sshd, waiting until its port accepts.
    // `hostKeyName` picks another host key file of dir() (see addHostKey()): an impostor.
    bool start(QString *error = nullptr, const QString &hostKeyName = QStringLiteral("hostkey"));
    void stop();
    bool isRunning() const;

    // Another key pair in dir(): `ssh-keygen -t type -f dir/name`.
    bool addKey(const QString &name, const QString &type = QStringLiteral("ed25519"));

    QString dir() const { return m_dir.path(); }
    int port() const { return m_port; }
    qint64 pid() const;
    QString hostKeyPath() const { return m_dir.filePath(QStringLiteral("hostkey")); }
    QString userKeyPath() const { return m_dir.filePath(QStringLiteral("userkey")); }
    QString knownHostsPath() const { return m_dir.filePath(QStringLiteral("known_hosts")); }
    QString logPath() const { return m_dir.filePath(QStringLiteral("sshd.log")); }
    QByteArray log() const;
    // The known_hosts line that trusts `keyName`.pub for [127.0.0.1]:port.
    QByteArray knownHostsLine(const QString &keyName = QStringLiteral("hostkey")) const;
    // `ssh-keygen -lf dir/name.pub`: "256 SHA256:… comment (ED25519)".
    QString keygenFingerprintLine(const QString &keyName = QStringLiteral("hostkey")) const;

    // The per-connection sshd processes (children of the listener) and everything below them.
    QList<int> sessionProcesses() const;
    // SIGKILL every connection's processes; the listener stays. Returns how many were killed.
    int killSessions();
    // SIGSTOP / SIGCONT the listener and all its descendants.
    void freeze();
    void thaw();

    // A local account for password logins (useradd -M, chpasswd), removed by the destructor.
    bool createAccount(const QByteArray &password, QString *name, QString *error);

private:
    bool prepare(QString *error);
    void removeAccount();

    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_sshd;
    int m_port = 0;
    bool m_prepared = false;
    QString m_account;
};

// The pids of every descendant of `pid` (children first).
QList<int> descendantProcesses(int pid);

} // namespace twbench::test
