#pragma once

#include <QByteArray>

#include <QList>

namespace twbench::bench {

// The real socket tables every benchmark reads: made once per run, on first use, and kept
// alive (the TIME_WAITs last 60 s, the ESTABLISHED ones as long as the process) so that every
// benchmark of the run sees the same table.
struct BenchTables
{
    int timeWaitsMade = 0;   // by this run, on loopback
    QByteArray procNetTcp;   // `cat /proc/net/tcp` right after they were made
    QByteArray ssHtan;       // `ss -Htan`, same moment
    qsizetype procLines = 0; // data lines of procNetTcp (header excluded)
    qsizetype ssLines = 0;
};

// Makes TWBENCH_BENCH_SOCKETS (default 100000) TIME_WAIT sockets on a random 127.A.B.0/24 and
// captures the tables. Exits the process if the sockets cannot be made.
const BenchTables &benchTables();

// Runs `argv` (fork/exec, no shell) and returns everything it wrote to stdout.
QByteArray runCommand(const QList<QByteArray> &argv);

} // namespace twbench::bench
