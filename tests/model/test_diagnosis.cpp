#include "socketbuilders.h"

#include "model/diagnosis/diagnosis.h"
#include "model/topologybuilder.h"

#include <QLocale>

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <memory>

using namespace twbench;
using twbench::test::ep;
using twbench::test::ip;
using twbench::test::sock;

// The fixtures are shaped like an incident of the kind twbench is for, with names, addresses,
// ports and rates of their own: a proxy "front/edge" in a container, called through its
// network's gateway by other containers, passing every request to "billingd" on a port of the
// host, which closes each connection; a loop fetching a token through the proxy. And the same
// host in good health: keep-alive, people, a small TIME_WAIT.

namespace {

constexpr std::int64_t T0 = 1'781'234'567'891; // lines up with nothing
constexpr std::uint64_t edgeNs = 4026532701u;
constexpr std::uint64_t appNs = 4026532702u;
constexpr std::uint64_t cronNs = 4026532703u;
constexpr std::uint64_t ledgerNs = 4026532704u;
const QString hostName = QStringLiteral("app-07");
const QString edgeLog = QStringLiteral("container:front-edge-1");

Container container(const char *id, const char *name, const char *project, const char *service,
                    const char *address, const char *network = "front_net",
                    const char *gateway = "172.31.5.1")
{
    Container c;
    c.id = QString(QLatin1String(id)).repeated(64 / int(qstrlen(id)) + 1).left(64);
    c.name = QLatin1String(name);
    c.composeProject = QLatin1String(project);
    c.composeService = QLatin1String(service);
    c.running = true;
    c.state = QStringLiteral("running");
    c.networkMode = QLatin1String(network);
    ContainerNetwork n;
    n.name = QLatin1String(network);
    n.ipAddress = ip(address);
    n.gateway = ip(gateway);
    c.networks.append(n);
    return c;
}

RequestKey key(const char *client, const char *method, const char *path, int status = 200)
{
    return {QLatin1String(client), QLatin1String(method), QLatin1String(path), status};
}

// One host, owning everything a DiagnosisInput points at.
struct Host
{
    Snapshot snapshot;
    DockerInventory inventory;
    NamespaceMap namespaces;
    std::unique_ptr<Attribution> attribution;
    Topology topology;
    Timeline timeline;
    AccessLogStats logs;
    KernelCounters counters;
    KernelLimits limits;
    std::int64_t fromMs = T0;
    std::int64_t toMs = T0 + 300'000;

    Host()
    {
        snapshot.hostId = hostName;
        limits.localPortRange = std::pair(32768, 60999);
        limits.maxTimeWaitBuckets = 262144;
        limits.timeWaitReuse = true;
        limits.timeWaitReuseMode = 2;
    }

    void add(const Socket &socket) { snapshot.sockets.push_back(socket); }
    void listen(std::uint16_t port, std::uint64_t netns, std::uint32_t pid = 0)
    {
        Socket socket = sock(ep("0.0.0.0", port), ep("0.0.0.0", 0), TcpState::Listen, netns);
        socket.pid = pid;
        add(socket);
    }
    // `count` connections peer → local, as the server end sees them.
    void serverEnds(const Endpoint &local, const char *peer, std::uint16_t firstPort, int count,
                    TcpState state, std::uint64_t netns)
    {
        for (int i = 0; i < count; ++i)
            add(sock(local, ep(peer, std::uint16_t(firstPort + i)), state, netns));
    }
    // `count` connections local → remote, as the client end sees them.
    void clientEnds(const char *local, std::uint16_t firstPort, const Endpoint &remote, int count,
                    TcpState state, std::uint64_t netns)
    {
        for (int i = 0; i < count; ++i)
            add(sock(ep(local, std::uint16_t(firstPort + i)), remote, state, netns));
    }

    void finish()
    {
        snapshot.finalize();
        attribution = std::make_unique<Attribution>(snapshot, inventory, namespaces);
        topology = buildTopology(*attribution, TopologyBuilder::Options(), hostName);
    }

