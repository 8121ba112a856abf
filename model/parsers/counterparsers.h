#pragma once

#include "../cputimes.h"
#include "../kernelcounters.h"
#include "../parsereport.h"

#include <QByteArrayView>

namespace twbench {

// /proc/net/sockstat: "TCP: inuse 5 orphan 0 tw 12 alloc 7 mem 1" becomes sockstat.TCP.inuse,
// sockstat.TCP.tw, … ("sockets: used 9" becomes sockstat.sockets.used).
ParseReport parseSockstat(QByteArrayView text, KernelCounters &into);

// /proc/net/snmp and /proc/net/netstat: pairs of lines, a header naming the fields and a line
// of values with the same prefix ("Tcp: RtoAlgorithm ..." / "Tcp: 1 ..."), become
// "Tcp.ActiveOpens", "TcpExt.TW", … A pair whose field and value counts differ is rejected.
// Both files share one format, so one function reads either.
ParseReport parseSnmpStyle(QByteArrayView text, KernelCounters &into);

// /proc/stat: the "cpu" and "cpuN" lines (short lines from old kernels allowed: missing fields
// are 0), ctxt and processes. Other lines (intr, softirq, btime, …) are skipped.
ParseReport parseProcStat(QByteArrayView text, ProcStat &into);

} // namespace twbench
