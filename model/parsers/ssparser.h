#pragma once

#include "../parsereport.h"
#include "../socket.h"

#include <QByteArrayView>

#include <vector>

namespace twbench {

// Parses `ss -Htan` and `ss -tan` (a "State Recv-Q Send-Q Local Address:Port ..." header is
// recognised and skipped). Addresses: 10.0.0.1:80, [::1]:80, *:80, 0.0.0.0:*, [::]:*,
// fe80::1%eth0:22, [::ffff:10.0.0.1]:80 (mapped IPv4 becomes IPv4). Trailing columns (-e, -o
// extras) are ignored except uid:N and ino:N, which fill Socket::uid and Socket::inode, and the
// process column of -p, users:(("nginx",pid=1234,fd=6),("nginx",pid=1235,fd=6)): its first
// process fills Socket::pid, and its name goes into `processNames` (when given) once per pid.
// A malformed or cut-short process column leaves pid at 0; it never rejects the socket.
// Duplicated 4-tuples are dropped as in parseProcNetTcp. Appends to `out`.
ParseReport parseSs(QByteArrayView text, std::uint64_t netns, std::vector<Socket> &out,
                    ProcessNames *processNames = nullptr);

} // namespace twbench
