#include "incidentlab.h"

#include "sshdfixture.h" // descendantProcesses()
#include "timewaitlab.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QThread>

#include <arpa/inet.h>
#include <csignal>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace twbench::test {

namespace {

// The proxy: one new upstream connection per request unless `keepalive` (the fix) is there.
// @TOKENS@ are filled in by fill(); nginx's own $variables are left alone.
constexpr char proxyTemplate[] = R"(# twbench incident lab: the reverse proxy (@VARIANT@ variant)
worker_processes 1;
daemon off;
pid @DIR@/nginx.pid;
error_log @DIR@/error.log;
events { worker_connections 1024; }
http {
    access_log @DIR@/access.log combined;
    client_body_temp_path @DIR@/tmp/body;
    proxy_temp_path @DIR@/tmp/proxy;
    fastcgi_temp_path @DIR@/tmp/fastcgi;
    uwsgi_temp_path @DIR@/tmp/uwsgi;
    scgi_temp_path @DIR@/tmp/scgi;
    upstream api {
        server @API@;
@KEEPALIVE@    }
    server {
        listen @LISTEN@;
        location / {
            proxy_pass http://api;
            # Upstream connections leave from the proxy's own address, as a container's do.
            proxy_bind @BIND@;
@UPSTREAM_HTTP11@        }
    }
}
)";

// The API: an access token for every path. Broken: it closes every connection itself.
constexpr char apiTemplate[] = R"(# twbench incident lab: the API (@VARIANT@ variant)
worker_processes 1;
daemon off;
pid @DIR@/nginx.pid;
error_log @DIR@/error.log;
events { worker_connections 1024; }
http {
    access_log @DIR@/access.log combined;
    client_body_temp_path @DIR@/tmp/body;
    proxy_temp_path @DIR@/tmp/proxy;
    fastcgi_temp_path @DIR@/tmp/fastcgi;
    uwsgi_temp_path @DIR@/tmp/uwsgi;
    scgi_temp_path @DIR@/tmp/scgi;
@API_KEEPALIVE@
    # The token is a file sent with sendfile under TCP_CORK (tcp_nopush): without keep-alive, the
    # answer and the FIN leave in one segment, as a backend that answers and closes at once does,
    # and the API's side is always the one that closed first. (Sent apart, the FIN races the
    # proxy's own close and the TIME_WAITs split between the two ends.)
    sendfile on;
    tcp_nopush on;
    server {
        listen @LISTEN@;
        root @DIR@/www;
        location / {
            default_type application/json;
            try_files /token.json =404;
        }
    }
}
)";

