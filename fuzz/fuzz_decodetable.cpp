// SampleCodec::decodeTable (model/capture/samplecodec.h): the compressed, dictionary-coded
// socket tables of a capture file, which a damaged or hostile file controls. Each input is
// tried as a whole blob and as the uncompressed body of one.

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

namespace {

// Decodes a table blob; whatever is accepted must write back into bytes accepted again.
void decodeAndRoundTrip(QByteArrayView bytes)
{
    QString error;
    const auto decoded = SampleCodec::decodeTable(bytes, &error);
    if (!decoded)
        return;
    const Snapshot &table = *decoded->table;
    for (const Socket &socket : table.sockets)
        (void)table.isListeningEndpoint(socket.local);
    QString again;
    if (!SampleCodec::decodeTable(SampleCodec::encodeTable(table, decoded->namespaces.get()),
                                  &again)) {
        std::fprintf(stderr, "fuzz_decodetable: a decoded table does not round-trip: %s\n",
                     qPrintable(again));
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size > fuzz::maxInputBytes)
        return -1;
    // The input as a whole blob: the version byte and the compressed framing.
    decodeAndRoundTrip(fuzz::view(data, size));
    // The input as the body inside a valid blob: a mutated compressed stream almost never
    // decompresses, so without this the column decoders behind it would hardly be reached.
    // The seeds named body_* are such bodies.
    static const char version = SampleCodec::encodeTable(Snapshot{}, nullptr).at(0);
    QByteArray blob(1, version);
    blob.append(qCompress(reinterpret_cast<const uchar *>(data), qsizetype(size)));
    decodeAndRoundTrip(blob);
    return 0;
}
