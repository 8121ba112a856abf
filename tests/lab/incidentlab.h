#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include <cstdint>
#include <memory>

namespace twbench::test {

// The incident of shared/SCENARIO.md, on loopback, with real parts:
//
//   poller ──(from the docker network's gateway)──► nginx (reverse proxy) ──► API (nginx too)
//
// - The API is a real nginx on apiIp:apiPort that answers every path with an access-token JSON.
//   Broken: `keepalive_timeout 0`, so it closes every connection itself (the server closes first:
//   the TIME_WAITs land on its endpoint). Fixed: it keeps connections alive.
// - The proxy is a second real nginx on proxyIp:proxyPort, `proxy_pass` to the API from its own
//   address (`proxy_bind proxyIp`, as a container's connections come from its address). Broken:
//   no upstream keepalive, one new upstream connection per request. Fixed: `upstream { keepalive
//   16; }`, `proxy_http_version 1.1` and an empty Connection header.
// - The poller is `twbench-lab --http` fetching the token through the proxy from gatewayIp (the
//   address a container's call to a published port comes from) at `rate` a second, or once every
//   `intervalMs`; it closes each connection itself after the answer, as a PHP curl client does.
// - Both nginx write "combined" access logs; a stand-in `docker` (a copy of
//   tests/data/docker/fake-docker with fixtures written here) describes the proxy and the API as
//   running containers on one bridge network: their 127.x addresses, the network's gateway, their
//   published ports and the REAL pids of the two nginx masters.
//
// The "containers" are plain processes in this host's network namespace (their namespace inode is
// the host's), so nothing here needs a bridge or traffic outside 127.0.0.0/8. Every process is a
// child of this object: it dies with it (SIGTERM by pid at stop(), and PR_SET_PDEATHSIG should the
// caller die first), and the poller is bounded in count and time by itself.
struct IncidentLabOptions
{
    // The docker network "127.A.B.0/24"; empty: a random one (randomLoopbackSubnet()), so runs
    // side by side and earlier runs' TIME_WAITs never mix.
    QByteArray subnet;           // "127.A.B." — the host numbers below are appended
    QByteArray gatewayIp;        // empty: subnet + "1"
    QByteArray proxyIp;          // empty: subnet + "10"
    QByteArray apiIp;            // empty: subnet + "20"
    std::uint16_t proxyPort = 0; // 0: a free port
    std::uint16_t apiPort = 0;   // 0: a free port
    QByteArray path = "/v2/oauth/token";
    int rate = 20;           // poller requests per second
    int intervalMs = 0;      // > 0: one request every intervalMs instead of `rate`
    int pollerSeconds = 240; // the poller stops by itself after this
    bool fixed = false;      // upstream keepalive in the proxy, keep-alive in the API
    QString network = QStringLiteral("shopnet");
    QString proxyName = QStringLiteral("shop-proxy");
    QString apiName = QStringLiteral("auth-api");
    QString nginx = QStringLiteral("/usr/sbin/nginx");
    QString labTool;    // the twbench-lab binary (the poller)
    QString fakeDocker; // tests/data/docker/fake-docker, copied into dir()/docker
    QString dir;        // where configs, logs and the docker stand-in go; empty: a temporary one
};

class IncidentLab final
{
    Q_DISABLE_COPY_MOVE(IncidentLab)

public:
    explicit IncidentLab(IncidentLabOptions options);
    ~IncidentLab();

    // Empty when nginx can run here; else why not.
    static QString unavailableReason(const QString &nginx = QStringLiteral("/usr/sbin/nginx"));

    // Starts the API and the proxy, waits until both accept, and writes the docker stand-in with
    // their pids. Not the poller. False with `error` set (and nothing left running) on failure.
    bool start(QString *error);
    // Starts the poller (the caller of the incident); bounded by options.pollerSeconds.
    bool startPoller(QString *error);
    void stopPoller();
    bool pollerRunning() const;
    // Stops everything this lab started. Also done by the destructor.
    void stop();

    const IncidentLabOptions &options() const { return m_options; }
    QString dir() const { return m_dirPath; }
    QByteArray subnet() const { return m_options.subnet; } // "127.A.B."
    QByteArray gatewayIp() const { return m_options.gatewayIp; }
    QByteArray proxyIp() const { return m_options.proxyIp; }
    QByteArray apiIp() const { return m_options.apiIp; }
    std::uint16_t proxyPort() const { return m_options.proxyPort; }
    std::uint16_t apiPort() const { return m_options.apiPort; }
    QByteArray proxyEndpoint() const; // "127.A.B.10:PORT"
    QByteArray apiEndpoint() const;
    QByteArray path() const { return m_options.path; }
    // The pids of the two nginx masters (the containers' State.Pid), 0 when not running.
    qint64 proxyPid() const;
    qint64 apiPid() const;
    qint64 pollerPid() const;
    QString proxyLogPath() const; // the proxy's access log (combined)
    QString apiLogPath() const;   // the API's access log (combined)
    QString dockerPath() const;   // the stand-in docker CLI, answering for this lab only
    QString proxyContainerId() const { return m_proxyId; }
    QString apiContainerId() const { return m_apiId; }
    QString pollerOutput() const; // what the poller printed so far

    // What runs where, for a person: addresses, pids, files, the poller's command line.
    QString describe() const;

private:
    bool startNginx(std::unique_ptr<QProcess> &process, const QString &name,
                    const QByteArray &config, QString *error);
    void stopProcess(std::unique_ptr<QProcess> &process);
    bool writeDocker(QString *error);
    QByteArray proxyConfig() const;
    QByteArray apiConfig() const;

    IncidentLabOptions m_options;
    std::unique_ptr<QTemporaryDir> m_tempDir;
    QString m_dirPath;
    std::unique_ptr<QProcess> m_api;
    std::unique_ptr<QProcess> m_proxy;
    std::unique_ptr<QProcess> m_poller;
    QString m_proxyId;
    QString m_apiId;
    QString m_networkId;
};

} // namespace twbench::test
