#pragma once

// Runs the real probe through LocalTransport and collects what it printed: shared by the suites
// that check the probe's output (test_probe, test_containers).

#include "remotetestutil.h"

#include "remote/framereader.h"
#include "remote/localtransport.h"
#include "remote/probeparameters.h"

#include <QDateTime>

#include <functional>
#include <optional>
#include <vector>

namespace twbench::test {

struct ProbeRun
{
    std::optional<ProbeHello> hello;
    std::vector<ProbeFrame> frames;
    std::vector<qint64> arrivedMs; // this machine's wall clock when each frame was read
    FrameReader::Stats stats;
    QByteArray stderrText;
    bool ended = false;
    int exitCode = -1;
    QString detail;  // of finished()
    QString failure; // of failed()

    // What ended the run, for assertion messages.
    QString reason() const { return failure.isEmpty() ? detail : failure; }
};

using StopWhen = std::function<bool(const ProbeRun &)>;

inline ProbeRun runProbe(const ProbeParameters &parameters, const QStringList &shell = {},
                         int timeoutMs = 15000, const StopWhen &stopWhen = {},
                         const QByteArray &script = {})
{
    LocalTransport transport(parameters);
    if (!shell.isEmpty())
        transport.setShell(shell);
    if (!script.isEmpty())
        transport.setScript(script);
    FrameReader reader;
    ProbeRun run;
    QObject::connect(&transport, &Transport::bytesReceived, &transport,
                     [&](const QByteArray &data) {
                         reader.feed(data);
                         if (auto hello = reader.takeHello())
                             run.hello = std::move(hello);
                         for (ProbeFrame &frame : reader.takeFrames()) {
                             run.frames.push_back(std::move(frame));
                             run.arrivedMs.push_back(QDateTime::currentMSecsSinceEpoch());
                         }
                     });
    QObject::connect(&transport, &Transport::stderrReceived, &transport,
                     [&](const QByteArray &data) { run.stderrText += data; });
    QObject::connect(&transport, &Transport::finished, &transport,
                     [&](int exitCode, const QString &detail) {
                         run.ended = true;
                         run.exitCode = exitCode;
                         run.detail = detail;
                     });
    QObject::connect(&transport, &Transport::failed, &transport, [&](const QString &reason) {
        run.ended = true;
        run.failure = reason;
    });
    transport.start();
    waitUntil([&] { return run.ended || (stopWhen && stopWhen(run)); }, timeoutMs);
    transport.stop();
    reader.finish();
    run.stats = reader.stats();
    return run;
}

} // namespace twbench::test
