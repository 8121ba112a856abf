#pragma once

#include <QString>

#include <cstdint>

namespace twbench {

// What the operator configured for one host. Never holds a secret.
struct HostSpec
{
    enum class Kind : std::uint8_t { Local, Ssh, Replay };

    QString id;          // stable key, unique in the host list
    QString displayName; // what the hosts list shows
    Kind kind = Kind::Local;

    // Sampling. The probe reads counters every counterIntervalSec and the socket table every
    // tableIntervalSec, stretched by the probe itself when the table is large.
    int counterIntervalSec = 1;
    int tableIntervalSec = 2;

    static HostSpec localWorkstation();
};

} // namespace twbench