// One running container as `docker inspect` prints it (4 spaces a level, docker's key order):
// the fields the probe and twbench read, and enough of the rest to look like the real thing.
constexpr char containerTemplate[] = R"(    {
        "Id": "@ID@",
        "Created": "@CREATED@",
        "Path": "/docker-entrypoint.sh",
        "Args": [
            "nginx",
            "-g",
            "daemon off;"
        ],
        "State": {
            "Status": "running",
            "Running": true,
            "Paused": false,
            "Restarting": false,
            "OOMKilled": false,
            "Dead": false,
            "Pid": @PID@,
            "ExitCode": 0,
            "Error": "",
            "StartedAt": "@CREATED@",
            "FinishedAt": "0001-01-01T00:00:00Z"
        },
        "Image": "sha256:@IMAGE_ID@",
        "ResolvConfPath": "/var/lib/docker/containers/@ID@/resolv.conf",
        "HostnamePath": "/var/lib/docker/containers/@ID@/hostname",
        "HostsPath": "/var/lib/docker/containers/@ID@/hosts",
        "LogPath": "@LOG_PATH@",
        "Name": "/@NAME@",
        "RestartCount": 0,
        "Driver": "overlay2",
        "Platform": "linux",
        "MountLabel": "",
        "ProcessLabel": "",
        "AppArmorProfile": "docker-default",
        "ExecIDs": null,
        "HostConfig": {
            "Binds": null,
            "ContainerIDFile": "",
            "LogConfig": {
                "Type": "json-file",
                "Config": {}
            },
            "NetworkMode": "@NETWORK@",
            "PortBindings": {
                "@PORT@/tcp": [
                    {
                        "HostIp": "",
                        "HostPort": "@PORT@"
                    }
                ]
            },
            "RestartPolicy": {
                "Name": "unless-stopped",
                "MaximumRetryCount": 0
            },
            "AutoRemove": false
        },
        "Mounts": [],
        "Config": {
            "Hostname": "@SHORT_ID@",
            "Domainname": "",
            "User": "",
            "ExposedPorts": {
                "@PORT@/tcp": {}
            },
            "Tty": false,
            "Env": [
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
            ],
            "Cmd": [
                "nginx",
                "-g",
                "daemon off;"
            ],
            "Image": "@IMAGE@",
            "Volumes": null,
            "WorkingDir": "/",
            "Entrypoint": [
                "/docker-entrypoint.sh"
            ],
            "OnBuild": null,
            "Labels": {},
            "StopSignal": "SIGQUIT"
        },
        "NetworkSettings": {
            "Bridge": "",
            "SandboxID": "@SANDBOX_ID@",
            "SandboxKey": "/var/run/docker/netns/@SHORT_SANDBOX@",
            "Ports": {
                "@PORT@/tcp": [
                    {
                        "HostIp": "0.0.0.0",
                        "HostPort": "@PORT@"
                    }
                ]
            },
            "HairpinMode": false,
            "LinkLocalIPv6Address": "",
            "LinkLocalIPv6PrefixLen": 0,
            "SecondaryIPAddresses": null,
            "SecondaryIPv6Addresses": null,
            "EndpointID": "",
            "Gateway": "",
            "GlobalIPv6Address": "",
            "GlobalIPv6PrefixLen": 0,
            "IPAddress": "",
            "IPPrefixLen": 0,
            "IPv6Gateway": "",
            "MacAddress": "",
            "Networks": {
                "@NETWORK@": {
                    "IPAMConfig": null,
                    "Links": null,
                    "Aliases": [
                        "@NAME@",
                        "@SHORT_ID@"
                    ],
                    "MacAddress": "@MAC@",
                    "DriverOpts": null,
                    "NetworkID": "@NETWORK_ID@",
                    "EndpointID": "@ENDPOINT_ID@",
                    "Gateway": "@GATEWAY@",
                    "IPAddress": "@IP@",
                    "IPPrefixLen": 24,
                    "IPv6Gateway": "",
                    "GlobalIPv6Address": "",
                    "GlobalIPv6PrefixLen": 0,
                    "DNSNames": [
                        "@NAME@",
                        "@SHORT_ID@"
                    ]
                }
            }
        }
    })";

// The user-defined bridge network both containers are on, as `docker network inspect` prints it.
constexpr char networkTemplate[] = R"([
    {
        "Name": "@NETWORK@",
        "Id": "@NETWORK_ID@",
        "Created": "@CREATED@",
        "Scope": "local",
        "Driver": "bridge",
        "EnableIPv6": false,
        "IPAM": {
            "Driver": "default",
            "Options": null,
            "Config": [
                {
                    "Subnet": "@SUBNET@0/24",
                    "Gateway": "@GATEWAY@"
                }
            ]
        },
        "Internal": false,
        "Attachable": false,
        "Ingress": false,
        "ConfigFrom": {
            "Network": ""
        },
        "ConfigOnly": false,
        "Containers": {
            "@PROXY_ID@": {
                "Name": "@PROXY_NAME@",
                "EndpointID": "@PROXY_ENDPOINT_ID@",
                "MacAddress": "@PROXY_MAC@",
                "IPv4Address": "@PROXY_IP@/24",
                "IPv6Address": ""
            },
            "@API_ID@": {
                "Name": "@API_NAME@",
                "EndpointID": "@API_ENDPOINT_ID@",
                "MacAddress": "@API_MAC@",
                "IPv4Address": "@API_IP@/24",
                "IPv6Address": ""
            }
        },
        "Options": {
            "com.docker.network.bridge.name": "br-@SHORT_NETWORK_ID@"
        },
        "Labels": {}
    }
]
)";

using Fills = QList<std::pair<QByteArray, QByteArray>>;

QByteArray fill(QByteArray text, const Fills &fills)
{
    for (const auto &[key, value] : fills)
        text.replace(QByteArray('@' + key + '@'), value);
    return text;
}

