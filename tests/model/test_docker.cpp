#include "model/docker/dockerinventory.h"

#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>

#include <gtest/gtest.h>

using namespace twbench;

namespace {

const QString dockerDir = QStringLiteral(TWBENCH_TEST_DATA_DIR "/docker");

QByteArray readFixture(const QString &name)
{
    QFile file(dockerDir + u'/' + name);
    EXPECT_TRUE(file.open(QIODevice::ReadOnly)) << name.toStdString();
    return file.readAll();
}

IpAddress ip(const char *text)
{
    const auto parsed = IpAddress::parse(text);
    EXPECT_TRUE(parsed.has_value()) << text;
    return parsed.value_or(IpAddress());
}

std::vector<Container> containersOf(const char *fixture)
{
    const Parsed<std::vector<Container>> parsed =
        parseDockerInspect(readFixture(QString::fromLatin1(fixture)));
    EXPECT_TRUE(parsed.report.ok()) << parsed.report.summary().toStdString();
    EXPECT_EQ(parsed.report.linesRejected, 0);
    return parsed.value;
}

// Runs the stand-in docker with `arguments`; stdout, stderr and the exit code.
struct CliRun
{
    QByteArray out;
    QByteArray err;
    int exitCode = -1;
};

CliRun fakeDocker(const QStringList &arguments, const QString &mode = {})
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    if (!mode.isEmpty())
        environment.insert(QStringLiteral("FAKE_DOCKER_MODE"), mode);
    process.setProcessEnvironment(environment);
    // Through sh, so the test does not depend on the file's executable bit surviving a checkout.
    process.start(QStringLiteral("/bin/sh"),
                  QStringList{dockerDir + QStringLiteral("/fake-docker")} + arguments);
    EXPECT_TRUE(process.waitForFinished(30000));
    return {process.readAllStandardOutput(), process.readAllStandardError(), process.exitCode()};
}

QStringList linesOf(const QByteArray &text)
{
    QStringList lines;
    for (const QByteArray &line : text.split('\n')) {
        if (!line.isEmpty())
            lines.append(QString::fromLatin1(line));
    }
    return lines;
}

} // namespace

TEST(DockerInspect, BridgeContainerWithPublishedAndExposedPorts)
{
    const std::vector<Container> containers = containersOf("inspect_bridge_published.json");
    ASSERT_EQ(containers.size(), 1u);
    const Container &c = containers[0];
    EXPECT_EQ(c.id,
              QStringLiteral("0f1ba2ec2410a25bdaf30acf002fa4245f0a15c2f3b0a307bd080752ca748dde"));
    EXPECT_EQ(c.name, QStringLiteral("edge-proxy"));
    EXPECT_EQ(c.image, QStringLiteral("nginx:1.27-alpine"));
    EXPECT_TRUE(c.composeProject.isEmpty());
    EXPECT_TRUE(c.composeService.isEmpty());
    EXPECT_EQ(c.state, QStringLiteral("running"));
    EXPECT_TRUE(c.running);
    EXPECT_EQ(c.pid, 4211);
    EXPECT_EQ(c.networkMode, QStringLiteral("bridge"));
    EXPECT_FALSE(c.isHostNetwork());
    ASSERT_EQ(c.networks.size(), 1);
    const ContainerNetwork &bridge = c.networks[0];
    EXPECT_EQ(bridge.name, QStringLiteral("bridge"));
    EXPECT_EQ(bridge.networkId,
              QStringLiteral("e46f7f55045c8a9c5f1019cf453d245e912aeb3d6c78ad0d4efe77b1c0e5a183"));
    EXPECT_EQ(bridge.ipAddress, ip("172.17.0.2"));
    EXPECT_EQ(bridge.ipPrefixLength, 16);
    EXPECT_EQ(bridge.gateway, ip("172.17.0.1"));
    EXPECT_FALSE(bridge.ipv6Address.has_value());
    EXPECT_FALSE(bridge.ipv6Gateway.has_value());
    EXPECT_TRUE(bridge.aliases.isEmpty()); // docker prints null on the default bridge

    ASSERT_EQ(c.ports.size(), 2);
    const ContainerPort *published = nullptr;
    const ContainerPort *exposed = nullptr;
    for (const ContainerPort &port : c.ports)
        (port.port == 80 ? published : exposed) = &port;
    ASSERT_TRUE(published && exposed);
    EXPECT_EQ(published->protocol, QStringLiteral("tcp"));
    ASSERT_EQ(published->bindings.size(), 2);
    EXPECT_EQ(published->bindings[0].hostIp, ip("0.0.0.0"));
    EXPECT_EQ(published->bindings[0].hostPort, 8080);
    EXPECT_EQ(published->bindings[1].hostIp, ip("::"));
    EXPECT_EQ(published->bindings[1].hostPort, 8080);
    EXPECT_EQ(exposed->port, 443);
    EXPECT_TRUE(exposed->bindings.isEmpty()); // "443/tcp": null — exposed, not published
    EXPECT_EQ(c.containerPortPublishedOn(8080), std::optional<std::uint16_t>(80));
    EXPECT_FALSE(c.containerPortPublishedOn(443).has_value());
    EXPECT_EQ(c.addresses(), QList<IpAddress>{ip("172.17.0.2")});
}

