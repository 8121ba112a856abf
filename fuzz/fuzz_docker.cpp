// The docker inventory (model/docker/dockerinventory.h): `docker inspect` and `docker network
// inspect` JSON, the CLI's error texts, and the probe's container namespace lines. Every name
// in there is chosen by whoever owns a container, so it is also run through safeDisplayText().

#include "fuzzsupport.h"

#include "model/docker/dockerinventory.h"

using namespace twbench;

namespace {

void useContainers(const std::vector<Container> &containers)
{
    for (const Container &container : containers) {
        (void)safeDisplayText(container.name);
        (void)safeDisplayText(container.image, 24);
        (void)container.addresses();
        (void)container.containerPortPublishedOn(80);
        (void)container.isHostNetwork();
    }
}

void useNetworks(const std::vector<DockerNetwork> &networks)
{
    const IpAddress probe = IpAddress::fromV4(0xac110002); // 172.17.0.2
    for (const DockerNetwork &network : networks) {
        (void)safeDisplayText(network.name);
        for (const IpSubnet &subnet : network.subnets) {
            (void)subnet.contains(probe);
            (void)subnet.toString();
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz::startApplication(argc, argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size > fuzz::maxInputBytes)
        return -1;
    const QByteArrayView text = fuzz::view(data, size);

    const auto containers = parseDockerInspect(text);
    (void)containers.report.summary();
    useContainers(containers.value);

    const auto networks = parseDockerNetworkInspect(text);
    (void)networks.report.summary();
    useNetworks(networks.value);

    const auto namespaces = parseContainerNamespaces(text);
    (void)namespaces.report.summary();

    (void)dockerErrorText(recogniseDockerError(text));

    // The inventory reads two answers; a NUL (never in docker's output) splits the input so
    // the fuzzer can vary each, and without one both are the same text.
    const qsizetype split = text.indexOf('\0');
    const QByteArrayView first = split < 0 ? text : text.first(split);
    const QByteArrayView second = split < 0 ? text : text.sliced(split + 1);
    const auto inventory = parseDockerInventory(first, second);
    useContainers(inventory.value.containers);
    useNetworks(inventory.value.networks);

    // Subnets as docker prints them, one per line of the input.
    qsizetype lines = 0;
    for (qsizetype at = 0; at < text.size() && lines < 64; ++lines) {
        qsizetype end = text.indexOf('\n', at);
        if (end < 0)
            end = text.size();
        if (const auto subnet = IpSubnet::parse(text.sliced(at, end - at)))
            (void)subnet->toString();
        at = end + 1;
    }

    (void)safeDisplayText(QString::fromUtf8(text.first(std::min<qsizetype>(text.size(), 4096))));
    return 0;
}
