// Writes the seed inputs of the capture targets into a corpus directory:
//   fuzz_make_capture_seeds fuzz/corpus
// fills fuzz_decodesample/, fuzz_decodetable/ and fuzz_capturefile/ from the capture tests'
// fixtures (tests/model/capturefixtures.h), so the seeds are what the real encoder writes. Small on
// purpose: a few sockets and samples exercise every column, and libFuzzer mutates small inputs
// faster.

#include "model/capturefixtures.h"

#include "model/capture/capturefile.h"
#include "model/capture/samplecodec.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <cstdio>

using namespace twbench;

namespace {

constexpr std::int64_t startMs = 1732600000000;

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        file.write(bytes) != bytes.size()) {
        std::fprintf(stderr, "cannot write %s\n", qPrintable(path));
        return false;
    }
    return true;
}

std::shared_ptr<HostSample> sampleWithTable(std::uint64_t second, int sockets)
{
    auto sample = test::realisticSample(QStringLiteral("web-1"), second, startMs);
    sample->table = test::realisticTable(QStringLiteral("web-1"), second, sample->epochMs, sockets,
                                         std::uint32_t(second));
    sample->namespaces = test::fixtureNamespaces();
    return sample;
}

bool writeCodecSeeds(const QDir &corpus)
{
    const QDir samples(corpus.filePath(QStringLiteral("fuzz_decodesample")));
    const QDir tables(corpus.filePath(QStringLiteral("fuzz_decodetable")));
    HostSample empty;
    auto denied = test::realisticSample(QStringLiteral("web-1"), 3, startMs);
    auto inventory = std::make_shared<DockerInventory>();
    inventory->errorKind = DockerError::PermissionDenied;
    inventory->error = dockerErrorText(DockerError::PermissionDenied);
    denied->docker = inventory;
    denied->issues = {SourceIssue{QStringLiteral("ss"), QStringLiteral("ss: command not found")}};
    const auto table = test::realisticTable(QStringLiteral("web-1"), 7, startMs + 7000, 24, 7);
    // fuzz_decodetable also reads each input as the body of a blob: the bodies, uncompressed.
    const auto body = [](const QByteArray &blob) {
        return qUncompress(blob.sliced(1));
    };
    const QByteArray withNamespaces =
        SampleCodec::encodeTable(*table, test::fixtureNamespaces().get());
    return writeFile(tables.filePath(QStringLiteral("body_sockets_24_namespaces")),
                     body(withNamespaces)) &&
           writeFile(tables.filePath(QStringLiteral("body_empty")),
                     body(SampleCodec::encodeTable(Snapshot{}, nullptr))) &&
           writeFile(samples.filePath(QStringLiteral("empty")), SampleCodec::encodeSample(empty)) &&
           writeFile(samples.filePath(QStringLiteral("counters")),
                     SampleCodec::encodeSample(
                         *test::realisticSample(QStringLiteral("web-1"), 1, startMs))) &&
           writeFile(samples.filePath(QStringLiteral("docker_error_issues")),
                     SampleCodec::encodeSample(*denied)) &&
           writeFile(tables.filePath(QStringLiteral("empty")),
                     SampleCodec::encodeTable(Snapshot{}, nullptr)) &&
           writeFile(tables.filePath(QStringLiteral("sockets_24")),
                     SampleCodec::encodeTable(*table, nullptr)) &&
           writeFile(tables.filePath(QStringLiteral("sockets_24_namespaces")), withNamespaces);
}

bool writeCaptureSeed(const QDir &corpus)
{
    QTemporaryDir scratch;
    if (!scratch.isValid())
        return false;
    CaptureWriter writer;
    const QString recording = scratch.filePath(QStringLiteral("recording.twbench"));
    if (!writer.open(recording))
        return false;
    const CaptureHost web{QStringLiteral("web-1"),
                          QStringLiteral("Web 1"),
                          QStringLiteral("ssh"),
                          QStringLiteral("10.0.0.5"),
                          2222,
                          QStringLiteral("ops"),
                          {QStringLiteral("/var/log/nginx/access.log")}};
    bool ok = writer.putHost(web);
    for (std::uint64_t second = 0; ok && second < 3; ++second) {
        ok = writer.addSample(second == 1 ? *sampleWithTable(second, 12)
                                          : *test::realisticSample(web.id, second, startMs));
    }
    ok = ok && writer.addFindings({web.id, startMs + 2000, R"([{"rule":"tw"}])"});
    // A plain, single file (no WAL beside it): what "Save capture as" writes.
    ok = ok && writer.saveCopyTo(corpus.filePath(QStringLiteral("fuzz_capturefile/small.twbench")));
    if (!ok)
        std::fprintf(stderr, "capture: %s\n", qPrintable(writer.errorString()));
    return ok;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
        return 2;
    }
    const QDir corpus(QString::fromLocal8Bit(argv[1]));
    for (const char *sub : {"fuzz_decodesample", "fuzz_decodetable", "fuzz_capturefile"})
        corpus.mkpath(QLatin1String(sub));
    if (!writeCodecSeeds(corpus) || !writeCaptureSeed(corpus))
        return 1;
    return 0;
}