TEST(DockerInspect, SeveralNetworksOneDualStack)
{
    const std::vector<Container> containers = containersOf("inspect_multi_network.json");
    ASSERT_EQ(containers.size(), 1u);
    const Container &c = containers[0];
    EXPECT_EQ(c.name, QStringLiteral("api-gateway"));
    EXPECT_EQ(c.image, QStringLiteral("registry.example.com/team/api-gateway:2.4.1"));
    EXPECT_EQ(c.networkMode, QStringLiteral("frontend"));
    ASSERT_EQ(c.networks.size(), 2);
    // QJsonObject keeps keys sorted, as docker prints them.
    EXPECT_EQ(c.networks[0].name, QStringLiteral("backend"));
    EXPECT_EQ(c.networks[0].ipAddress, ip("172.21.0.7"));
    EXPECT_EQ(c.networks[0].gateway, ip("172.21.0.1"));
    EXPECT_EQ(c.networks[0].aliases,
              (QStringList{QStringLiteral("api-gateway"), QStringLiteral("gw")}));
    EXPECT_EQ(c.networks[1].name, QStringLiteral("frontend"));
    EXPECT_EQ(c.networks[1].ipAddress, ip("172.20.0.5"));
    EXPECT_EQ(c.networks[1].ipv6Address, ip("fd00:20::5"));
    EXPECT_EQ(c.networks[1].ipv6Gateway, ip("fd00:20::1"));
    EXPECT_EQ(c.addresses(),
              (QList<IpAddress>{ip("172.21.0.7"), ip("172.20.0.5"), ip("fd00:20::5")}));
    ASSERT_EQ(c.ports.size(), 1);
    EXPECT_EQ(c.ports[0].bindings[0].hostIp, ip("127.0.0.1"));
    EXPECT_EQ(c.ports[0].bindings[0].hostPort, 9000);
}

TEST(DockerInspect, HostNetworkModeHasAHostEntryWithoutAddress)
{
    const std::vector<Container> containers = containersOf("inspect_host_mode.json");
    ASSERT_EQ(containers.size(), 1u);
    const Container &c = containers[0];
    EXPECT_EQ(c.name, QStringLiteral("node-exporter"));
    EXPECT_TRUE(c.isHostNetwork());
    EXPECT_EQ(c.pid, 9001);
    ASSERT_EQ(c.networks.size(), 1);
    EXPECT_EQ(c.networks[0].name, QStringLiteral("host"));
    EXPECT_FALSE(c.networks[0].ipAddress.has_value());
    EXPECT_FALSE(c.networks[0].gateway.has_value());
    EXPECT_TRUE(c.ports.isEmpty());
    EXPECT_TRUE(c.addresses().isEmpty());
}

TEST(DockerInspect, ContainerWithoutIp)
{
    const std::vector<Container> containers = containersOf("inspect_no_ip.json");
    ASSERT_EQ(containers.size(), 1u);
    EXPECT_EQ(containers[0].networkMode, QStringLiteral("none"));
    EXPECT_TRUE(containers[0].running);
    ASSERT_EQ(containers[0].networks.size(), 1);
    EXPECT_EQ(containers[0].networks[0].name, QStringLiteral("none"));
    EXPECT_TRUE(containers[0].addresses().isEmpty());
}

