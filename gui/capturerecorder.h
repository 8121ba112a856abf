#pragma once

#include "model/capture/capturefile.h"
#include "model/hostsample.h"

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
};

} // namespace twbench
