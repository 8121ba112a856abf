// The JSON of `twbench diagnose` (model/diagnosis/reportjson.h) from facts built by hand: every
// field, its type and value, unknowns as null, and remote names that JSON must escape.
#include "socketbuilders.h"

#include "model/diagnosis/reportjson.h"
#include "model/topologybuilder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <gtest/gtest.h>

using namespace twbench;
using twbench::test::ep;
using twbench::test::ip;
using twbench::test::sock;

namespace {

constexpr std::int64_t T0 = 1'700'000'000'000;

const QDateTime generatedAt = QDateTime::fromMSecsSinceEpoch(T0, Qt::UTC);

HostReport fullReport()
{
    HostReport host;
    host.id = QStringLiteral("3f2a");
    host.name = QStringLiteral("web-01");
    host.samples = 31;
    host.timeWaitLast = 5890;
    host.timeWaitMax = 6012;
    host.cpuMean = 41.23456;
    host.cpuMax = 87.5;
    host.topLocalEndpoints = {
        {QStringLiteral("172.18.0.3:8080"), QStringLiteral("api"), QStringLiteral("service"),
         QStringLiteral("TIME_WAIT"), 5800},
        {QStringLiteral("10.0.0.5:41234"), QString(), QStringLiteral("client"),
         QStringLiteral("ESTABLISHED"), 3},
    };
    host.nodes = {
        {QStringLiteral("web-01/gateway/appnet"),
         QStringLiteral("gateway"),
         QStringLiteral("appnet gateway"),
         {QStringLiteral("172.18.0.1")}},
        {QStringLiteral("web-01/container/api"),
         QStringLiteral("container"),
         QStringLiteral("api"),
         {QStringLiteral("172.18.0.3")}},
    };
    HostReport::Edge edge;
    edge.from = QStringLiteral("web-01/gateway/appnet");
    edge.to = QStringLiteral("web-01/container/api");
    edge.service = QStringLiteral("172.18.0.3:8080");
    edge.states = {{QStringLiteral("TIME_WAIT"), 5800}, {QStringLiteral("ESTABLISHED"), 2}};
    edge.closer = QStringLiteral("server");
    host.edges = {edge};
    HostReport::LogRate log;
    log.source = QStringLiteral("/var/log/nginx/access.log");
    log.kind = QStringLiteral("file");
    log.totalRps = 12.34567;
    log.top = {{QStringLiteral("10.0.0.77"), QStringLiteral("POST"), QStringLiteral("/oauth/token"),
                11.9999}};
    host.logRates = {log};
    host.issues = {{QStringLiteral("netns"), QStringLiteral("2 namespaces could not be read")}};
    host.limits.localPortRange = std::pair(32768, 60999);
    host.limits.maxTimeWaitBuckets = 262144;
    host.limits.timeWaitReuse = true;
    host.limits.timeWaitReuseMode = 2;
    return host;
}

Finding fullFinding()
{
    Finding finding;
    finding.id = QStringLiteral("server-closes");
    finding.severity = Finding::Severity::Critical;
    finding.hostId = QStringLiteral("3f2a");
    finding.title = QStringLiteral("api (172.18.0.3:8080) closes its connections");
    finding.explanation = QStringLiteral("Who closes first holds TIME_WAIT.");
    finding.evidence = {
        {QStringLiteral("TIME_WAIT on 172.18.0.3:8080"), QStringLiteral("5,800 (98 %)"), 5800.0},
        {QStringLiteral("Closer"), QStringLiteral("server"), std::nullopt},
    };
    finding.remedies = {QStringLiteral("Keep upstream connections alive."),
                        QStringLiteral("upstream api {\n    keepalive 16;\n}")};
    return finding;
}

// Through the bytes and back, as a reader of the file sees it.
QJsonObject roundTrip(const QJsonObject &object)
{
    QJsonParseError error;
    const QJsonDocument document =
        QJsonDocument::fromJson(QJsonDocument(object).toJson(QJsonDocument::Indented), &error);
    EXPECT_EQ(error.error, QJsonParseError::NoError) << error.errorString().toStdString();
    return document.object();
}

} // namespace

