// The incident of shared/SCENARIO.md on loopback, with real parts (tests/lab/incidentlab.h): a
// poller calling from a docker network's gateway address through a real nginx reverse proxy to
// an API (a second real nginx) that closes every connection, their combined access logs, and a
// stand-in docker CLI that describes the two nginx as containers with their real pids.
//
// First the lab itself (requests flow at the set rate, the API's endpoint holds the TIME_WAITs,
// the logs grow, the stand-in docker answers with real pids; the fix keeps upstream connections),
// then the acceptance test of the product: `twbench diagnose` over SSH against the lab, broken and
// fixed, asserted from its JSON.
#include "lab/incidentlab.h"
#include "lab/sshdfixture.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSet>
#include <QTemporaryDir>
#include <QThread>

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cmath>
#include <functional>
#include <iostream>

using namespace twbench::test;

namespace {

// The acceptance test's pacing. TIME_WAIT lives 60 s: the poller runs kWarmUpSeconds before
// diagnose starts, so by diagnose's last sample it has run well over a minute and the pile is
// whole; and, as when twbench is pointed at an incident under way, the access logs already hold
// half a minute that diagnose reads back, so the steady-caller rule (a minute of complete 10 s
// bins) has its minute with a margin even when a loaded CI machine stretches the samples.
constexpr int kRate = 20;               // the broken poller's requests/s (the incident had ~12)
constexpr int kFixedIntervalMs = 60000; // the fixed poller: the token fetched once a minute
constexpr int kWarmUpSeconds = 30;
constexpr int kDefaultDiagnoseSeconds = 60;

// How long each `twbench diagnose` collects: TWBENCH_LAB_DIAGNOSE_SECONDS, to try the rules over
// a longer window by hand (the access-log steady-caller detector wants minutes of history).
int diagnoseSeconds()
{
    bool ok = false;
    const int seconds = qEnvironmentVariableIntValue("TWBENCH_LAB_DIAGNOSE_SECONDS", &ok);
    return ok && seconds > 0 && seconds <= 3600 ? seconds : kDefaultDiagnoseSeconds;
}

IncidentLabOptions labOptions()
{
    IncidentLabOptions options;
    options.labTool = QStringLiteral(TWBENCH_LAB_TOOL);
    options.fakeDocker = QStringLiteral(TWBENCH_TEST_DATA_DIR "/docker/fake-docker");
    options.rate = kRate;
    options.pollerSeconds = 200; // longer than any test here; stopped by the test before
    return options;
}

QString skipReason()
{
    QString why = IncidentLab::unavailableReason();
    if (why.isEmpty() && ::geteuid() != 0)
        why = QStringLiteral("the lab's nginx and sshd run as root here; run the suite as root");
    return why;
}

struct ToolRun
{
    int exitCode = -1; // -1: did not finish (killed at the timeout) or crashed
    QByteArray out;
    QByteArray err;
};

ToolRun runTool(const QString &program, const QStringList &arguments, int timeoutMs)
{
    ToolRun run;
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    process.setProcessEnvironment(environment);
    process.start(program, arguments);
    if (!process.waitForStarted(5000))
        return run;
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(2000);
    } else if (process.exitStatus() == QProcess::NormalExit) {
        run.exitCode = process.exitCode();
    }
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

// One line of a "combined" access log.
struct LogLine
{
    QByteArray client;
    QByteArray method;
    QByteArray path;
    int status = 0;
};

QList<LogLine> readLog(const QString &path)
{
    QList<LogLine> lines;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return lines;
    for (const QByteArray &text : file.readAll().split('\n')) {
        if (text.isEmpty())
            continue;
        LogLine line;
        line.client = text.left(text.indexOf(' '));
        const qsizetype open = text.indexOf('"');
        const qsizetype close = open < 0 ? -1 : text.indexOf('"', open + 1);
        if (close > open) {
            const QList<QByteArray> request = text.mid(open + 1, close - open - 1).split(' ');
            if (request.size() >= 2) {
                line.method = request.at(0);
                line.path = request.at(1);
            }
            line.status = text.mid(close + 2).split(' ').value(0).toInt();
        }
        lines.append(line);
    }
    return lines;
}

// `ss -Htan`: (state, local, peer) of every TCP socket.
struct SsLine
{
    QByteArray state;
    QByteArray local;
    QByteArray peer;
};

QList<SsLine> ssTable()
{
    QList<SsLine> table;
    const ToolRun run = runTool(QStringLiteral("ss"), {QStringLiteral("-Htan")}, 20000);
    for (const QByteArray &text : run.out.split('\n')) {
        const QList<QByteArray> fields = text.simplified().split(' ');
        if (fields.size() >= 5)
            table.append({fields.at(0), fields.at(3), fields.at(4)});
    }
    return table;
}

int countSockets(const QList<SsLine> &table, const QByteArray &state,
                 const std::function<bool(const SsLine &)> &match)
{
    int count = 0;
    for (const SsLine &line : table) {
        if (line.state == state && match(line))
            ++count;
    }
    return count;
}

bool sleepWhile(IncidentLab &lab, int milliseconds)
{
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < milliseconds) {
        if (!lab.pollerRunning())
            return false;
        QThread::msleep(100);
    }
    return true;
}