TEST(DockerInspect, StoppedContainer)
{
    const std::vector<Container> containers = containersOf("inspect_stopped.json");
    ASSERT_EQ(containers.size(), 1u);
    const Container &c = containers[0];
    EXPECT_EQ(c.name, QStringLiteral("old-cron"));
    EXPECT_EQ(c.state, QStringLiteral("exited"));
    EXPECT_FALSE(c.running);
    EXPECT_EQ(c.pid, 0);
    ASSERT_EQ(c.networks.size(), 1);
    EXPECT_FALSE(c.networks[0].ipAddress.has_value());
    EXPECT_FALSE(c.networks[0].gateway.has_value());
    EXPECT_FALSE(c.networks[0].networkId.isEmpty());
}

TEST(DockerInspect, NoNetworksAtAll)
{
    const std::vector<Container> containers = containersOf("inspect_no_networks.json");
    ASSERT_EQ(containers.size(), 1u);
    EXPECT_EQ(containers[0].state, QStringLiteral("created"));
    EXPECT_TRUE(containers[0].networks.isEmpty());
    EXPECT_TRUE(containers[0].ports.isEmpty());
}

TEST(DockerInspect, ManyNetworks)
{
    const std::vector<Container> containers = containersOf("inspect_many_networks.json");
    ASSERT_EQ(containers.size(), 1u);
    ASSERT_EQ(containers[0].networks.size(), 6);
    for (int k = 0; k < 6; ++k) {
        const ContainerNetwork &network = containers[0].networks[k];
        EXPECT_EQ(network.name, QStringLiteral("segment%1").arg(k));
        EXPECT_EQ(network.ipAddress, IpAddress::fromV4((10u << 24) | ((60u + k) << 16) | 10u));
        EXPECT_EQ(network.gateway, IpAddress::fromV4((10u << 24) | ((60u + k) << 16) | 1u));
        EXPECT_EQ(network.ipPrefixLength, 24);
    }
}

TEST(DockerInspect, ComposeReplicasInOneAnswer)
{
    const std::vector<Container> containers = containersOf("inspect_compose_replicas.json");
    ASSERT_EQ(containers.size(), 2u);
    for (const Container &c : containers) {
        EXPECT_EQ(c.composeProject, QStringLiteral("shop"));
        EXPECT_EQ(c.composeService, QStringLiteral("worker"));
        EXPECT_EQ(c.image, QStringLiteral("shop-worker:latest"));
        ASSERT_EQ(c.networks.size(), 1);
        EXPECT_EQ(c.networks[0].name, QStringLiteral("shop_default"));
        EXPECT_EQ(c.networks[0].gateway, ip("172.28.0.1"));
    }
    EXPECT_EQ(containers[0].name, QStringLiteral("shop-worker-1"));
    EXPECT_EQ(containers[0].pid, 6101);
    EXPECT_EQ(containers[0].networks[0].ipAddress, ip("172.28.0.3"));
    EXPECT_EQ(containers[1].name, QStringLiteral("shop-worker-2"));
    EXPECT_EQ(containers[1].pid, 6188);
    EXPECT_EQ(containers[1].networks[0].ipAddress, ip("172.28.0.4"));
}

TEST(DockerInspect, HostileStringsAreStoredAsGivenAndShownEscaped)
{
    const std::vector<Container> containers = containersOf("inspect_hostile.json");
    ASSERT_EQ(containers.size(), 1u);
    const Container &c = containers[0];
    EXPECT_EQ(c.name, QStringLiteral("evil-$(touch pwned);`id`|x"));
    EXPECT_EQ(c.image, QStringLiteral("nginx:latest\n\x1b[2J"));
    EXPECT_EQ(c.composeProject, QStringLiteral("\x1b[31mred\x1b[0m"));
    EXPECT_EQ(c.composeService,
              QString(QStringLiteral("web") + QChar(0x202e) + QStringLiteral("gnp.exe")));

    EXPECT_EQ(safeDisplayText(c.image), QStringLiteral("nginx:latest\\x0a\\x1b[2J"));
    EXPECT_EQ(safeDisplayText(c.composeProject), QStringLiteral("\\x1b[31mred\\x1b[0m"));
    EXPECT_EQ(safeDisplayText(c.composeService), QStringLiteral("web\\u{202e}gnp.exe"));
    // Shell metacharacters are only text: shown as they are (quoting is the command's job).
    EXPECT_EQ(safeDisplayText(c.name), c.name);
}

