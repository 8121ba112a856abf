#include "workbench.h"

#include <QDateTime>
#include <QThreadPool>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include "passwordvault.h"
#include "poolrelease.h"

#include "model/accesslog/accesslogstats.h"
#include "model/hostlistmodel.h"
#include "model/timeline.h"
#include "remote/fleet.h"
#include "remote/hoststore.h"
#include "remote/sshsession.h"

#include <algorithm>

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace twbench {

namespace {

// A request the keychain can answer: a login password, or a keyboard-interactive prompt that
// asks for one without echo (what sshd's PAM password prompt looks like). Anything else (a key
// passphrase, a one-time code, a visible answer) is always typed.
bool isPasswordLike(const CredentialRequest &request)
{
    if (request.kind == CredentialRequest::Kind::Password)
        return true;
    return request.kind == CredentialRequest::Kind::KeyboardInteractive && !request.echo &&
           request.prompt.contains(QLatin1String("password"), Qt::CaseInsensitive);
}

bool isRefusal(HostKeyVerdict verdict)
{
    return verdict == HostKeyVerdict::Changed || verdict == HostKeyVerdict::OtherType ||
           verdict == HostKeyVerdict::Revoked;
}

} // namespace

Workbench::Workbench(QObject *parent)
    : Workbench(Mode::Live, parent)
{}

Workbench::Workbench(Mode mode, QObject *parent)
    : QObject(parent)
    , m_mode(mode)
    , m_fleet(new Fleet(this))
    , m_hosts(new HostListModel(this))
    , m_ownVault(new KeychainVault(this))
    , m_vault(m_ownVault)
{
    connect(m_fleet, &Fleet::sampleReady, this, &Workbench::onSample);
    connect(m_fleet, &Fleet::statusChanged, this, &Workbench::onStatus);
    connect(m_fleet, &Fleet::hostKeyQuestion, this, &Workbench::onHostKeyQuestion);
    connect(m_fleet, &Fleet::credentialsNeeded, this, &Workbench::onCredentialsNeeded);

#ifdef __GLIBC__
    // glibc keeps what worker threads freed in their own arenas: after a burst of big tables
    // (100k sockets parsed, grouped and diffed on four threads) a session measured 600 MB
    // resident for 117 MB in use. Handing the free pages back once a minute keeps the resident
    // size near what is used; on a pool thread, since a big heap takes milliseconds to walk.
    auto *trimTimer = new QTimer(this);
    trimTimer->setInterval(60 * 1000);
    connect(trimTimer, &QTimer::timeout, this,
            [] { QThreadPool::globalInstance()->start([] { malloc_trim(0); }); });
    trimTimer->start();
#endif
}

Workbench::~Workbench()
{
    // The fleet joins its worker threads; do it before the timelines they feed go away.
    m_fleet->removeAll();
    for (auto &[hostId, data] : m_hostData) {
        if (data.preparing)
            data.preparing->waitForFinished();
    }
    for (auto &[hostId, pending] : m_pendingPasswords)
        wipeSecret(pending.secret);
}

void Workbench::setPasswordVault(PasswordVault *vault)
{
    m_vault = vault ? vault : m_ownVault;
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
    data.accessLogs = std::make_unique<AccessLogStats>();
    m_hostData.emplace(spec.id, std::move(data));
    // The local workstation is first in the list whenever it is added.
    if (spec.kind == HostSpec::Kind::Local)
        m_specs.prepend(spec);
    else
        m_specs.append(spec);
    m_hosts->addHost(spec.id, spec.displayName);
    if (m_mode == Mode::Live) {
        m_fleet->addHost(spec);
    } else {
        HostStatus recorded;
        recorded.state = HostState::Recorded;
        onStatus(spec.id, recorded);
    }
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
    const HostSpec old = m_specs[index];
    m_specs[index] = spec;
    // The host restarts: a password typed for the old spec is not stored. Keychain use turned
    // off, or another account: the stored password goes (m_specs already holds the new spec,
    // so a duplicate still using the old entry keeps it).
    discardPendingPassword(spec.id);
    m_answeredFromVault.remove(spec.id);
    if (old.useKeychain &&
        (!spec.useKeychain || PasswordVault::keyFor(old) != PasswordVault::keyFor(spec)))
        forgetPassword(old);
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
    const HostSpec removed = m_specs.takeAt(index);
    m_answeredFromVault.remove(hostId);
    if (removed.useKeychain)
        forgetPassword(removed);
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

const AccessLogStats *Workbench::accessLogs(const QString &hostId) const
{
    const auto it = m_hostData.find(hostId);
    return it == m_hostData.end() ? nullptr : it->second.accessLogs.get();
}

SnapshotPtr Workbench::latestTable(const QString &hostId) const
{
    const auto it = m_hostData.find(hostId);
    return it == m_hostData.end() ? nullptr : it->second.latestTable;
}

PreparedTablePtr Workbench::preparedTable(const QString &hostId) const
{
    const auto it = m_hostData.find(hostId);
    return it == m_hostData.end() ? nullptr : it->second.prepared;
}

HostSamplePtr Workbench::latestSample(const QString &hostId) const
{
    const auto it = m_hostData.find(hostId);
    return it == m_hostData.end() ? nullptr : it->second.latestSample;
}

std::shared_ptr<const DockerInventory> Workbench::latestDocker(const QString &hostId) const
{
    const auto it = m_hostData.find(hostId);
    return it == m_hostData.end() ? nullptr : it->second.docker;
}

std::shared_ptr<const NamespaceMap> Workbench::latestNamespaces(const QString &hostId) const
{
    const auto it = m_hostData.find(hostId);
    return it == m_hostData.end() ? nullptr : it->second.namespaces;
}

std::optional<std::int64_t> Workbench::remoteNowMs(const QString &hostId) const
{
    const auto it = m_hostData.find(hostId);
    if (it == m_hostData.end() || !it->second.latestSample)
        return std::nullopt;
    // A recorded host's time stands still where its recording ended.
    if (m_mode == Mode::Replay)
        return it->second.timeline->lastMs();
    return QDateTime::currentMSecsSinceEpoch() - it->second.clockOffsetMs;
}

std::optional<std::int64_t> Workbench::clockOffsetMs(const QString &hostId) const
{
    const auto it = m_hostData.find(hostId);
    if (it == m_hostData.end() || !it->second.latestSample)
        return std::nullopt;
    return it->second.clockOffsetMs;
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
    const int index = indexOf(hostId);
    if (index >= 0) {
        // Whatever was typed before did not get this host in.
        discardPendingPassword(hostId);
        if (reply.storeInKeychain && !reply.cancelled && !reply.secret.isEmpty()) {
            // A deep copy: the worker wipes the buffer it is handed, and with it every copy
            // that shares it.
            m_pendingPasswords[hostId] = {
                PasswordVault::keyFor(m_specs[index]),
                QByteArray(reply.secret.constData(), reply.secret.size())};
        }
        m_fleet->provideCredentials(hostId, reply);
    }
    // Our copy: the fleet wipes its own once used (fill detaches from it, wiping only ours).
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
    const int index = indexOf(hostId);
    if (index < 0)
        return;
    CredentialRequest r = request;
    r.hostId = hostId;
    // Asked again: the password typed last time (if any) was not the one that got in.
    discardPendingPassword(hostId);
    if (isPasswordLike(r)) {
        const HostSpec &spec = m_specs[index];
        r.useKeychain = spec.useKeychain;
        const bool lastFromVault = m_answeredFromVault.remove(hostId);
        if (lastFromVault && r.attempt >= 2)
            r.keychainNote = tr("The password stored in the system keychain was not accepted.");
        // Only the first attempt: a rejected stored password is not tried again.
        if (spec.useKeychain && r.attempt == 1 && !lastFromVault) {
            readFromVault(spec, r);
            return;
        }
    }
    queueCredentialRequest(r);
}

void Workbench::queueCredentialRequest(const CredentialRequest &request)
{
    m_credentialRequests.push_back(request);
    emit credentialRequestQueued();
}

void Workbench::readFromVault(const HostSpec &spec, const CredentialRequest &request)
{
    m_vaultReads[request.id] = request.hostId;
    m_vault->read(
        PasswordVault::keyFor(spec), this, [this, request](PasswordVault::Result &result) {
            // Dropped meanwhile: the host was removed or disconnected.
            const auto it = m_vaultReads.find(request.id);
            if (it == m_vaultReads.end() || it->second != request.hostId)
                return;
            m_vaultReads.erase(it);
            if (indexOf(request.hostId) < 0)
                return;
            if (result.status == PasswordVault::Status::Ok) {
                m_answeredFromVault.insert(request.hostId);
                CredentialReply reply;
                reply.id = request.id;
                // A deep copy: the vault wipes `result.secret` when we return,
                // and the worker must still read it.
                reply.secret = QByteArray(result.secret.constData(), result.secret.size());
                provideCredentials(request.hostId, std::move(reply));
                return;
            }
            CredentialRequest asked = request;
            if (result.status == PasswordVault::Status::Failed) {
                asked.keychainNote = result.error;
                emit keychainProblem(request.hostId, result.error);
            }
            queueCredentialRequest(asked);
        });
}

void Workbench::storePendingPassword(const QString &hostId)
{
    auto node = m_pendingPasswords.extract(hostId);
    if (node.empty())
        return;
    PendingPassword &pending = node.mapped();
    // The operator checked "remember": that opts the host in from now on. Only our copy of
    // the spec changes; the fleet does not use the flag, so the host is not restarted.
    const int index = indexOf(hostId);
    if (index >= 0 && !m_specs[index].useKeychain) {
        m_specs[index].useKeychain = true;
        save();
    }
    m_vault->write(
        pending.key, pending.secret, this, [this, hostId](PasswordVault::Result &result) {
            if (result.status == PasswordVault::Status::Ok) {
                emit keychainUpdated(hostId);
                return;
            }
            emit keychainProblem(
                hostId,
                tr("The password was not saved in the system keychain: %1").arg(result.error));
        });
    // The vault keeps a copy of its own until the write is done.
    wipeSecret(pending.secret);
}

void Workbench::discardPendingPassword(const QString &hostId)
{
    const auto it = m_pendingPasswords.find(hostId);
    if (it == m_pendingPasswords.end())
        return;
    wipeSecret(it->second.secret);
    m_pendingPasswords.erase(it);
}

void Workbench::forgetPassword(const HostSpec &spec)
{
    const QString key = PasswordVault::keyFor(spec);
    const bool shared = std::any_of(m_specs.begin(), m_specs.end(), [&](const HostSpec &other) {
        return other.useKeychain && PasswordVault::keyFor(other) == key;
    });
    if (shared)
        return;
    const QString hostId = spec.id;
    m_vault->remove(key, this, [this, hostId](PasswordVault::Result &result) {
        if (result.status == PasswordVault::Status::Ok) {
            emit keychainUpdated(hostId);
            return;
        }
        emit keychainProblem(
            hostId, tr("The stored password could not be removed from the system keychain: %1")
                        .arg(result.error));
    });
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
    std::erase_if(m_vaultReads, [&hostId](const auto &read) { return read.second == hostId; });
    discardPendingPassword(hostId);
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
    for (const LogWindow &window : sample->logs)
        data.accessLogs->add(window);
    data.latestSample = sample;
    // Includes the transfer delay, which is what "now" on the chart should lag by anyway.
    data.clockOffsetMs = QDateTime::currentMSecsSinceEpoch() - sample->epochMs;
    // Stored before any signal, so every listener sees the sample and its table together.
    if (sample->table)
        data.latestTable = sample->table;
    if (sample->docker)
        data.docker = sample->docker;
    // The map belongs to the table it came with; a table without one has only host sockets.
    if (sample->table)
        data.namespaces = sample->namespaces;
    m_hosts->applySample(*sample);
    emit sampleArrived(hostId, sample);
    if (sample->table) {
        data.waitingTable = sample;
        prepareTable(hostId);
    }
}

void Workbench::prepareTable(const QString &hostId)
{
    const auto it = m_hostData.find(hostId);
    if (it == m_hostData.end())
        return;
    HostData &data = it->second;
    if (!data.waitingTable || data.preparingTable)
        return; // onTablePrepared() takes the waiting table next
    if (!data.preparing) {
        data.preparing = std::make_unique<QFutureWatcher<PreparedTablePtr>>();
        connect(data.preparing.get(), &QFutureWatcher<PreparedTablePtr>::finished, this,
                [this, hostId] { onTablePrepared(hostId); });
    }
    data.preparingTable = true;
    const HostSamplePtr sample = std::exchange(data.waitingTable, nullptr);
    // The inventory and map of the moment: the ones stored with (or before) this table.
    data.preparing->setFuture(
        QtConcurrent::run([table = sample->table, docker = data.docker,
                           namespaces = data.namespaces, previous = data.prepared] {
            return ConnectionTableModel::prepare(table, docker, namespaces, previous);
        }));
}

void Workbench::onTablePrepared(const QString &hostId)
{
    const auto it = m_hostData.find(hostId);
    if (it == m_hostData.end())
        return;
    HostData &data = it->second;
    data.preparingTable = false;
    const PreparedTablePtr prepared = data.preparing->result();
    // The one before holds a row and two index entries per socket: freed on the pool.
    releaseOnPool(std::exchange(data.prepared, prepared));
    if (prepared && prepared->table)
        emit tableArrived(hostId, prepared->table);
    prepareTable(hostId);
}

void Workbench::loadHistory(const QString &hostId, const std::vector<HostSamplePtr> &samples)
{
    const auto it = m_hostData.find(hostId);
    if (it == m_hostData.end() || samples.empty())
        return;
    HostData &data = it->second;
    for (const HostSamplePtr &sample : samples) {
        if (!sample)
            continue;
        data.timeline->add(*sample);
        for (const LogWindow &window : sample->logs)
            data.accessLogs->add(window);
        if (sample->docker)
            data.docker = sample->docker;
        data.latestSample = sample;
    }
    // A capture has no arrival times: its hosts are shown on their own clocks.
    data.clockOffsetMs = 0;
    if (data.latestSample) {
        m_hosts->applySample(*data.latestSample);
        emit sampleArrived(hostId, data.latestSample);
    }
}

void Workbench::showMoment(const QString &hostId, const HostSamplePtr &sample,
                           const SnapshotPtr &table,
                           const std::shared_ptr<const DockerInventory> &docker,
                           const std::shared_ptr<const NamespaceMap> &namespaces)
{
    const auto it = m_hostData.find(hostId);
    if (it == m_hostData.end() || !sample)
        return;
    HostData &data = it->second;
    data.latestSample = sample;
    data.latestTable = table;
    data.docker = docker;
    data.namespaces = namespaces;
    // A moment of a recording is shown at once (the operator moved the slider), not prepared:
    // the views diff it themselves.
    data.prepared.reset();
    m_hosts->applySample(*sample);
    emit sampleArrived(hostId, sample);
    if (table)
        emit tableArrived(hostId, table);
}

void Workbench::onStatus(const QString &hostId, const HostStatus &status)
{
    const auto it = m_hostData.find(hostId);
    if (it == m_hostData.end())
        return;
    it->second.status = status;
    switch (status.state) {
    case HostState::Streaming:
        // Logged in: the password typed with "remember" was the right one.
        m_answeredFromVault.remove(hostId);
        storePendingPassword(hostId);
        break;
    case HostState::Retrying:
    case HostState::Failed:
    case HostState::Stopped:
        discardPendingPassword(hostId);
        break;
    default:
        break;
    }
    m_hosts->setStatus(hostId, status);
    emit statusChanged(hostId, status);
}

} // namespace twbench
