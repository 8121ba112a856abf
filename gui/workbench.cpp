#include "workbench.h"

#include "model/hostlistmodel.h"
#include "model/timeline.h"
#include "remote/fleet.h"

namespace twbench {

Workbench::Workbench(QObject *parent)
    : QObject(parent)
    , m_fleet(new Fleet(this))
    , m_hosts(new HostListModel(this))
{
    connect(m_fleet, &Fleet::sampleReady, this, &Workbench::onSample);
    connect(m_fleet, &Fleet::statusChanged, this, &Workbench::onStatus);
}

Workbench::~Workbench()
{
    // The fleet joins its worker threads; do it before the timelines they feed go away.
    m_fleet->removeAll();
}

void Workbench::addHost(const HostSpec &spec)
{
    if (m_hostData.count(spec.id) != 0)
        return;
    HostData data;
    data.timeline = std::make_unique<Timeline>();
    m_hostData.emplace(spec.id, std::move(data));
    m_hosts->addHost(spec.id, spec.displayName);
    m_fleet->addHost(spec);
}

void Workbench::removeHost(const QString &hostId)
{
    m_fleet->removeHost(hostId);
    m_hosts->removeHost(hostId);
    m_hostData.erase(hostId);
    if (m_currentHost == hostId)
        setCurrentHost(m_hosts->rowCount() > 0 ? m_hosts->hostIdAt(0) : QString());
}

QStringList Workbench::hostIds() const
{
    return m_fleet->hostIds();
}

const Timeline *Workbench::timeline(const QString &hostId) const
{
    const auto it = m_hostData.find(hostId);
    return it == m_hostData.end() ? nullptr : it->second.timeline.get();
}

SnapshotPtr Workbench::latestTable(const QString &hostId) const
{
    const auto it = m_hostData.find(hostId);
    return it == m_hostData.end() ? nullptr : it->second.latestTable;
}

HostSamplePtr Workbench::latestSample(const QString &hostId) const
{
    const auto it = m_hostData.find(hostId);
    return it == m_hostData.end() ? nullptr : it->second.latestSample;
}

HostStatus Workbench::status(const QString &hostId) const
{
    const auto it = m_hostData.find(hostId);
    return it == m_hostData.end() ? HostStatus{} : it->second.status;
}

void Workbench::setCurrentHost(const QString &hostId)
{
    if (hostId == m_currentHost)
        return;
    m_currentHost = hostId;
    emit currentHostChanged(hostId);
}

void Workbench::onSample(const QString &hostId, const HostSamplePtr &sample)
{
    const auto it = m_hostData.find(hostId);
    if (it == m_hostData.end() || !sample)
        return; // a sample queued before its host was removed
    HostData &data = it->second;
    data.timeline->add(*sample);
    data.latestSample = sample;
    // Stored before any signal, so every listener sees the sample and its table together.
    if (sample->table)
        data.latestTable = sample->table;
    m_hosts->applySample(*sample);
    emit sampleArrived(hostId, sample);
    if (sample->table)
        emit tableArrived(hostId, sample->table);
}

void Workbench::onStatus(const QString &hostId, const HostStatus &status)
{
    const auto it = m_hostData.find(hostId);
    if (it == m_hostData.end())
        return;
    it->second.status = status;
    m_hosts->setStatus(hostId, status);
    emit statusChanged(hostId, status);
}

} // namespace twbench