TEST(ReportJson, EveryFieldFromHandBuiltFacts)
{
    const QJsonObject json = roundTrip(diagnosisJson({fullReport()}, {fullFinding()}, generatedAt));

    EXPECT_EQ(json.value(u"version").toString(), QStringLiteral(TWBENCH_VERSION));
    EXPECT_EQ(json.value(u"generated").toString(), QStringLiteral("2023-11-14T22:13:20Z"));
    ASSERT_TRUE(json.value(u"hosts").isArray());
    ASSERT_EQ(json.value(u"hosts").toArray().size(), 1);
    const QJsonObject host = json.value(u"hosts").toArray().at(0).toObject();
    EXPECT_EQ(host.value(u"id").toString(), QStringLiteral("3f2a"));
    EXPECT_EQ(host.value(u"name").toString(), QStringLiteral("web-01"));
    ASSERT_TRUE(host.value(u"samples").isDouble());
    EXPECT_EQ(host.value(u"samples").toInteger(), 31);

    const QJsonObject timeWait = host.value(u"timewait").toObject();
    EXPECT_EQ(timeWait.value(u"last").toInteger(), 5890);
    EXPECT_EQ(timeWait.value(u"max").toInteger(), 6012);
    const QJsonObject cpu = host.value(u"cpu_percent").toObject();
    EXPECT_DOUBLE_EQ(cpu.value(u"mean").toDouble(), 41.23); // two decimals
    EXPECT_DOUBLE_EQ(cpu.value(u"max").toDouble(), 87.5);

    const QJsonArray endpoints = host.value(u"top_local_endpoints").toArray();
    ASSERT_EQ(endpoints.size(), 2);
    const QJsonObject first = endpoints.at(0).toObject();
    EXPECT_EQ(first.value(u"endpoint").toString(), QStringLiteral("172.18.0.3:8080"));
    EXPECT_EQ(first.value(u"state").toString(), QStringLiteral("TIME_WAIT"));
    EXPECT_EQ(first.value(u"count").toInteger(), 5800);
    EXPECT_EQ(first.value(u"role").toString(), QStringLiteral("service"));
    EXPECT_EQ(first.value(u"container").toString(), QStringLiteral("api"));
    EXPECT_TRUE(endpoints.at(1).toObject().value(u"container").isNull());
    EXPECT_EQ(endpoints.at(1).toObject().value(u"role").toString(), QStringLiteral("client"));

    const QJsonObject topology = host.value(u"topology").toObject();
    const QJsonArray nodes = topology.value(u"nodes").toArray();
    ASSERT_EQ(nodes.size(), 2);
    const QJsonObject gateway = nodes.at(0).toObject();
    EXPECT_EQ(gateway.value(u"id").toString(), QStringLiteral("web-01/gateway/appnet"));
    EXPECT_EQ(gateway.value(u"kind").toString(), QStringLiteral("gateway"));
    EXPECT_EQ(gateway.value(u"label").toString(), QStringLiteral("appnet gateway"));
    ASSERT_TRUE(gateway.value(u"ips").isArray());
    EXPECT_EQ(gateway.value(u"ips").toArray().at(0).toString(), QStringLiteral("172.18.0.1"));
    const QJsonArray edges = topology.value(u"edges").toArray();
    ASSERT_EQ(edges.size(), 1);
    const QJsonObject edge = edges.at(0).toObject();
    EXPECT_EQ(edge.value(u"from").toString(), QStringLiteral("web-01/gateway/appnet"));
    EXPECT_EQ(edge.value(u"to").toString(), QStringLiteral("web-01/container/api"));
    EXPECT_EQ(edge.value(u"service").toString(), QStringLiteral("172.18.0.3:8080"));
    EXPECT_EQ(edge.value(u"closer").toString(), QStringLiteral("server"));
    const QJsonObject states = edge.value(u"states").toObject();
    EXPECT_EQ(states.size(), 2);
    EXPECT_EQ(states.value(u"TIME_WAIT").toInteger(), 5800);
    EXPECT_EQ(states.value(u"ESTABLISHED").toInteger(), 2);

    const QJsonArray logs = host.value(u"log_rates").toArray();
    ASSERT_EQ(logs.size(), 1);
    const QJsonObject log = logs.at(0).toObject();
    EXPECT_EQ(log.value(u"source").toString(), QStringLiteral("/var/log/nginx/access.log"));
    EXPECT_EQ(log.value(u"kind").toString(), QStringLiteral("file"));
    EXPECT_DOUBLE_EQ(log.value(u"total_rps").toDouble(), 12.346); // three decimals
    EXPECT_TRUE(log.value(u"error").isNull());
    const QJsonObject caller = log.value(u"top").toArray().at(0).toObject();
    EXPECT_EQ(caller.value(u"client").toString(), QStringLiteral("10.0.0.77"));
    EXPECT_EQ(caller.value(u"method").toString(), QStringLiteral("POST"));
    EXPECT_EQ(caller.value(u"path").toString(), QStringLiteral("/oauth/token"));
    EXPECT_DOUBLE_EQ(caller.value(u"rps").toDouble(), 12.0);

    const QJsonObject kernel = host.value(u"kernel").toObject();
    EXPECT_EQ(kernel.value(u"ip_local_port_range").toArray(), (QJsonArray{32768, 60999}));
    EXPECT_EQ(kernel.value(u"tcp_max_tw_buckets").toInteger(), 262144);
    EXPECT_EQ(kernel.value(u"tcp_tw_reuse").toInteger(), 2);
    const QJsonObject issue = host.value(u"issues").toArray().at(0).toObject();
    EXPECT_EQ(issue.value(u"source").toString(), QStringLiteral("netns"));
    EXPECT_FALSE(issue.value(u"message").toString().isEmpty());

    const QJsonArray findings = json.value(u"findings").toArray();
    ASSERT_EQ(findings.size(), 1);
    const QJsonObject finding = findings.at(0).toObject();
    EXPECT_EQ(finding.value(u"id").toString(), QStringLiteral("server-closes"));
    EXPECT_EQ(finding.value(u"severity").toString(), QStringLiteral("critical"));
    EXPECT_EQ(finding.value(u"host").toString(), QStringLiteral("web-01")); // the name, not the id
    EXPECT_EQ(finding.value(u"title").toString(),
              QStringLiteral("api (172.18.0.3:8080) closes its connections"));
    EXPECT_TRUE(finding.value(u"explanation").isString());
    const QJsonArray evidence = finding.value(u"evidence").toArray();
    ASSERT_EQ(evidence.size(), 2);
    EXPECT_EQ(evidence.at(0).toObject().value(u"label").toString(),
              QStringLiteral("TIME_WAIT on 172.18.0.3:8080"));
    EXPECT_EQ(evidence.at(0).toObject().value(u"value").toString(), QStringLiteral("5,800 (98 %)"));
    EXPECT_DOUBLE_EQ(evidence.at(0).toObject().value(u"number").toDouble(), 5800.0);
    EXPECT_FALSE(evidence.at(1).toObject().contains(u"number")); // none: no key at all
    const QJsonArray remedies = finding.value(u"remedies").toArray();
    ASSERT_EQ(remedies.size(), 2);
    EXPECT_EQ(remedies.at(1).toString(), QStringLiteral("upstream api {\n    keepalive 16;\n}"));
}