QByteArray randomHex(int digits)
{
    QByteArray text;
    while (text.size() < digits)
        text += QByteArray::number(QRandomGenerator::global()->generate64() | (1ull << 63), 16);
    return text.left(digits);
}

QByteArray macOf(const QByteArray &ip)
{
    in_addr address{};
    inet_pton(AF_INET, ip.constData(), &address);
    const std::uint32_t host = ntohl(address.s_addr);
    return QByteArray("02:42:") +
           QByteArray::number((host >> 24) & 0xff, 16).rightJustified(2, '0') + ':' +
           QByteArray::number((host >> 16) & 0xff, 16).rightJustified(2, '0') + ':' +
           QByteArray::number((host >> 8) & 0xff, 16).rightJustified(2, '0') + ':' +
           QByteArray::number(host & 0xff, 16).rightJustified(2, '0');
}

bool isLoopbackV4(const QByteArray &ip)
{
    in_addr address{};
    return inet_pton(AF_INET, ip.constData(), &address) == 1 &&
           (ntohl(address.s_addr) >> 24) == 127;
}

// A port nothing on `ip` uses now (the kernel's pick for a bind to port 0).
std::uint16_t freePortOn(const QByteArray &ip)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    inet_pton(AF_INET, ip.constData(), &address.sin_addr);
    socklen_t length = sizeof address;
    std::uint16_t port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) == 0)
        port = ntohs(address.sin_port);
    ::close(fd);
    return port;
}

// Whether ip:port is in LISTEN in /proc/net/tcp. Read rather than connected to, so that waiting
// for a server leaves no connection (and no TIME_WAIT) of its own behind.
bool isListening(const QByteArray &ip, std::uint16_t port)
{
    in_addr address{};
    if (inet_pton(AF_INET, ip.constData(), &address) != 1)
        return false;
    // The kernel prints the address as the native u32 of its network-order bytes.
    const QByteArray wanted =
        QByteArray::number(quint32(address.s_addr), 16).rightJustified(8, '0').toUpper() + ':' +
        QByteArray::number(port, 16).rightJustified(4, '0').toUpper();
    QFile file(QStringLiteral("/proc/net/tcp"));
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QList<QByteArray> lines = file.readAll().split('\n');
    for (const QByteArray &line : lines) {
        const QList<QByteArray> fields = line.simplified().split(' ');
        if (fields.size() > 3 && fields.at(1) == wanted && fields.at(3) == "0A")
            return true;
    }
    return false;
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &text)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(text) == text.size();
}

// Children die with the thread that started them, whatever ends it (a crash, ctest's timeout).
void dieWithParent(QProcess &process)
{
    const pid_t parent = ::getpid();
    process.setChildProcessModifier([parent] {
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent)
            ::_exit(1); // the parent is already gone
    });
}

} // namespace

IncidentLab::IncidentLab(IncidentLabOptions options)
    : m_options(std::move(options))
{
    if (m_options.subnet.isEmpty())
        m_options.subnet = randomLoopbackSubnet();
    if (m_options.gatewayIp.isEmpty())
        m_options.gatewayIp = m_options.subnet + '1';
    if (m_options.proxyIp.isEmpty())
        m_options.proxyIp = m_options.subnet + "10";
    if (m_options.apiIp.isEmpty())
        m_options.apiIp = m_options.subnet + "20";
    if (!m_options.path.startsWith('/'))
        m_options.path.prepend('/');
}

IncidentLab::~IncidentLab()
{
    stop();
}

QString IncidentLab::unavailableReason(const QString &nginx)
{
    if (!QFileInfo(nginx).isExecutable())
        return QStringLiteral("nginx is not installed at %1 (nginx-light)").arg(nginx);
    return {};
}

QByteArray IncidentLab::proxyEndpoint() const
{
    return m_options.proxyIp + ':' + QByteArray::number(m_options.proxyPort);
}

QByteArray IncidentLab::apiEndpoint() const
{
    return m_options.apiIp + ':' + QByteArray::number(m_options.apiPort);
}

qint64 IncidentLab::proxyPid() const
{
    return m_proxy && m_proxy->state() == QProcess::Running ? m_proxy->processId() : 0;
}