TEST(SafeDisplayText, KeepingEndCutsTheMiddleAndStillEscapes)
{
    // Short: escaped, not cut.
    EXPECT_EQ(safeDisplayTextKeepingEnd(QStringLiteral("/var/log/a\x1b.log"), 60),
              QStringLiteral("/var/log/a\\x1b.log"));
    // Long: the start and the file's own name stay, the middle goes.
    const QString path =
        QStringLiteral("/srv/") + QString(500, u'd') + QStringLiteral("/access.log");
    const QString shown = safeDisplayTextKeepingEnd(path, 60);
    EXPECT_LE(shown.size(), 61);
    EXPECT_TRUE(shown.startsWith(QStringLiteral("/srv/d"))) << shown.toStdString();
    EXPECT_TRUE(shown.endsWith(QStringLiteral("d/access.log"))) << shown.toStdString();
    EXPECT_TRUE(shown.contains(QChar(0x2026)));
    // Hostile characters at either end are escaped, wherever the cut falls; a megabyte reads
    // only its ends.
    const QString hostile = QString(QChar(0x202e)) + QString(1 << 20, QChar(0x1b)) +
                            QStringLiteral("\r\n") + QChar(0x200b) + QStringLiteral("x.log");
    const QString cut = safeDisplayTextKeepingEnd(hostile, 60);
    EXPECT_LE(cut.size(), 80);
    EXPECT_TRUE(cut.startsWith(QStringLiteral("\\u{202e}\\x1b"))) << cut.toStdString();
    EXPECT_TRUE(cut.endsWith(QStringLiteral("\\x0d\\x0a\\u{200b}x.log"))) << cut.toStdString();
    for (const QChar c : cut)
        EXPECT_TRUE(c.unicode() >= 0x20 && c.category() != QChar::Other_Format) << int(c.unicode());
    // A surrogate pair at the cut is never split into a lone half.
    QString emoji;
    for (int i = 0; i < 100; ++i)
        emoji += QString::fromUcs4(U"\U0001F600");
    const QString emojiCut = safeDisplayTextKeepingEnd(emoji, 41);
    EXPECT_FALSE(emojiCut.back().isHighSurrogate());
    EXPECT_FALSE(emojiCut.at(emojiCut.indexOf(QChar(0x2026)) + 1).isLowSurrogate());
}

TEST(DockerInspect, OneMegabyteNameIsStoredAndElidedForDisplay)
{
    const QByteArray huge(1024 * 1024, 'A');
    const QByteArray json = "[{\"Id\": \"abc123\", \"Name\": \"/" + huge +
                            "\", \"State\": {\"Status\": \"running\", \"Running\": true, "
                            "\"Pid\": 7}, \"Config\": {\"Labels\": {\"l\": \"" +
                            huge + "\"}}}]";
    const auto parsed = parseDockerInspect(json);
    ASSERT_TRUE(parsed.report.ok());
    ASSERT_EQ(parsed.value.size(), 1u);
    EXPECT_EQ(parsed.value[0].name.size(), huge.size());
    const QString shown = safeDisplayText(parsed.value[0].name, 40);
    EXPECT_EQ(shown.size(), 41);
    EXPECT_TRUE(shown.endsWith(QChar(0x2026)));
}

TEST(SafeDisplayText, EscapesControlsBidiAndBrokenSurrogates)
{
    QString text = QStringLiteral("a");
    text += QChar(0x2066); // LRI
    text += QChar(0x200b); // zero width space
    text += QChar(0x0085); // NEL (C1)
    text += QChar(0x7f);
    text += QChar(0xd800); // lone high surrogate
    text += QStringLiteral("\\x1b");
    text += QString::fromUcs4(U"\U0001F600"); // a real pair stays
    EXPECT_EQ(safeDisplayText(text), QStringLiteral("a\\u{2066}\\u{200b}\\x85\\x7f") +
                                         QChar(0xfffd) + QStringLiteral("\\\\x1b") +
                                         QString::fromUcs4(U"\U0001F600"));
    EXPECT_EQ(safeDisplayText(QStringLiteral("abcdef"), 3), QStringLiteral("abc") + QChar(0x2026));
}

TEST(DockerInspect, MalformedJsonIsRejectedWhole)
{
    const QByteArray good = readFixture(QStringLiteral("inspect_compose_replicas.json"));
    const QByteArray truncated = good.left(good.size() / 2);
    const auto parsed = parseDockerInspect(truncated);
    EXPECT_TRUE(parsed.value.empty()); // never the first replica alone
    EXPECT_FALSE(parsed.report.ok());
    EXPECT_EQ(parsed.report.linesRejected, 1);
    ASSERT_EQ(parsed.report.errors.size(), 1);
    EXPECT_TRUE(parsed.report.errors[0].reason.contains(QStringLiteral("docker inspect")));
    EXPECT_GT(parsed.report.errors[0].lineNumber, 1);
    EXPECT_FALSE(parsed.report.summary().isEmpty());

    for (const char *text : {"{\"Id\": \"x\"}", "not json at all", "[1, 2", "\"a string\""}) {
        const auto bad = parseDockerInspect(QByteArray(text));
        EXPECT_TRUE(bad.value.empty()) << text;
        EXPECT_EQ(bad.report.linesRejected, 1) << text;
    }
}