    DiagnosisInput input() const
    {
        DiagnosisInput in;
        in.hostId = QStringLiteral("key-") + hostName;
        in.hostLabel = hostName;
        in.attribution = attribution.get();
        in.topology = &topology;
        in.timeline = &timeline;
        in.accessLogs = &logs;
        in.counters = counters;
        in.limits = limits;
        in.fromMs = fromMs;
        in.toMs = toMs;
        return in;
    }
};

// The docker side both shapes share: the proxy, two callers that cannot be read, and an
// exporter on another network.
void addInventory(Host &host)
{
    Container edge = container("e1", "front-edge-1", "front", "edge", "172.31.5.2");
    ContainerPort published;
    published.port = 8443;
    published.protocol = QStringLiteral("tcp");
    published.bindings.append(PortBinding{std::nullopt, 8443});
    edge.ports.append(published);
    host.inventory.containers = {
        edge,
        container("a2", "front-app-1", "front", "app", "172.31.5.3"),
        container("c3", "front-cron-1", "front", "cron", "172.31.5.4"),
        container("m4", "mon-exporter-1", "", "", "172.31.9.2", "mon_net", "172.31.9.1"),
    };
    DockerNetwork front;
    front.name = QStringLiteral("front_net");
    front.subnets.append(*IpSubnet::parse("172.31.5.0/24"));
    front.gateways.append(ip("172.31.5.1"));
    host.inventory.networks.push_back(front);
    host.namespaces.containerNetns = {{host.inventory.containers[0].id, edgeNs},
                                      {host.inventory.containers[1].id, appNs},
                                      {host.inventory.containers[2].id, cronNs}};
    host.namespaces.unreadable = {appNs, cronNs};
}

// Counters and CPU, one sample a second. `perSecond(i)` gives the new connections, the sockets
// entering TIME_WAIT and the busy CPU share (%) of second i.
struct Second
{
    double opened = 0;
    double enteredTimeWait = 0;
    double cpuPercent = 0;
    double requests = -1; // logged through the proxy; < 0: no log window
    std::optional<double> containerCpuPercent;
};

Second second(double opened, double enteredTimeWait, double cpuPercent)
{
    Second s;
    s.opened = opened;
    s.enteredTimeWait = enteredTimeWait;
    s.cpuPercent = cpuPercent;
    return s;
}

void feedTimeline(Host &host, int seconds, std::int64_t timeWaitNow,
                  const std::function<Second(int)> &perSecond)
{
    double opens = 1'000'000, timeWaits = 500'000, busy = 1e6, idle = 9e6, usage = 1e9;
    for (int i = 0; i <= seconds; ++i) {
        const Second s = i == 0 ? Second{} : perSecond(i);
        opens += s.opened;
        timeWaits += s.enteredTimeWait;
        busy += s.cpuPercent * 10.0; // 1,000 ticks a second
        idle += 1000.0 - s.cpuPercent * 10.0;
        HostSample sample;
        sample.hostId = hostName;
        sample.sequence = std::uint64_t(i + 1);
        sample.epochMs = T0 + 1000 * i;
        sample.counters.values.insert(counter::ActiveOpens, 0);
        sample.counters.values.insert(counter::PassiveOpens, std::int64_t(std::llround(opens)));
        sample.counters.values.insert(counter::TwCreated, std::int64_t(std::llround(timeWaits)));
        sample.counters.values.insert(counter::TimeWait, timeWaitNow);
        sample.procStat.valid = true;
        sample.procStat.all.user = std::uint64_t(std::llround(busy));
        sample.procStat.all.idle = std::uint64_t(std::llround(idle));
        if (s.requests >= 0 && i > 0) {
            LogWindow window;
            window.sourceId = edgeLog;
            window.fromMs = sample.epochMs - 1000;
            window.toMs = sample.epochMs;
            window.requests = std::llround(s.requests);
            sample.logs.append(window);
        }
        if (s.containerCpuPercent || i == 0) {
            usage += s.containerCpuPercent.value_or(0) * 10'000.0; // µs in one second
            ContainerCpuTime time;
            time.containerId = host.inventory.containers.empty() ? QString(64, u'f')
                                                                 : host.inventory.containers[0].id;
            time.usageUsec = std::uint64_t(std::llround(usage));
            time.source = QStringLiteral("v2-pid");
            sample.containerCpu.append(time);
            sample.onlineCpus = 2;
        }
        ASSERT_TRUE(host.timeline.add(sample));
    }
    host.counters.values.insert(counter::TimeWait, timeWaitNow);
    host.counters.values.insert(counter::TwOverflow, 0);
}

// A loop: `perSecond` ± 1 requests of one caller each second, through the proxy's log.
void feedLoop(AccessLogStats &logs, int seconds, const RequestKey &request, int perSecond,
              std::int64_t from = T0)
{
    for (int s = 0; s < seconds; ++s) {
        LogWindow window;
        window.sourceId = edgeLog;
        window.fromMs = from + s * 1000;
        window.toMs = window.fromMs + 1000;
        window.keys = {{request, perSecond - 1 + s % 3}};
        window.requests = window.keys.first().count;
        logs.add(window);
    }
}

// People: bursts of clicks with minutes of reading between them.
void feedPeople(AccessLogStats &logs, int seconds, std::int64_t from = T0)
{
    for (int s = 0; s < seconds; ++s) {
        LogWindow window;
        window.sourceId = edgeLog;
        window.fromMs = from + s * 1000;
        window.toMs = window.fromMs + 1000;
        const int phase = s % 97;
        if (phase < 3)
            window.keys = {{key("192.0.2.41", "GET", "/dashboard"), 6 + phase * 4}};
        else if (phase == 40)
            window.keys = {{key("192.0.2.41", "GET", "/reports/{id}"), 2}};
        for (const RequestCount &count : window.keys)
            window.requests += count.count;
        logs.add(window);
    }
}

// The incident's shape: containers → gateway → front/edge:8443 → billingd on the host's
// 10.44.0.7:9090, which closes; a token fetched in a loop through the proxy.
std::unique_ptr<Host> loopHost()
{
    auto host = std::make_unique<Host>();
    addInventory(*host);
    host->listen(22, 0);
    host->listen(9090, 0, 4100);
    host->snapshot.processNames.insert(4100, QStringLiteral("billingd"));
    host->add(sock(ep("10.44.0.7", 22), ep("192.0.2.200", 51000), TcpState::Established, 0));
    // edge → billingd: the server end holds TIME_WAIT; two live ones seen from both ends.
    host->serverEnds(ep("10.44.0.7", 9090), "172.31.5.2", 30000, 400, TcpState::TimeWait, 0);
    host->serverEnds(ep("10.44.0.7", 9090), "172.31.5.2", 31000, 2, TcpState::Established, 0);
    host->clientEnds("172.31.5.2", 31000, ep("10.44.0.7", 9090), 2, TcpState::Established, edgeNs);
    // gateway → edge: the proxy closes its callers' connections too.
    host->listen(8443, edgeNs);
    host->serverEnds(ep("172.31.5.2", 8443), "172.31.5.1", 40000, 150, TcpState::TimeWait, edgeNs);
    host->serverEnds(ep("172.31.5.2", 8443), "172.31.5.1", 41000, 3, TcpState::Established, edgeNs);
    host->finish();

    // 400 TIME_WAIT in the host's namespace: 400 / 60 s ≈ 6.7 new a second, as counted.
    feedTimeline(*host, 300, 400, [](int i) {
        return Second{9.0, i % 3 == 0 ? 6.0 : 7.0, 38.0 + (i % 5) * 0.5, -1, std::nullopt};
    });
    feedLoop(host->logs, 300, key("172.31.5.1", "POST", "/v2/oauth/token"), 7);
    return host;
}

// The same layout in good health: the proxy keeps its upstream connections (and closes the
// odd one itself), external people call it, TIME_WAIT is small and the CPU idles.
std::unique_ptr<Host> healthyHost()
{
    auto host = std::make_unique<Host>();
    addInventory(*host);
    host->listen(22, 0);
    host->listen(9090, 0, 4100);
    host->snapshot.processNames.insert(4100, QStringLiteral("billingd"));
    host->serverEnds(ep("10.44.0.7", 9090), "172.31.5.2", 31000, 12, TcpState::Established, 0);
    host->clientEnds("172.31.5.2", 31000, ep("10.44.0.7", 9090), 12, TcpState::Established, edgeNs);
    host->clientEnds("172.31.5.2", 32000, ep("10.44.0.7", 9090), 3, TcpState::TimeWait, edgeNs);
    host->listen(8443, edgeNs);
    host->serverEnds(ep("172.31.5.2", 8443), "192.0.2.41", 50000, 20, TcpState::Established,
                     edgeNs);
    host->serverEnds(ep("172.31.5.2", 8443), "192.0.2.41", 51000, 4, TcpState::TimeWait, edgeNs);
    host->serverEnds(ep("10.44.0.7", 9090), "172.31.5.2", 33000, 2, TcpState::CloseWait, 0);
    host->finish();

    feedTimeline(*host, 300, 6, [](int i) {
        // Connections come and go with the people; the CPU wanders on its own.
        const double opened = i % 97 < 3 ? 4.0 : 0.0;
        const double cpu = 2.0 + double((i * 7919) % 13) / 4.0;
        return Second{opened, opened * 0.3, cpu, -1, std::nullopt};
    });
    feedPeople(host->logs, 300);
    return host;
}

QList<Finding> only(const QList<Finding> &findings, const char *id)
{
    QList<Finding> out;
    for (const Finding &finding : findings) {
        if (finding.id == QLatin1String(id))
            out.append(finding);
    }
    return out;
}

const Finding::Evidence *evidenceWith(const Finding &finding, const QString &labelPart)
{
    for (const Finding::Evidence &evidence : finding.evidence) {
        if (evidence.label.contains(labelPart))
            return &evidence;
    }
    return nullptr;
}

QString allText(const Finding &finding)
{
    QStringList parts{finding.title, finding.explanation};
    for (const Finding::Evidence &evidence : finding.evidence)
        parts << evidence.label << evidence.value;
    parts << finding.remedies;
    return parts.join(u'\n');
}

// Tests that compare whole texts pin the locale, and put it back.
class LocaleGuard
{
public:
    explicit LocaleGuard(const QLocale &locale) { QLocale::setDefault(locale); }
    ~LocaleGuard() { QLocale::setDefault(m_previous); }
    Q_DISABLE_COPY_MOVE(LocaleGuard)

private:
    QLocale m_previous;
};

const QString edgeNode = QStringLiteral("app-07/compose/front/edge");
const QString billingNode = QStringLiteral("app-07/port/9090");
const QString gatewayNode = QStringLiteral("app-07/gateway/front_net");

} // namespace

