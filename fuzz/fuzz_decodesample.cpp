// SampleCodec::decodeSample (model/capture/samplecodec.h): the bytes of a capture file's
// samples rows, which a damaged or hostile file controls.

#include "fuzzsupport.h"

#include "model/capture/samplecodec.h"

#include <cstdio>
#include <cstdlib>

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
    QString error;
    const std::shared_ptr<HostSample> sample =
        SampleCodec::decodeSample(fuzz::view(data, size), &error);
    if (!sample)
        return 0;
    // Whatever was accepted must write back into bytes that are accepted again.
    QString again;
    if (!SampleCodec::decodeSample(SampleCodec::encodeSample(*sample), &again)) {
        std::fprintf(stderr, "fuzz_decodesample: a decoded sample does not round-trip: %s\n",
                     qPrintable(again));
        std::abort();
    }
    return 0;
}
