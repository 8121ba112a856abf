// The capture file (model/capture/), on synthetic tables shaped like the incident's (a TIME_WAIT
// pile towards a few upstreams; tests/model/capturefixtures.h), so the figures do not depend on
// the loopback sockets of this run:
//   EncodeTable/<sockets>   SampleCodec::encodeTable() (dictionaries + zlib)
//   DecodeTable/<sockets>   SampleCodec::decodeTable() (bounded reads + finalize())
//   AddSample               CaptureWriter::addSample() of a per-second sample, a 2,000-socket
//                           table every 5th, committed every second as the recorder does
//   OpenHostHour            CaptureReader::open() of one host-hour (3,600 samples, 720 tables),
//                           which checks and decodes everything; bytes_per_host_hour is the
//                           saved file's size

#include "model/capture/capturefile.h"
#include "model/capture/samplecodec.h"
#include "model/capturefixtures.h"

#include <benchmark/benchmark.h>

#include <QFileInfo>
#include <QTemporaryDir>

#include <memory>

namespace {

using namespace twbench;

constexpr std::int64_t benchStartMs = 1'700'000'000'000;

void BM_EncodeTable(benchmark::State &state)
{
    const auto table =
        test::realisticTable(QStringLiteral("bench"), 1, benchStartMs, int(state.range(0)), 1);
    const auto namespaces = test::fixtureNamespaces();
    qsizetype bytes = 0;
    for (auto _ : state) {
        const QByteArray encoded = SampleCodec::encodeTable(*table, namespaces.get());
        bytes = encoded.size();
        benchmark::DoNotOptimize(encoded.constData());
    }
    state.SetItemsProcessed(std::int64_t(state.iterations()) * state.range(0));
    state.counters["bytes"] = double(bytes);
    state.counters["bytes_per_socket"] = double(bytes) / double(state.range(0));
}
BENCHMARK(BM_EncodeTable)->Arg(2000)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_DecodeTable(benchmark::State &state)
{
    const auto table =
        test::realisticTable(QStringLiteral("bench"), 1, benchStartMs, int(state.range(0)), 1);
    const auto namespaces = test::fixtureNamespaces();
    const QByteArray encoded = SampleCodec::encodeTable(*table, namespaces.get());
    for (auto _ : state) {
        QString error;
        const auto decoded = SampleCodec::decodeTable(encoded, &error);
        if (!decoded)
            state.SkipWithError(error.toStdString().c_str());
        benchmark::DoNotOptimize(decoded->table.get());
    }
    state.SetItemsProcessed(std::int64_t(state.iterations()) * state.range(0));
}
BENCHMARK(BM_DecodeTable)->Arg(2000)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_AddSample(benchmark::State &state)
{
    QTemporaryDir dir;
    CaptureWriter writer;
    if (!writer.open(dir.filePath(QStringLiteral("bench.twbench")))) {
        state.SkipWithError(writer.errorString().toStdString().c_str());
        return;
    }
    // Made before timing: the table generator is not what is measured.
    std::vector<std::shared_ptr<HostSample>> samples;
    for (std::uint64_t second = 0; second < 100; ++second) {
        auto sample = test::realisticSample(QStringLiteral("bench"), second, benchStartMs);
        if (second % 5 == 0) {
            sample->table = test::realisticTable(QStringLiteral("bench"), second, sample->epochMs,
                                                 2000, std::uint32_t(second));
            sample->namespaces = test::fixtureNamespaces();
        }
        samples.push_back(sample);
    }
    std::size_t next = 0;
    for (auto _ : state) {
        if (!writer.addSample(*samples[next % samples.size()]) || !writer.commit())
            state.SkipWithError(writer.errorString().toStdString().c_str());
        ++next;
    }
    state.SetItemsProcessed(std::int64_t(state.iterations()));
    state.SetLabel("one sample a second, a 2,000-socket table every 5th, commit each");
}
BENCHMARK(BM_AddSample)->Unit(benchmark::kMicrosecond);

// One host-hour, written once per run.
const QString &hostHourCapture()
{
    static QTemporaryDir dir;
    static const QString path = [] {
        const QString recording = dir.filePath(QStringLiteral("recording.twbench"));
        const QString saved = dir.filePath(QStringLiteral("hour.twbench"));
        CaptureWriter writer;
        if (!writer.open(recording))
            qFatal("cannot record: %s", qPrintable(writer.errorString()));
        for (std::uint64_t second = 0; second < 3600; ++second) {
            auto sample = test::realisticSample(QStringLiteral("bench"), second, benchStartMs);
            if (second % 5 == 0) {
                sample->table = test::realisticTable(QStringLiteral("bench"), second,
                                                     sample->epochMs, 2000, std::uint32_t(second));
                sample->namespaces = test::fixtureNamespaces();
            }
            writer.addSample(*sample);
            writer.commit();
        }
        if (!writer.saveCopyTo(saved))
            qFatal("cannot save: %s", qPrintable(writer.errorString()));
        return saved;
    }();
    return path;
}

void BM_OpenHostHour(benchmark::State &state)
{
    const QString &path = hostHourCapture();
    for (auto _ : state) {
        QString error;
        const auto reader = CaptureReader::open(path, &error);
        if (!reader)
            state.SkipWithError(error.toStdString().c_str());
        benchmark::DoNotOptimize(reader.get());
    }
    state.counters["bytes_per_host_hour"] = double(QFileInfo(path).size());
}
BENCHMARK(BM_OpenHostHour)->Unit(benchmark::kMillisecond);

} // namespace
