#pragma once

// Internal to the diagnosis: what every rule shares (the resolved input, formatting, naming a
// service). Not for views: they read Finding.

#include "diagnosis.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace twbench::diagnosis {

// Every rule text carries this context, so lupdate sees the DiagnosisText::tr("…") calls.
struct DiagnosisText
{
    Q_DECLARE_TR_FUNCTIONS(twbench::Diagnosis)
};

// The input with its gaps filled where they can be: an attribution and a topology built from
// the table when the caller had none, the window resolved against the timeline.
struct Context final
{
    Context(const DiagnosisInput &input, const DiagnosisOptions &options);
    ~Context();
    Q_DISABLE_COPY_MOVE(Context)

    const DiagnosisInput &input;
    const DiagnosisOptions &options;
    QString hostId;    // for Finding::hostId
    QString hostLabel; // for texts: the label, else the host id
    // The table the attribution was built on (the attribution's, else input.table); null
    // without one. The topology's ids use its hostId.
    const Snapshot *table = nullptr;
    const Attribution *attribution = nullptr;
    const Topology *topology = nullptr;
    std::uint32_t tableTimeWait = 0; // TIME_WAIT rows of the table, every namespace
    // The window, resolved: input's, else the timeline's span; nullopt when neither.
    std::optional<std::pair<std::int64_t, std::int64_t>> window;

    // The TIME_WAIT count of the host: the kernel counter, else the table's.
    std::optional<std::int64_t> hostTimeWait() const;
    // The topology's id of this host's nodes start with it.
    QString topologyHostId() const;

    // Owned: what `attribution` and `topology` point at when the input had none.
    DockerInventory noInventory;
    std::unique_ptr<Attribution> ownAttribution;
    std::unique_ptr<Topology> ownTopology;
};

// --- formatting (QLocale for every number; ports and addresses are identifiers) -------------
QString count(std::int64_t value);
QString percent(double share); // 0.973 → "97" (the caller writes " %")
QString decimal(double value, int decimals);
QString rate(double perSecond); // 1 decimal below 10, else none
Finding::Evidence evidence(const QString &label, const QString &value,
                           std::optional<double> number = std::nullopt);

// --- naming what the rules talk about --------------------------------------------------------

// A service: what listens on `port` in a network namespace.
struct Service
{
    QString name;             // for texts, safe: "api (compose service shop/api)"
    QString nodeId;           // its topology node, empty when the topology has none
    QStringList containerIds; // its own containers (every replica of a compose service)
};
Service serviceOf(const Context &context, std::uint64_t netns, std::uint16_t port);

// Who owns a namespace, for texts: "container x", "this host", …
QString namespaceOwnerText(const Context &context, std::uint64_t netns);

// --- the rules (each appends its findings, largest first) -----------------------------------
void serverCloses(const Context &context, QList<Finding> &findings);
void closeWaitLeak(const Context &context, QList<Finding> &findings);
void portExhaustionRisk(const Context &context, QList<Finding> &findings);
void upstreamNoKeepalive(const Context &context, QList<Finding> &findings);
void gatewayCallers(const Context &context, QList<Finding> &findings);
void pollingLoop(const Context &context, QList<Finding> &findings);
void churnRate(const Context &context, QList<Finding> &findings);
void cpuFollowsChurn(const Context &context, QList<Finding> &findings);

} // namespace twbench::diagnosis
