// /proc/net/tcp and /proc/net/tcp6 (model/parsers/procnettcp.h), and the probe's fold of their
// TIME_WAIT lines: the text comes from a remote kernel and awk, or from whatever answers in
// their place.

#include "fuzzsupport.h"

#include "model/parsers/procnettcp.h"

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
    // Every family and byte order on the same text, so real files stay valid seeds as they are.
    for (const AddressFamily family : {AddressFamily::V4, AddressFamily::V6}) {
        for (const Endianness endianness : {Endianness::Little, Endianness::Big}) {
            std::vector<Socket> sockets;
            const ParseReport report =
                parseProcNetTcp(text, family, endianness, 4026531840, sockets);
            (void)report.summary();
            // The fold after the unfolded lines, as SampleBuilder reads a table: its repeats
            // are checked against them.
            const ParseReport folded =
                parseProcNetTcpTimeWaits(text, family, endianness, 4026531840, sockets, 0);
            (void)folded.summary();
        }
    }
    return 0;
}