TEST(DockerInspect, ElementsOfTheWrongShapeAreRejectedOneByOne)
{
    const QByteArray json = R"([
    {"Id": "aaa", "Name": "/ok", "State": {"Running": true, "Pid": 12}},
    {"Id": "bbb", "Name": "/badpid", "State": {"Running": true, "Pid": "12"}},
    {"Name": "/noid"},
    "not an object",
    {"Id": "ccc", "NetworkSettings": {"Networks": {"bridge": {"IPAddress": "300.1.2.3"}}}},
    {"Id": "ddd", "NetworkSettings": {"Ports": {"http/tcp": null}}},
    {"Id": "eee", "NetworkSettings": {"Ports": {"80/tcp": [{"HostIp": "", "HostPort": "99999"}]}}},
    {"Id": "fff", "State": {"Pid": 1.5}},
    {"Id": "ggg", "State": {"Pid": -3}},
    {"Id": "hhh", "Config": {"Labels": {"com.docker.compose.project": 7}}},
    {"Id": "iii", "NetworkSettings": {"Networks": {"n": {"Aliases": [1]}}}}
])";
    const auto parsed = parseDockerInspect(json);
    ASSERT_EQ(parsed.value.size(), 1u);
    EXPECT_EQ(parsed.value[0].name, QStringLiteral("ok"));
    EXPECT_EQ(parsed.report.linesRead, 11);
    EXPECT_EQ(parsed.report.linesUsed, 1);
    EXPECT_EQ(parsed.report.linesRejected, 10);
    ASSERT_EQ(parsed.report.errors.size(), 10);
    EXPECT_EQ(parsed.report.errors[0].lineNumber, 2);
    EXPECT_TRUE(parsed.report.errors[0].reason.contains(QStringLiteral("State.Pid")))
        << parsed.report.errors[0].reason.toStdString();
    EXPECT_TRUE(parsed.report.errors[3].reason.contains(QStringLiteral("300.1.2.3")));
}

TEST(DockerInspect, EmptyAnswerAndStderrBesideIt)
{
    EXPECT_TRUE(parseDockerInspect("").report.ok());
    EXPECT_TRUE(parseDockerInspect("[]\n").value.empty());

    // A container gone between `ps` and `inspect`: docker prints the others and names it.
    const QByteArray answer = "WARNING: Error loading config file: /root/.docker/config.json: "
                              "permission denied\n" +
                              readFixture(QStringLiteral("inspect_stopped.json")) +
                              "Error: No such object: 0123456789ab\n";
    const auto parsed = parseDockerInspect(answer);
    EXPECT_TRUE(parsed.report.ok()) << parsed.report.summary().toStdString();
    EXPECT_EQ(parsed.value.size(), 1u);
    EXPECT_EQ(parsed.report.linesSkipped, 2);
}

TEST(DockerNetworkInspect, DefaultNetworks)
{
    const auto parsed =
        parseDockerNetworkInspect(readFixture(QStringLiteral("network_inspect_default.json")));
    ASSERT_TRUE(parsed.report.ok()) << parsed.report.summary().toStdString();
    ASSERT_EQ(parsed.value.size(), 3u);
    const DockerNetwork &bridge = parsed.value[0];
    EXPECT_EQ(bridge.name, QStringLiteral("bridge"));
    EXPECT_EQ(bridge.id,
              QStringLiteral("e46f7f55045c8a9c5f1019cf453d245e912aeb3d6c78ad0d4efe77b1c0e5a183"));
    EXPECT_EQ(bridge.driver, QStringLiteral("bridge"));
    ASSERT_EQ(bridge.subnets.size(), 1);
    EXPECT_EQ(bridge.subnets[0].toString(), QStringLiteral("172.17.0.0/16"));
    EXPECT_EQ(bridge.gateways, QList<IpAddress>{ip("172.17.0.1")});
    EXPECT_EQ(parsed.value[1].name, QStringLiteral("host"));
    EXPECT_EQ(parsed.value[1].driver, QStringLiteral("host"));
    EXPECT_TRUE(parsed.value[1].subnets.isEmpty());
    EXPECT_TRUE(parsed.value[1].gateways.isEmpty());
    EXPECT_EQ(parsed.value[2].name, QStringLiteral("none"));
    EXPECT_EQ(parsed.value[2].driver, QStringLiteral("null"));
}

