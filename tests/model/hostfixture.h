#pragma once

// One host as the probe will describe it, read from tests/data/topology/<name>/: the docker
// inventory (inspect.json, network_inspect.json), the container → pid → netns lines (netns.txt)
// and one socket table per namespace, parsed with the real parsers.

#include "model/attribution.h"
#include "model/docker/dockerinventory.h"
#include "model/parsers/procnettcp.h"
#include "model/parsers/ssparser.h"
#include "model/snapshot.h"

#include <QFile>

#include <gtest/gtest.h>

#include <memory>

namespace twbench::test {

inline QByteArray readTopologyFixture(const QString &folder, const QString &name)
{
    QFile file(QStringLiteral(TWBENCH_TEST_DATA_DIR "/topology/") + folder + u'/' + name);
    EXPECT_TRUE(file.open(QIODevice::ReadOnly)) << file.fileName().toStdString();
    return file.readAll();
}

// Owns everything an Attribution refers to, at stable addresses.
struct HostFixture
{
    Snapshot snapshot;
    DockerInventory inventory;
    NamespaceMap namespaces;
    std::unique_ptr<Attribution> attribution;

    QString containerId(const QString &name) const
    {
        for (const Container &container : inventory.containers) {
            if (container.name == name)
                return container.id;
        }
        ADD_FAILURE() << "no container " << name.toStdString();
        return {};
    }
    std::uint64_t netnsOf(const QString &containerName) const
    {
        return namespaces.containerNetns.value(containerId(containerName));
    }

    void addSs(const QString &folder, const QString &file, std::uint64_t netns)
    {
        const ParseReport report =
            parseSs(readTopologyFixture(folder, file), netns, snapshot.sockets);
        EXPECT_TRUE(report.ok()) << report.summary().toStdString();
    }
    void addProc(const QString &folder, const QString &file, std::uint64_t netns)
    {
        const ParseReport report =
            parseProcNetTcp(readTopologyFixture(folder, file), AddressFamily::V4,
                            Endianness::Little, netns, snapshot.sockets);
        EXPECT_TRUE(report.ok()) << report.summary().toStdString();
    }
    void attribute()
    {
        snapshot.finalize();
        attribution = std::make_unique<Attribution>(snapshot, inventory, namespaces);
    }
};

inline std::unique_ptr<HostFixture> loadInventory(const QString &folder, const QString &hostId,
                                                  std::uint64_t hostNetns)
{
    auto host = std::make_unique<HostFixture>();
    host->snapshot.hostId = hostId;
    const auto inventory =
        parseDockerInventory(readTopologyFixture(folder, QStringLiteral("inspect.json")),
                             readTopologyFixture(folder, QStringLiteral("network_inspect.json")));
    EXPECT_TRUE(inventory.report.ok()) << inventory.report.summary().toStdString();
    host->inventory = inventory.value;
    const auto namespaces =
        parseContainerNamespaces(readTopologyFixture(folder, QStringLiteral("netns.txt")));
    EXPECT_TRUE(namespaces.report.ok());
    host->namespaces = NamespaceMap::fromContainerNamespaces(namespaces.value, hostNetns);
    return host;
}

// The incident: containers → web/nginx (a container) → the API on the host's port 6601. The
// host's table as `ss -tan` prints it, nginx's as its /proc/<pid>/net/tcp. The calling
// container's namespace could not be read.
inline std::unique_ptr<HostFixture> scenarioHost(const QString &hostId = QStringLiteral("web01"))
{
    const QString folder = QStringLiteral("scenario");
    auto host = loadInventory(folder, hostId, 0);
    host->addSs(folder, QStringLiteral("host_ss_tan.txt"), 0);
    host->addProc(folder, QStringLiteral("nginx_proc_net_tcp.txt"),
                  host->netnsOf(QStringLiteral("web-nginx-1")));
    host->namespaces.unreadable.insert(host->netnsOf(QStringLiteral("shop-php-1")));
    host->attribute();
    return host;
}

// Another layout: two replicas of shop/worker call shop/inventory over the compose network
// and close first; an external client on a published port of a container without compose
// labels; a host-mode exporter; IPv6 and IPv4-mapped peers. The host's sockets carry the host's
// own namespace inode rather than 0.
inline constexpr std::uint64_t workersHostNetns = 4026531840u;

inline std::unique_ptr<HostFixture> workersHost(const QString &hostId = QStringLiteral("app02"))
{
    const QString folder = QStringLiteral("workers");
    auto host = loadInventory(folder, hostId, workersHostNetns);
    host->addSs(folder, QStringLiteral("host_ss_tan.txt"), workersHostNetns);
    host->addSs(folder, QStringLiteral("worker1_ss_tan.txt"),
                host->netnsOf(QStringLiteral("shop-worker-1")));
    host->addSs(folder, QStringLiteral("worker2_ss_tan.txt"),
                host->netnsOf(QStringLiteral("shop-worker-2")));
    host->addSs(folder, QStringLiteral("inventory_ss_tan.txt"),
                host->netnsOf(QStringLiteral("shop-inventory-1")));
    host->addSs(folder, QStringLiteral("admin_ss_tan.txt"),
                host->netnsOf(QStringLiteral("legacy-admin")));
    host->attribute();
    return host;
}

} // namespace twbench::test