std::uint64_t netnsInode(qint64 pid)
{
    struct stat st
    {
    };
    const QByteArray path = "/proc/" + QByteArray::number(pid) + "/ns/net";
    return ::stat(path.constData(), &st) == 0 ? std::uint64_t(st.st_ino) : 0;
}

QByteArray commOf(qint64 pid)
{
    QFile file(QStringLiteral("/proc/%1/comm").arg(pid));
    return file.open(QIODevice::ReadOnly) ? file.readAll().trimmed() : QByteArray();
}

class IncidentLabTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        const QString why = skipReason();
        if (!why.isEmpty())
            GTEST_SKIP() << why.toStdString();
    }
};

} // namespace

// The broken variant by itself: every request goes gateway → nginx → API, one new upstream
// connection each, and the API closes first, so the TIME_WAITs pile up on the API's endpoint.
TEST_F(IncidentLabTest, RequestsFlowThroughNginxAndTheApiHoldsTheTimeWaits)
{
    IncidentLab lab(labOptions());
    QString error;
    ASSERT_TRUE(lab.start(&error)) << error.toStdString();
    std::cout << lab.describe().toStdString();
    EXPECT_TRUE(QFileInfo::exists(lab.proxyLogPath()));
    EXPECT_TRUE(QFileInfo::exists(lab.apiLogPath()));

    QElapsedTimer clock;
    clock.start();
    ASSERT_TRUE(lab.startPoller(&error)) << error.toStdString();
    ASSERT_TRUE(sleepWhile(lab, 8000))
        << "the poller ended early: " << lab.pollerOutput().toStdString();
    lab.stopPoller();
    const double seconds = double(clock.elapsed()) / 1000.0;
    QThread::msleep(300); // the last answers' log lines and closes

    const QList<LogLine> api = readLog(lab.apiLogPath());
    const QList<LogLine> proxy = readLog(lab.proxyLogPath());
    const double expected = kRate * seconds;
    std::cout << "[          ] " << seconds << " s at " << kRate << "/s: " << proxy.size()
              << " proxy and " << api.size() << " API log lines\n";
    EXPECT_NEAR(double(api.size()), expected, 0.15 * expected);
    EXPECT_NEAR(double(proxy.size()), double(api.size()), 2.0);
    int apiFromProxy = 0;
    for (const LogLine &line : api) {
        if (line.client == lab.proxyIp() && line.method == "GET" && line.path == lab.path() &&
            line.status == 200)
            ++apiFromProxy;
    }
    EXPECT_EQ(apiFromProxy, api.size()) << "every API request comes from the proxy's address";
    int proxyFromGateway = 0;
    for (const LogLine &line : proxy) {
        if (line.client == lab.gatewayIp() && line.path == lab.path() && line.status == 200)
            ++proxyFromGateway;
    }
    EXPECT_EQ(proxyFromGateway, proxy.size()) << "every call comes from the gateway's address";

    // Who holds the TIME_WAITs: the API's endpoint for the upstream hop (the server closed), the
    // gateway's side for the poller's hop (the caller closed after its answer).
    const QList<SsLine> table = ssTable();
    const QByteArray apiEndpoint = lab.apiEndpoint();
    const QByteArray proxyEndpoint = lab.proxyEndpoint();
    const int apiSide = countSockets(table, "TIME-WAIT", [&](const SsLine &s) {
        return s.local == apiEndpoint && s.peer.startsWith(QByteArray(lab.proxyIp() + ':'));
    });
    const int proxyUpstreamSide = countSockets(table, "TIME-WAIT", [&](const SsLine &s) {
        return s.local.startsWith(QByteArray(lab.proxyIp() + ':')) && s.peer == apiEndpoint;
    });
    const int gatewaySide = countSockets(table, "TIME-WAIT", [&](const SsLine &s) {
        return s.local.startsWith(QByteArray(lab.gatewayIp() + ':')) && s.peer == proxyEndpoint;
    });
    const int proxyFrontSide =
        countSockets(table, "TIME-WAIT", [&](const SsLine &s) { return s.local == proxyEndpoint; });
    std::cout << "[          ] TIME_WAIT: API side " << apiSide << ", proxy's upstream side "
              << proxyUpstreamSide << ", gateway side " << gatewaySide << ", proxy's front side "
              << proxyFrontSide << "\n";
    EXPECT_GE(apiSide, int(0.9 * api.size()));
    EXPECT_LE(proxyUpstreamSide, int(0.1 * apiSide) + 1) << "the API must be the one that closes";
    EXPECT_GE(gatewaySide, int(0.9 * proxy.size()));
    EXPECT_LE(proxyFrontSide, int(0.1 * gatewaySide) + 1);

    // The stand-in docker: the two nginx masters as running containers, by their real pids, on a
    // network whose gateway is the poller's address.
    const QString docker = lab.dockerPath();
    const ToolRun ps = runTool(
        docker, {QStringLiteral("ps"), QStringLiteral("-q"), QStringLiteral("--no-trunc")}, 10000);
    ASSERT_EQ(ps.exitCode, 0) << ps.err.constData();
    const QList<QByteArray> ids = ps.out.trimmed().split('\n');
    EXPECT_EQ(
        QSet<QByteArray>(ids.begin(), ids.end()),
        (QSet<QByteArray>{lab.proxyContainerId().toLatin1(), lab.apiContainerId().toLatin1()}));
    const ToolRun inspect = runTool(
        docker, {QStringLiteral("inspect"), lab.proxyContainerId(), lab.apiContainerId()}, 10000);
    ASSERT_EQ(inspect.exitCode, 0) << inspect.err.constData();
    QJsonParseError parseError;
    const QJsonArray containers = QJsonDocument::fromJson(inspect.out, &parseError).array();
    ASSERT_EQ(parseError.error, QJsonParseError::NoError) << parseError.errorString().toStdString();
    ASSERT_EQ(containers.size(), 2);
    const std::uint64_t hostNetns = netnsInode(::getpid());
    const struct
    {
        qint64 pid;
        QByteArray ip;
        std::uint16_t port;
    } wanted[] = {{lab.proxyPid(), lab.proxyIp(), lab.proxyPort()},
                  {lab.apiPid(), lab.apiIp(), lab.apiPort()}};
    for (int i = 0; i < 2; ++i) {
        const QJsonObject container = containers.at(i).toObject();
        const qint64 pid = container[QLatin1String("State")][QLatin1String("Pid")].toInteger();
        EXPECT_EQ(pid, wanted[i].pid);
        EXPECT_GT(pid, 0);
        EXPECT_EQ(commOf(pid), "nginx") << "State.Pid must be a real, running nginx";
        EXPECT_EQ(netnsInode(pid), hostNetns) << "the lab's containers live in the host's netns";
        EXPECT_TRUE(container[QLatin1String("State")][QLatin1String("Running")].toBool());
        const QJsonObject network =
            container[QLatin1String("NetworkSettings")][QLatin1String("Networks")]
                .toObject()
                .value(lab.options().network)
                .toObject();
        EXPECT_EQ(network[QLatin1String("IPAddress")].toString().toLatin1(), wanted[i].ip);
        EXPECT_EQ(network[QLatin1String("Gateway")].toString().toLatin1(), lab.gatewayIp());
        const QString port = QString::number(wanted[i].port);
        EXPECT_EQ(container[QLatin1String("NetworkSettings")][QLatin1String("Ports")]
                           [port + QStringLiteral("/tcp")][0][QLatin1String("HostPort")]
                               .toString(),
                  port);
    }
    const ToolRun networks = runTool(
        docker, {QStringLiteral("network"), QStringLiteral("ls"), QStringLiteral("-q")}, 10000);
    ASSERT_EQ(networks.exitCode, 0) << networks.err.constData();
    ASSERT_EQ(networks.out.trimmed().size(), 12) << networks.out.constData();
    const ToolRun network = runTool(docker,
                                    {QStringLiteral("network"), QStringLiteral("inspect"),
                                     QString::fromLatin1(networks.out.trimmed())},
                                    10000);
    ASSERT_EQ(network.exitCode, 0) << network.err.constData();
    const QJsonObject net = QJsonDocument::fromJson(network.out).array().at(0).toObject();
    EXPECT_EQ(net[QLatin1String("Name")].toString(), lab.options().network);
    EXPECT_EQ(net[QLatin1String("IPAM")][QLatin1String("Config")][0][QLatin1String("Gateway")]
                  .toString()
                  .toLatin1(),
              lab.gatewayIp());
    EXPECT_EQ(net[QLatin1String("IPAM")][QLatin1String("Config")][0][QLatin1String("Subnet")]
                  .toString()
                  .toLatin1(),
              lab.subnet() + "0/24");

    // Everything stops with the lab, by pid.
    const qint64 proxyPid = lab.proxyPid();
    const qint64 apiPid = lab.apiPid();
    lab.stop();
    EXPECT_TRUE(commOf(proxyPid).isEmpty());
    EXPECT_TRUE(commOf(apiPid).isEmpty());
}

