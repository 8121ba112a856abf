#pragma once

#include "hostspec.h"
#include "hostworker.h"
#include "knownhosts.h"
#include "sshtransport.h"
#include "sshtypes.h"

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
// process outlives the fleet. A worker blocked in a connect or a login is interrupted first (its
// socket shut down), so none of these waits longer than a moment.
//
// SSH hosts may ask questions: hostKeyQuestion() for a key known_hosts does not hold (and, for
// information only, for a key it refuses), credentialsNeeded() for a passphrase, a password or
// a keyboard-interactive prompt. The host waits, without a timeout of its own, until
// answerHostKey() / provideCredentials() names the question's id. Many hosts may ask at once;
// batching them into one dialog is the GUI's choice.
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

    // Reconnects a host that failed or was disconnected (a no-op while it runs).
    bool connectHost(const QString &id);
    // Ends the host's probe and connection; its status becomes Stopped until connectHost().
    bool disconnectHost(const QString &id);
    // Replaces the host's spec (same id) and restarts it with the new one; false when unknown
    // or the id differs from every host's.
    bool updateHost(const HostSpec &spec);
    // The deliberate "replace the host key" step: takes the host's names out of the user's
    // known_hosts (see KnownHosts::removeHost). Call connectHost() afterwards to be asked anew.
    [[nodiscard]] KnownHosts::Removal forgetHostKey(const QString &id);

    void answerHostKey(const QString &hostId, std::uint64_t questionId, HostKeyDecision decision);
    // The reply's secret is wiped once used; wipe your own copy too (wipeSecret()).
    void provideCredentials(const QString &hostId, const CredentialReply &reply);

    // Apply to hosts added, connected or updated afterwards.
    void setBackoff(const HostWorker::Backoff &backoff) { m_backoff = backoff; }
    void setSshOptions(const SshOptions &options) { m_sshOptions = options; }
    const SshOptions &sshOptions() const { return m_sshOptions; }
    // Never ask: for `twbench diagnose` and scripts. Unknown host keys are refused unless
    // `acceptNewHostKeys` (then saved, like OpenSSH's StrictHostKeyChecking=accept-new).
    void setHeadless(bool acceptNewHostKeys)
    {
        m_sshOptions.headless = true;
        m_sshOptions.acceptNewHostKeys = acceptNewHostKeys;
    }

Q_SIGNALS:
    void hostAdded(const QString &id);
    void hostRemoved(const QString &id);
    void sampleReady(const QString &hostId, const twbench::HostSamplePtr &sample);
    void statusChanged(const QString &hostId, const twbench::HostStatus &status);
    void hostKeyQuestion(const QString &hostId, const twbench::HostKeyQuestion &question);
    void credentialsNeeded(const QString &hostId, const twbench::CredentialRequest &request);
    void runStarted(const QString &hostId, const QString &runId);

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
    void startWorker(Host &host);
    void shutDown(Host &host);

    HostWorker::TransportFactory m_factory;
    HostWorker::Backoff m_backoff;
    SshOptions m_sshOptions;
    std::vector<std::unique_ptr<Host>> m_hosts;
    std::uint64_t m_nextSerial = 1;
};

} // namespace twbench
