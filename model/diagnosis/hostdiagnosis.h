#pragma once

#include "diagnosis.h"

#include "model/attribution.h"
#include "model/topology.h"

#include <QList>

#include <memory>
#include <optional>

namespace twbench {

// diagnose() run once on one host's state, with everything DiagnosisInput points at owned here:
// the Attribution and the Topology of the table (built the way the CLI and the findings panel
// build them). Not copyable: `input` points into it.
struct HostDiagnosis
{
    Q_DISABLE_COPY_MOVE(HostDiagnosis)
    HostDiagnosis() = default;

    DiagnosisInput input;
    std::unique_ptr<Attribution> attribution; // of input.table; null without a table
    std::optional<Topology> topology;
    QList<Finding> findings;
};

// Fills input.attribution and input.topology from input.table, input.docker and
// input.namespaces (the host's label names the topology's host node), then runs the rules.
std::unique_ptr<HostDiagnosis> diagnoseHost(const DiagnosisInput &input,
                                            const DiagnosisOptions &options = {});

} // namespace twbench
