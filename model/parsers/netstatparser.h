#pragma once

#include "../parsereport.h"
#include "../socket.h"

#include <QByteArrayView>

#include <vector>

namespace twbench {

// Parses `netstat -tn` / `netstat -ant` (also -tnp / -antp) as an operator pastes it: the
// "Active Internet connections" and "Proto Recv-Q ..." headers are skipped, tcp and tcp6 rows
// are read, udp/unix rows are skipped (counted as skipped, not rejected), addresses like
// 10.0.0.1:80, :::80, ::ffff:10.0.0.1:80, 0.0.0.0:*. Appends to `out`.
ParseReport parseNetstat(QByteArrayView text, std::vector<Socket> &out);

} // namespace twbench
