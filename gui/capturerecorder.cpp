#include "capturerecorder.h"

#include "findingsrunner.h"
#include "workbench.h"

#include "model/diagnosis/reportjson.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QSettings>
#include <QStandardPaths>
#include <QThread>
#include <QTimer>

#include <unistd.h>

namespace twbench {

// The writer's side: lives on the recorder's thread and owns the CaptureWriter (a QtSql
// connection belongs to the thread that opened it). Everything reaches it as queued calls.
class RecorderWorker final : public QObject
{
public:
    CaptureWriter writer;
    QTimer *commitTimer = nullptr; // Owned (child); made on the worker's thread
    bool failed = false;
};

CaptureRecorder::CaptureRecorder(Workbench *workbench, FindingsRunner *findings, QObject *parent)
    : QObject(parent)
    , m_workbench(workbench)
    , m_findings(findings)
{}

CaptureRecorder::~CaptureRecorder()
{
    if (!m_thread)
        return;
    RecorderWorker *worker = m_worker;
    QMetaObject::invokeMethod(
        worker,
        [worker] {
            worker->writer.commit();
            worker->writer.close();
            delete worker;
        },
        Qt::QueuedConnection);
    m_thread->quit();
    m_thread->wait();
}

QString CaptureRecorder::newRecordingPath()
{
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) +
                           QStringLiteral("/recordings");
    return folder +
           QStringLiteral("/session-%1-%2.twbench")
               .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")))
               .arg(::getpid());
}

bool CaptureRecorder::start(const QString &recordingPath, QString *error)
{
    if (m_thread)
        return true;
    QDir().mkpath(QFileInfo(recordingPath).absolutePath());
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("capture recorder"));
    m_worker = new RecorderWorker;
    m_worker->moveToThread(m_thread);
    m_thread->start();

    // Opened on the worker's thread, and waited for: the caller wants to know at once.
    bool opened = false;
    QString why;
    RecorderWorker *worker = m_worker;
    const std::int64_t retention = m_retentionMs;
    const std::int64_t sizeCap = m_sizeCapBytes;
    QMetaObject::invokeMethod(
        worker,
        [worker, recordingPath, retention, sizeCap, &opened, &why] {
            worker->writer.setRetention(retention);
            worker->writer.setSizeCap(sizeCap);
            opened = worker->writer.open(recordingPath);
            why = worker->writer.errorString();
            if (!opened)
                return;
            worker->commitTimer = new QTimer(worker);
            worker->commitTimer->setInterval(1000);
            QObject::connect(worker->commitTimer, &QTimer::timeout, worker,
                             [worker] { worker->writer.commit(); });
            worker->commitTimer->start();
        },
        Qt::BlockingQueuedConnection);
    if (!opened) {
        if (error)
            *error = why;
        QMetaObject::invokeMethod(worker, [worker] { delete worker; });
        m_worker = nullptr;
        m_thread->quit();
        m_thread->wait();
        delete std::exchange(m_thread, nullptr);
        return false;
    }
    m_recordingPath = recordingPath;

    connect(m_workbench, &Workbench::sampleArrived, this, &CaptureRecorder::onSample);
    connect(m_workbench, &Workbench::hostsChanged, this, &CaptureRecorder::onHostsChanged);
    if (m_findings)
        connect(m_findings, &FindingsRunner::findingsChanged, this,
                &CaptureRecorder::onFindingsChanged);
    onHostsChanged();
    return true;
}

namespace {
const QString retentionKey = QStringLiteral("recording/keepHours");
const QString sizeCapKey = QStringLiteral("recording/maxGigabytes");
} // namespace

std::int64_t CaptureRecorder::savedSizeCapBytes()
{
    bool ok = false;
    const double gigabytes = QSettings().value(sizeCapKey).toDouble(&ok);
    if (!ok || gigabytes < 0)
        return defaultSizeCapBytes;
    return std::int64_t(gigabytes * double(std::int64_t(1) << 30));
}

void CaptureRecorder::setSizeCap(std::int64_t bytes)
{
    m_sizeCapBytes = std::max<std::int64_t>(0, bytes);
    if (!m_worker)
        return;
    RecorderWorker *worker = m_worker;
    const std::int64_t sizeCap = m_sizeCapBytes;
    QMetaObject::invokeMethod(worker, [worker, sizeCap] { worker->writer.setSizeCap(sizeCap); });
}

std::int64_t CaptureRecorder::savedRetentionMs()
{
    bool ok = false;
    const double hours = QSettings().value(retentionKey).toDouble(&ok);
    // An unreadable or negative value is no choice; 0 is "keep everything".
    if (!ok || hours < 0)
        return defaultRetentionMs;
    return std::int64_t(hours * 3600 * 1000);
}

void CaptureRecorder::saveRetentionMs(std::int64_t keepMs)
{
    QSettings().setValue(retentionKey, double(keepMs) / (3600 * 1000));
}

void CaptureRecorder::setRetention(std::int64_t keepMs)
{
    m_retentionMs = std::max<std::int64_t>(0, keepMs);
    if (!m_worker)
        return;
    RecorderWorker *worker = m_worker;
    const std::int64_t retention = m_retentionMs;
    QMetaObject::invokeMethod(worker,
                              [worker, retention] { worker->writer.setRetention(retention); });
}

