// `ss -Htan` / `ss -tan` / `ss -Htanp` output (model/parsers/ssparser.h), with the process
// column that carries names chosen by whoever runs a process on the remote host.

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
    return 0;
}
