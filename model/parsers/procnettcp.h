#pragma once

#include "../parsereport.h"
#include "../socket.h"

#include <QByteArrayView>

#include <vector>

namespace twbench {

enum class Endianness : std::uint8_t { Little, Big };

enum class AddressFamily : std::uint8_t { V4, V6 };

// Parses /proc/net/tcp (V4) or /proc/net/tcp6 (V6). The address words are the kernel's u32s
// printed in the *remote* host's byte order, so the caller passes that host's endianness (the
// probe reports it). The header line is skipped; IPv4-mapped IPv6 addresses become IPv4;
// lines repeating an earlier 4-tuple in the same text (the kernel may list a socket twice when
// the table changes during a read) are dropped and counted in report.duplicates.
// Appends to `out`; every socket gets `netns`.
ParseReport parseProcNetTcp(QByteArrayView text, AddressFamily family, Endianness endianness,
                            std::uint64_t netns, std::vector<Socket> &out);

} // namespace twbench
