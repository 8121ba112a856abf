#pragma once

// A capture of the incident (SCENARIO.md) for the report tests: the scenario host's real docker
// inventory and namespaces (tests/data/topology/scenario, parsed by the real parsers), its
// fixture socket table scaled up to the incident's size (about 600 TIME_WAIT on the API's
// 10.25.20.251:6601 from nginx's container address, 300 in nginx's namespace on :443 from the
// docker gateway), a kernel's counters each second, and the API's access log with a token loop
// of 12 requests a second from nginx plus a few people.

#include "model/capture/capturefile.h"
#include "model/capturefixtures.h"
#include "model/hostfixture.h"

#include <QString>

namespace twbench::test {

struct ReportCaptureOptions
{
    int seconds = 240;
    // Renames the nginx container: a name from the server is hostile data.
    QString nginxName = QStringLiteral("web-nginx-1");
    QString displayName = QStringLiteral("shop-web01");
    QString address = QStringLiteral("10.25.20.251");
};

inline std::shared_ptr<Snapshot> incidentTable(const HostFixture &host, std::uint64_t sequence,
                                               std::int64_t epochMs, std::uint64_t nginxNetns)
{
    auto table = std::make_shared<Snapshot>(host.snapshot);
    table->sequence = sequence;
    table->epochMs = epochMs;
    table->source = SocketSource::Ss;
    const IpAddress api = IpAddress::parse("10.25.20.251").value();
    const IpAddress nginx = IpAddress::parse("192.168.42.32").value();
    const IpAddress gateway = IpAddress::parse("192.168.42.1").value();
    const auto add = [&](Endpoint local, Endpoint remote, TcpState state, std::uint64_t netns) {
        Socket socket;
        socket.local = local;
        socket.remote = remote;
        socket.state = state;
        socket.netns = netns;
        table->sockets.push_back(socket);
    };
    const auto port = [sequence](int i) {
        return std::uint16_t(32768 + (i * 37 + sequence) % 28000);
    };
    // The API closes: TIME_WAIT on its side, towards nginx's ephemeral ports.
    for (int i = 0; i < 600; ++i)
        add({api, 6601}, {nginx, port(i)}, TcpState::TimeWait, 0);
    // nginx's own side of the upstream connections, and its callers through the gateway.
    for (int i = 0; i < 60; ++i)
        add({nginx, port(i + 700)}, {api, 6601}, TcpState::TimeWait, nginxNetns);
    for (int i = 0; i < 300; ++i)
        add({nginx, 443}, {gateway, port(i + 1400)}, TcpState::TimeWait, nginxNetns);
    for (int i = 0; i < 3; ++i)
        add({nginx, 443}, {gateway, port(i + 2000)}, TcpState::Established, nginxNetns);
    table->finalize();
    return table;
}

// Writes the capture to `path`; false with a test failure when it cannot.
inline bool writeIncidentCapture(const QString &path, const ReportCaptureOptions &options = {})
{
    auto host = scenarioHost(QStringLiteral("web01"));
    const std::uint64_t nginxNetns = host->netnsOf(QStringLiteral("web-nginx-1"));
    auto inventory = std::make_shared<DockerInventory>(host->inventory);
    for (Container &container : inventory->containers) {
        if (container.name == QLatin1String("web-nginx-1"))
            container.name = options.nginxName;
    }
    auto namespaces = std::make_shared<NamespaceMap>(host->namespaces);

    CaptureWriter writer;
    if (!writer.open(path)) {
        ADD_FAILURE() << writer.errorString().toStdString();
        return false;
    }
    CaptureHost captureHost;
    captureHost.id = QStringLiteral("web01");
    captureHost.displayName = options.displayName;
    captureHost.kind = QStringLiteral("ssh");
    captureHost.address = options.address;
    captureHost.port = 22;
    captureHost.user = QStringLiteral("deploy");
    captureHost.logSources = {QStringLiteral("/var/log/api/access.log")};
    if (!writer.putHost(captureHost)) {
        ADD_FAILURE() << writer.errorString().toStdString();
        return false;
    }
    const std::int64_t startMs = 1'764'150'000'000; // 2025-11-26, a morning
    std::int64_t previousMs = startMs - 1000;
    for (int s = 0; s < options.seconds; ++s) {
        std::shared_ptr<HostSample> sample =
            realisticSample(QStringLiteral("web01"), std::uint64_t(s), startMs);
        sample->counters.values[counter::TimeWait] = 960 + (s % 9);
        // About 40 % CPU of 2 CPUs: the loop's cost.
        sample->procStat.all.user = 10000 + std::uint64_t(s) * 60;
        sample->procStat.all.system = 5000 + std::uint64_t(s) * 20;
        sample->procStat.all.idle = 50000 + std::uint64_t(s) * 120;
        if (s % 5 == 0) {
            sample->table = incidentTable(*host, std::uint64_t(s), sample->epochMs, nginxNetns);
            sample->namespaces = namespaces;
        }
        if (s % 10 == 0)
            sample->docker = inventory;
        LogWindow window;
        window.sourceId = QStringLiteral("/var/log/api/access.log");
        window.fromMs = previousMs;
        window.toMs = sample->epochMs;
        window.keys.append({{QStringLiteral("192.168.42.32"), QStringLiteral("POST"),
                             QStringLiteral("/oauth/access_token"), 200},
                            12});
        if (s % 17 == 0)
            window.keys.append({{QStringLiteral("203.0.113.45"), QStringLiteral("GET"),
                                 QStringLiteral("/products/{id}"), 200},
                                2});
        window.requests = 0;
        for (const RequestCount &count : window.keys)
            window.requests += count.count;
        sample->logs.append(window);
        if (s == options.seconds - 1)
            sample->issues.append({QStringLiteral("proc_tcp"),
                                   QStringLiteral("namespace of 172.19.0.5 not readable")});
        previousMs = sample->epochMs;
        if (!writer.addSample(*sample)) {
            ADD_FAILURE() << writer.errorString().toStdString();
            return false;
        }
    }
    if (!writer.commit()) {
        ADD_FAILURE() << writer.errorString().toStdString();
        return false;
    }
    writer.close();
    return true;
}

} // namespace twbench::test