// ---- the whole picture ------------------------------------------------------------------------

TEST(Diagnosis, IncidentShapedHostGivesEveryStatementSortedBySeverity)
{
    const auto host = loopHost();
    const QList<Finding> findings = diagnose(host->input());
    QStringList ids;
    for (const Finding &finding : findings)
        ids << severityId(finding.severity) + u' ' + finding.id;
    EXPECT_EQ(ids, (QStringList{
                       QStringLiteral("critical server-closes"),  // billingd
                       QStringLiteral("warning gateway-callers"), // → edge
                       QStringLiteral("warning polling-loop"),    // the token
                       QStringLiteral("warning server-closes"),   // edge
                       QStringLiteral("warning upstream-no-keepalive"),
                       QStringLiteral("info churn-rate"),
                   }))
        << ids.join(u'\n').toStdString();
    for (const Finding &finding : findings) {
        EXPECT_EQ(finding.hostId, QStringLiteral("key-app-07"));
        EXPECT_FALSE(finding.title.isEmpty());
        EXPECT_FALSE(finding.explanation.isEmpty());
        EXPECT_FALSE(finding.evidence.isEmpty());
        EXPECT_FALSE(finding.remedies.isEmpty()) << finding.id.toStdString();
        for (const QString &edge : finding.topologyEdges)
            EXPECT_NE(host->topology.edge(edge.section(QStringLiteral(" > "), 0, 0),
                                          edge.section(QStringLiteral(" > "), 1, 1)),
                      nullptr)
                << edge.toStdString();
    }
}

TEST(Diagnosis, HealthyHostGivesNoFindings)
{
    const auto host = healthyHost();
    const QList<Finding> findings = diagnose(host->input());
    for (const Finding &finding : findings)
        ADD_FAILURE() << finding.id.toStdString() << ": " << finding.title.toStdString();
}

TEST(Diagnosis, MissingSourcesLeaveRulesSilentNotCrashing)
{
    EXPECT_TRUE(diagnose(DiagnosisInput{}).isEmpty());

    // Only a table: the attribution and topology are built from it.
    const auto host = loopHost();
    DiagnosisInput tableOnly;
    tableOnly.table = std::make_shared<Snapshot>(host->snapshot);
    tableOnly.docker = std::make_shared<DockerInventory>(host->inventory);
    tableOnly.namespaces = std::make_shared<NamespaceMap>(host->namespaces);
    const QList<Finding> findings = diagnose(tableOnly);
    EXPECT_EQ(only(findings, "server-closes").size(), 2);
    EXPECT_EQ(only(findings, "upstream-no-keepalive").size(), 1);
    EXPECT_EQ(only(findings, "gateway-callers").size(), 1);
    EXPECT_EQ(only(findings, "churn-rate").size(), 1); // from the table's 550
    EXPECT_TRUE(only(findings, "polling-loop").isEmpty());
    for (const Finding &finding : findings)
        EXPECT_EQ(finding.hostId, hostName); // the table's host
}

// ---- server-closes ----------------------------------------------------------------------------

