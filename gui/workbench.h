#pragma once

#include "model/connectiontablemodel.h"
#include "model/hostsample.h"
#include "model/hoststate.h"
#include "remote/hostspec.h"
#include "remote/knownhosts.h"
#include "remote/sshtypes.h"

#include <QByteArray>
#include <QFutureWatcher>
#include <QList>
#include <QObject>
#include <QSet>

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace twbench {

class Fleet;
class HostListModel;
class HostStore;
class AccessLogStats;
class PasswordVault;
class Timeline;

// The GUI-side owner of what the hosts report: the fleet of workers, the hosts list model, one
// timeline and the latest socket table per host, the host list as configured (saved to a
// HostStore on every change) and the questions the SSH core asks of the operator. Views read
// from here and listen to its signals; it holds no widgets, so views stay thin and replaceable.
//
// Questions are queued here, not in dialogs: a dialog shows what is pending and answers
// through answerHostKey() / provideCredentials(), so twenty hosts asking at once make one
// batched host-key dialog and one credential dialog at a time.
class Workbench final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Workbench)

public:
    // Live: hosts are watched through the fleet. Replay: hosts come from an opened capture
    // (CaptureReplay feeds them); nothing connects, nothing is saved, no question is asked.
    enum class Mode : std::uint8_t { Live, Replay };

    explicit Workbench(QObject *parent = nullptr);
    explicit Workbench(Mode mode, QObject *parent = nullptr);
    ~Workbench() override;

    Mode mode() const { return m_mode; }

    // Not owned; nullptr: nothing is saved. Set it before restoreHosts().
    void setHostStore(HostStore *store) { m_store = store; }
    // Where passwords of hosts with HostSpec::useKeychain are kept. Not owned; nullptr: the
    // workbench's own KeychainVault (the system keychain). Tests inject an in-memory one.
    void setPasswordVault(PasswordVault *vault);
    PasswordVault *passwordVault() const { return m_vault; }
    // Adds the hosts the store holds (the local workstation first). Without a store: the
    // local workstation only.
    void restoreHosts();

    // False when the id is empty or taken. Starts watching the host.
    bool addHost(const HostSpec &spec);
    // False for an unknown id or a change of kind. The host reconnects with the new spec; its
    // timeline goes on.
    bool updateHost(const HostSpec &spec);
    // The local workstation cannot be removed (false).
    bool removeHost(const QString &hostId);
    QStringList hostIds() const; // in list order, the local workstation first
    QList<HostSpec> hostSpecs() const { return m_specs; }
    std::optional<HostSpec> hostSpec(const QString &hostId) const;

    // By hand: stop collecting (the host shows "stopped") and start again.
    void connectHost(const QString &hostId);
    void disconnectHost(const QString &hostId);
    // Removes the host's names from the user's known_hosts (the deliberate step after a
    // refused key); the host then connects again and asks about the key it is shown.
    KnownHosts::Removal forgetHostKey(const QString &hostId);

    HostListModel *hostListModel() const { return m_hosts; }
    // nullptr for an unknown host. Owned by the workbench.
    const Timeline *timeline(const QString &hostId) const;
    // What the host's access logs said (rates, callers, steady callers); nullptr for an unknown
    // host. Owned by the workbench.
    const AccessLogStats *accessLogs(const QString &hostId) const;
    SnapshotPtr latestTable(const QString &hostId) const;
    // The newest table made ready for the connection table (ConnectionTableModel::prepare) on
    // the thread pool: the one tableArrived() last announced; nullptr before the first.
    PreparedTablePtr preparedTable(const QString &hostId) const;
    HostSamplePtr latestSample(const QString &hostId) const;
    // The newest docker inventory (it comes every 10 s, not with every table) and namespace
    // map the host reported; nullptr before the first.
    std::shared_ptr<const DockerInventory> latestDocker(const QString &hostId) const;
    std::shared_ptr<const NamespaceMap> latestNamespaces(const QString &hostId) const;
    HostStatus status(const QString &hostId) const;
    // "Now" on the host's own clock, estimated from the last sample's arrival (remote clocks
    // drift from ours); nullopt before the first sample. Charts end their time axis here, so
    // time keeps flowing — and a silent host shows a growing gap — between samples.
    std::optional<std::int64_t> remoteNowMs(const QString &hostId) const;
    // Our clock minus the host's, as of its last sample; nullopt before the first. Charts that
    // overlay hosts shift each by the difference, so the same moment lines up.
    std::optional<std::int64_t> clockOffsetMs(const QString &hostId) const;

    QString currentHost() const { return m_currentHost; }
    void setCurrentHost(const QString &hostId);

    // Unknown host keys waiting for an answer, oldest first.
    QList<HostKeyQuestion> pendingHostKeyQuestions() const;
    // Hands the answer to the fleet and drops the question (hostKeyQuestionDropped).
    void answerHostKey(std::uint64_t questionId, HostKeyDecision decision);

    bool hasCredentialRequest() const { return !m_credentialRequests.empty(); }
    // The oldest request, taken off the queue; the caller must answer it.
    std::optional<CredentialRequest> takeCredentialRequest();
    // Hands the reply to the fleet, then overwrites the secret. With `storeInKeychain`, a copy
    // is kept until the host reaches Streaming and then written to the keychain (never before:
    // a mistyped password must not be stored), or wiped when the login does not get through.
    void provideCredentials(const QString &hostId, CredentialReply reply);

    // Fleet's question signals land here; public so tests can ask without an SSH server.
    void onHostKeyQuestion(const QString &hostId, const HostKeyQuestion &question);
    // A password request of a host with useKeychain is first answered from the keychain (on
    // the first attempt only); the dialog is the fallback.
    void onCredentialsNeeded(const QString &hostId, const CredentialRequest &request);
    // Fleet's status changes land here; public so tests can say how a login went.
    void onStatus(const QString &hostId, const HostStatus &status);
    // Fleet's samples land here; public so tests can feed samples without a probe.
    void onSample(const QString &hostId, const HostSamplePtr &sample);

    // Replay: a recorded host's whole history, in time order, into its timeline and access-log
    // statistics at once (no signal per sample; one sampleArrived for the last).
    void loadHistory(const QString &hostId, const std::vector<HostSamplePtr> &samples);
    // Replay: what the host looked like at one moment: its sample then, its newest table and
    // inventory at or before it. The views follow as they follow a live sample.
    void showMoment(const QString &hostId, const HostSamplePtr &sample, const SnapshotPtr &table,
                    const std::shared_ptr<const DockerInventory> &docker,
                    const std::shared_ptr<const NamespaceMap> &namespaces);

