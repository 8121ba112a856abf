#pragma once

#include "model/diagnosis/diagnosis.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QHash>
#include <QObject>

#include <map>
#include <memory>

class QTimer;

namespace twbench {

class Workbench;

// Runs the diagnosis rules for every host as its tables arrive, at most once per
// `intervalMs` per host, and keeps the newest findings of each.
//
// The slow part — attributing the table's sockets and building its topology — runs on the
// thread pool from the table, inventory and namespace map (immutable, shared). The rules then
// run on the GUI thread, because they read the host's Timeline and AccessLogStats, which only
// the GUI thread may touch; they look at numbers already summed, so this costs milliseconds.
class FindingsRunner final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FindingsRunner)

public:
    explicit FindingsRunner(Workbench *workbench, QObject *parent = nullptr);
    ~FindingsRunner() override;

    // Every host's findings, in host order, each host's most severe first.
    QList<Finding> findings() const;
    QList<Finding> findings(const QString &hostId) const;
    // The span the rules look at, back from the host's newest sample.
    static constexpr std::int64_t windowMs = 15 * 60 * 1000;
    void setInterval(int intervalMs) { m_intervalMs = intervalMs; }
    // Diagnoses the host from what the workbench holds now (tests, and a host's first table).
    void runNow(const QString &hostId);
    // GUI-thread time of the last rules run, for the status bar and the benchmarks.
    qint64 lastRulesMs() const { return m_lastRulesMs; }

signals:
    void findingsChanged();

private:
    struct Prepared
    {
        QString hostId;
        SnapshotPtr table;
        std::shared_ptr<const DockerInventory> docker;
        std::shared_ptr<const NamespaceMap> namespaces;
        std::shared_ptr<const Attribution> attribution;
        std::shared_ptr<const Topology> topology;
    };
    using PreparedPtr = std::shared_ptr<const Prepared>;

    struct HostRun
    {
        std::unique_ptr<QFutureWatcher<PreparedPtr>> watcher;
        QElapsedTimer sinceLast;
        bool pending = false; // a table came while a run was under way
        QList<Finding> findings;
    };

    void onTable(const QString &hostId);
    void start(const QString &hostId);
    void onPrepared(const QString &hostId);
    void applyRules(const Prepared &prepared);

    Workbench *m_workbench;            // Not owned.
    std::map<QString, HostRun> m_runs; // QHash wants copyable values
    int m_intervalMs = 5000;
    qint64 m_lastRulesMs = 0;
};

} // namespace twbench