TEST(DockerNetworkInspect, CustomNetworksWithIpv6AndCompose)
{
    const auto parsed =
        parseDockerNetworkInspect(readFixture(QStringLiteral("network_inspect_custom.json")));
    ASSERT_TRUE(parsed.report.ok()) << parsed.report.summary().toStdString();
    ASSERT_EQ(parsed.value.size(), 9u);
    const DockerNetwork &frontend = parsed.value[1];
    EXPECT_EQ(frontend.name, QStringLiteral("frontend"));
    ASSERT_EQ(frontend.subnets.size(), 2);
    EXPECT_EQ(frontend.subnets[1].toString(), QStringLiteral("fd00:20::/64"));
    EXPECT_EQ(frontend.gateways, (QList<IpAddress>{ip("172.20.0.1"), ip("fd00:20::1")}));
    EXPECT_EQ(parsed.value[8].name, QStringLiteral("shop_default"));
    EXPECT_EQ(parsed.value[8].gateways, QList<IpAddress>{ip("172.28.0.1")});
}

TEST(DockerNetworkInspect, PodmanNetavarkFormat)
{
    // podman 4+: lower-case keys and a "subnets" list.
    const QByteArray json = R"([
     {
          "name": "podman",
          "id": "2f259bab93aaaaa2542ba43ef33eb990d0999ee1b9924b557b7be53c0b7a1bb9",
          "driver": "bridge",
          "network_interface": "podman0",
          "created": "2024-11-04T09:12:31.552718233Z",
          "subnets": [
               {
                    "subnet": "10.88.0.0/16",
                    "gateway": "10.88.0.1"
               }
          ],
          "ipv6_enabled": false,
          "internal": false,
          "dns_enabled": false,
          "ipam_options": {
               "driver": "host-local"
          }
     }
])";
    const auto parsed = parseDockerNetworkInspect(json);
    ASSERT_TRUE(parsed.report.ok()) << parsed.report.summary().toStdString();
    ASSERT_EQ(parsed.value.size(), 1u);
    EXPECT_EQ(parsed.value[0].name, QStringLiteral("podman"));
    EXPECT_EQ(parsed.value[0].driver, QStringLiteral("bridge"));
    EXPECT_EQ(parsed.value[0].subnets[0].toString(), QStringLiteral("10.88.0.0/16"));
    EXPECT_EQ(parsed.value[0].gateways, QList<IpAddress>{ip("10.88.0.1")});
}

TEST(DockerNetworkInspect, MalformedIsRejected)
{
    const auto bad = parseDockerNetworkInspect(
        R"([{"Name": "x", "Id": "1", "IPAM": {"Config": [{"Subnet": "10.0.0.0/33"}]}}])");
    EXPECT_TRUE(bad.value.empty());
    EXPECT_EQ(bad.report.linesRejected, 1);
    const auto noName = parseDockerNetworkInspect(R"([{"Driver": "bridge"}])");
    EXPECT_TRUE(noName.value.empty());
    EXPECT_EQ(noName.report.linesRejected, 1);
}

TEST(IpSubnet, ContainsByPrefix)
{
    const auto v4 = IpSubnet::parse("172.16.0.0/12");
    ASSERT_TRUE(v4.has_value());
    EXPECT_TRUE(v4->contains(ip("172.31.255.254")));
    EXPECT_FALSE(v4->contains(ip("172.32.0.1")));
    EXPECT_TRUE(v4->contains(ip("::ffff:172.20.1.1"))); // mapped is the same peer
    EXPECT_FALSE(v4->contains(ip("fd00::1")));
    const auto v6 = IpSubnet::parse("fd00:20::/63");
    ASSERT_TRUE(v6.has_value());
    EXPECT_TRUE(v6->contains(ip("fd00:20:0:1::9")));
    EXPECT_FALSE(v6->contains(ip("fd00:20:0:2::9")));
    EXPECT_TRUE(IpSubnet::parse("0.0.0.0/0")->contains(ip("8.8.8.8")));
    EXPECT_FALSE(IpSubnet::parse("10.0.0.1").has_value());
    EXPECT_FALSE(IpSubnet::parse("10.0.0.0/").has_value());
    EXPECT_FALSE(IpSubnet::parse("::/129").has_value());
}