qint64 IncidentLab::apiPid() const
{
    return m_api && m_api->state() == QProcess::Running ? m_api->processId() : 0;
}

qint64 IncidentLab::pollerPid() const
{
    return m_poller && m_poller->state() == QProcess::Running ? m_poller->processId() : 0;
}

bool IncidentLab::pollerRunning() const
{
    return pollerPid() != 0;
}

QString IncidentLab::proxyLogPath() const
{
    return m_dirPath + QStringLiteral("/proxy/access.log");
}

QString IncidentLab::apiLogPath() const
{
    return m_dirPath + QStringLiteral("/api/access.log");
}

QString IncidentLab::dockerPath() const
{
    return m_dirPath + QStringLiteral("/docker/fake-docker");
}

QString IncidentLab::pollerOutput() const
{
    return QString::fromUtf8(readFile(m_dirPath + QStringLiteral("/poller.out")));
}

QByteArray IncidentLab::proxyConfig() const
{
    const QString dir = m_dirPath + QStringLiteral("/proxy");
    return fill(proxyTemplate, {{"VARIANT", m_options.fixed ? "fixed" : "broken"},
                                {"DIR", dir.toUtf8()},
                                {"API", apiEndpoint()},
                                {"LISTEN", proxyEndpoint()},
                                {"BIND", m_options.proxyIp},
                                {"KEEPALIVE", m_options.fixed ? "        keepalive 16;\n" : ""},
                                {"UPSTREAM_HTTP11",
                                 m_options.fixed ? "            proxy_http_version 1.1;\n"
                                                   "            proxy_set_header Connection \"\";\n"
                                                 : ""}});
}

QByteArray IncidentLab::apiConfig() const
{
    const QString dir = m_dirPath + QStringLiteral("/api");
    return fill(apiTemplate, {{"VARIANT", m_options.fixed ? "fixed" : "broken"},
                              {"DIR", dir.toUtf8()},
                              {"LISTEN", apiEndpoint()},
                              {"API_KEEPALIVE", m_options.fixed ? "    keepalive_timeout 75s;\n"
                                                                  "    keepalive_requests 100000;"
                                                                : "    keepalive_timeout 0;"}});
}

bool IncidentLab::start(QString *error)
{
    const auto failWith = [this, error](const QString &message) {
        if (error)
            *error = message;
        stop();
        return false;
    };
    for (const QByteArray &ip : {m_options.gatewayIp, m_options.proxyIp, m_options.apiIp}) {
        if (!isLoopbackV4(ip))
            return failWith(QStringLiteral("%1 is not in 127.0.0.0/8: the lab stays on loopback")
                                .arg(QString::fromLatin1(ip)));
    }
    const QString why = unavailableReason(m_options.nginx);
    if (!why.isEmpty())
        return failWith(why);
    if (m_options.dir.isEmpty()) {
        m_tempDir = std::make_unique<QTemporaryDir>(QDir::tempPath() +
                                                    QStringLiteral("/twbench-lab-XXXXXX"));
        if (!m_tempDir->isValid())
            return failWith(QStringLiteral("no temporary directory"));
        m_dirPath = m_tempDir->path();
    } else {
        m_dirPath = QDir(m_options.dir).absolutePath();
    }
    // nginx's workers run as nobody when the master is root: they only need to find their way.
    QFile::setPermissions(m_dirPath, QFile::permissions(m_dirPath) | QFile::ReadOther |
                                         QFile::ExeOther | QFile::ReadGroup | QFile::ExeGroup);
    for (const char *sub : {"proxy/tmp", "api/tmp", "docker/containers"}) {
        if (!QDir().mkpath(m_dirPath + u'/' + QLatin1String(sub)))
            return failWith(
                QStringLiteral("cannot create %1/%2").arg(m_dirPath, QLatin1String(sub)));
    }
    if (m_options.apiPort == 0)
        m_options.apiPort = freePortOn(m_options.apiIp);
    if (m_options.proxyPort == 0)
        m_options.proxyPort = freePortOn(m_options.proxyIp);
    if (m_options.apiPort == 0 || m_options.proxyPort == 0)
        return failWith(
            QStringLiteral("no free port on %1 or %2")
                .arg(QString::fromLatin1(m_options.apiIp), QString::fromLatin1(m_options.proxyIp)));

    const QByteArray token = R"({"access_token":")" + randomHex(32) +
                             R"(","token_type":"Bearer","expires_in":7200})" + '\n';
    if (!QDir().mkpath(m_dirPath + QStringLiteral("/api/www")) ||
        !writeFile(m_dirPath + QStringLiteral("/api/www/token.json"), token))
        return failWith(QStringLiteral("cannot write the API's token"));
    if (!startNginx(m_api, QStringLiteral("api"), apiConfig(), error) ||
        !startNginx(m_proxy, QStringLiteral("proxy"), proxyConfig(), error)) {
        const QString message = error ? *error : QString();
        return failWith(message);
    }
    if (!isListening(m_options.apiIp, m_options.apiPort) ||
        !isListening(m_options.proxyIp, m_options.proxyPort))
        return failWith(QStringLiteral("nginx stopped listening"));
    if (!writeDocker(error)) {
        const QString message = error ? *error : QString();
        return failWith(message);
    }
    return true;
}

