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

// Names the processes of the listeners of a table read without a process column (the probe's
// fold of /proc/net/tcp) from the probe's ss_listeners section, `ss -Htnp state listening`: the
// lines of `ss -Htanp` without their State column, which ss leaves out when it lists one state
// (a line that has it is read too, and `ss -tnp`'s "Recv-Q …" header is skipped). Each LISTEN
// socket of table[from..] in namespace `netns` that has no process yet takes the first process
// of the line with its local endpoint, and its name goes into `processNames` once per pid: what
// `ss -Htanp` gives the same socket. Of several lines with one endpoint (SO_REUSEPORT) the first
// counts, as the table keeps the first of repeated 4-tuples. A 0.0.0.0 listener with no line of
// its own takes the line of [::] on its port: an older ss prints both wildcards as "*", which
// reads as [::] (and a dual-stack [::] and a 0.0.0.0 listener cannot share a port). A line
// without a process column names nothing; a line in another state than LISTEN is skipped. The
// other sockets are left as they are: a connection's process is not its listener's (a worker,
// or whoever the descriptor was passed to), and TIME_WAIT has none. Rejected lines are quoted
// with the state that was put in front of them.
ParseReport parseSsListeners(QByteArrayView text, std::uint64_t netns, std::vector<Socket> &table,
                             std::size_t from, ProcessNames &processNames);

} // namespace twbench