// The fixed variant by itself: nginx keeps its upstream connections (keepalive 16, HTTP/1.1, no
// "Connection: close") and the API honours keep-alive, so no upstream TIME_WAIT appears.
TEST_F(IncidentLabTest, FixedVariantKeepsItsUpstreamConnections)
{
    IncidentLabOptions options = labOptions();
    options.fixed = true;
    IncidentLab lab(options);
    QString error;
    ASSERT_TRUE(lab.start(&error)) << error.toStdString();
    ASSERT_TRUE(lab.startPoller(&error)) << error.toStdString();
    ASSERT_TRUE(sleepWhile(lab, 5000)) << lab.pollerOutput().toStdString();
    const QList<SsLine> table = ssTable();
    lab.stopPoller();

    const QList<LogLine> api = readLog(lab.apiLogPath());
    EXPECT_GE(api.size(), int(0.85 * kRate * 5));
    const QByteArray apiEndpoint = lab.apiEndpoint();
    const int upstreamTimeWait = countSockets(table, "TIME-WAIT", [&](const SsLine &s) {
        return s.local == apiEndpoint || s.peer == apiEndpoint;
    });
    const int upstreamEstablished = countSockets(table, "ESTAB", [&](const SsLine &s) {
        return s.local.startsWith(QByteArray(lab.proxyIp() + ':')) && s.peer == apiEndpoint;
    });
    std::cout << "[          ] fixed: " << api.size() << " API requests over "
              << upstreamEstablished << " upstream connection(s), " << upstreamTimeWait
              << " upstream TIME_WAIT\n";
    EXPECT_LE(upstreamTimeWait, 2);
    EXPECT_GE(upstreamEstablished, 1);
    EXPECT_LE(upstreamEstablished, 16);
}

