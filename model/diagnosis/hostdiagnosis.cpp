#include "hostdiagnosis.h"

#include "model/topologybuilder.h"

namespace twbench {

std::unique_ptr<HostDiagnosis> diagnoseHost(const DiagnosisInput &input,
                                            const DiagnosisOptions &options)
{
    auto result = std::make_unique<HostDiagnosis>();
    result->input = input;
    DiagnosisInput &in = result->input;
    // A host without docker still has a table worth attributing: an empty inventory, which must
    // outlive the Attribution that refers to it.
    static const DockerInventory noInventory;
    if (in.table) {
        result->attribution =
            std::make_unique<Attribution>(*in.table, in.docker ? *in.docker : noInventory,
                                          in.namespaces ? *in.namespaces : NamespaceMap());
        result->topology =
            buildTopology(*result->attribution, TopologyBuilder::Options(), in.hostLabel);
        in.attribution = result->attribution.get();
        in.topology = &*result->topology;
    }
    result->findings = diagnose(in, options);
    return result;
}

} // namespace twbench
