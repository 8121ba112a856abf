#pragma once

#include "../endpoint.h"
#include "../parsereport.h"

#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <vector>

namespace twbench {

// Everything here comes from the remote docker daemon: names, labels, images and aliases are
// whatever the owner of a container chose, so they are stored as given and never trusted. Show
// them through safeDisplayText(); never put them into a command line without quoting.

// An address with its prefix length: 172.17.0.0/16, fd00:1::/64.
struct IpSubnet
{
    IpAddress address;
    int prefixLength = 0; // 0..32 for IPv4, 0..128 for IPv6

    // "172.17.0.0/16"; nullopt for anything else (a bare address, a bad prefix).
    static std::optional<IpSubnet> parse(QByteArrayView text);
    bool contains(const IpAddress &ip) const;
    QString toString() const;

    friend bool operator==(const IpSubnet &, const IpSubnet &) = default;
};

// One host binding of a published container port ("HostIp": "0.0.0.0", "HostPort": "8080").
struct PortBinding
{
    std::optional<IpAddress> hostIp; // nullopt: docker printed "" (every address)
    std::uint16_t hostPort = 0;

    friend bool operator==(const PortBinding &, const PortBinding &) = default;
};

// One key of NetworkSettings.Ports: "80/tcp" with its bindings. An exposed port that is not
// published has no bindings (docker prints null).
struct ContainerPort
{
    std::uint16_t port = 0;
    QString protocol; // "tcp", "udp", "sctp"
    QList<PortBinding> bindings;
};

// One entry of NetworkSettings.Networks. A stopped container keeps its entries with empty
// addresses; a host-mode container has a "host" entry with no address at all.
struct ContainerNetwork
{
    QString name; // the key: "bridge", "web_default", "host"
    QString networkId;
    std::optional<IpAddress> ipAddress;   // IPAddress
    int ipPrefixLength = 0;               // IPPrefixLen
    std::optional<IpAddress> ipv6Address; // GlobalIPv6Address
    std::optional<IpAddress> gateway;     // Gateway
    std::optional<IpAddress> ipv6Gateway; // IPv6Gateway
    QStringList aliases;
};

struct Container
{
    QString id;             // full 64-hex id
    QString name;           // without docker's leading '/'
    QString image;          // Config.Image as the operator wrote it: "nginx:1.25"
    QString composeProject; // label com.docker.compose.project (empty outside compose)
    QString composeService; // label com.docker.compose.service
    QString state;          // State.Status: "running", "exited", "paused", …
    bool running = false;   // State.Running
    std::int64_t pid = 0;   // State.Pid; 0 when not running
    QString networkMode;    // HostConfig.NetworkMode: "bridge", "host", "none", "container:<id>"
    QList<ContainerNetwork> networks;
    QList<ContainerPort> ports;

    bool isHostNetwork() const { return networkMode == QLatin1String("host"); }
    // Every IPv4/IPv6 address the container has on its networks.
    QList<IpAddress> addresses() const;
    // The container port published on `hostPort` (tcp), if any.
    std::optional<std::uint16_t> containerPortPublishedOn(std::uint16_t hostPort) const;
};

struct DockerNetwork
{
    QString name;
    QString id;
    QString driver;            // "bridge", "host", "null", "overlay", "macvlan", …
    QList<IpSubnet> subnets;   // IPAM.Config[].Subnet
    QList<IpAddress> gateways; // IPAM.Config[].Gateway (one per subnet that names one)
};

// Why the docker CLI gave no inventory. The probe passes the CLI's stderr through as data; these
// are the texts recognised in it.
enum class DockerError : std::uint8_t {
    None,
    NotInstalled,      // "docker: command not found", "sh: 1: docker: not found"
    PermissionDenied,  // "permission denied while trying to connect to the Docker daemon socket"
    DaemonNotRunning,  // "Cannot connect to the Docker daemon at unix:///var/run/docker.sock"
    SudoNeedsPassword, // "sudo: a password is required" (docker command set to sudo -n docker)
};

struct DockerInventory
{
    std::vector<Container> containers;
    std::vector<DockerNetwork> networks;
    DockerError errorKind = DockerError::None;
    // Translated, for the operator: what went wrong and how to grant access. Empty when the CLI
    // answered. Parse errors of an answer are in the ParseReport beside the inventory, not here.
    QString error;

    bool ok() const { return errorKind == DockerError::None; }
    const Container *containerById(const QString &id) const;
    const DockerNetwork *networkByName(const QString &name) const;
};

// The CLI error the text is, if it is one of the known ones. Looks at every line, so a WARNING
// before the error does not hide it.
DockerError recogniseDockerError(QByteArrayView text);
// Translated explanation and remedy for `kind`; empty for None.
QString dockerErrorText(DockerError kind);

// `docker inspect <ids…>` (and `podman inspect`): a JSON array of container objects.
//
// The report counts array elements as its "lines" (lineNumber is the element's 1-based index;
// 0 for an error in the document as a whole). Fields that are missing or null are left at their
// defaults; a field of the wrong type, or an element without an Id, rejects that element (it is
// counted and excerpted, the others are kept). Text that is not a JSON array rejects the whole
// answer and yields no containers, never a part of them. Lines docker writes to stderr beside a
// good answer ("Error: No such object: <id>" for a container gone between `ps` and `inspect`,
// "WARNING: …") are skipped and counted in linesSkipped.
Parsed<std::vector<Container>> parseDockerInspect(QByteArrayView text);

// `docker network inspect <ids…>` (and podman 4's netavark format, with lower-case keys and a
// "subnets" list), with the same rules.
Parsed<std::vector<DockerNetwork>> parseDockerNetworkInspect(QByteArrayView text);

// Both answers of one inventory read. Either may instead be the CLI's error text: the first
// recognised error fills errorKind/error and the inventory stays empty. An empty text is an
// empty answer (no containers: the probe skips `inspect` when `ps -q` prints nothing).
Parsed<DockerInventory> parseDockerInventory(QByteArrayView containersText,
                                             QByteArrayView networksText);

// Where a container's network namespace is: one line per container, as the probe prints it
// ("<container id> <State.Pid> <netns inode>"; the inode also as readlink prints it,
// "net:[4026532608]").
struct ContainerNamespace
{
    QString containerId;
    std::int64_t pid = 0;
    std::uint64_t netns = 0;
};

Parsed<std::vector<ContainerNamespace>> parseContainerNamespaces(QByteArrayView text);

// A string from the remote made safe to show: C0/C1 controls (ESC of ANSI sequences, CR, NUL),
// bidirectional overrides and isolates, zero-width and line-separator characters become visible
// \x1b or \u{202e} escapes, lone surrogates become U+FFFD, and the result is cut to about
// `maxChars` with an ellipsis, so a hostile name can neither reorder nor hide what is next to
// it, nor grow a label without bound.
QString safeDisplayText(const QString &text, qsizetype maxChars = 80);
// The same, cut in the middle rather than at the end: for paths and other names whose end
// tells them apart ("…/api/access.log"). Reads at most 2 × maxChars characters of `text`.
QString safeDisplayTextKeepingEnd(const QString &text, qsizetype maxChars = 80);

} // namespace twbench