namespace {

// What the acceptance test reads from one `twbench diagnose --json` run.
struct Diagnosis
{
    QJsonObject host;    // hosts[0]
    QJsonArray findings; // the document's findings[] about that host
    QString summary;     // for failure messages
    QString error;
};

QString stateKey(QString state)
{
    return state.toUpper().replace(u'-', u'_');
}

bool hasIp(const QJsonObject &node, const QByteArray &ip);

// What the run said about the lab: its TIME_WAIT figures, the top endpoints, the nodes with the
// lab's addresses (and the host's own) and the edges between them, the log rates, the findings.
QString summarize(const QJsonObject &host, const QJsonArray &findings, const IncidentLab &lab)
{
    QSet<QString> shown;
    QString text;
    text += QStringLiteral("timewait %1 (max %2)\n")
                .arg(host[QLatin1String("timewait")][QLatin1String("last")].toDouble())
                .arg(host[QLatin1String("timewait")][QLatin1String("max")].toDouble());
    const QJsonArray endpoints = host[QLatin1String("top_local_endpoints")].toArray();
    for (qsizetype i = 0; i < std::min<qsizetype>(endpoints.size(), 5); ++i) {
        const QJsonObject e = endpoints.at(i).toObject();
        text +=
            QStringLiteral("  endpoint %1 %2 %3\n")
                .arg(e[QLatin1String("endpoint")].toString(), e[QLatin1String("state")].toString())
                .arg(e[QLatin1String("count")].toDouble());
    }
    const QJsonObject topology = host[QLatin1String("topology")].toObject();
    for (const QJsonValue &value : topology[QLatin1String("nodes")].toArray()) {
        const QJsonObject n = value.toObject();
        if (n[QLatin1String("kind")].toString() != QLatin1String("host") &&
            !hasIp(n, lab.gatewayIp()) && !hasIp(n, lab.proxyIp()) && !hasIp(n, lab.apiIp()))
            continue;
        shown.insert(n[QLatin1String("id")].toString());
        QStringList ips;
        for (const QJsonValue &ip : n[QLatin1String("ips")].toArray())
            ips << ip.toString();
        text += QStringLiteral("  node %1 [%2] %3 {%4}\n")
                    .arg(n[QLatin1String("id")].toString(), n[QLatin1String("kind")].toString(),
                         n[QLatin1String("label")].toString(), ips.join(u','));
    }
    for (const QJsonValue &value : topology[QLatin1String("edges")].toArray()) {
        const QJsonObject e = value.toObject();
        if (!shown.contains(e[QLatin1String("from")].toString()) ||
            !shown.contains(e[QLatin1String("to")].toString()))
            continue;
        text += QStringLiteral("  edge %1 -> %2 (%3) closer=%4 %5\n")
                    .arg(e[QLatin1String("from")].toString(), e[QLatin1String("to")].toString(),
                         e[QLatin1String("service")].toVariant().toString(),
                         e[QLatin1String("closer")].toString(),
                         QString::fromUtf8(QJsonDocument(e[QLatin1String("states")].toObject())
                                               .toJson(QJsonDocument::Compact)));
    }
    for (const QJsonValue &value : host[QLatin1String("log_rates")].toArray()) {
        const QJsonObject r = value.toObject();
        text += QStringLiteral("  log %1 %2/s\n")
                    .arg(r[QLatin1String("source")].toString())
                    .arg(r[QLatin1String("total_rps")].toDouble());
    }
    for (const QJsonValue &value : findings) {
        const QJsonObject f = value.toObject();
        text += QStringLiteral("  finding %1 [%2] %3\n")
                    .arg(f[QLatin1String("id")].toString(), f[QLatin1String("severity")].toString(),
                         f[QLatin1String("title")].toString());
    }
    return text;
}

// Runs the lab's poller for the warm-up, then `twbench diagnose` over SSH for diagnoseSeconds().
Diagnosis diagnose(IncidentLab &lab, const SshdFixture &sshd, const QString &knownHosts,
                   const QString &jsonPath)
{
    Diagnosis result;
    QString error;
    if (!lab.startPoller(&error)) {
        result.error = error;
        return result;
    }
    if (!sleepWhile(lab, kWarmUpSeconds * 1000)) {
        result.error = QStringLiteral("the poller ended early: ") + lab.pollerOutput();
        return result;
    }
    const QStringList arguments{
        QStringLiteral("diagnose"),
        QStringLiteral("--host"),
        QStringLiteral("root@127.0.0.1:%1").arg(sshd.port()),
        QStringLiteral("--identity"),
        sshd.userKeyPath(),
        QStringLiteral("--known-hosts"),
        knownHosts,
        QStringLiteral("--docker"),
        lab.dockerPath(),
        QStringLiteral("--log"),
        lab.proxyLogPath(),
        QStringLiteral("--log"),
        lab.apiLogPath(),
        QStringLiteral("--duration"),
        QString::number(diagnoseSeconds()),
        QStringLiteral("--json"),
        jsonPath,
    };
    QElapsedTimer clock;
    clock.start();
    const ToolRun run =
        runTool(QStringLiteral(TWBENCH_EXECUTABLE), arguments, (diagnoseSeconds() + 60) * 1000);
    std::cout << "[          ] twbench diagnose took " << clock.elapsed() << " ms, exit "
              << run.exitCode << "\n";
    lab.stopPoller();
    if (run.exitCode != 0) {
        result.error = QStringLiteral("twbench diagnose exited with %1\nstdout:\n%2\nstderr:\n%3")
                           .arg(run.exitCode)
                           .arg(QString::fromUtf8(run.out.right(4000)),
                                QString::fromUtf8(run.err.right(4000)));
        return result;
    }
    QFile file(jsonPath);
    if (!file.open(QIODevice::ReadOnly)) {
        result.error = QStringLiteral("no JSON at %1").arg(jsonPath);
        return result;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        result.error = QStringLiteral("the JSON does not parse: %1").arg(parseError.errorString());
        return result;
    }
    const QJsonArray hosts = document[QLatin1String("hosts")].toArray();
    if (hosts.size() != 1) {
        result.error = QStringLiteral("%1 hosts in the JSON, not 1").arg(hosts.size());
        return result;
    }
    result.host = hosts.at(0).toObject();
    for (const QJsonValue &value : document[QLatin1String("findings")].toArray()) {
        const QString about = value.toObject()[QLatin1String("host")].toString();
        if (about == result.host[QLatin1String("name")].toString() ||
            about == result.host[QLatin1String("id")].toString())
            result.findings.append(value);
    }
    result.summary = summarize(result.host, result.findings, lab);
    // Kept for a look afterwards: the temporary directory goes with the test.
    const QString kept = QDir::temp().filePath(QFileInfo(jsonPath).fileName());
    QFile::remove(kept);
    QFile::copy(jsonPath, kept);
    std::cout << "[          ] JSON kept at " << kept.toStdString() << "\n"
              << result.summary.toStdString();
    return result;
}

bool hasIp(const QJsonObject &node, const QByteArray &ip)
{
    for (const QJsonValue &value : node[QLatin1String("ips")].toArray()) {
        if (value.toString().toLatin1() == ip)
            return true;
    }
    return false;
}

// The id of the topology node of `kind` that has `ip`, empty if none.
QString nodeWith(const QJsonObject &host, const QString &kind, const QByteArray &ip)
{
    for (const QJsonValue &value :
         host[QLatin1String("topology")][QLatin1String("nodes")].toArray()) {
        const QJsonObject node = value.toObject();
        if (node[QLatin1String("kind")].toString() == kind && hasIp(node, ip))
            return node[QLatin1String("id")].toString();
    }
    return {};
}

QJsonObject edgeOf(const QJsonObject &host, const QString &from, const QString &to)
{
    for (const QJsonValue &value :
         host[QLatin1String("topology")][QLatin1String("edges")].toArray()) {
        const QJsonObject edge = value.toObject();
        if (edge[QLatin1String("from")].toString() == from &&
            edge[QLatin1String("to")].toString() == to)
            return edge;
    }
    return {};
}

double timeWaitOf(const QJsonObject &edge)
{
    const QJsonObject states = edge[QLatin1String("states")].toObject();
    for (auto it = states.begin(); it != states.end(); ++it) {
        if (stateKey(it.key()) == QLatin1String("TIME_WAIT"))
            return it.value().toDouble();
    }
    return 0;
}

// The TIME_WAITs of the lab: those on every topology edge that touches one of its addresses
// (the gateway, the proxy, the API). Other tests' sockets on this host are not the lab's.
double labTimeWait(const QJsonObject &host, const IncidentLab &lab)
{
    QSet<QString> labNodes;
    for (const QJsonValue &value :
         host[QLatin1String("topology")][QLatin1String("nodes")].toArray()) {
        const QJsonObject node = value.toObject();
        if (hasIp(node, lab.gatewayIp()) || hasIp(node, lab.proxyIp()) || hasIp(node, lab.apiIp()))
            labNodes.insert(node[QLatin1String("id")].toString());
    }
    double total = 0;
    for (const QJsonValue &value :
         host[QLatin1String("topology")][QLatin1String("edges")].toArray()) {
        const QJsonObject edge = value.toObject();
        if (labNodes.contains(edge[QLatin1String("from")].toString()) ||
            labNodes.contains(edge[QLatin1String("to")].toString()))
            total += timeWaitOf(edge);
    }
    return total;
}

// The local endpoint with the most TIME_WAIT, and its count.
std::pair<QString, double> topTimeWaitEndpoint(const QJsonObject &host)
{
    std::pair<QString, double> top{QString(), -1};
    for (const QJsonValue &value : host[QLatin1String("top_local_endpoints")].toArray()) {
        const QJsonObject entry = value.toObject();
        if (stateKey(entry[QLatin1String("state")].toString()) != QLatin1String("TIME_WAIT"))
            continue;
        const double count = entry[QLatin1String("count")].toDouble();
        if (count > top.second)
            top = {entry[QLatin1String("endpoint")].toString(), count};
    }
    return top;
}

double timeWaitOfEndpoint(const QJsonObject &host, const QByteArray &endpoint)
{
    for (const QJsonValue &value : host[QLatin1String("top_local_endpoints")].toArray()) {
        const QJsonObject entry = value.toObject();
        if (stateKey(entry[QLatin1String("state")].toString()) == QLatin1String("TIME_WAIT") &&
            entry[QLatin1String("endpoint")].toString().toLatin1() == endpoint)
            return entry[QLatin1String("count")].toDouble();
    }
    return 0;
}

// The total requests/s of the log source that is `path`.
std::optional<double> logRate(const QJsonObject &host, const QString &path)
{
    for (const QJsonValue &value : host[QLatin1String("log_rates")].toArray()) {
        const QJsonObject rate = value.toObject();
        if (rate[QLatin1String("source")].toString() == path ||
            rate[QLatin1String("source")].toString().endsWith(path))
            return rate[QLatin1String("total_rps")].toDouble();
    }
    return std::nullopt;
}

QString findingText(const QJsonObject &finding)
{
    QString text = finding[QLatin1String("title")].toString();
    for (const QJsonValue &value : finding[QLatin1String("evidence")].toArray()) {
        if (value.isObject()) {
            const QJsonObject evidence = value.toObject(); // one object for begin() and end()
            for (auto it = evidence.begin(); it != evidence.end(); ++it)
                text += u' ' + it.value().toVariant().toString();
        } else {
            text += u' ' + value.toVariant().toString();
        }
    }
    return text;
}

QList<QJsonObject> findingsWithId(const Diagnosis &diagnosis, const QString &id)
{
    QList<QJsonObject> found;
    for (const QJsonValue &value : diagnosis.findings) {
        if (value.toObject()[QLatin1String("id")].toString() == id)
            found.append(value.toObject());
    }
    return found;
}

// Whether a finding is about this lab: it names one of its addresses, containers, its network or
// its path (other tests may make TIME_WAITs of their own on this host meanwhile).
bool aboutLab(const QJsonObject &finding, const IncidentLab &lab)
{
    const QString text = findingText(finding) + u' ' +
                         finding[QLatin1String("remedies")].toVariant().toStringList().join(u' ');
    for (const QString &mark :
         {QString::fromLatin1(lab.gatewayIp()), QString::fromLatin1(lab.proxyIp()),
          QString::fromLatin1(lab.apiIp()), lab.options().proxyName, lab.options().apiName,
          lab.options().network, QString::fromLatin1(lab.path())}) {
        if (text.contains(mark))
            return true;
    }
    return false;
}

bool diagnoseAvailable(QString *why)
{
    if (!QFileInfo(QStringLiteral(TWBENCH_EXECUTABLE)).isExecutable()) {
        *why = QStringLiteral("twbench is not built");
        return false;
    }
    const ToolRun help = runTool(QStringLiteral(TWBENCH_EXECUTABLE),
                                 {QStringLiteral("diagnose"), QStringLiteral("--help")}, 20000);
    const QByteArray text = help.out + help.err;
    if (help.exitCode != 0 || !text.contains("--duration")) {
        *why = QStringLiteral("`twbench diagnose` is not there yet (exit %1): %2")
                   .arg(help.exitCode)
                   .arg(QString::fromUtf8(text.left(300)));
        return false;
    }
    return true;
}

const QStringList incidentFindings{
    QStringLiteral("server-closes"), QStringLiteral("gateway-callers"),
    QStringLiteral("polling-loop"), QStringLiteral("upstream-no-keepalive")};

} // namespace