TEST(ReportJson, SeveritiesAndFindingsOfUnknownHosts)
{
    Finding warning = fullFinding();
    warning.severity = Finding::Severity::Warning;
    Finding info = fullFinding();
    info.severity = Finding::Severity::Info;
    info.hostId = QStringLiteral("elsewhere");
    const QJsonArray findings =
        diagnosisJson({fullReport()}, {warning, info}, generatedAt).value(u"findings").toArray();
    ASSERT_EQ(findings.size(), 2);
    EXPECT_EQ(findings.at(0).toObject().value(u"severity").toString(), QStringLiteral("warning"));
    EXPECT_EQ(findings.at(1).toObject().value(u"severity").toString(), QStringLiteral("info"));
    EXPECT_EQ(findings.at(1).toObject().value(u"host").toString(), QStringLiteral("elsewhere"));
}

TEST(ReportJson, UnknownNumbersAreNullAndListsEmpty)
{
    HostReport host;
    host.id = QStringLiteral("h");
    host.name = QStringLiteral("h");
    const QJsonObject json = roundTrip(diagnosisJson({host}, {}));
    // Without a time given: now, in UTC, to the second.
    const QDateTime generated =
        QDateTime::fromString(json.value(u"generated").toString(), Qt::ISODate);
    ASSERT_TRUE(generated.isValid());
    EXPECT_LT(qAbs(generated.secsTo(QDateTime::currentDateTimeUtc())), 60);
    EXPECT_TRUE(json.value(u"generated").toString().endsWith(u'Z'));
    EXPECT_TRUE(json.value(u"findings").isArray());
    EXPECT_TRUE(json.value(u"findings").toArray().isEmpty());

    const QJsonObject out = json.value(u"hosts").toArray().at(0).toObject();
    EXPECT_EQ(out.value(u"samples").toInteger(-1), 0);
    EXPECT_TRUE(out.value(u"timewait").toObject().value(u"last").isNull());
    EXPECT_TRUE(out.value(u"timewait").toObject().value(u"max").isNull());
    EXPECT_TRUE(out.value(u"cpu_percent").toObject().value(u"mean").isNull());
    EXPECT_TRUE(out.value(u"cpu_percent").toObject().value(u"max").isNull());
    for (const char16_t *key : {u"top_local_endpoints", u"log_rates", u"issues"}) {
        EXPECT_TRUE(out.value(key).isArray()) << QString::fromUtf16(key).toStdString();
        EXPECT_TRUE(out.value(key).toArray().isEmpty());
    }
    EXPECT_TRUE(out.value(u"topology").toObject().value(u"nodes").isArray());
    EXPECT_TRUE(out.value(u"topology").toObject().value(u"edges").isArray());
    const QJsonObject kernel = out.value(u"kernel").toObject();
    EXPECT_TRUE(kernel.value(u"ip_local_port_range").isNull());
    EXPECT_TRUE(kernel.value(u"tcp_max_tw_buckets").isNull());
    EXPECT_TRUE(kernel.value(u"tcp_tw_reuse").isNull());
}

