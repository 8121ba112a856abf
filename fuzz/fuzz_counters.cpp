// The counter files the probe reads every second (model/parsers/counterparsers.h):
// /proc/net/sockstat, /proc/net/snmp, /proc/net/netstat and /proc/stat.

#include "fuzzsupport.h"

#include "model/parsers/counterparsers.h"

using namespace twbench;

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz::startApplication(argc, argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size > fuzz::maxInputBytes)
        return -1;
    const QByteArrayView text = fuzz::view(data, size);
    // Every parser on the same text: the files share their seeds, and a sockstat line inside an
    // snmp file is what a confused probe would send.
    KernelCounters counters;
    (void)parseSockstat(text, counters).summary();
    (void)parseSnmpStyle(text, counters).summary();
    ProcStat stat;
    (void)parseProcStat(text, stat).summary();
    return 0;
}