TEST(ServerCloses, NamesTheServiceThatHoldsTheTimeWait)
{
    const auto host = loopHost();
    const QList<Finding> findings = only(diagnose(host->input()), "server-closes");
    ASSERT_EQ(findings.size(), 2);

    const Finding &billing = findings[0];
    EXPECT_EQ(billing.severity, Finding::Severity::Critical);
    EXPECT_TRUE(billing.title.startsWith(QStringLiteral("billingd (port 9090) closes its own")))
        << billing.title.toStdString();
    EXPECT_EQ(billing.tableFilter, QStringLiteral("10.44.0.7:9090"));
    EXPECT_EQ(billing.topologyEdges, QStringList{edgeNode + QStringLiteral(" > ") + billingNode});
    ASSERT_NE(evidenceWith(billing, QStringLiteral("TIME_WAIT on")), nullptr);
    EXPECT_EQ(evidenceWith(billing, QStringLiteral("TIME_WAIT on"))->number, 400.0);
    ASSERT_NE(evidenceWith(billing, QStringLiteral("Share")), nullptr);
    EXPECT_NEAR(evidenceWith(billing, QStringLiteral("Share"))->number.value_or(0), 400.0 / 550.0,
                1e-9);
    EXPECT_EQ(evidenceWith(billing, QStringLiteral("ESTABLISHED"))->number, 2.0);
    EXPECT_NEAR(evidenceWith(billing, QStringLiteral("per second"))->number.value_or(0),
                400.0 / 60.0, 1e-9);
    ASSERT_NE(evidenceWith(billing, QStringLiteral("Callers")), nullptr);
    EXPECT_EQ(evidenceWith(billing, QStringLiteral("Callers"))->value,
              QStringLiteral("front/edge"));
    const QString remedies = billing.remedies.join(u'\n');
    EXPECT_TRUE(remedies.contains(QStringLiteral("keep-alive")));
    EXPECT_TRUE(remedies.contains(QStringLiteral("SO_LINGER")));

    const Finding &edge = findings[1];
    EXPECT_EQ(edge.severity, Finding::Severity::Warning); // 27 % of the host's
    EXPECT_TRUE(edge.title.startsWith(
        QStringLiteral("edge (compose service front/edge) closes its own connections")))
        << edge.title.toStdString();
    EXPECT_EQ(edge.tableFilter, QStringLiteral("172.31.5.2:8443"));
    EXPECT_EQ(edge.topologyEdges, QStringList{gatewayNode + QStringLiteral(" > ") + edgeNode});
}

TEST(ServerCloses, TitleReadsLikeAnExpertWithTheLocalesNumbers)
{
    const LocaleGuard guard(QLocale(QLocale::English, QLocale::UnitedStates));
    Host host;
    Container ledger = container("b5", "ledger-billing-1", "ledger", "billing", "172.31.5.9");
    host.inventory.containers = {ledger};
    host.namespaces.containerNetns = {{ledger.id, ledgerNs}};
    host.listen(9090, ledgerNs);
    host.serverEnds(ep("172.31.5.9", 9090), "172.31.5.20", 20000, 1250, TcpState::TimeWait,
                    ledgerNs);
    host.clientEnds("10.44.0.7", 20000, ep("192.0.2.80", 443), 50, TcpState::TimeWait, 0);
    host.finish();
    const QList<Finding> findings = only(diagnose(host.input()), "server-closes");
    ASSERT_EQ(findings.size(), 1);
    EXPECT_EQ(findings[0].title,
              QStringLiteral("billing (compose service ledger/billing) closes its own "
                             "connections: 1,250 TIME_WAIT, 96 % of the host's"));
    EXPECT_EQ(findings[0].severity, Finding::Severity::Critical);
    EXPECT_EQ(findings[0].tableFilter, QStringLiteral("172.31.5.9:9090"));
}

// Thousands of callers would make one line of text as long as the table: the evidence names the
// first twelve and counts the rest, while the graph still highlights every edge.
TEST(ServerCloses, NamesTheFirstCallersAndCountsTheRest)
{
    Host host;
    host.listen(8080, 0);
    constexpr int callers = 40;
    for (int caller = 0; caller < callers; ++caller) {
        const QByteArray peer =
            QStringLiteral("198.18.%1.%2").arg(caller / 200).arg(caller % 200 + 1).toLatin1();
        host.serverEnds(ep("10.0.0.5", 8080), peer.constData(), 40000, 30, TcpState::TimeWait, 0);
    }
    host.finish();
    const QList<Finding> findings = only(diagnose(host.input()), "server-closes");
    ASSERT_EQ(findings.size(), 1);
    const Finding &finding = findings.front();
    EXPECT_EQ(finding.topologyEdges.size(), callers);
    const Finding::Evidence *named = evidenceWith(finding, QStringLiteral("Callers it closes on"));
    ASSERT_NE(named, nullptr);
    const QStringList parts = named->value.split(QStringLiteral(", "));
    ASSERT_EQ(parts.size(), 13) << named->value.toStdString();
    EXPECT_TRUE(parts.front().contains(QStringLiteral("198.18.0."))) << parts.front().toStdString();
    EXPECT_EQ(parts.back(), QStringLiteral("and 28 more"));
}

TEST(ServerCloses, SilentWhenClientsCloseOrThePileIsSmall)
{
    EXPECT_TRUE(only(diagnose(healthyHost()->input()), "server-closes").isEmpty());

    // Below the count, or below the share.
    const auto host = loopHost();
    DiagnosisOptions options;
    options.serverClosesMinTimeWait = 401;
    EXPECT_TRUE(only(diagnose(host->input(), options), "server-closes").isEmpty());
    options = DiagnosisOptions();
    options.serverClosesMinShare = 0.75;
    EXPECT_TRUE(only(diagnose(host->input(), options), "server-closes").isEmpty());
    options.serverClosesMinShare = 0.5;
    EXPECT_EQ(only(diagnose(host->input(), options), "server-closes").size(), 1);

    // The host as the client of a service elsewhere holds TIME_WAIT on ephemeral ports: its
    // own choice, not a service of it closing.
    Host client;
    client.clientEnds("10.44.0.7", 40000, ep("192.0.2.80", 443), 500, TcpState::TimeWait, 0);
    client.finish();
    EXPECT_TRUE(only(diagnose(client.input()), "server-closes").isEmpty());
}

