#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <cstdint>

namespace twbench {

struct HostSpec;

// The probe's command-line parameters (see resources/probe.sh). They travel as separate argv
// words after the script, never spliced into the script text or a shell string.
struct ProbeParameters
{
    Q_DECLARE_TR_FUNCTIONS(ProbeParameters)

public:
    // Fold: /proc/net/tcp{,6} with the TIME_WAIT lines folded by the probe's awk (4 bytes a
    // socket instead of 150); Auto takes it for big tables (resources/probe.sh says when).
    enum class TableSource : std::uint8_t { Auto, Ss, Proc, Fold };
    // How the shell that runs the probe was started; the probe only reports it in its hello, so
    // the samples can say that sudo was refused and how to grant it.
    enum class Privilege : std::uint8_t { User, Sudo, SudoFailed };

    int counterIntervalSec = 1;
    int tableIntervalSec = 2;
    int maxSamples = 0; // 0: until stopped
    TableSource tableSource = TableSource::Auto;
    int tableMaxIntervalSec = 30;
    int dockerIntervalSec = 10; // 0: no docker inventory (and so no container namespaces)
    // The host's docker command split into words: {"docker"}, {"sudo", "-n", "docker"}. Each must
    // be a plain word (shell::plainWordError): the probe runs them split on spaces.
    QStringList dockerCommand{QStringLiteral("docker")};
    // Run the probe as root through `sudo -n` (SshTransport), falling back to the login user.
    bool useSudo = false;

    static ProbeParameters fromSpec(const HostSpec &spec);
    // "1" "2" "0" "auto" "30" "10" "user" "docker": the probe's positional parameters, in order;
    // numbers, fixed words and the docker command's words, so quoting them for a remote shell is
    // trivial and safe (once error() is empty).
    QStringList arguments(Privilege privilege = Privilege::User) const;
    // Empty when every word can be sent; else why not, translated.
    [[nodiscard]] QString error() const;
};

// The protocol version this build reads ("@@twbench hello 1 …").
inline constexpr int probeProtocolVersion = 1;

// The probe script as built into this binary (the Qt resource ":/twbench/probe.sh").
QByteArray probeScript();

} // namespace twbench