TEST(ReportJson, NamesWithQuotesAndControlCharactersAreEscaped)
{
    // Remote data: a container name, a log path and a client as hostile as they come.
    const QString hostile = QStringLiteral("we\"b\\01\n\t\r\x01\x1b[31m") + QChar(0x2028) +
                            QChar(0x202e) + QStringLiteral("</script>");
    HostReport host = fullReport();
    host.name = hostile;
    host.topLocalEndpoints[0].container = hostile;
    host.nodes[0].label = hostile;
    host.logRates[0].source = hostile;
    host.logRates[0].top[0].path = hostile;
    Finding finding = fullFinding();
    finding.title = hostile;
    finding.evidence[0].value = hostile;

    const QByteArray bytes =
        QJsonDocument(diagnosisJson({host}, {finding}, generatedAt)).toJson(QJsonDocument::Compact);
    // Compact JSON has no raw control character at all: each one is escaped.
    for (const char c : bytes)
        EXPECT_FALSE(static_cast<unsigned char>(c) < 0x20) << int(c);
    EXPECT_TRUE(bytes.contains(R"(we\"b\\01\n\t\r\u0001\u001b[31m)")) << bytes.constData();

    // And a reader gets every character back exactly.
    const QJsonObject json = QJsonDocument::fromJson(bytes).object();
    const QJsonObject out = json.value(u"hosts").toArray().at(0).toObject();
    EXPECT_EQ(out.value(u"name").toString(), hostile);
    EXPECT_EQ(out.value(u"top_local_endpoints").toArray().at(0).toObject().value(u"container"),
              QJsonValue(hostile));
    EXPECT_EQ(out.value(u"topology")
                  .toObject()
                  .value(u"nodes")
                  .toArray()
                  .at(0)
                  .toObject()
                  .value(u"label"),
              QJsonValue(hostile));
    const QJsonObject log = out.value(u"log_rates").toArray().at(0).toObject();
    EXPECT_EQ(log.value(u"source").toString(), hostile);
    EXPECT_EQ(log.value(u"top").toArray().at(0).toObject().value(u"path").toString(), hostile);
    const QJsonObject outFinding = json.value(u"findings").toArray().at(0).toObject();
    EXPECT_EQ(outFinding.value(u"title").toString(), hostile);
    EXPECT_EQ(outFinding.value(u"host").toString(), hostile);
    EXPECT_EQ(outFinding.value(u"evidence").toArray().at(0).toObject().value(u"value").toString(),
              hostile);
}

