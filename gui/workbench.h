#pragma once

#include "model/hostsample.h"
#include "model/hoststate.h"
#include "remote/hostspec.h"
#include "remote/knownhosts.h"
#include "remote/sshtypes.h"

#include <QList>
#include <QObject>

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>

namespace twbench {

class Fleet;
class HostListModel;
class HostStore;
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
    explicit Workbench(QObject *parent = nullptr);
    ~Workbench() override;

    // Not owned; nullptr: nothing is saved. Set it before restoreHosts().
    void setHostStore(HostStore *store) { m_store = store; }
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
    SnapshotPtr latestTable(const QString &hostId) const;
    HostSamplePtr latestSample(const QString &hostId) const;
    HostStatus status(const QString &hostId) const;
    // "Now" on the host's own clock, estimated from the last sample's arrival (remote clocks
    // drift from ours); nullopt before the first sample. Charts end their time axis here, so
    // time keeps flowing — and a silent host shows a growing gap — between samples.
    std::optional<std::int64_t> remoteNowMs(const QString &hostId) const;

    QString currentHost() const { return m_currentHost; }
    void setCurrentHost(const QString &hostId);

    // Unknown host keys waiting for an answer, oldest first.
    QList<HostKeyQuestion> pendingHostKeyQuestions() const;
    // Hands the answer to the fleet and drops the question (hostKeyQuestionDropped).
    void answerHostKey(std::uint64_t questionId, HostKeyDecision decision);

    bool hasCredentialRequest() const { return !m_credentialRequests.empty(); }
    // The oldest request, taken off the queue; the caller must answer it.
    std::optional<CredentialRequest> takeCredentialRequest();
    // Hands the reply to the fleet, then overwrites the secret.
    void provideCredentials(const QString &hostId, CredentialReply reply);

    // Fleet's question signals land here; public so tests can ask without an SSH server.
    void onHostKeyQuestion(const QString &hostId, const HostKeyQuestion &question);
    void onCredentialsNeeded(const QString &hostId, const CredentialRequest &request);

signals:
    void currentHostChanged(const QString &hostId);
    void sampleArrived(const QString &hostId, const twbench::HostSamplePtr &sample);
    // Emitted only for samples that carry a socket table.
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

private:
    void onSample(const QString &hostId, const HostSamplePtr &sample);
    void onStatus(const QString &hostId, const HostStatus &status);
    void save();
    void dropQuestionsOf(const QString &hostId);
    int indexOf(const QString &hostId) const;

    struct HostData
    {
        std::unique_ptr<Timeline> timeline;
        HostSamplePtr latestSample;
        SnapshotPtr latestTable;
        HostStatus status;
        std::int64_t clockOffsetMs = 0; // our clock minus the host's, at the last sample
    };

    Fleet *m_fleet = nullptr;               // Owned (child).
    HostListModel *m_hosts = nullptr;       // Owned (child).
    HostStore *m_store = nullptr;           // Not owned.
    QList<HostSpec> m_specs;                // the host list, in order
    std::map<QString, HostData> m_hostData; // few hosts; std::map takes move-only values
    QString m_currentHost;
    std::deque<HostKeyQuestion> m_hostKeyQuestions;
    std::deque<CredentialRequest> m_credentialRequests;
};

} // namespace twbench