TEST(DockerErrors, CliErrorTextsBecomeInventoryErrors)
{
    struct Case
    {
        const char *text;
        DockerError kind;
    };
    const Case cases[] = {
        {"bash: docker: command not found\n", DockerError::NotInstalled},
        {"sh: 1: docker: not found\n", DockerError::NotInstalled},
        {"sh: docker: not found", DockerError::NotInstalled},
        {"sudo: docker: command not found\n", DockerError::NotInstalled},
        {"permission denied while trying to connect to the Docker daemon socket at "
         "unix:///var/run/docker.sock: Get \"http://%2Fvar%2Frun%2Fdocker.sock/v1.24/containers/"
         "json\": dial unix /var/run/docker.sock: connect: permission denied\n",
         DockerError::PermissionDenied},
        {"WARNING: something first\nCannot connect to the Docker daemon at "
         "unix:///var/run/docker.sock. Is the docker daemon running?\n",
         DockerError::DaemonNotRunning},
        {"sudo: a password is required\n", DockerError::SudoNeedsPassword},
        {"[]", DockerError::None},
        {"", DockerError::None},
    };
    for (const Case &c : cases) {
        EXPECT_EQ(recogniseDockerError(c.text), c.kind) << c.text;
        const auto parsed = parseDockerInventory(c.text, "[]");
        EXPECT_EQ(parsed.value.errorKind, c.kind) << c.text;
        EXPECT_EQ(parsed.value.ok(), c.kind == DockerError::None);
        EXPECT_EQ(parsed.value.error.isEmpty(), c.kind == DockerError::None);
        EXPECT_TRUE(parsed.value.containers.empty());
    }
    const QString denied = dockerErrorText(DockerError::PermissionDenied);
    EXPECT_TRUE(denied.contains(QStringLiteral("docker group")));
    EXPECT_TRUE(denied.contains(QStringLiteral("sudo -n docker")));
    // The network half may carry the complaint too.
    EXPECT_EQ(
        parseDockerInventory("[]", "Cannot connect to the Docker daemon at x").value.errorKind,
        DockerError::DaemonNotRunning);
    // An unknown complaint is not an inventory error but a rejected answer.
    const auto odd = parseDockerInventory("Segmentation fault", "[]");
    EXPECT_TRUE(odd.value.ok());
    EXPECT_EQ(odd.report.linesRejected, 1);
}

TEST(DockerInventory, BothAnswersTogether)
{
    const auto parsed =
        parseDockerInventory(readFixture(QStringLiteral("inspect_compose_replicas.json")),
                             readFixture(QStringLiteral("network_inspect_custom.json")));
    ASSERT_TRUE(parsed.report.ok());
    EXPECT_TRUE(parsed.value.ok());
    EXPECT_EQ(parsed.value.containers.size(), 2u);
    EXPECT_EQ(parsed.value.networks.size(), 9u);
    EXPECT_EQ(parsed.report.linesUsed, 11);
    ASSERT_NE(parsed.value.containerById(QStringLiteral(
                  "02df9544837a9777c1013ec6ad7e494aa4403530cdb03e3442efd297048d20fd")),
              nullptr);
    EXPECT_EQ(parsed.value.networkByName(QStringLiteral("backend"))->gateways.size(), 1);
    EXPECT_EQ(parsed.value.networkByName(QStringLiteral("nope")), nullptr);
}

TEST(ContainerNamespaces, ProbeLines)
{
    const auto parsed = parseContainerNamespaces("abc123 4211 4026532610\n"
                                                 "def456 0 net:[4026532611]\n"
                                                 "\n"
                                                 "bad line\n"
                                                 "zz$x 1 2\n"
                                                 "abc 1 0\n");
    ASSERT_EQ(parsed.value.size(), 2u);
    EXPECT_EQ(parsed.value[0].containerId, QStringLiteral("abc123"));
    EXPECT_EQ(parsed.value[0].pid, 4211);
    EXPECT_EQ(parsed.value[0].netns, 4026532610u);
    EXPECT_EQ(parsed.value[1].netns, 4026532611u);
    EXPECT_EQ(parsed.report.linesRejected, 3);
}