TEST(ReportJson, NodeKindsClosersAndServices)
{
    EXPECT_EQ(reportNodeKind(NodeKind::Host), QStringLiteral("host"));
    EXPECT_EQ(reportNodeKind(NodeKind::HostService), QStringLiteral("process"));
    EXPECT_EQ(reportNodeKind(NodeKind::ComposeService), QStringLiteral("container"));
    EXPECT_EQ(reportNodeKind(NodeKind::Container), QStringLiteral("container"));
    EXPECT_EQ(reportNodeKind(NodeKind::Gateway), QStringLiteral("gateway"));
    EXPECT_EQ(reportNodeKind(NodeKind::External), QStringLiteral("external"));
    EXPECT_EQ(reportNodeKind(NodeKind::NetworkPeer), QStringLiteral("external"));
    EXPECT_EQ(reportNodeKind(NodeKind::Namespace), QStringLiteral("external"));
    EXPECT_EQ(reportCloser(Closer::Server), QStringLiteral("server"));
    EXPECT_EQ(reportCloser(Closer::Client), QStringLiteral("client"));
    EXPECT_EQ(reportCloser(Closer::Both), QStringLiteral("both"));
    EXPECT_EQ(reportCloser(Closer::Unknown), QStringLiteral("none"));

    TopologyNode api;
    api.addresses = {ip("172.18.0.3")};
    TopologyEdge edge;
    edge.servicePorts = {8080};
    EXPECT_EQ(reportService(api, edge), QStringLiteral("172.18.0.3:8080"));
    TopologyNode v6;
    v6.addresses = {ip("2001:db8::1")};
    EXPECT_EQ(reportService(v6, edge), QStringLiteral("[2001:db8::1]:8080"));
    edge.servicePorts = {80, 443};
    EXPECT_EQ(reportService(api, edge), QStringLiteral("80,443"));
    TopologyNode port; // a host's port node has no address of its own
    edge.servicePorts = {5432};
    EXPECT_EQ(reportService(port, edge), QStringLiteral("5432"));
    edge.servicePorts.clear();
    EXPECT_EQ(reportService(api, edge), QString());

    // The sockets say where the service is, from either end, when the node has no address.
    edge.servicePorts = {18081};
    edge.sockets = {{ep("127.0.0.1", 18081), ep("127.0.0.1", 51000), 0},
                    {ep("127.0.0.1", 51000), ep("127.0.0.1", 18081), 0},
                    {ep("127.0.0.1", 18081), ep("127.0.0.1", 51001), 0}};
    EXPECT_EQ(reportService(port, edge), QStringLiteral("127.0.0.1:18081"));
    // Two addresses on the same port: the port alone.
    edge.sockets.push_back({ep("10.0.0.5", 18081), ep("10.0.0.9", 40000), 0});
    EXPECT_EQ(reportService(port, edge), QStringLiteral("18081"));
}