signals:
    void currentHostChanged(const QString &hostId);
    void sampleArrived(const QString &hostId, const twbench::HostSamplePtr &sample);
    // Emitted for samples that carry a socket table, once the table is prepared for the
    // connection table on the thread pool (preparedTable()): a few tens of milliseconds after
    // sampleArrived() at 100k sockets, which the GUI thread spends on anything else. A table
    // that arrives while the one before is still being prepared waits; a third one replaces
    // it, so a host whose tables come faster than they are prepared announces only the newest.
    // latestTable() is the newest received at once (sampleArrived() listeners see it).
    void tableArrived(const QString &hostId, const twbench::SnapshotPtr &table);
    void statusChanged(const QString &hostId, const twbench::HostStatus &status);
    // Any add, update or remove (after it was saved).
    void hostsChanged();
    // An Unknown key: queued, waiting for answerHostKey().
    void hostKeyQuestionQueued(const twbench::HostKeyQuestion &question);
    // Answered, or its host went away.
    void hostKeyQuestionDropped(std::uint64_t questionId);
    // A Changed / OtherType / Revoked key: nothing to answer, only to show.
    void hostKeyRefused(const twbench::HostKeyQuestion &question);
    void credentialRequestQueued();
    // The keychain could not be read, written or cleaned up; `message` is translated. The
    // login goes on without it (the password is asked for).
    void keychainProblem(const QString &hostId, const QString &message);
    // A password of the host was written to, or removed from, the keychain.
    void keychainUpdated(const QString &hostId);

private:
    void queueCredentialRequest(const CredentialRequest &request);
    void readFromVault(const HostSpec &spec, const CredentialRequest &request);
    void storePendingPassword(const QString &hostId);
    void discardPendingPassword(const QString &hostId);
    // Deletes the stored password of `spec` unless another host with useKeychain uses the
    // same account (a duplicated host shares its entry).
    void forgetPassword(const HostSpec &spec);
    void save();
    void dropQuestionsOf(const QString &hostId);
    void prepareTable(const QString &hostId);
    void onTablePrepared(const QString &hostId);
    int indexOf(const QString &hostId) const;

    struct HostData
    {
        std::unique_ptr<Timeline> timeline;
        std::unique_ptr<AccessLogStats> accessLogs;
        HostSamplePtr latestSample;
        SnapshotPtr latestTable;
        std::shared_ptr<const DockerInventory> docker;
        std::shared_ptr<const NamespaceMap> namespaces;
        HostStatus status;
        std::int64_t clockOffsetMs = 0; // our clock minus the host's, at the last sample
        PreparedTablePtr prepared;      // the newest announced by tableArrived()
        // The table waiting to be prepared, with the inventory and map it came with.
        HostSamplePtr waitingTable;
        std::unique_ptr<QFutureWatcher<PreparedTablePtr>> preparing;
        // From the job's start until onTablePrepared(): one job at a time (the watcher stops
        // running before its result is delivered).
        bool preparingTable = false;
    };

    Mode m_mode = Mode::Live;
    Fleet *m_fleet = nullptr;               // Owned (child).
    HostListModel *m_hosts = nullptr;       // Owned (child).
    HostStore *m_store = nullptr;           // Not owned.
    QList<HostSpec> m_specs;                // the host list, in order
    std::map<QString, HostData> m_hostData; // few hosts; std::map takes move-only values
    QString m_currentHost;
    std::deque<HostKeyQuestion> m_hostKeyQuestions;
    std::deque<CredentialRequest> m_credentialRequests;

    PasswordVault *m_ownVault = nullptr; // Owned (child).
    PasswordVault *m_vault = nullptr;    // m_ownVault, or one set by setPasswordVault()
    // Passwords typed with "remember" checked, per host, waiting for the login to succeed.
    struct PendingPassword
    {
        QString key;
        QByteArray secret;
    };
    std::map<QString, PendingPassword> m_pendingPasswords;
    // Keychain reads in flight: request id to host id.
    std::map<std::uint64_t, QString> m_vaultReads;
    // Hosts whose last password came from the keychain and that have not streamed since:
    // asked again, they get the dialog (never the same stored password in a loop).
    QSet<QString> m_answeredFromVault;
};

} // namespace twbench
