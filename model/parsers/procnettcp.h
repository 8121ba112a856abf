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

// Parses the probe's fold of the TIME_WAIT lines of /proc/net/tcp (V4) or tcp6 (V6), the
// sections proc_tcp_tw and proc_tcp6_tw of resources/probe.sh: lines "LOCAL REMOTE PORTS" with
// the addresses in the kernel's hex as in /proc/net/tcp, one of the two endpoints with the port
// "*", and PORTS the run of 4-digit hex ports that fill it in, one TIME_WAIT socket each. The
// kernel prints a TIME_WAIT line with zero queues, uid and inode, and so does this: the sockets
// are those parseProcNetTcp gives for the same lines unfolded. Appends to `out`; a socket whose
// 4-tuple out[dedupFrom..] already has (listed in both halves of one read) is dropped and
// counted in report.duplicates, which here counts sockets, not lines (a folded line stands for
// up to 128): linesRead is linesUsed + linesRejected.
ParseReport parseProcNetTcpTimeWaits(QByteArrayView text, AddressFamily family,
                                     Endianness endianness, std::uint64_t netns,
                                     std::vector<Socket> &out, std::size_t dedupFrom);

} // namespace twbench