TEST(ReportJson, TopologyFromTheBuilder)
{
    // The incident in small: the docker gateway calls the api container, which closes.
    constexpr std::uint64_t apiNs = 4026532999;
    Snapshot snapshot;
    snapshot.hostId = QStringLiteral("h");
    snapshot.sockets.push_back(
        sock(ep("0.0.0.0", 8080), ep("0.0.0.0", 0), TcpState::Listen, apiNs));
    for (int i = 0; i < 7; ++i) {
        snapshot.sockets.push_back(sock(ep("172.18.0.3", 8080),
                                        ep("172.18.0.1", std::uint16_t(40000 + i)),
                                        TcpState::TimeWait, apiNs));
    }
    snapshot.sockets.push_back(
        sock(ep("172.18.0.3", 8080), ep("172.18.0.1", 40100), TcpState::Established, apiNs));
    snapshot.finalize();
    DockerInventory inventory;
    Container container;
    container.id = QStringLiteral("a1");
    container.name = QStringLiteral("api");
    container.running = true;
    container.networkMode = QStringLiteral("appnet");
    ContainerNetwork network;
    network.name = QStringLiteral("appnet");
    network.ipAddress = ip("172.18.0.3");
    network.gateway = ip("172.18.0.1");
    container.networks.append(network);
    inventory.containers.push_back(container);
    NamespaceMap namespaces;
    namespaces.containerNetns.insert(QStringLiteral("a1"), apiNs);
    const Attribution attribution(snapshot, inventory, namespaces);
    const Topology topology = buildTopology(attribution, {}, QStringLiteral("h"));

    HostReport report;
    fillReportTopology(&report, topology);
    ASSERT_EQ(report.nodes.size(), qsizetype(topology.nodes.size()));
    const auto node = [&report](const QString &kind) -> const HostReport::Node * {
        for (const HostReport::Node &n : report.nodes) {
            if (n.kind == kind)
                return &n;
        }
        return nullptr;
    };
    ASSERT_NE(node(QStringLiteral("gateway")), nullptr);
    EXPECT_EQ(node(QStringLiteral("gateway"))->ips, QStringList{QStringLiteral("172.18.0.1")});
    ASSERT_NE(node(QStringLiteral("container")), nullptr);
    EXPECT_EQ(node(QStringLiteral("container"))->ips, QStringList{QStringLiteral("172.18.0.3")});
    ASSERT_EQ(report.edges.size(), 1);
    const HostReport::Edge &edge = report.edges.first();
    EXPECT_EQ(edge.from, node(QStringLiteral("gateway"))->id);
    EXPECT_EQ(edge.to, node(QStringLiteral("container"))->id);
    EXPECT_EQ(edge.service, QStringLiteral("172.18.0.3:8080"));
    EXPECT_EQ(edge.closer, QStringLiteral("server"));
    EXPECT_EQ(edge.states.value(QStringLiteral("TIME_WAIT")), 7);
    EXPECT_EQ(edge.states.value(QStringLiteral("ESTABLISHED")), 1);
    EXPECT_EQ(edge.states.size(), 2);

    // The endpoints of the same table name the container that holds them.
    const QList<HostReport::EndpointCount> rows =
        reportTopLocalEndpoints(snapshot, &inventory, &namespaces);
    ASSERT_EQ(rows.size(), 2);
    EXPECT_EQ(rows[0].endpoint, QStringLiteral("172.18.0.3:8080"));
    EXPECT_EQ(rows[0].state, QStringLiteral("TIME_WAIT"));
    EXPECT_EQ(rows[0].count, 7);
    EXPECT_EQ(rows[0].container, QStringLiteral("api"));
    EXPECT_EQ(rows[0].role, QStringLiteral("service"));
    EXPECT_EQ(rows[1].state, QStringLiteral("ESTABLISHED"));
}

