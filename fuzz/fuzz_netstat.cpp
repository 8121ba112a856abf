// `netstat -tn` / `-ant` / `-tnpe` as an operator pastes it (model/parsers/netstatparser.h).

#include "fuzzsupport.h"

#include "model/parsers/netstatparser.h"

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
    const ParseReport report = parseNetstat(fuzz::view(data, size), sockets);
    (void)report.summary();
    return 0;
}