// ---- upstream-no-keepalive --------------------------------------------------------------------

TEST(UpstreamNoKeepalive, ProxyOpensAConnectionPerRequest)
{
    const auto host = loopHost();
    const QList<Finding> findings = only(diagnose(host->input()), "upstream-no-keepalive");
    ASSERT_EQ(findings.size(), 1);
    const Finding &finding = findings[0];
    EXPECT_EQ(finding.severity, Finding::Severity::Warning);
    EXPECT_TRUE(finding.title.startsWith(QStringLiteral("front/edge opens a new connection to")))
        << finding.title.toStdString();
    EXPECT_EQ(finding.topologyEdges, QStringList{edgeNode + QStringLiteral(" > ") + billingNode});
    EXPECT_EQ(finding.tableFilter, QStringLiteral("10.44.0.7:9090"));
    EXPECT_EQ(evidenceWith(finding, QStringLiteral("TIME_WAIT on it"))->number, 400.0);
    EXPECT_EQ(evidenceWith(finding, QStringLiteral("ESTABLISHED on it"))->number, 2.0);
    // The log says about 7 requests a second went through; 400 / 60 s ≈ 6.7 new upstream
    // connections: one per request.
    ASSERT_NE(evidenceWith(finding, QStringLiteral("per request")), nullptr);
    EXPECT_NEAR(evidenceWith(finding, QStringLiteral("per request"))->number.value_or(0), 0.95,
                0.06);

    const QString remedies = finding.remedies.join(u'\n');
    EXPECT_TRUE(remedies.contains(QStringLiteral("upstream ")));
    EXPECT_TRUE(remedies.contains(QStringLiteral("server 10.44.0.7:9090;")));
    EXPECT_TRUE(remedies.contains(QStringLiteral("keepalive 16;")));
    EXPECT_TRUE(remedies.contains(QStringLiteral("proxy_http_version 1.1;")));
    EXPECT_TRUE(remedies.contains(QStringLiteral("proxy_set_header Connection \"\";")));
}

TEST(UpstreamNoKeepalive, RateAloneTellsWhenTheEdgeLooksBusy)
{
    // 30 live upstream connections hide 60 TIME_WAIT from the ratio, but 60 / 60 s = 1 new
    // connection a second for the 1 request a second the log shows.
    const auto build = [](bool withLog) {
        auto host = std::make_unique<Host>();
        addInventory(*host);
        host->listen(9090, 0);
        host->serverEnds(ep("10.44.0.7", 9090), "172.31.5.2", 30000, 60, TcpState::TimeWait, 0);
        host->clientEnds("172.31.5.2", 31000, ep("10.44.0.7", 9090), 30, TcpState::Established,
                         edgeNs);
        host->listen(8443, edgeNs);
        host->serverEnds(ep("172.31.5.2", 8443), "192.0.2.41", 50000, 5, TcpState::Established,
                         edgeNs);
        host->finish();
        if (withLog)
            feedLoop(host->logs, 120, key("192.0.2.41", "GET", "/cart"), 1);
        return host;
    };
    EXPECT_EQ(only(diagnose(build(true)->input()), "upstream-no-keepalive").size(), 1);
    EXPECT_TRUE(only(diagnose(build(false)->input()), "upstream-no-keepalive").isEmpty());
}

TEST(UpstreamNoKeepalive, SilentWithAKeepalivePoolOrWithoutCallers)
{
    EXPECT_TRUE(only(diagnose(healthyHost()->input()), "upstream-no-keepalive").isEmpty());

    // A client that is not a proxy (nobody calls it) is not this rule's business.
    Host host;
    addInventory(host);
    host.listen(9090, 0);
    host.serverEnds(ep("10.44.0.7", 9090), "172.31.5.2", 30000, 400, TcpState::TimeWait, 0);
    host.finish();
    EXPECT_TRUE(only(diagnose(host.input()), "upstream-no-keepalive").isEmpty());
}

// ---- gateway-callers --------------------------------------------------------------------------

TEST(GatewayCallers, NamesTheContainersThatCouldBeBehindIt)
{
    const auto host = loopHost();
    const QList<Finding> findings = only(diagnose(host->input()), "gateway-callers");
    ASSERT_EQ(findings.size(), 1);
    const Finding &finding = findings[0];
    EXPECT_EQ(finding.severity, Finding::Severity::Warning); // 150 TIME_WAIT on the edge
    EXPECT_TRUE(finding.title.startsWith(QStringLiteral(
        "front/edge is called by containers on this host through the front_net gateway")))
        << finding.title.toStdString();
    EXPECT_TRUE(finding.title.contains(QStringLiteral("153 connection(s)")));
    EXPECT_EQ(finding.topologyEdges, QStringList{gatewayNode + QStringLiteral(" > ") + edgeNode});
    EXPECT_EQ(finding.tableFilter, QStringLiteral("172.31.5.1"));
    const Finding::Evidence *candidates = evidenceWith(finding, QStringLiteral("could be"));
    ASSERT_NE(candidates, nullptr);
    // Not the proxy itself, not the exporter on another network.
    EXPECT_EQ(candidates->value, QStringLiteral("front-app-1, front-cron-1"));
    EXPECT_EQ(candidates->number, 2.0);

    DiagnosisOptions options;
    options.gatewayMaxCandidates = 1;
    const QList<Finding> capped = only(diagnose(host->input(), options), "gateway-callers");
    ASSERT_EQ(capped.size(), 1);
    EXPECT_EQ(evidenceWith(capped[0], QStringLiteral("could be"))->value,
              QStringLiteral("front-app-1 and 1 more"));
}