// The acceptance test of the incident (issue 6): `twbench diagnose` over SSH, with the stand-in
// docker and both access logs, finds the loop in the broken lab and nothing of it once fixed.
//
// The fixed variant runs first: TIME_WAIT lives 60 s, so a fixed run after the broken one would
// either still count the broken run's sockets or have to wait a minute for them to go. Run first,
// it sees a host without them, and the comparison ("falls by at least 90 %") stays the same.
TEST_F(IncidentLabTest, DiagnoseOverSshFindsTheLoopAndTheFixClearsIt)
{
    QString why = SshdFixture::unavailableReason();
    if (!why.isEmpty())
        GTEST_SKIP() << why.toStdString();
    if (!diagnoseAvailable(&why))
        GTEST_SKIP() << why.toStdString();
    SshdFixture sshd;
    QString error;
    ASSERT_TRUE(sshd.start(&error)) << error.toStdString();
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    // The host key is known, as an operator's known_hosts would have it.
    const QString knownHosts = dir.filePath(QStringLiteral("known_hosts"));
    {
        QFile file(knownHosts);
        const QByteArray line = sshd.knownHostsLine() + '\n';
        ASSERT_TRUE(file.open(QIODevice::WriteOnly) && file.write(line) == line.size());
    }

    // --- fixed: upstream keepalive, the API keeps connections alive, the token once a minute.
    IncidentLabOptions fixedOptions = labOptions();
    fixedOptions.fixed = true;
    fixedOptions.intervalMs = kFixedIntervalMs;
    IncidentLab fixedLab(fixedOptions);
    ASSERT_TRUE(fixedLab.start(&error)) << error.toStdString();
    std::cout << fixedLab.describe().toStdString();
    const Diagnosis fixed = diagnose(fixedLab, sshd, knownHosts,
                                     dir.filePath(QStringLiteral("twbench-lab-fixed.json")));
    fixedLab.stop();
    ASSERT_TRUE(fixed.error.isEmpty()) << fixed.error.toStdString();

    // --- broken: the incident.
    IncidentLab lab(labOptions());
    ASSERT_TRUE(lab.start(&error)) << error.toStdString();
    std::cout << lab.describe().toStdString();
    const Diagnosis broken =
        diagnose(lab, sshd, knownHosts, dir.filePath(QStringLiteral("twbench-lab-broken.json")));
    lab.stop();
    ASSERT_TRUE(broken.error.isEmpty()) << broken.error.toStdString();
    const QJsonObject &host = broken.host;
    // Both runs' JSON is summarized on stdout above; the failures refer to it.
    const char *const summary = "(the broken run's JSON is summarized above)";
    const char *const fixedSummary = "(the fixed run's JSON is summarized above)";

    // The API's listening endpoint tops the TIME_WAIT table (`netstat | awk | uniq -c`, step 2).
    const auto [topEndpoint, topCount] = topTimeWaitEndpoint(host);
    EXPECT_EQ(topEndpoint.toLatin1(), lab.apiEndpoint()) << summary;
    EXPECT_GE(topCount, 0.6 * kRate * 60) << summary;

    // gateway → nginx → API, the API closing.
    const QString gateway = nodeWith(host, QStringLiteral("gateway"), lab.gatewayIp());
    const QString proxy = nodeWith(host, QStringLiteral("container"), lab.proxyIp());
    const QString api = nodeWith(host, QStringLiteral("container"), lab.apiIp());
    ASSERT_FALSE(gateway.isEmpty())
        << "no gateway node with " << lab.gatewayIp().constData() << "\n"
        << summary;
    ASSERT_FALSE(proxy.isEmpty()) << "no container node with " << lab.proxyIp().constData() << "\n"
                                  << summary;
    ASSERT_FALSE(api.isEmpty()) << "no container node with " << lab.apiIp().constData() << "\n"
                                << summary;
    EXPECT_FALSE(edgeOf(host, gateway, proxy).isEmpty())
        << "no edge " << gateway.toStdString() << " -> " << proxy.toStdString() << "\n"
        << summary;
    const QJsonObject upstream = edgeOf(host, proxy, api);
    EXPECT_FALSE(upstream.isEmpty())
        << "no edge " << proxy.toStdString() << " -> " << api.toStdString() << "\n"
        << summary;
    EXPECT_EQ(upstream[QLatin1String("closer")].toString(), QLatin1String("server")) << summary;
    EXPECT_GE(timeWaitOf(upstream), 0.6 * kRate * 60) << summary;

    // The API's request rate is the poller's (step 6).
    const std::optional<double> apiRate = logRate(host, lab.apiLogPath());
    ASSERT_TRUE(apiRate) << "no log rate for " << lab.apiLogPath().toStdString() << "\n" << summary;
    EXPECT_NEAR(*apiRate, double(kRate), 0.15 * kRate) << summary;

    // The findings that tell the story, the loop naming the path it calls.
    for (const QString &id : incidentFindings)
        EXPECT_FALSE(findingsWithId(broken, id).isEmpty()) << "no " << id.toStdString() << "\n"
                                                           << summary;
    bool loopNamesPath = false;
    for (const QJsonObject &finding : findingsWithId(broken, QStringLiteral("polling-loop")))
        loopNamesPath =
            loopNamesPath || findingText(finding).contains(QString::fromLatin1(lab.path()));
    EXPECT_TRUE(loopNamesPath) << "polling-loop does not name " << lab.path().constData() << "\n"
                               << summary;

    // --- the fix: TIME_WAIT falls by at least 90 % and those findings are gone.
    const double brokenTimeWait = labTimeWait(host, lab);
    const double fixedTimeWait = labTimeWait(fixed.host, fixedLab);
    std::cout << "[          ] the lab's TIME_WAIT: broken " << brokenTimeWait << ", fixed "
              << fixedTimeWait << "; the host's: broken "
              << host[QLatin1String("timewait")][QLatin1String("last")].toDouble() << ", fixed "
              << fixed.host[QLatin1String("timewait")][QLatin1String("last")].toDouble() << "\n";
    EXPECT_GE(brokenTimeWait, 0.6 * kRate * 60) << summary;
    EXPECT_LE(fixedTimeWait, 0.1 * brokenTimeWait) << fixedSummary;
    EXPECT_LE(timeWaitOfEndpoint(fixed.host, fixedLab.apiEndpoint()), 0.1 * topCount)
        << fixedSummary;
    for (const QString &id : incidentFindings) {
        for (const QJsonObject &finding : findingsWithId(fixed, id))
            EXPECT_FALSE(aboutLab(finding, fixedLab))
                << id.toStdString()
                << " is still there once fixed: " << findingText(finding).toStdString() << "\n"
                << fixedSummary;
    }
}
