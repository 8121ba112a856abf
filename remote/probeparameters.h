#pragma once

#include <QByteArray>
#include <QStringList>

#include <cstdint>

namespace twbench {

struct HostSpec;

// The probe's command-line parameters (see resources/probe.sh). They travel as separate argv
// words after the script, never spliced into the script text or a shell string.
struct ProbeParameters
{
    enum class TableSource : std::uint8_t { Auto, Ss, Proc };

    int counterIntervalSec = 1;
    int tableIntervalSec = 2;
    int maxSamples = 0; // 0: until stopped
    TableSource tableSource = TableSource::Auto;
    int tableMaxIntervalSec = 30;

    static ProbeParameters fromSpec(const HostSpec &spec);
    // "1" "2" "0" "auto" "30": the probe's positional parameters, in order, all plain numbers
    // and fixed words, so quoting them for a remote shell is trivial and safe.
    QStringList arguments() const;
};

// The protocol version this build reads ("@@twbench hello 1 …").
inline constexpr int probeProtocolVersion = 1;

// The probe script as built into this binary (the Qt resource ":/twbench/probe.sh").
QByteArray probeScript();

} // namespace twbench
