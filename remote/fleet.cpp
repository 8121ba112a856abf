#include "fleet.h"

#include <QThread>

#include <algorithm>

namespace twbench {

Fleet::Fleet(QObject *parent)
    : Fleet(HostWorker::TransportFactory{}, parent)
{}

Fleet::Fleet(HostWorker::TransportFactory factory, QObject *parent)
    : QObject(parent)
    , m_factory(std::move(factory))
{
    registerRemoteMetaTypes();
}

Fleet::~Fleet()
{
    removeAll();
}

bool Fleet::addHost(const HostSpec &spec)
{
    if (spec.id.isEmpty() || find(spec.id))
        return false;

    auto host = std::make_unique<Host>();
    host->spec = spec;
    Host &added = *host;
    m_hosts.push_back(std::move(host));
    startWorker(added);
    Q_EMIT hostAdded(spec.id);
    return true;
}

void Fleet::startWorker(Host &host)
{
    host.serial = m_nextSerial++;
    host.status = HostStatus{};
    host.thread = new QThread;
    host.thread->setObjectName(QStringLiteral("twbench-host-") + host.spec.id);
    HostWorker::TransportFactory factory = m_factory;
    if (!factory) {
        // The options as they are now; later changes reach hosts started later.
        factory = [options = m_sshOptions](const HostSpec &spec) {
            return HostWorker::defaultTransport(spec, options);
        };
    }
    host.worker = new HostWorker(host.spec, std::move(factory));
    host.worker->setBackoff(m_backoff);
    host.worker->moveToThread(host.thread);
    // The documented way to delete a worker in its own thread once that thread's loop is over.
    connect(host.thread, &QThread::finished, host.worker, &QObject::deleteLater);

    // Queued into this thread. The serial, not the id, finds the host: events still queued for
    // a removed (or restarted) host must not land on a new host that took its id.
    const std::uint64_t serial = host.serial;
    const QString id = host.spec.id;
    connect(host.worker, &HostWorker::sampleReady, this,
            [this, serial, id](const HostSamplePtr &sample) {
                if (findSerial(serial))
                    Q_EMIT sampleReady(id, sample);
            });
    connect(host.worker, &HostWorker::statusChanged, this,
            [this, serial, id](const HostStatus &status) {
                if (Host *current = findSerial(serial)) {
                    current->status = status;
                    Q_EMIT statusChanged(id, status);
                }
            });
    connect(host.worker, &HostWorker::hostKeyQuestion, this,
            [this, serial, id](const HostKeyQuestion &question) {
                if (findSerial(serial))
                    Q_EMIT hostKeyQuestion(id, question);
            });
    connect(host.worker, &HostWorker::credentialsNeeded, this,
            [this, serial, id](const CredentialRequest &request) {
                if (findSerial(serial))
                    Q_EMIT credentialsNeeded(id, request);
            });
    connect(host.worker, &HostWorker::runStarted, this, [this, serial, id](const QString &runId) {
        if (findSerial(serial))
            Q_EMIT runStarted(id, runId);
    });

    host.thread->start();
    QMetaObject::invokeMethod(host.worker, &HostWorker::start, Qt::QueuedConnection);
}

bool Fleet::removeHost(const QString &id)
{
    const auto it = std::find_if(m_hosts.begin(), m_hosts.end(),
                                 [&id](const auto &host) { return host->spec.id == id; });
    if (it == m_hosts.end())
        return false;
    std::unique_ptr<Host> host = std::move(*it);
    m_hosts.erase(it);
    shutDown(*host);
    Q_EMIT hostRemoved(id);
    return true;
}

void Fleet::removeAll()
{
    while (!m_hosts.empty())
        removeHost(m_hosts.back()->spec.id);
}

void Fleet::shutDown(Host &host)
{
    // A connect or login in progress returns at once, so the blocking call below is short.
    host.worker->interrupt();
    // Blocking: the probe is ended in the worker's thread, which owns its QProcess or SSH
    // session, before the thread is asked to quit. Safe because the worker never blocks on
    // this thread.
    QMetaObject::invokeMethod(host.worker, &HostWorker::stop, Qt::BlockingQueuedConnection);
    host.thread->quit();
    host.thread->wait();
    delete host.thread; // the worker went with the thread's last deferred deletes
    host.thread = nullptr;
    host.worker = nullptr;
}

bool Fleet::connectHost(const QString &id)
{
    Host *host = find(id);
    if (!host)
        return false;
    QMetaObject::invokeMethod(host->worker, &HostWorker::start, Qt::QueuedConnection);
    return true;
}

bool Fleet::disconnectHost(const QString &id)
{
    Host *host = find(id);
    if (!host)
        return false;
    host->worker->interrupt();
    QMetaObject::invokeMethod(host->worker, &HostWorker::stop, Qt::QueuedConnection);
    return true;
}

bool Fleet::updateHost(const HostSpec &spec)
{
    Host *host = find(spec.id);
    if (!host)
        return false;
    shutDown(*host);
    host->spec = spec;
    startWorker(*host);
    return true;
}

KnownHosts::Removal Fleet::forgetHostKey(const QString &id)
{
    const Host *host = find(id);
    if (!host || host->spec.kind != HostSpec::Kind::Ssh) {
        KnownHosts::Removal removal;
        removal.error = tr("No SSH host with the id \"%1\".").arg(id);
        return removal;
    }
    const KnownHosts knownHosts(m_sshOptions.knownHostsFile, m_sshOptions.globalKnownHostsFiles);
    return knownHosts.removeHost(host->spec.address.trimmed(), host->spec.port);
}

void Fleet::answerHostKey(const QString &hostId, std::uint64_t questionId, HostKeyDecision decision)
{
    if (Host *host = find(hostId)) {
        HostWorker *worker = host->worker;
        QMetaObject::invokeMethod(
            worker, [worker, questionId, decision] { worker->answerHostKey(questionId, decision); },
            Qt::QueuedConnection);
    }
}

void Fleet::provideCredentials(const QString &hostId, const CredentialReply &reply)
{
    Host *host = find(hostId);
    if (!host)
        return;
    HostWorker *worker = host->worker;
    // The lambda's copy shares the caller's buffer; the worker wipes that buffer after use.
    QMetaObject::invokeMethod(
        worker, [worker, reply]() mutable { worker->provideCredentials(std::move(reply)); },
        Qt::QueuedConnection);
}

QStringList Fleet::hostIds() const
{
    QStringList ids;
    ids.reserve(qsizetype(m_hosts.size()));
    for (const auto &host : m_hosts)
        ids.append(host->spec.id);
    return ids;
}

bool Fleet::contains(const QString &id) const
{
    return find(id) != nullptr;
}

std::optional<HostSpec> Fleet::spec(const QString &id) const
{
    if (const Host *host = find(id))
        return host->spec;
    return std::nullopt;
}

HostStatus Fleet::status(const QString &id) const
{
    if (const Host *host = find(id))
        return host->status;
    return {};
}

Fleet::Host *Fleet::find(const QString &id)
{
    for (const auto &host : m_hosts) {
        if (host->spec.id == id)
            return host.get();
    }
    return nullptr;
}

const Fleet::Host *Fleet::find(const QString &id) const
{
    return const_cast<Fleet *>(this)->find(id);
}

Fleet::Host *Fleet::findSerial(std::uint64_t serial)
{
    for (const auto &host : m_hosts) {
        if (host->serial == serial)
            return host.get();
    }
    return nullptr;
}

} // namespace twbench