TEST(GatewayCallers, SilentWhenCallersAreThemselves)
{
    EXPECT_TRUE(only(diagnose(healthyHost()->input()), "gateway-callers").isEmpty());
}

// ---- polling-loop -----------------------------------------------------------------------------

TEST(PollingLoop, TokenFetchedInALoopShouldBeCached)
{
    const auto host = loopHost();
    const QList<Finding> findings = only(diagnose(host->input()), "polling-loop");
    ASSERT_EQ(findings.size(), 1);
    const Finding &finding = findings[0];
    EXPECT_EQ(finding.severity, Finding::Severity::Warning);
    EXPECT_TRUE(finding.title.contains(QStringLiteral("POST /v2/oauth/token")))
        << finding.title.toStdString();
    EXPECT_TRUE(finding.remedies.join(u'\n').contains(QStringLiteral("expires_in")));
    EXPECT_EQ(finding.tableFilter, QStringLiteral("172.31.5.1"));
    EXPECT_NEAR(evidenceWith(finding, QStringLiteral("Rate"))->number.value_or(0), 7.0, 0.2);
    EXPECT_TRUE(evidenceWith(finding, QStringLiteral("Client"))
                    ->value.contains(QStringLiteral("front_net gateway")));
    EXPECT_EQ(evidenceWith(finding, QStringLiteral("Access log"))->value, edgeLog);
    ASSERT_NE(evidenceWith(finding, QStringLiteral("Variation")), nullptr);
    ASSERT_NE(evidenceWith(finding, QStringLiteral("Steady for")), nullptr);
    const auto steady = host->logs.steadyCallers();
    ASSERT_EQ(steady.size(), 1);
    ASSERT_TRUE(finding.timeRange);
    EXPECT_EQ(finding.timeRange->first, steady[0].sinceMs);
    EXPECT_EQ(finding.timeRange->second, host->logs.latestMs());
}

TEST(PollingLoop, OtherSteadyCallersAreLoopsWithoutATokenRemedy)
{
    for (const char *path : {"/v1/stock/{id}", "/authors/{id}"}) {
        Host host;
        host.finish();
        feedLoop(host.logs, 300, key("192.0.2.77", "GET", path), 3);
        const QList<Finding> findings = only(diagnose(host.input()), "polling-loop");
        ASSERT_EQ(findings.size(), 1) << path;
        EXPECT_EQ(findings[0].severity, Finding::Severity::Warning); // 3/s
        EXPECT_FALSE(findings[0].remedies.join(u'\n').contains(QStringLiteral("expires_in")))
            << path;
        EXPECT_TRUE(findings[0].title.contains(QStringLiteral("not people")));
    }
    for (const char *path : {"/api/session", "/auth/login", "/getAccessToken", "/jwt/refresh"}) {
        Host host;
        host.finish();
        feedLoop(host.logs, 300, key("192.0.2.77", "GET", path), 3);
        const QList<Finding> findings = only(diagnose(host.input()), "polling-loop");
        ASSERT_EQ(findings.size(), 1) << path;
        EXPECT_TRUE(findings[0].remedies.join(u'\n').contains(QStringLiteral("expires_in")))
            << path;
    }
}

TEST(PollingLoop, SilentOnPeople)
{
    EXPECT_TRUE(only(diagnose(healthyHost()->input()), "polling-loop").isEmpty());
}

// ---- churn-rate -------------------------------------------------------------------------------

TEST(ChurnRate, PileDividedByTheTimeWaitLengthAgreesWithTheCounters)
{
    const auto host = loopHost();
    const QList<Finding> findings = only(diagnose(host->input()), "churn-rate");
    ASSERT_EQ(findings.size(), 1);
    const Finding &finding = findings[0];
    EXPECT_EQ(finding.severity, Finding::Severity::Info); // ≈6.7/s
    EXPECT_NEAR(evidenceWith(finding, QStringLiteral("from the pile"))->number.value_or(0),
                400.0 / 60.0, 1e-9);
    EXPECT_NEAR(evidenceWith(finding, QStringLiteral("TcpExt.TW"))->number.value_or(0),
                400.0 / 60.0, 0.1);
    EXPECT_EQ(evidenceWith(finding, QStringLiteral("agree"))->number, 1.0);
    EXPECT_NEAR(evidenceWith(finding, QStringLiteral("ActiveOpens"))->number.value_or(0), 9.0,
                1e-6);
    EXPECT_TRUE(finding.explanation.contains(QStringLiteral("agree")));
    ASSERT_TRUE(finding.timeRange);
    EXPECT_EQ(*finding.timeRange, std::pair(host->fromMs, host->toMs));

    DiagnosisOptions options;
    options.churnWarnPerSecond = 5;
    EXPECT_EQ(only(diagnose(host->input(), options), "churn-rate")[0].severity,
              Finding::Severity::Warning);
}

TEST(ChurnRate, SaysWhenTheCountersDisagree)
{
    Host host;
    host.finish();
    feedTimeline(host, 120, 900, [](int) { return second(3.0, 2.0, 5.0); });
    const QList<Finding> findings = only(diagnose(host.input()), "churn-rate");
    ASSERT_EQ(findings.size(), 1);
    EXPECT_EQ(findings[0].severity, Finding::Severity::Warning); // 900 / 60 s = 15/s
    EXPECT_EQ(evidenceWith(findings[0], QStringLiteral("agree"))->number, 0.0);
    EXPECT_TRUE(findings[0].explanation.contains(QStringLiteral("disagree")));
}

TEST(ChurnRate, SilentOnASmallPile)
{
    EXPECT_TRUE(only(diagnose(healthyHost()->input()), "churn-rate").isEmpty());
}

// ---- port-exhaustion-risk ---------------------------------------------------------------------

