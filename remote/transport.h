#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

namespace twbench {

// The seam between a host worker and the way the probe's stream reaches it (ssh, a local
// process, a replayed capture). Tests push the real wire format through it.
//
// Contract: after start(), the transport emits bytesReceived() and stderrReceived() as the
// probe writes, then exactly one of failed() (could not start, crashed, connection lost) or
// finished() (the probe exited by itself). After stop() returns, it emits nothing more until
// the next start(). A transport lives in one thread (its worker's) and is driven from there.
class Transport : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    ~Transport() override = default;

    virtual void start() = 0;
    // Ends the probe and waits for it (briefly); safe to call when not running.
    virtual void stop() = 0;
    virtual bool isRunning() const = 0;

Q_SIGNALS:
    void bytesReceived(const QByteArray &data);  // the probe's stdout, in arbitrary chunks
    void stderrReceived(const QByteArray &data); // the probe's stderr, kept apart from frames
    void failed(const QString &reason);          // translated
    void finished(int exitCode, const QString &detail); // detail: translated, may be empty
};

} // namespace twbench
