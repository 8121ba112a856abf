// `ss -Htan` / `ss -tan` / `ss -Htanp` / `ss -Htnp state listening` output
// (model/parsers/ssparser.h), with the process column that carries names chosen by whoever
// runs a process on the remote host.

#include "fuzzsupport.h"

#include "model/parsers/ssparser.h"

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
    std::vector<Socket> sockets;
    ProcessNames names;
    const ParseReport report = parseSs(fuzz::view(data, size), 4026531840, sockets, &names);
    (void)report.summary();
    // The same text as the probe's ss_listeners (ss -Htnp state listening) beside a folded table:
    // the sockets just read, without their processes as the fold gives them, take the listeners'
    // again.
    for (Socket &socket : sockets)
        socket.pid = 0;
    ProcessNames listenerNames;
    const ParseReport listeners =
        parseSsListeners(fuzz::view(data, size), 4026531840, sockets, 0, listenerNames);
    (void)listeners.summary();
    return 0;
}