TEST(PortExhaustionRisk, ConnectionsToOneDestinationAgainstThePortRange)
{
    const auto build = [](int timeWait, int reuseMode) {
        auto host = std::make_unique<Host>();
        host->limits.localPortRange = std::pair(40000, 40999);
        host->limits.timeWaitReuseMode = reuseMode;
        host->limits.timeWaitReuse = reuseMode != 0;
        host->clientEnds("10.44.0.7", 40000, ep("192.0.2.80", 5432), timeWait, TcpState::TimeWait,
                         0);
        host->clientEnds("10.44.0.7", 40900, ep("192.0.2.80", 5432), 50, TcpState::Established, 0);
        // Another destination, well within the range.
        host->clientEnds("10.44.0.7", 40000, ep("192.0.2.81", 5432), 40, TcpState::TimeWait, 0);
        host->finish();
        return host;
    };
    const QList<Finding> warning = only(diagnose(build(650, 0)->input()), "port-exhaustion-risk");
    ASSERT_EQ(warning.size(), 1);
    EXPECT_EQ(warning[0].severity, Finding::Severity::Warning);
    EXPECT_EQ(warning[0].tableFilter, QStringLiteral("192.0.2.80:5432"));
    EXPECT_EQ(evidenceWith(warning[0], QStringLiteral("Connections from"))->number, 700.0);
    EXPECT_EQ(evidenceWith(warning[0], QStringLiteral("Of them in TIME_WAIT"))->number, 650.0);
    EXPECT_EQ(evidenceWith(warning[0], QStringLiteral("ip_local_port_range"))->number, 1000.0);
    EXPECT_TRUE(warning[0].explanation.contains(QStringLiteral("EADDRNOTAVAIL")));

    const QList<Finding> critical = only(diagnose(build(900, 2)->input()), "port-exhaustion-risk");
    ASSERT_EQ(critical.size(), 1);
    EXPECT_EQ(critical[0].severity, Finding::Severity::Critical); // reuse 2: loopback only

    // tcp_tw_reuse = 1 lets connect() take over the TIME_WAIT ports: a warning only.
    const QList<Finding> eased = only(diagnose(build(900, 1)->input()), "port-exhaustion-risk");
    ASSERT_EQ(eased.size(), 1);
    EXPECT_EQ(eased[0].severity, Finding::Severity::Warning);
    EXPECT_TRUE(eased[0].explanation.contains(QStringLiteral("tcp_tw_reuse")));

    // Without the limits, nothing to compare with.
    auto unknown = build(900, 0);
    unknown->limits = KernelLimits();
    EXPECT_TRUE(only(diagnose(unknown->input()), "port-exhaustion-risk").isEmpty());
}

TEST(PortExhaustionRisk, TimeWaitBucketsAndTheirOverflow)
{
    Host host;
    host.limits.maxTimeWaitBuckets = 1000;
    host.finish();
    host.counters.values.insert(counter::TimeWait, 700);
    EXPECT_TRUE(only(diagnose(host.input()), "port-exhaustion-risk").isEmpty());

    host.counters.values.insert(counter::TimeWait, 850);
    QList<Finding> findings = only(diagnose(host.input()), "port-exhaustion-risk");
    ASSERT_EQ(findings.size(), 1);
    EXPECT_EQ(findings[0].severity, Finding::Severity::Warning);
    EXPECT_TRUE(findings[0].title.contains(QStringLiteral("tcp_max_tw_buckets")));

    // Overflows counted since boot but none while watched (an old load test): history.
    host.counters.values.insert(counter::TimeWait, 10);
    host.counters.values.insert(counter::TwOverflow, 168928);
    EXPECT_TRUE(only(diagnose(host.input()), "port-exhaustion-risk").isEmpty());

    // The counter grows while watched: 2 a second for 30 s.
    for (int i = 0; i <= 30; ++i) {
        HostSample sample;
        sample.hostId = host.snapshot.hostId;
        sample.sequence = std::uint64_t(i + 1);
        sample.epochMs = T0 + 1000LL * i;
        sample.counters.values.insert(counter::TimeWait, 10);
        sample.counters.values.insert(counter::TwOverflow, 168928 + 2LL * i);
        ASSERT_TRUE(host.timeline.add(sample));
    }
    host.counters.values.insert(counter::TwOverflow, 168988);
    findings = only(diagnose(host.input()), "port-exhaustion-risk");
    ASSERT_EQ(findings.size(), 1);
    EXPECT_EQ(findings[0].severity, Finding::Severity::Critical);
    EXPECT_EQ(evidenceWith(findings[0], QStringLiteral("while watched"))->number, 60.0);
    EXPECT_EQ(evidenceWith(findings[0], QStringLiteral("TCPTimeWaitOverflow"))->number, 168988.0);
}

TEST(PortExhaustionRisk, SilentWithRoomToSpare)
{
    EXPECT_TRUE(only(diagnose(healthyHost()->input()), "port-exhaustion-risk").isEmpty());
    EXPECT_TRUE(only(diagnose(loopHost()->input()), "port-exhaustion-risk").isEmpty());
}

// ---- close-wait-leak --------------------------------------------------------------------------

TEST(CloseWaitLeak, ServiceThatNeverClosesAfterItsPeer)
{
    Host host;
    addInventory(host);
    host.namespaces.unreadable.clear();
    host.listen(7070, 0, 5100);
    host.snapshot.processNames.insert(5100, QStringLiteral("reportd"));
    host.serverEnds(ep("10.44.0.7", 7070), "192.0.2.90", 30000, 30, TcpState::CloseWait, 0);
    host.snapshot.sockets.back().receiveQueue = 517;
    // A client that leaks: the app container's pool towards a database.
    host.clientEnds("172.31.5.3", 45000, ep("172.31.5.50", 5432), 25, TcpState::CloseWait, appNs);
    host.finish();

    const QList<Finding> findings = only(diagnose(host.input()), "close-wait-leak");
    ASSERT_EQ(findings.size(), 2);
    EXPECT_EQ(findings[0].severity, Finding::Severity::Warning);
    EXPECT_TRUE(findings[0].title.startsWith(
        QStringLiteral("reportd (port 7070) does not close its sockets: 30 in CLOSE_WAIT")))
        << findings[0].title.toStdString();
    EXPECT_EQ(findings[0].tableFilter, QStringLiteral("10.44.0.7:7070"));
    EXPECT_EQ(evidenceWith(findings[0], QStringLiteral("unread"))->number, 1.0);
    EXPECT_TRUE(findings[0].remedies.join(u'\n').contains(QStringLiteral("pool")));

    EXPECT_TRUE(findings[1].title.startsWith(
        QStringLiteral("app (compose service front/app) does not close its sockets: 25")))
        << findings[1].title.toStdString();
    EXPECT_EQ(findings[1].tableFilter, QStringLiteral("172.31.5.50:5432"));
}

