#pragma once

#include "../parsereport.h"
#include "../socket.h"

#include <QByteArrayView>

#include <vector>

namespace twbench {

// Parses `netstat -tn` / `netstat -ant` (also -tnp / -antp) as an operator pastes it: the
// "Active Internet connections" and "Proto Recv-Q ..." headers are skipped, tcp and tcp6 rows
// are read, udp/unix rows are skipped (counted as skipped, not rejected), addresses like
// 10.0.0.1:80, :::80, ::ffff:10.0.0.1:80, 0.0.0.0:*. With -e (a "User Inode" header) a
// numeric user and the inode fill uid and inode. Appends to `out`.
// Limit: without -W, net-tools cuts an "address:port" longer than 23 characters by shortening
// the address, so ::ffff:10.20.30.40:44444 prints as ::ffff:10.20.30.4:44444. A cut address
// that no longer parses is rejected; one that still parses cannot be told from a real one.
ParseReport parseNetstat(QByteArrayView text, std::vector<Socket> &out);

} // namespace twbench
