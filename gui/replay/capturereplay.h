#pragma once

#include "model/capture/capturefile.h"

#include <QHash>
#include <QObject>
#include <QString>

#include <cstdint>
#include <memory>

namespace twbench {

class Redactor;
class Workbench;

// An opened capture shown through the same Workbench the live hosts use: the views cannot tell
// a replayed host from a live one. At construction every host's whole history goes into its
// timeline and access-log statistics (so the charts span the capture); seek() then puts each
// host's table, inventory and latest sample as they were at a moment, which the tables, the
// graph and the findings show.
class CaptureReplay final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CaptureReplay)

public:
    // With a redactor, every sample and table is redacted before the workbench sees it (the
    // report's --redact), so everything drawn from it is redacted too.
    explicit CaptureReplay(std::shared_ptr<const CaptureReader> reader,
                           std::shared_ptr<Redactor> redactor = {}, QObject *parent = nullptr);
    ~CaptureReplay() override;

    Workbench *workbench() const { return m_workbench; } // owned (child); replay mode
    const CaptureReader &reader() const { return *m_reader; }
    std::shared_ptr<const CaptureReader> sharedReader() const { return m_reader; }
    std::int64_t startMs() const;
    std::int64_t endMs() const;
    std::int64_t positionMs() const { return m_positionMs; }
    // The capture's id of a host the workbench shows (they differ when redacted).
    QString captureHostId(const QString &workbenchHostId) const
    {
        return m_shownIds.key(workbenchHostId, workbenchHostId);
    }

    // Shows every host as it was at `epochMs` (clamped to the capture). The tables are read
    // and decoded on the thread pool; positioned() follows. A seek while one is in flight
    // replaces it (only the last position is shown).
    void seek(std::int64_t epochMs);
    // The same, waiting for it: for the CLI and the tests. False with *error when a table
    // could not be read.
    bool seekAndWait(std::int64_t epochMs, QString *error);

signals:
    void positioned(std::int64_t epochMs);
    void seekFailed(const QString &message); // translated

private:
    void applyMoment(std::uint64_t generation, std::int64_t epochMs, const QString &hostId,
                     const CaptureTable &table);

    HostSamplePtr redactedSample(const HostSample &sample, const QString &shownId);

    std::shared_ptr<const CaptureReader> m_reader;
    std::shared_ptr<Redactor> m_redactor;
    Workbench *m_workbench = nullptr;
    std::int64_t m_positionMs = 0;
    std::uint64_t m_generation = 0;
    QHash<QString, QString> m_shownIds; // the capture's host id → the workbench's
};

} // namespace twbench
