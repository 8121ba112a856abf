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
    host->serial = m_nextSerial++;
    host->thread = new QThread;
    host->thread->setObjectName(QStringLiteral("twbench-host-") + spec.id);
    host->worker = new HostWorker(spec, m_factory);
    host->worker->setBackoff(m_backoff);
    host->worker->moveToThread(host->thread);
    // The documented way to delete a worker in its own thread once that thread's loop is over.
    connect(host->thread, &QThread::finished, host->worker, &QObject::deleteLater);

    // Queued into this thread. The serial, not the id, finds the host: events still queued for
    // a removed host must not land on a new host that took its id.
    const std::uint64_t serial = host->serial;
    const QString id = spec.id;
    connect(host->worker, &HostWorker::sampleReady, this,
            [this, serial, id](const HostSamplePtr &sample) {
                if (findSerial(serial))
                    Q_EMIT sampleReady(id, sample);
            });
    connect(host->worker, &HostWorker::statusChanged, this,
            [this, serial, id](const HostStatus &status) {
                if (Host *current = findSerial(serial)) {
                    current->status = status;
                    Q_EMIT statusChanged(id, status);
                }
            });

    host->thread->start();
    QMetaObject::invokeMethod(host->worker, &HostWorker::start, Qt::QueuedConnection);
    m_hosts.push_back(std::move(host));
    Q_EMIT hostAdded(id);
    return true;
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
    // Blocking: the probe is ended in the worker's thread, which owns its QProcess, before the
    // thread is asked to quit. Safe because the worker never blocks on this thread.
    QMetaObject::invokeMethod(host.worker, &HostWorker::stop, Qt::BlockingQueuedConnection);
    host.thread->quit();
    host.thread->wait();
    delete host.thread; // the worker went with the thread's last deferred deletes
    host.thread = nullptr;
    host.worker = nullptr;
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
