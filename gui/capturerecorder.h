#pragma once

#include "model/capture/capturefile.h"
#include "model/diagnosis/finding.h"
#include "model/hostsample.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

#include <cstdint>

class QThread;
class QTimer;

namespace twbench {

class FindingsRunner;
class RecorderWorker;
class Workbench;

// Records the live session into a capture file, on a thread of its own: the GUI thread only
// hands over shared pointers to samples it already has. Everything goes first into the
// session's recording file (in the application's data folder, WAL, committed every second, so
// a crash loses at most a second); Save writes a consistent copy of it to the operator's file
// (a temporary file renamed over it). The recording goes on after a save: what came since is
// "unsaved", as in any editor.
//
// The recording keeps a rolling window (CaptureWriter::setRetention()), 24 hours unless the
// operator chose otherwise: twbench left running for a month does not fill the disk (about
// 8 MB per host-hour with a 2,000-socket table every 5 s). Save keeps what the window holds.
class CaptureRecorder final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CaptureRecorder)

public:
    CaptureRecorder(Workbench *workbench, FindingsRunner *findings, QObject *parent = nullptr);
    ~CaptureRecorder() override; // commits and closes; the recording file is kept

    // Starts recording into `recordingPath` (created). False with *error when the file cannot
    // be made; the workbench then runs on without recording.
    bool start(const QString &recordingPath, QString *error);

    // The window the recording keeps; 0 keeps everything. Takes effect at once (the next
    // minute of samples prunes what fell out of it).
    static constexpr std::int64_t defaultRetentionMs = 24 * 60 * 60 * 1000;
    void setRetention(std::int64_t keepMs);
    std::int64_t retentionMs() const { return m_retentionMs; }
    // The operator's choice (File → Recording keeps), saved in the settings; the default
    // without one.
    static std::int64_t savedRetentionMs();
    static void saveRetentionMs(std::int64_t keepMs);
    // And at most this much on disk (CaptureWriter::setSizeCap(): the window narrows while the
    // recording would pass it): 50 hosts with 3,000-socket tables every 2 s record about
    // 800 MB an hour. "recording/maxGigabytes" in the settings overrides it; 0: no cap.
    static constexpr std::int64_t defaultSizeCapBytes = std::int64_t(2) << 30;
    void setSizeCap(std::int64_t bytes);
    std::int64_t sizeCap() const { return m_sizeCapBytes; }
    static std::int64_t savedSizeCapBytes();

    // Waits until the writer has done everything handed to it so far (the bench and tests,
    // which feed samples faster than real time). False when nothing is being recorded.
    bool waitForWriter();
    // Bytes of the recording file and its write-ahead log on disk now (asks the writer).
    std::int64_t recordingBytes();
    bool isRecording() const { return !m_recordingPath.isEmpty(); }
    QString recordingPath() const { return m_recordingPath; }

    // Where the investigation was last saved; empty before the first save.
    QString documentPath() const { return m_documentPath; }
    // Samples recorded since the last save (or since the start, before any).
    bool isModified() const { return m_modified; }
    std::int64_t samplesRecorded() const { return m_samples; }

    // Writes everything recorded so far to `path`, on the recorder's thread; saved() or
    // saveFailed() follows. The previous file at `path` stays intact when it fails.
    void saveTo(const QString &path);
    // The same, waiting for it (closing the window, tests). False with *error.
    bool saveAndWait(const QString &path, QString *error);

    // Where a session's recording goes by default: a new file under the application's data
    // folder ("recordings/session-<date>-<pid>.twbench").
    static QString newRecordingPath();

signals:
    void modifiedChanged(bool modified);
    void saved(const QString &path);
    void saveFailed(const QString &path, const QString &message); // translated
    // Recording stopped (disk full, the file went away); the session goes on unrecorded.
    void recordingFailed(const QString &message);

private:
    void onSample(const QString &hostId, const HostSamplePtr &sample);
    void onHostsChanged();
    void onFindingsChanged();
    void setModified(bool modified);

    Workbench *m_workbench;             // Not owned.
    FindingsRunner *m_findings;         // Not owned.
    QThread *m_thread = nullptr;        // Owned (child).
    RecorderWorker *m_worker = nullptr; // Lives on m_thread; deleted when it finishes.
    QString m_recordingPath;
    QString m_documentPath;
    bool m_modified = false;
    std::int64_t m_samples = 0;
    std::uint64_t m_saveGeneration = 0;
    std::int64_t m_retentionMs = defaultRetentionMs;
    std::int64_t m_sizeCapBytes = defaultSizeCapBytes;
    QHash<QString, QList<Finding>> m_recordedFindings; // per host, as last recorded
};

} // namespace twbench