bool IncidentLab::startNginx(std::unique_ptr<QProcess> &process, const QString &name,
                             const QByteArray &config, QString *error)
{
    const QString dir = m_dirPath + u'/' + name;
    const QByteArray listen = name == QLatin1String("api") ? apiEndpoint() : proxyEndpoint();
    const QByteArray ip = name == QLatin1String("api") ? m_options.apiIp : m_options.proxyIp;
    const std::uint16_t port =
        name == QLatin1String("api") ? m_options.apiPort : m_options.proxyPort;
    if (!writeFile(dir + QStringLiteral("/nginx.conf"), config)) {
        if (error)
            *error = QStringLiteral("cannot write %1/nginx.conf").arg(dir);
        return false;
    }
    process = std::make_unique<QProcess>();
    process->setStandardInputFile(QProcess::nullDevice());
    process->setStandardOutputFile(dir + QStringLiteral("/nginx.out"), QIODevice::Append);
    process->setStandardErrorFile(dir + QStringLiteral("/nginx.out"), QIODevice::Append);
    dieWithParent(*process);
    // `daemon off`: the child is the master itself, the pid that docker would report.
    process->start(m_options.nginx, {QStringLiteral("-p"), dir + u'/', QStringLiteral("-e"),
                                     dir + QStringLiteral("/error.log"), QStringLiteral("-c"),
                                     dir + QStringLiteral("/nginx.conf")});
    if (!process->waitForStarted(5000)) {
        if (error)
            *error = QStringLiteral("%1 did not start: %2").arg(name, process->errorString());
        return false;
    }
    QDeadlineTimer deadline(10000);
    while (!isListening(ip, port)) {
        if (process->state() != QProcess::Running || deadline.hasExpired()) {
            if (error)
                *error = QStringLiteral("%1 (nginx) did not listen on %2: %3 %4")
                             .arg(name, QString::fromLatin1(listen),
                                  QString::fromUtf8(readFile(dir + QStringLiteral("/nginx.out"))),
                                  QString::fromUtf8(
                                      readFile(dir + QStringLiteral("/error.log")).right(2000)));
            return false;
        }
        QThread::msleep(20);
    }
    return true;
}

