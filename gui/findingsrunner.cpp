#include "findingsrunner.h"

#include "poolrelease.h"
#include "workbench.h"

#include "model/topologybuilder.h"

#include <QtConcurrent/QtConcurrentRun>

namespace twbench {

FindingsRunner::FindingsRunner(Workbench *workbench, QObject *parent)
    : QObject(parent)
    , m_workbench(workbench)
{
    connect(m_workbench, &Workbench::tableArrived, this,
            [this](const QString &hostId) { onTable(hostId); });
    connect(m_workbench, &Workbench::hostsChanged, this, [this] {
        const QStringList hosts = m_workbench->hostIds();
        bool dropped = false;
        for (auto it = m_runs.begin(); it != m_runs.end();) {
            if (hosts.contains(it->first) ||
                (it->second.watcher && it->second.watcher->isRunning())) {
                ++it;
            } else {
                dropped = dropped || !it->second.findings.isEmpty();
                it = m_runs.erase(it);
            }
        }
        if (dropped)
            emit findingsChanged();
    });
}

FindingsRunner::~FindingsRunner()
{
    for (auto &[hostId, run] : m_runs) {
        if (run.watcher)
            run.watcher->waitForFinished();
    }
}

QList<Finding> FindingsRunner::findings() const
{
    QList<Finding> all;
    const QStringList hosts = m_workbench->hostIds();
    for (const QString &hostId : hosts)
        all += findings(hostId);
    return all;
}

QList<Finding> FindingsRunner::findings(const QString &hostId) const
{
    const auto it = m_runs.find(hostId);
    return it == m_runs.end() ? QList<Finding>() : it->second.findings;
}

void FindingsRunner::onTable(const QString &hostId)
{
    HostRun &run = m_runs[hostId];
    if (run.sinceLast.isValid() && !run.sinceLast.hasExpired(m_intervalMs))
        return; // the next table after the interval runs it
    start(hostId);
}

void FindingsRunner::runNow(const QString &hostId)
{
    start(hostId);
}

void FindingsRunner::start(const QString &hostId)
{
    HostRun &run = m_runs[hostId];
    if (!run.watcher) {
        run.watcher = std::make_unique<QFutureWatcher<PreparedPtr>>();
        connect(run.watcher.get(), &QFutureWatcher<PreparedPtr>::finished, this,
                [this, hostId] { onPrepared(hostId); });
    }
    if (run.watcher->isRunning()) {
        run.pending = true;
        return;
    }
    const SnapshotPtr table = m_workbench->latestTable(hostId);
    if (!table)
        return;
    run.sinceLast.start();
    auto prepared = std::make_shared<Prepared>();
    prepared->hostId = hostId;
    prepared->table = table;
    prepared->docker = m_workbench->latestDocker(hostId);
    prepared->namespaces = m_workbench->latestNamespaces(hostId);
    const std::optional<HostSpec> spec = m_workbench->hostSpec(hostId);
    const QString hostLabel = spec ? spec->displayName : hostId;
    // setFuture() drops the last run's result, an attribution and a topology of the whole
    // table: taken out first, it is freed on the pool, not here.
    PreparedPtr last;
    if (run.watcher->future().resultCount() > 0)
        last = run.watcher->result();
    run.watcher->setFuture(QtConcurrent::run([prepared, hostLabel]() -> PreparedPtr {
        static const DockerInventory noInventory;
        static const NamespaceMap noNamespaces;
        auto attribution = std::make_shared<Attribution>(
            *prepared->table, prepared->docker ? *prepared->docker : noInventory,
            prepared->namespaces ? *prepared->namespaces : noNamespaces);
        prepared->topology = std::make_shared<Topology>(
            buildTopology(*attribution, TopologyBuilder::Options(), hostLabel));
        prepared->attribution = std::move(attribution);
        return prepared;
    }));
    releaseOnPool(std::move(last));
}

void FindingsRunner::onPrepared(const QString &hostId)
{
    const auto it = m_runs.find(hostId);
    if (it == m_runs.end() || !it->second.watcher)
        return;
    const PreparedPtr prepared = it->second.watcher->result();
    // A host removed meanwhile has no timeline any more: nothing to say about it.
    if (prepared && m_workbench->timeline(hostId))
        applyRules(*prepared);
    if (std::exchange(m_runs[hostId].pending, false))
        start(hostId);
}

void FindingsRunner::applyRules(const Prepared &prepared)
{
    QElapsedTimer timer;
    timer.start();
    DiagnosisInput input;
    input.hostId = prepared.hostId;
    const std::optional<HostSpec> spec = m_workbench->hostSpec(prepared.hostId);
    input.hostLabel = spec ? spec->displayName : prepared.hostId;
    input.table = prepared.table;
    input.docker = prepared.docker;
    input.namespaces = prepared.namespaces;
    input.attribution = prepared.attribution.get();
    input.topology = prepared.topology.get();
    input.timeline = m_workbench->timeline(prepared.hostId);
    input.accessLogs = m_workbench->accessLogs(prepared.hostId);
    // The latest sample's time, not the timeline's end: a replayed capture's timeline goes on
    // past the moment shown.
    std::int64_t toMs = input.timeline && input.timeline->lastMs() ? *input.timeline->lastMs()
                                                                   : prepared.table->epochMs;
    if (const HostSamplePtr sample = m_workbench->latestSample(prepared.hostId)) {
        input.counters = sample->counters;
        input.limits = sample->limits;
        toMs = sample->epochMs;
    }
    input.toMs = toMs;
    input.fromMs = toMs - windowMs;
    QList<Finding> found = diagnose(input);
    m_lastRulesMs = timer.elapsed();

    HostRun &run = m_runs[prepared.hostId];
    if (found == run.findings)
        return;
    run.findings = std::move(found);
    emit findingsChanged();
}

} // namespace twbench