TEST(ReportJson, TopLocalEndpointsByEndpointAndState)
{
    Snapshot snapshot;
    snapshot.sockets.push_back(sock(ep("0.0.0.0", 80), ep("0.0.0.0", 0), TcpState::Listen, 0));
    // 12 endpoints of decreasing size; :80 holds two states.
    for (int i = 0; i < 30; ++i) {
        snapshot.sockets.push_back(sock(ep("10.0.0.5", 80), ep("10.0.0.9", std::uint16_t(1000 + i)),
                                        TcpState::TimeWait, 0));
    }
    for (int i = 0; i < 4; ++i) {
        snapshot.sockets.push_back(sock(ep("10.0.0.5", 80), ep("10.0.0.9", std::uint16_t(2000 + i)),
                                        TcpState::Established, 0));
    }
    for (int e = 0; e < 12; ++e) {
        for (int i = 0; i <= e; ++i) {
            snapshot.sockets.push_back(sock(ep("10.0.0.5", std::uint16_t(50000 + e)),
                                            ep("10.0.0.7", std::uint16_t(3000 + i)),
                                            TcpState::TimeWait, 0));
        }
    }
    snapshot.finalize();
    const QList<HostReport::EndpointCount> rows =
        reportTopLocalEndpoints(snapshot, nullptr, nullptr);
    ASSERT_EQ(rows.size(), reportTopEndpoints);
    EXPECT_EQ(rows[0].endpoint, QStringLiteral("10.0.0.5:80"));
    EXPECT_EQ(rows[0].state, QStringLiteral("TIME_WAIT"));
    EXPECT_EQ(rows[0].count, 30);
    EXPECT_EQ(rows[0].role, QStringLiteral("service"));
    EXPECT_TRUE(rows[0].container.isEmpty());
    EXPECT_EQ(rows[1].endpoint, QStringLiteral("10.0.0.5:50011"));
    EXPECT_EQ(rows[1].count, 12);
    EXPECT_EQ(rows[1].role, QStringLiteral("client"));
    for (qsizetype i = 1; i < rows.size(); ++i)
        EXPECT_GE(rows[i - 1].count, rows[i].count);
    for (const HostReport::EndpointCount &row : rows)
        EXPECT_NE(row.state, QStringLiteral("LISTEN"));
    // Ties keep the endpoint order, so equal tables give equal files.
    const QList<HostReport::EndpointCount> again =
        reportTopLocalEndpoints(snapshot, nullptr, nullptr);
    for (qsizetype i = 0; i < rows.size(); ++i)
        EXPECT_EQ(rows[i].endpoint + rows[i].state, again[i].endpoint + again[i].state);
}

