#pragma once

#include "hostspec.h"
#include "hostworker.h"

#include "model/hostsample.h"
#include "model/hoststate.h"

#include <QObject>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

class QThread;

namespace twbench {

// The hosts being watched: one HostWorker per host, each in its own QThread. Lives in the GUI
// thread and forwards the workers' signals there, tagged with the host id. Removing a host, and
// destroying the fleet, stops its probe and joins its thread before returning: no thread or
// process outlives the fleet.
class Fleet final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Fleet)

public:
    explicit Fleet(QObject *parent = nullptr);
    // Tests inject transports; the default makes LocalTransport for local hosts.
    explicit Fleet(HostWorker::TransportFactory factory, QObject *parent = nullptr);
    ~Fleet() override;

    // Starts watching `spec`; false when its id is empty or already taken.
    bool addHost(const HostSpec &spec);
    // Stops the host's probe and joins its thread; false when there is no such host.
    bool removeHost(const QString &id);
    void removeAll();

    QStringList hostIds() const; // in the order they were added
    bool contains(const QString &id) const;
    std::optional<HostSpec> spec(const QString &id) const;
    HostStatus status(const QString &id) const; // the last one reported; Idle when unknown

    // Applies to hosts added afterwards.
    void setBackoff(const HostWorker::Backoff &backoff) { m_backoff = backoff; }

Q_SIGNALS:
    void hostAdded(const QString &id);
    void hostRemoved(const QString &id);
    void sampleReady(const QString &hostId, const twbench::HostSamplePtr &sample);
    void statusChanged(const QString &hostId, const twbench::HostStatus &status);

private:
    struct Host
    {
        HostSpec spec;
        QThread *thread = nullptr;    // Owned; deleted after it is joined
        HostWorker *worker = nullptr; // Lives in `thread`; deleted there when it finishes
        std::uint64_t serial = 0;     // tells a re-added id from its removed predecessor
        HostStatus status;
    };

    Host *find(const QString &id);
    const Host *find(const QString &id) const;
    Host *findSerial(std::uint64_t serial);
    void shutDown(Host &host);

    HostWorker::TransportFactory m_factory;
    HostWorker::Backoff m_backoff;
    std::vector<std::unique_ptr<Host>> m_hosts;
    std::uint64_t m_nextSerial = 1;
};

} // namespace twbench
