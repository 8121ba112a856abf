#include "workbench.h"

#include <QDateTime>

#include "model/hostlistmodel.h"
#include "model/timeline.h"
#include "remote/fleet.h"
#include "remote/hoststore.h"

#include <algorithm>

namespace twbench {

namespace {

bool isRefusal(HostKeyVerdict verdict)
{
    return verdict == HostKeyVerdict::Changed || verdict == HostKeyVerdict::OtherType ||
           verdict == HostKeyVerdict::Revoked;
}

} // namespace

Workbench::Workbench(QObject *parent)
    : QObject(parent)
    , m_fleet(new Fleet(this))
    , m_hosts(new HostListModel(this))
{
    connect(m_fleet, &Fleet::sampleReady, this, &Workbench::onSample);
    connect(m_fleet, &Fleet::statusChanged, this, &Workbench::onStatus);
    connect(m_fleet, &Fleet::hostKeyQuestion, this, &Workbench::onHostKeyQuestion);
    connect(m_fleet, &Fleet::credentialsNeeded, this, &Workbench::onCredentialsNeeded);
}

Workbench::~Workbench()
{
    // The fleet joins its worker threads; do it before the timelines they feed go away.
    m_fleet->removeAll();
}

void Workbench::restoreHosts()
{
    const QList<HostSpec> specs =
        m_store ? m_store->load() : QList<HostSpec>{HostSpec::localWorkstation()};
    // Added without saving after each one: what was loaded is what is stored.
    HostStore *store = std::exchange(m_store, nullptr);
    for (const HostSpec &spec : specs)
        addHost(spec);
    m_store = store;
}

int Workbench::indexOf(const QString &hostId) const
{
    for (int i = 0; i < m_specs.size(); ++i) {
        if (m_specs[i].id == hostId)
            return i;
    }
    return -1;
}

bool Workbench::addHost(const HostSpec &spec)
{
    if (spec.id.isEmpty() || m_hostData.count(spec.id) != 0)
        return false;
    HostData data;
    data.timeline = std::make_unique<Timeline>();
    m_hostData.emplace(spec.id, std::move(data));
    // The local workstation is first in the list whenever it is added.
    if (spec.kind == HostSpec::Kind::Local)
        m_specs.prepend(spec);
    else
        m_specs.append(spec);
    m_hosts->addHost(spec.id, spec.displayName);
    m_fleet->addHost(spec);
    save();
    return true;
}

bool Workbench::updateHost(const HostSpec &spec)
{
    const int index = indexOf(spec.id);
    if (index < 0 || m_specs[index].kind != spec.kind)
        return false;
    if (m_specs[index] == spec)
        return true;
    const bool renamed = m_specs[index].displayName != spec.displayName;
    m_specs[index] = spec;
    if (renamed) {
        // HostListModel has no rename: the rows from this one on are listed anew, in order,
        // with their state and last sample, and the current host is selected again.
        const QString current = m_currentHost;
        for (int i = index; i < m_specs.size(); ++i)
            m_hosts->removeHost(m_specs[i].id);
        for (int i = index; i < m_specs.size(); ++i) {
            const HostData &data = m_hostData[m_specs[i].id];
            m_hosts->addHost(m_specs[i].id, m_specs[i].displayName);
            m_hosts->setStatus(m_specs[i].id, data.status);
            if (data.latestSample)
                m_hosts->applySample(*data.latestSample);
        }
        // Emitted even when unchanged: the view lost its current row with the removal.
        m_currentHost.clear();
        setCurrentHost(current);
    }
    m_fleet->updateHost(spec);
    save();
    return true;
}

bool Workbench::removeHost(const QString &hostId)
{
    const int index = indexOf(hostId);
    if (index < 0 || m_specs[index].kind == HostSpec::Kind::Local)
        return false;
    dropQuestionsOf(hostId);
    m_fleet->removeHost(hostId);
    m_hosts->removeHost(hostId);
    m_hostData.erase(hostId);
    m_specs.removeAt(index);
    if (m_currentHost == hostId)
        setCurrentHost(m_hosts->rowCount() > 0 ? m_hosts->hostIdAt(0) : QString());
    save();
    return true;
}

QStringList Workbench::hostIds() const
{
    QStringList ids;
    for (const HostSpec &spec : m_specs)
        ids << spec.id;
    return ids;
}

std::optional<HostSpec> Workbench::hostSpec(const QString &hostId) const
{
    const int index = indexOf(hostId);
    return index < 0 ? std::nullopt : std::optional<HostSpec>(m_specs[index]);
}

void Workbench::connectHost(const QString &hostId)
{
    m_fleet->connectHost(hostId);
}

void Workbench::disconnectHost(const QString &hostId)
{
    // Questions of a stopped host can no longer be answered usefully.
    dropQuestionsOf(hostId);
    m_fleet->disconnectHost(hostId);
}

KnownHosts::Removal Workbench::forgetHostKey(const QString &hostId)
{
    return m_fleet->forgetHostKey(hostId);
}

void Workbench::save()
{
    if (m_store)
        m_store->save(m_specs);
    emit hostsChanged();
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

std::optional<std::int64_t> Workbench::remoteNowMs(const QString &hostId) const
{
    const auto it = m_hostData.find(hostId);
    if (it == m_hostData.end() || !it->second.latestSample)
        return std::nullopt;
    return QDateTime::currentMSecsSinceEpoch() - it->second.clockOffsetMs;
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

QList<HostKeyQuestion> Workbench::pendingHostKeyQuestions() const
{
    return {m_hostKeyQuestions.begin(), m_hostKeyQuestions.end()};
}

void Workbench::answerHostKey(std::uint64_t questionId, HostKeyDecision decision)
{
    const auto it = std::find_if(m_hostKeyQuestions.begin(), m_hostKeyQuestions.end(),
                                 [questionId](const auto &q) { return q.id == questionId; });
    if (it == m_hostKeyQuestions.end())
        return; // answered twice, or its host went away meanwhile
    const QString hostId = it->hostId;
    m_hostKeyQuestions.erase(it);
    m_fleet->answerHostKey(hostId, questionId, decision);
    emit hostKeyQuestionDropped(questionId);
}

std::optional<CredentialRequest> Workbench::takeCredentialRequest()
{
    if (m_credentialRequests.empty())
        return std::nullopt;
    CredentialRequest request = m_credentialRequests.front();
    m_credentialRequests.pop_front();
    return request;
}

void Workbench::provideCredentials(const QString &hostId, CredentialReply reply)
{
    if (m_hostData.count(hostId) != 0)
        m_fleet->provideCredentials(hostId, reply);
    // Our copy: the fleet wipes its own once used.
    reply.secret.fill('\0');
}

void Workbench::onHostKeyQuestion(const QString &hostId, const HostKeyQuestion &question)
{
    if (m_hostData.count(hostId) == 0)
        return;
    HostKeyQuestion q = question;
    q.hostId = hostId;
    if (isRefusal(q.verdict)) {
        // Told, not asked: the fleet has already refused the key.
        emit hostKeyRefused(q);
        return;
    }
    if (q.verdict != HostKeyVerdict::Unknown)
        return;
    const bool known = std::any_of(m_hostKeyQuestions.begin(), m_hostKeyQuestions.end(),
                                   [&q](const auto &pending) { return pending.id == q.id; });
    if (known)
        return;
    m_hostKeyQuestions.push_back(q);
    emit hostKeyQuestionQueued(q);
}

void Workbench::onCredentialsNeeded(const QString &hostId, const CredentialRequest &request)
{
    if (m_hostData.count(hostId) == 0)
        return;
    CredentialRequest r = request;
    r.hostId = hostId;
    m_credentialRequests.push_back(r);
    emit credentialRequestQueued();
}

void Workbench::dropQuestionsOf(const QString &hostId)
{
    std::vector<std::uint64_t> dropped;
    for (auto it = m_hostKeyQuestions.begin(); it != m_hostKeyQuestions.end();) {
        if (it->hostId == hostId) {
            dropped.push_back(it->id);
            it = m_hostKeyQuestions.erase(it);
        } else {
            ++it;
        }
    }
    std::erase_if(m_credentialRequests,
                  [&hostId](const CredentialRequest &r) { return r.hostId == hostId; });
    for (const std::uint64_t id : dropped)
        emit hostKeyQuestionDropped(id);
}

void Workbench::onSample(const QString &hostId, const HostSamplePtr &sample)
{
    const auto it = m_hostData.find(hostId);
    if (it == m_hostData.end() || !sample)
        return; // a sample queued before its host was removed
    HostData &data = it->second;
    data.timeline->add(*sample);
    data.latestSample = sample;
    // Includes the transfer delay, which is what "now" on the chart should lag by anyway.
    data.clockOffsetMs = QDateTime::currentMSecsSinceEpoch() - sample->epochMs;
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