TEST(ReportJson, LogRatesMergeStatusesPerCaller)
{
    AccessLogStats stats;
    const auto window = [](const QString &source, std::int64_t toMs,
                           const QList<RequestCount> &keys) {
        LogWindow w;
        w.sourceId = source;
        w.fromMs = toMs - 1000;
        w.toMs = toMs;
        w.keys = keys;
        for (const RequestCount &key : keys)
            w.requests += key.count;
        return w;
    };
    const RequestKey ok{QStringLiteral("10.0.0.77"), QStringLiteral("POST"),
                        QStringLiteral("/oauth/token"), 200};
    RequestKey refused = ok;
    refused.status = 429;
    const RequestKey other{QStringLiteral("10.0.0.8"), QStringLiteral("GET"),
                           QStringLiteral("/health"), 200};
    for (int s = 1; s <= 20; ++s) {
        EXPECT_TRUE(stats.add(window(QStringLiteral("/var/log/nginx/access.log"), T0 + 1000 * s,
                                     {{ok, 6}, {refused, 4}, {other, 1}})));
        EXPECT_TRUE(stats.add(window(QStringLiteral("container:web"), T0 + 1000 * s, {})));
    }
    const QList<HostReport::LogRate> rates = reportLogRates(stats, 20'001);
    ASSERT_EQ(rates.size(), 2);
    EXPECT_EQ(rates[0].source, QStringLiteral("/var/log/nginx/access.log"));
    EXPECT_EQ(rates[0].kind, QStringLiteral("file"));
    EXPECT_NEAR(rates[0].totalRps, 11.0, 0.5);
    ASSERT_EQ(rates[0].top.size(), 2);
    EXPECT_EQ(rates[0].top[0].client, QStringLiteral("10.0.0.77"));
    EXPECT_EQ(rates[0].top[0].method, QStringLiteral("POST"));
    EXPECT_EQ(rates[0].top[0].path, QStringLiteral("/oauth/token"));
    EXPECT_NEAR(rates[0].top[0].rps, 10.0, 0.5); // 200s and 429s together
    EXPECT_NEAR(rates[0].top[1].rps, 1.0, 0.1);
    EXPECT_EQ(rates[1].source, QStringLiteral("web"));
    EXPECT_EQ(rates[1].kind, QStringLiteral("container"));
    EXPECT_DOUBLE_EQ(rates[1].totalRps, 0.0);
    EXPECT_TRUE(rates[1].top.isEmpty());
}

TEST(ReportJson, HostReportFromATimelineAndATable)
{
    Timeline timeline;
    const std::int64_t timeWaits[] = {100, 300, 200};
    for (int s = 0; s < 3; ++s) {
        HostSample sample;
        sample.hostId = QStringLiteral("h");
        sample.sequence = std::uint64_t(s + 1);
        sample.epochMs = T0 + 1000 * s;
        sample.counters.values.insert(counter::TimeWait, timeWaits[s]);
        sample.procStat.valid = true;
        // 25 % busy in the first second, 75 % in the second.
        sample.procStat.all.user = s == 0 ? 0 : s == 1 ? 25 : 100;
        sample.procStat.all.idle = s == 0 ? 0 : s == 1 ? 75 : 100;
        ASSERT_TRUE(timeline.add(sample));
    }
    auto table = std::make_shared<Snapshot>();
    table->sockets.push_back(
        sock(ep("127.0.0.1", 9000), ep("127.0.0.1", 45000), TcpState::TimeWait, 0));
    table->finalize();

    DiagnosisInput input;
    input.hostId = QStringLiteral("h");
    input.hostLabel = QStringLiteral("lab");
    input.timeline = &timeline;
    input.table = table;
    input.limits.maxTimeWaitBuckets = 4096;
    input.fromMs = T0;
    input.toMs = T0 + 2000;
    const HostReport report =
        hostReport(input, 3, {{QStringLiteral("ss"), QStringLiteral("ss: not found")}});
    EXPECT_EQ(report.id, QStringLiteral("h"));
    EXPECT_EQ(report.name, QStringLiteral("lab"));
    EXPECT_EQ(report.samples, 3);
    EXPECT_EQ(report.timeWaitLast, 200);
    EXPECT_EQ(report.timeWaitMax, 300);
    ASSERT_TRUE(report.cpuMean.has_value());
    EXPECT_NEAR(*report.cpuMean, 50.0, 0.01);
    EXPECT_NEAR(report.cpuMax.value_or(0), 75.0, 0.01);
    ASSERT_EQ(report.topLocalEndpoints.size(), 1);
    EXPECT_EQ(report.topLocalEndpoints[0].endpoint, QStringLiteral("127.0.0.1:9000"));
    EXPECT_EQ(report.limits.maxTimeWaitBuckets, 4096);
    ASSERT_EQ(report.issues.size(), 1);
    EXPECT_EQ(report.issues[0].message, QStringLiteral("ss: not found"));
    EXPECT_TRUE(report.nodes.isEmpty()); // no topology given
    EXPECT_TRUE(report.logRates.isEmpty());
}