bool CaptureRecorder::waitForWriter()
{
    if (!m_worker)
        return false;
    // Queued calls run in order: once this one ran, so did every one before it.
    QMetaObject::invokeMethod(
        m_worker, [] {}, Qt::BlockingQueuedConnection);
    return true;
}

std::int64_t CaptureRecorder::recordingBytes()
{
    if (!m_worker)
        return 0;
    std::int64_t bytes = 0;
    RecorderWorker *worker = m_worker;
    QMetaObject::invokeMethod(
        worker, [worker, &bytes] { bytes = worker->writer.sizeOnDisk(); },
        Qt::BlockingQueuedConnection);
    return bytes;
}

void CaptureRecorder::onHostsChanged()
{
    if (!m_worker)
        return;
    QList<CaptureHost> hosts;
    for (const HostSpec &spec : m_workbench->hostSpecs())
        hosts << captureHostOf(spec);
    RecorderWorker *worker = m_worker;
    QMetaObject::invokeMethod(worker, [worker, hosts] {
        for (const CaptureHost &host : hosts)
            worker->writer.putHost(host);
    });
}

void CaptureRecorder::onSample(const QString &hostId, const HostSamplePtr &sample)
{
    Q_UNUSED(hostId)
    if (!m_worker || !sample)
        return;
    RecorderWorker *worker = m_worker;
    QPointer<CaptureRecorder> self(this);
    QMetaObject::invokeMethod(worker, [worker, sample, self] {
        if (worker->failed || worker->writer.addSample(*sample))
            return;
        // Once: a full disk would otherwise report every second.
        worker->failed = true;
        const QString message = worker->writer.errorString();
        QMetaObject::invokeMethod(qApp, [self, message] {
            if (self)
                emit self->recordingFailed(message);
        });
    });
    ++m_samples;
    setModified(true);
}

void CaptureRecorder::onFindingsChanged()
{
    if (!m_worker || !m_findings)
        return;
    // The runner says that some host's findings changed, not whose: only the hosts whose
    // findings differ from what was last recorded for them get a record. Writing every host at
    // every change grew with the square of the hosts (50 hosts: about 100 MB per host-hour).
    QList<CaptureFindings> records;
    for (const QString &hostId : m_workbench->hostIds()) {
        const HostSamplePtr sample = m_workbench->latestSample(hostId);
        if (!sample)
            continue;
        QList<Finding> current = m_findings->findings(hostId);
        const auto recorded = m_recordedFindings.constFind(hostId);
        if (recorded != m_recordedFindings.constEnd() && *recorded == current)
            continue;
        CaptureFindings record;
        record.hostId = hostId;
        record.epochMs = sample->epochMs;
        const QJsonArray findings =
            diagnosisJson({}, current).value(QStringLiteral("findings")).toArray();
        record.json = QJsonDocument(findings).toJson(QJsonDocument::Compact);
        records << record;
        m_recordedFindings.insert(hostId, std::move(current));
    }
    if (records.isEmpty())
        return;
    RecorderWorker *worker = m_worker;
    QMetaObject::invokeMethod(worker, [worker, records] {
        for (const CaptureFindings &record : records)
            worker->writer.addFindings(record);
    });
}

void CaptureRecorder::setModified(bool modified)
{
    if (m_modified == modified)
        return;
    m_modified = modified;
    emit modifiedChanged(modified);
}

void CaptureRecorder::saveTo(const QString &path)
{
    if (!m_worker) {
        emit saveFailed(path, tr("Nothing is being recorded."));
        return;
    }
    const std::int64_t samplesAtSave = m_samples;
    RecorderWorker *worker = m_worker;
    QPointer<CaptureRecorder> self(this);
    QMetaObject::invokeMethod(worker, [worker, path, self, samplesAtSave] {
        const bool ok = worker->writer.saveCopyTo(path);
        const QString message = worker->writer.errorString();
        QMetaObject::invokeMethod(qApp, [self, ok, path, message, samplesAtSave] {
            if (!self)
                return;
            if (!ok) {
                emit self->saveFailed(path, message);
                return;
            }
            self->m_documentPath = path;
            // Samples that came while the copy was written are not in it.
            self->setModified(self->m_samples != samplesAtSave);
            emit self->saved(path);
        });
    });
}

bool CaptureRecorder::saveAndWait(const QString &path, QString *error)
{
    if (!m_worker) {
        if (error)
            *error = tr("Nothing is being recorded.");
        return false;
    }
    QEventLoop loop;
    bool ok = false;
    const auto done = connect(this, &CaptureRecorder::saved, &loop, [&] {
        ok = true;
        loop.quit();
    });
    const auto failed = connect(this, &CaptureRecorder::saveFailed, &loop,
                                [&](const QString &, const QString &why) {
                                    if (error)
                                        *error = why;
                                    loop.quit();
                                });
    saveTo(path);
    loop.exec();
    disconnect(done);
    disconnect(failed);
    return ok;
}

} // namespace twbench