TEST(CloseWaitLeak, SilentOnAFewInPassing)
{
    EXPECT_TRUE(only(diagnose(healthyHost()->input()), "close-wait-leak").isEmpty());
}

// ---- cpu-follows-churn ------------------------------------------------------------------------

TEST(CpuFollowsChurn, HostCpuRisesAndFallsWithTheConnectionRate)
{
    Host host;
    host.finish();
    // 10 to 90 new connections a second in waves; 0.2 % CPU per connection a second, plus noise.
    feedTimeline(host, 240, 20, [](int i) {
        const double opened = 50.0 + 40.0 * std::sin(double(i) / 10.0);
        const double noise = double((i * 37) % 7) / 7.0 - 0.5;
        return second(opened, 0.0, 4.0 + 0.2 * opened + noise);
    });
    host.fromMs = T0;
    host.toMs = T0 + 240'000;
    const QList<Finding> findings = only(diagnose(host.input()), "cpu-follows-churn");
    ASSERT_EQ(findings.size(), 1);
    const Finding &finding = findings[0];
    EXPECT_EQ(finding.severity, Finding::Severity::Info); // about 14 % on average
    EXPECT_TRUE(
        finding.title.startsWith(QStringLiteral("Host CPU follows the new-connection rate")))
        << finding.title.toStdString();
    EXPECT_GT(evidenceWith(finding, QStringLiteral("Pearson"))->number.value_or(0), 0.95);
    EXPECT_NEAR(evidenceWith(finding, QStringLiteral("CPU per 100"))->number.value_or(0), 20.0,
                1.5);
    EXPECT_GE(evidenceWith(finding, QStringLiteral("Paired points"))->number.value_or(0), 200.0);
    ASSERT_TRUE(finding.timeRange);
}

TEST(CpuFollowsChurn, ContainerCpuFollowsTheRequestRate)
{
    Host host;
    addInventory(host);
    host.finish();
    feedTimeline(host, 240, 20, [](int i) {
        const double requests = double(20 + (i / 20) % 4 * 15); // steps: 20, 35, 50, 65
        Second s = second(5.0, 0.0, 30.0 + double(i % 3));
        s.requests = requests;
        s.containerCpuPercent = 10.0 + 0.5 * requests + double(i % 2);
        return s;
    });
    const QList<Finding> findings = only(diagnose(host.input()), "cpu-follows-churn");
    ASSERT_EQ(findings.size(), 1); // the host's CPU wanders on its own
    EXPECT_TRUE(findings[0].title.startsWith(
        QStringLiteral("CPU of container front-edge-1 follows the request rate")))
        << findings[0].title.toStdString();
    EXPECT_EQ(findings[0].severity, Finding::Severity::Warning); // about 32 % of a core
    EXPECT_NEAR(evidenceWith(findings[0], QStringLiteral("CPU per 100"))->number.value_or(0), 50.0,
                2.0);
}

TEST(CpuFollowsChurn, SilentWhenCpuGoesItsOwnWay)
{
    EXPECT_TRUE(only(diagnose(healthyHost()->input()), "cpu-follows-churn").isEmpty());

    Host host;
    host.finish();
    feedTimeline(host, 240, 20, [](int i) {
        const double opened = 50.0 + 40.0 * std::sin(double(i) / 10.0);
        return second(opened, 0.0, 5.0 + double((i * 7919) % 11));
    });
    EXPECT_TRUE(only(diagnose(host.input()), "cpu-follows-churn").isEmpty());
    // Too few points to say anything.
    DiagnosisOptions options;
    options.cpuCorrelationMinPoints = 1000;
    Host wave;
    wave.finish();
    feedTimeline(wave, 240, 20, [](int i) {
        const double opened = 50.0 + 40.0 * std::sin(double(i) / 10.0);
        return second(opened, 0.0, 4.0 + 0.2 * opened);
    });
    EXPECT_EQ(only(diagnose(wave.input()), "cpu-follows-churn").size(), 1);
    EXPECT_TRUE(only(diagnose(wave.input(), options), "cpu-follows-churn").isEmpty());
}

// ---- the texts --------------------------------------------------------------------------------

TEST(Diagnosis, RemoteNamesAreShownSafely)
{
    const auto host = loopHost();
    host->snapshot.processNames.insert(
        4100, QString(QStringLiteral("bill") + QChar(0x202e) + QStringLiteral("\x1b[31mingd")));
    host->finish();
    for (const Finding &finding : diagnose(host->input())) {
        const QString text = allText(finding);
        EXPECT_FALSE(text.contains(QChar(0x202e))) << finding.id.toStdString();
        EXPECT_FALSE(text.contains(QChar(0x1b))) << finding.id.toStdString();
    }
}

TEST(Diagnosis, SeverityWords)
{
    EXPECT_EQ(severityId(Finding::Severity::Critical), QStringLiteral("critical"));
    EXPECT_EQ(severityId(Finding::Severity::Warning), QStringLiteral("warning"));
    EXPECT_EQ(severityId(Finding::Severity::Info), QStringLiteral("info"));
    EXPECT_EQ(severityName(Finding::Severity::Critical), QStringLiteral("Critical"));
}
