#pragma once

#include "logsourcespec.h"
#include "model/capture/capturefile.h"

#include <QList>
#include <QMetaType>
#include <QString>

#include <cstdint>

namespace twbench {

// What the operator configured for one host. Never holds a secret: passwords and passphrases
// are asked for when needed (or, when the operator opted in, read from the system keychain)
// and never stored here, so a HostSpec can be persisted, logged and copied freely.
struct HostSpec
{
    enum class Kind : std::uint8_t { Local, Ssh, Replay };
    // How to log in after the server offered its methods. Agent and IdentityFile fall through to
    // keyboard-interactive / password when the server does not accept the key.
    enum class LoginMethod : std::uint8_t { Agent, IdentityFile, Password };

    QString id;          // stable key, unique in the host list
    QString displayName; // what the hosts list shows
    Kind kind = Kind::Local;

    // SSH (Kind::Ssh only).
    QString address; // host name or IP, as given to `ssh`
    int port = 22;   // 1–65535; validated by isValid(), libssh maps bad ports silently
    QString user;    // empty: the local user name
    LoginMethod login = LoginMethod::Agent;
    QString identityFile; // private key path for LoginMethod::IdentityFile (~ allowed)
    QString jumpHost;     // ProxyJump: [user@]host[:port]; empty: direct
    QString proxyCommand; // ProxyCommand from ~/.ssh/config; run locally, never remotely
    bool useSudo = false; // "sudo -n" for root-only data (other namespaces, docker)
    QString dockerCommand = QStringLiteral("docker"); // "docker", "sudo -n docker", "podman"
    bool useKeychain = false; // opt-in: the password may be kept in the system keychain

    // Sampling. The probe reads counters every counterIntervalSec and the socket table every
    // tableIntervalSec, stretched by the probe itself when the table is large.
    int counterIntervalSec = 1;
    int tableIntervalSec = 2;

    // Access logs followed beside the probe (HostWorker), each counted into HostSample::logs.
    // Not part of validationError(): a source that cannot be followed says so in its windows
    // (LogWindow::error) while the probe runs on; the host dialog checks each one
    // (LogSourceSpec::validationError()).
    QList<LogSourceSpec> logs;

    static HostSpec localWorkstation();

    // Empty when the spec can be used; else the first problem, translated ("Port must be
    // between 1 and 65535.").
    QString validationError() const;
    bool isValid() const { return validationError().isEmpty(); }

    friend bool operator==(const HostSpec &, const HostSpec &) = default;
};

// What a capture file keeps of the host: who it was, never how to log in.
CaptureHost captureHostOf(const HostSpec &spec);

} // namespace twbench

Q_DECLARE_METATYPE(twbench::HostSpec)
