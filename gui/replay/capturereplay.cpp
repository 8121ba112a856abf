#include "capturereplay.h"

#include "gui/workbench.h"

#include "model/redactor.h"
#include "remote/hostspec.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QPointer>
#include <QThreadPool>

#include <algorithm>

namespace twbench {

namespace {

// The newest sample at or before `epochMs`; the first one when all are later.
HostSamplePtr sampleAt(const std::vector<HostSamplePtr> &samples, std::int64_t epochMs)
{
    if (samples.empty())
        return nullptr;
    const auto after = std::upper_bound(
        samples.cbegin(), samples.cend(), epochMs,
        [](std::int64_t ms, const HostSamplePtr &sample) { return ms < sample->epochMs; });
    return after == samples.cbegin() ? samples.front() : *std::prev(after);
}

// The newest inventory at or before `epochMs` (inventories come every 10 s, not with every
// sample).
std::shared_ptr<const DockerInventory> dockerAt(const std::vector<HostSamplePtr> &samples,
                                                std::int64_t epochMs)
{
    std::shared_ptr<const DockerInventory> found;
    for (const HostSamplePtr &sample : samples) {
        if (sample->epochMs > epochMs)
            break;
        if (sample->docker)
            found = sample->docker;
    }
    return found;
}

} // namespace

CaptureReplay::CaptureReplay(std::shared_ptr<const CaptureReader> reader,
                             std::shared_ptr<Redactor> redactor, QObject *parent)
    : QObject(parent)
    , m_reader(std::move(reader))
    , m_redactor(std::move(redactor))
    , m_workbench(new Workbench(Workbench::Mode::Replay, this))
{
    const QList<CaptureHost> hosts = m_reader->hosts();
    if (m_redactor) {
        // Every original first, so that no alias handed out below can be one of them.
        for (const CaptureHost &host : hosts) {
            m_redactor->reserve(host);
            for (const HostSamplePtr &sample : m_reader->samples(host.id))
                m_redactor->reserve(*sample);
            for (const CaptureTableRef &ref : m_reader->tables(host.id)) {
                QString error;
                if (const std::optional<CaptureTable> table = m_reader->readTable(ref.id, &error);
                    table && table->table) {
                    HostSample carrier;
                    carrier.table = table->table;
                    m_redactor->reserve(carrier);
                }
            }
        }
    }
    for (const CaptureHost &original : hosts) {
        const CaptureHost host = m_redactor ? m_redactor->host(original) : original;
        // A host id can be a name or an address (the CLI's "ops@10.0.0.7"): redacted, the
        // hosts are h1, h2, … in the capture's order.
        const QString shownId =
            m_redactor ? QStringLiteral("h%1").arg(m_shownIds.size() + 1) : original.id;
        m_shownIds.insert(original.id, shownId);
        HostSpec spec;
        spec.id = shownId;
        spec.kind = HostSpec::Kind::Replay;
        spec.displayName = host.displayName.isEmpty() ? host.id : host.displayName;
        spec.address = host.address;
        spec.port = host.port > 0 ? host.port : 22;
        spec.user = host.user;
        m_workbench->addHost(spec);
        const std::vector<HostSamplePtr> &samples = m_reader->samples(original.id);
        if (!m_redactor) {
            m_workbench->loadHistory(original.id, samples);
            continue;
        }
        std::vector<HostSamplePtr> redacted;
        redacted.reserve(samples.size());
        for (const HostSamplePtr &sample : samples)
            redacted.push_back(redactedSample(*sample, shownId));
        m_workbench->loadHistory(shownId, redacted);
    }
    m_positionMs = endMs();
}

CaptureReplay::~CaptureReplay() = default;

std::int64_t CaptureReplay::startMs() const
{
    return m_reader->info().firstMs;
}

std::int64_t CaptureReplay::endMs() const
{
    return m_reader->info().lastMs;
}

void CaptureReplay::seek(std::int64_t epochMs)
{
    epochMs = std::clamp(epochMs, startMs(), std::max(startMs(), endMs()));
    m_positionMs = epochMs;
    const std::uint64_t generation = ++m_generation;
    QPointer<CaptureReplay> self(this);
    for (const CaptureHost &host : m_reader->hosts()) {
        const std::optional<CaptureTableRef> ref = m_reader->tableAt(host.id, epochMs);
        if (!ref) {
            applyMoment(generation, epochMs, host.id, CaptureTable());
            continue;
        }
        // Decoding a big table takes milliseconds: never on the GUI thread. The reader opens
        // the file again for each read, so reads may overlap.
        std::shared_ptr<const CaptureReader> reader = m_reader;
        const QString hostId = host.id;
        const std::int64_t tableId = ref->id;
        QThreadPool::globalInstance()->start([self, reader, generation, epochMs, hostId, tableId] {
            QString error;
            std::optional<CaptureTable> table = reader->readTable(tableId, &error);
            QMetaObject::invokeMethod(
                qApp,
                [self, generation, epochMs, hostId, table = std::move(table), error] {
                    if (!self)
                        return;
                    if (!table) {
                        emit self->seekFailed(error);
                        return;
                    }
                    self->applyMoment(generation, epochMs, hostId, *table);
                },
                Qt::QueuedConnection);
        });
    }
}

void CaptureReplay::applyMoment(std::uint64_t generation, std::int64_t epochMs,
                                const QString &hostId, const CaptureTable &table)
{
    if (generation != m_generation)
        return; // a later seek replaced this one
    const std::vector<HostSamplePtr> &samples = m_reader->samples(hostId);
    HostSamplePtr sample = sampleAt(samples, epochMs);
    std::shared_ptr<const DockerInventory> docker = dockerAt(samples, epochMs);
    CaptureTable shown = table;
    const QString shownId = m_shownIds.value(hostId, hostId);
    if (m_redactor) {
        if (sample)
            sample = redactedSample(*sample, shownId);
        if (docker) {
            HostSample carrier;
            carrier.docker = docker;
            docker = m_redactor->sample(carrier)->docker;
        }
        if (shown.table) {
            shown = m_redactor->table(shown);
            auto renamed = std::make_shared<Snapshot>(*shown.table);
            renamed->hostId = shownId;
            shown.table = std::move(renamed);
        }
    }
    m_workbench->showMoment(shownId, sample, shown.table, docker, shown.namespaces);
    emit positioned(epochMs);
}

HostSamplePtr CaptureReplay::redactedSample(const HostSample &sample, const QString &shownId)
{
    auto copy = std::make_shared<HostSample>(*m_redactor->sample(sample));
    copy->hostId = shownId;
    return copy;
}

bool CaptureReplay::seekAndWait(std::int64_t epochMs, QString *error)
{
    QEventLoop loop;
    // positioned() comes once per host: at once for a host with no table then, later for one
    // whose table is read on the pool.
    qsizetype pending = m_reader->hosts().size();
    bool failed = false;
    const QMetaObject::Connection done = connect(this, &CaptureReplay::positioned, &loop, [&] {
        if (pending > 0)
            --pending;
        if (pending == 0)
            loop.quit();
    });
    const QMetaObject::Connection broke =
        connect(this, &CaptureReplay::seekFailed, &loop, [&](const QString &message) {
            failed = true;
            if (error)
                *error = message;
            loop.quit();
        });
    seek(epochMs);
    if (pending > 0)
        loop.exec();
    disconnect(done);
    disconnect(broke);
    return !failed;
}

} // namespace twbench