bool IncidentLab::writeDocker(QString *error)
{
    const auto failWith = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    const QString dir = m_dirPath + QStringLiteral("/docker");
    if (m_options.fakeDocker.isEmpty() || !QFileInfo(m_options.fakeDocker).isFile())
        return failWith(QStringLiteral("the stand-in docker (tests/data/docker/fake-docker) was "
                                       "not found at \"%1\"")
                            .arg(m_options.fakeDocker));
    QFile::remove(dockerPath());
    if (!QFile::copy(m_options.fakeDocker, dockerPath()))
        return failWith(QStringLiteral("cannot copy %1").arg(m_options.fakeDocker));
    QFile::setPermissions(dockerPath(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                            QFile::ReadGroup | QFile::ExeGroup | QFile::ReadOther |
                                            QFile::ExeOther);

    m_proxyId = QString::fromLatin1(randomHex(64));
    m_apiId = QString::fromLatin1(randomHex(64));
    m_networkId = QString::fromLatin1(randomHex(64));
    const QByteArray created = QDateTime::currentDateTimeUtc()
                                   .toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss.zzz"))
                                   .toLatin1() +
                               "418263Z";
    const QByteArray network = m_options.network.toUtf8();
    const QByteArray networkId = m_networkId.toLatin1();

    struct Entry
    {
        QString id;
        QByteArray name;
        QByteArray ip;
        std::uint16_t port;
        qint64 pid;
        QByteArray image;
        QByteArray endpointId;
    };
    const Entry entries[] = {
        {m_proxyId, m_options.proxyName.toUtf8(), m_options.proxyIp, m_options.proxyPort,
         proxyPid(), "nginx:1.27-alpine", randomHex(64)},
        {m_apiId, m_options.apiName.toUtf8(), m_options.apiIp, m_options.apiPort, apiPid(),
         "registry.example/auth-api:3.4", randomHex(64)},
    };
    QByteArray inspect = "[\n";
    bool first = true;
    for (const Entry &entry : entries) {
        if (entry.pid <= 0)
            return failWith(QStringLiteral("%1 is not running").arg(QString::fromUtf8(entry.name)));
        const QByteArray id = entry.id.toLatin1();
        const QString logPath =
            dir + QStringLiteral("/containers/") + entry.id + QStringLiteral("-json.log");
        if (!writeFile(logPath, {}))
            return failWith(QStringLiteral("cannot write %1").arg(logPath));
        const QByteArray sandbox = randomHex(64);
        if (!first)
            inspect += ",\n";
        first = false;
        inspect += fill(containerTemplate, {{"ID", id},
                                            {"SHORT_ID", id.left(12)},
                                            {"CREATED", created},
                                            {"PID", QByteArray::number(entry.pid)},
                                            {"IMAGE_ID", randomHex(64)},
                                            {"IMAGE", entry.image},
                                            {"LOG_PATH", logPath.toUtf8()},
                                            {"NAME", entry.name},
                                            {"NETWORK", network},
                                            {"NETWORK_ID", networkId},
                                            {"PORT", QByteArray::number(entry.port)},
                                            {"SANDBOX_ID", sandbox},
                                            {"SHORT_SANDBOX", sandbox.left(12)},
                                            {"MAC", macOf(entry.ip)},
                                            {"ENDPOINT_ID", entry.endpointId},
                                            {"GATEWAY", m_options.gatewayIp},
                                            {"IP", entry.ip}});
    }
    inspect += "\n]\n";
    if (!writeFile(dir + QStringLiteral("/inspect_lab.json"), inspect))
        return failWith(QStringLiteral("cannot write the containers' fixture"));

    const QByteArray networks = fill(networkTemplate, {{"NETWORK", network},
                                                       {"NETWORK_ID", networkId},
                                                       {"SHORT_NETWORK_ID", networkId.left(12)},
                                                       {"CREATED", created},
                                                       {"SUBNET", m_options.subnet},
                                                       {"GATEWAY", m_options.gatewayIp},
                                                       {"PROXY_ID", m_proxyId.toLatin1()},
                                                       {"PROXY_NAME", entries[0].name},
                                                       {"PROXY_ENDPOINT_ID", entries[0].endpointId},
                                                       {"PROXY_MAC", macOf(m_options.proxyIp)},
                                                       {"PROXY_IP", m_options.proxyIp},
                                                       {"API_ID", m_apiId.toLatin1()},
                                                       {"API_NAME", entries[1].name},
                                                       {"API_ENDPOINT_ID", entries[1].endpointId},
                                                       {"API_MAC", macOf(m_options.apiIp)},
                                                       {"API_IP", m_options.apiIp}});
    if (!writeFile(dir + QStringLiteral("/network_inspect_lab.json"), networks))
        return failWith(QStringLiteral("cannot write the network's fixture"));
    return true;
}

bool IncidentLab::startPoller(QString *error)
{
    stopPoller();
    if (m_options.labTool.isEmpty() || !QFileInfo(m_options.labTool).isExecutable()) {
        if (error)
            *error = QStringLiteral("twbench-lab was not found at \"%1\"").arg(m_options.labTool);
        return false;
    }
    const int seconds = qBound(1, m_options.pollerSeconds, 3600);
    QStringList arguments{QStringLiteral("--http"),
                          QString::fromLatin1(proxyEndpoint() + m_options.path),
                          QStringLiteral("--from"), QString::fromLatin1(m_options.gatewayIp),
                          QStringLiteral("--caller-closes")};
    if (m_options.intervalMs > 0) {
        arguments << QStringLiteral("--interval-ms") << QString::number(m_options.intervalMs)
                  << QStringLiteral("--count")
                  << QString::number(qMax(1, seconds * 1000 / m_options.intervalMs + 1));
    } else {
        const int rate = qBound(1, m_options.rate, 1000);
        arguments << QStringLiteral("--rate") << QString::number(rate) << QStringLiteral("--count")
                  << QString::number(rate * seconds);
    }
    m_poller = std::make_unique<QProcess>();
    m_poller->setStandardInputFile(QProcess::nullDevice());
    m_poller->setStandardOutputFile(m_dirPath + QStringLiteral("/poller.out"), QIODevice::Append);
    m_poller->setStandardErrorFile(m_dirPath + QStringLiteral("/poller.out"), QIODevice::Append);
    dieWithParent(*m_poller);
    m_poller->start(m_options.labTool, arguments);
    if (!m_poller->waitForStarted(5000)) {
        if (error)
            *error = QStringLiteral("the poller did not start: %1").arg(m_poller->errorString());
        m_poller.reset();
        return false;
    }
    return true;
}

void IncidentLab::stopPoller()
{
    stopProcess(m_poller);
}

void IncidentLab::stopProcess(std::unique_ptr<QProcess> &process)
{
    if (!process)
        return;
    if (process->state() != QProcess::NotRunning) {
        const int pid = int(process->processId());
        const QList<int> below = descendantProcesses(pid);
        // nginx's master stops its workers on SIGTERM (fast shutdown).
        process->terminate();
        if (!process->waitForFinished(5000)) {
            process->kill();
            process->waitForFinished(2000);
        }
        for (const int child : below)
            ::kill(child, SIGKILL);
    }
    process.reset();
}

void IncidentLab::stop()
{
    stopProcess(m_poller);
    stopProcess(m_proxy);
    stopProcess(m_api);
}

QString IncidentLab::describe() const
{
    const QString variant = m_options.fixed
                                ? QStringLiteral("fixed: upstream keepalive, the API keeps "
                                                 "connections alive")
                                : QStringLiteral("broken: no upstream keepalive, the API closes "
                                                 "every connection");
    const QString pace = m_options.intervalMs > 0
                             ? QStringLiteral("one request every %1 ms").arg(m_options.intervalMs)
                             : QStringLiteral("%1 requests/s").arg(m_options.rate);
    QString text;
    text += QStringLiteral("twbench incident lab (%1)\n").arg(variant);
    text += QStringLiteral("  directory     %1\n").arg(m_dirPath);
    text += QStringLiteral("  docker net    %1 %2/24, gateway %3 (the callers' address)\n")
                .arg(m_options.network, QString::fromLatin1(m_options.subnet + '0'),
                     QString::fromLatin1(m_options.gatewayIp));
    text += QStringLiteral("  proxy         container %1 = nginx pid %2 on %3, log %4\n")
                .arg(m_options.proxyName)
                .arg(proxyPid())
                .arg(QString::fromLatin1(proxyEndpoint()), proxyLogPath());
    text += QStringLiteral("  API           container %1 = nginx pid %2 on %3, log %4\n")
                .arg(m_options.apiName)
                .arg(apiPid())
                .arg(QString::fromLatin1(apiEndpoint()), apiLogPath());
    text += QStringLiteral("  poller        %1 from %2 to http://%3%4 (pid %5)\n")
                .arg(pace, QString::fromLatin1(m_options.gatewayIp),
                     QString::fromLatin1(proxyEndpoint()), QString::fromLatin1(m_options.path))
                .arg(pollerPid());
    text += QStringLiteral("  docker        %1 (answers ps, inspect, network ls/inspect, logs)\n")
                .arg(dockerPath());
    return text;
}

} // namespace twbench::test