TEST(FakeDocker, AnswersPsInspectAndNetworksFromTheFixtures)
{
    const CliRun ps =
        fakeDocker({QStringLiteral("ps"), QStringLiteral("-q"), QStringLiteral("--no-trunc")});
    ASSERT_EQ(ps.exitCode, 0) << ps.err.toStdString();
    const QStringList ids = linesOf(ps.out);
    // Every running container of the fixtures: not old-cron (exited), not never-started.
    ASSERT_EQ(ids.size(), 8);
    for (const QString &id : ids)
        EXPECT_EQ(id.size(), 64);

    const CliRun inspect = fakeDocker(QStringList{QStringLiteral("inspect")} + ids);
    ASSERT_EQ(inspect.exitCode, 0) << inspect.err.toStdString();
    const auto containers = parseDockerInspect(inspect.out);
    ASSERT_TRUE(containers.report.ok()) << containers.report.summary().toStdString();
    ASSERT_EQ(containers.value.size(), 8u);
    for (std::size_t i = 0; i < containers.value.size(); ++i) {
        EXPECT_EQ(containers.value[i].id, ids[qsizetype(i)]); // in the order asked
        EXPECT_TRUE(containers.value[i].running);
        EXPECT_GT(containers.value[i].pid, 0);
    }

    const CliRun all = fakeDocker({QStringLiteral("ps"), QStringLiteral("-aq")});
    EXPECT_EQ(linesOf(all.out).size(), 10);
    EXPECT_EQ(linesOf(all.out)[0].size(), 12); // docker truncates without --no-trunc

    const CliRun ls =
        fakeDocker({QStringLiteral("network"), QStringLiteral("ls"), QStringLiteral("-q")});
    ASSERT_EQ(ls.exitCode, 0);
    const QStringList networkIds = linesOf(ls.out);
    ASSERT_EQ(networkIds.size(), 12);
    const CliRun networks =
        fakeDocker(QStringList{QStringLiteral("network"), QStringLiteral("inspect")} + networkIds);
    ASSERT_EQ(networks.exitCode, 0) << networks.err.toStdString();
    const auto inventory = parseDockerInventory(inspect.out, networks.out);
    ASSERT_TRUE(inventory.report.ok()) << inventory.report.summary().toStdString();
    EXPECT_EQ(inventory.value.networks.size(), 12u);
    EXPECT_NE(inventory.value.networkByName(QStringLiteral("shop_default")), nullptr);

    const CliRun version = fakeDocker({QStringLiteral("version"), QStringLiteral("--format"),
                                       QStringLiteral("{{.Server.Version}}")});
    EXPECT_EQ(version.out.trimmed(), QByteArray("27.3.1"));
}

TEST(FakeDocker, MissingObjectsAndErrorsAsDockerPrintsThem)
{
    const CliRun partial = fakeDocker({QStringLiteral("inspect"), QStringLiteral("old-cron"),
                                       QStringLiteral("0123456789abcdef")});
    EXPECT_EQ(partial.exitCode, 1);
    EXPECT_EQ(partial.err.trimmed(), QByteArray("Error: No such object: 0123456789abcdef"));
    const auto parsed =
        parseDockerInspect(QByteArray(partial.out + partial.err)); // as the probe merges them
    ASSERT_TRUE(parsed.report.ok()) << parsed.report.summary().toStdString();
    ASSERT_EQ(parsed.value.size(), 1u);
    EXPECT_EQ(parsed.value[0].name, QStringLiteral("old-cron"));

    const CliRun none = fakeDocker({QStringLiteral("inspect"), QStringLiteral("nothing-here")});
    EXPECT_EQ(none.out.trimmed(), QByteArray("[]"));

    const CliRun denied = fakeDocker({QStringLiteral("ps"), QStringLiteral("-q")},
                                     QStringLiteral("permission-denied"));
    EXPECT_NE(denied.exitCode, 0);
    EXPECT_EQ(parseDockerInventory(denied.err, {}).value.errorKind, DockerError::PermissionDenied);
    const CliRun down =
        fakeDocker({QStringLiteral("ps"), QStringLiteral("-q")}, QStringLiteral("daemon-down"));
    EXPECT_EQ(recogniseDockerError(down.err), DockerError::DaemonNotRunning);
    const CliRun missing = fakeDocker({QStringLiteral("ps")}, QStringLiteral("not-found"));
    EXPECT_EQ(missing.exitCode, 127);
    EXPECT_EQ(recogniseDockerError(missing.err), DockerError::NotInstalled);
}
