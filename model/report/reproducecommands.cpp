#include "reproducecommands.h"

#include "shellword.h"

#include <QStringBuilder>

namespace twbench {

namespace {

const QString containerPrefix = QStringLiteral("container:");

// `uniq -c` of a column, largest first: the pipeline SCENARIO.md's operator typed.
QString countColumn(int column)
{
    return QStringLiteral("awk '{print $%1}' | sort | uniq -c | sort -nr | head").arg(column);
}

// A filter text of a finding (ConnectionFilterProxy's: "10.0.0.1:80", "[2001:db8::1]:443",
// ":8080", or an address) as an endpoint, a port or an address.
struct FilterTarget
{
    std::optional<Endpoint> endpoint;
    std::optional<std::uint16_t> port;
    std::optional<IpAddress> address;

    bool isEmpty() const { return !endpoint && !port && !address; }
};

FilterTarget parseFilter(const QString &text)
{
    FilterTarget target;
    const QString t = text.trimmed();
    if (t.isEmpty())
        return target;
    if (const auto ip = IpAddress::parse(t.toLatin1())) {
        target.address = ip;
        return target;
    }
    const qsizetype colon = t.lastIndexOf(u':');
    if (colon < 0)
        return target;
    bool ok = false;
    const uint port = t.mid(colon + 1).toUInt(&ok);
    if (!ok || port == 0 || port > 65535)
        return target;
    QString host = t.left(colon);
    if (host.isEmpty()) {
        target.port = std::uint16_t(port);
        return target;
    }
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    if (const auto ip = IpAddress::parse(host.toLatin1()))
        target.endpoint = Endpoint{*ip, std::uint16_t(port)};
    return target;
}

// An ss filter expression selecting the local ("src"/"sport") or the peer ("dst"/"dport") side.
QString ssSelector(const FilterTarget &target, bool local)
{
    if (target.endpoint)
        return (local ? QStringLiteral("src ") : QStringLiteral("dst ")) %
               shellWord(ReproduceCommands::ssForm(*target.endpoint));
    if (target.port)
        return shellWord((local ? QStringLiteral("( sport = :") : QStringLiteral("( dport = :")) %
                         QString::number(*target.port) % QStringLiteral(" )"));
    if (target.address)
        return (local ? QStringLiteral("src ") : QStringLiteral("dst ")) %
               shellWord(target.address->toString());
    return {};
}

// The container whose namespace holds `endpoint` among the report's top rows; empty if none.
QString containerOf(const ReproduceInput &input, const Endpoint &endpoint)
{
    for (const ReproduceInput::LocalEndpoint &row : input.topLocalEndpoints) {
        if (row.endpoint == endpoint)
            return row.container;
    }
    return {};
}

// True when a value may be printed in a command (see hasInvisibleCharacters()).
bool printable(const QString &value)
{
    return !value.isEmpty() && !hasInvisibleCharacters(value);
}

QString snmpTwice()
{
    return QStringLiteral("grep -A1 '^Tcp:' /proc/net/snmp; sleep 10; grep -A1 '^Tcp:' "
                          "/proc/net/snmp");
}

QString logCommand(const QString &source, const QString &pipeline, int tailLines = 10000)
{
    if (source.startsWith(containerPrefix)) {
        const QString name = source.mid(containerPrefix.size());
        return QStringLiteral("docker logs --tail %1 %2 2>&1 | ")
                   .arg(tailLines)
                   .arg(shellWord(name)) %
               pipeline;
    }
    return QStringLiteral("tail -n %1 %2 | ").arg(tailLines).arg(shellWord(source)) % pipeline;
}

} // namespace

QString ReproduceCommands::netstatForm(const Endpoint &endpoint)
{
    return endpoint.address.toString() % u':' % QString::number(endpoint.port);
}

QString ReproduceCommands::ssForm(const Endpoint &endpoint)
{
    if (endpoint.address.isV4())
        return netstatForm(endpoint);
    return u'[' % endpoint.address.toString() % QStringLiteral("]:") %
           QString::number(endpoint.port);
}

QString ReproduceCommands::inContainer(const QString &name, const QString &command)
{
    return QStringLiteral("sudo nsenter -t \"$(docker inspect --format '{{.State.Pid}}' %1)\" "
                          "-n ")
               .arg(shellWord(name)) %
           command;
}

QList<ReproduceCommand> ReproduceCommands::build(const ReproduceInput &input)
{
    QList<ReproduceCommand> result;

    result.append({tr("TIME_WAIT in all"),
                   tr("How many sockets are in TIME_WAIT now. In /proc/net/sockstat, \"tw\" on "
                      "the TCP line is the kernel's own count: the TIME_WAIT line of the "
                      "charts. Sockets inside containers count in their own namespace only."),
                   QStringLiteral("ss -Htan state time-wait | wc -l\ncat /proc/net/sockstat")});

    result.append(
        {tr("TIME_WAIT by local endpoint"),
         tr("Which address and port of this host holds the TIME_WAIT sockets, largest first. "
            "A listening port on top means that service closed its connections first; "
            "ephemeral ports mean this host's own clients did."),
         QStringLiteral("netstat -tn | grep TIME_WAIT | ") % countColumn(4) % u'\n' %
             QStringLiteral("ss -Htan state time-wait | ") % countColumn(3)});

    result.append({tr("TIME_WAIT by remote endpoint"),
                   tr("The peers of those sockets, largest first: towards whom this host closed "
                      "connections, or whose connections it served and closed."),
                   QStringLiteral("netstat -tn | grep TIME_WAIT | ") % countColumn(5) % u'\n' %
                       QStringLiteral("ss -Htan state time-wait | ") % countColumn(4)});

    int traced = 0;
    for (const ReproduceInput::LocalEndpoint &row : input.topLocalEndpoints) {
        if (traced >= input.endpointsToTrace)
            break;
        if (!row.container.isEmpty() && !printable(row.container))
            continue;
        ++traced;
        const QString netstat =
            QStringLiteral("netstat -ant | grep -F -- ") % shellWord(netstatForm(row.endpoint));
        const QString ss = QStringLiteral("ss -Htan src ") % shellWord(ssForm(row.endpoint)) %
                           QStringLiteral(" | awk '{print $1, $5}' | sed -E 's/:[0-9]+$//' | "
                                          "sort | uniq -c | sort -nr | head");
        QString command;
        QString shows;
        if (row.container.isEmpty()) {
            command = netstat % u'\n' % ss;
            shows = tr("Every connection on %1, then the same counted by state and peer "
                       "address: who talks to it.")
                        .arg(ssForm(row.endpoint));
        } else {
            command = inContainer(row.container, ss);
            shows = tr("Every connection on %1 inside the container %2 (its own network "
                       "namespace; needs root), counted by state and peer address: who talks "
                       "to it.")
                        .arg(ssForm(row.endpoint), row.container);
        }
        result.append({tr("Who talks to %1").arg(ssForm(row.endpoint)), shows, command});
    }

    result.append({tr("Connection churn"),
                   tr("ActiveOpens (connections this host opened) and PassiveOpens (connections "
                      "it accepted), read twice 10 s apart: the difference divided by 10 is new "
                      "connections per second. A steady TIME_WAIT pile of N needs about N ÷ 60 "
                      "new connections a second."),
                   snmpTwice() % QStringLiteral(
                                     "\nnstat -n; sleep 10; nstat -z TcpActiveOpens "
                                     "TcpPassiveOpens\nnstat -az TcpActiveOpens TcpPassiveOpens")});

    result.append({tr("TIME_WAIT limits and overflow"),
                   tr("TCPTimeWaitOverflow counts TIME_WAIT sockets the kernel could not keep "
                      "because tcp_max_tw_buckets was reached; the port range bounds the "
                      "connections to one destination."),
                   QStringLiteral("nstat -az TcpExtTCPTimeWaitOverflow TcpExtTW TcpExtTWRecycled\n"
                                  "sysctl net.ipv4.tcp_max_tw_buckets net.ipv4.ip_local_port_range "
                                  "net.ipv4.tcp_tw_reuse")});

    QString cpu = QStringLiteral("top -b -n 1 | head -15\nhead -1 /proc/stat");
    if (input.docker)
        cpu += QStringLiteral("\ndocker stats --no-stream");
    result.append({tr("CPU"),
                   tr("The busiest processes now; /proc/stat's first line is the CPU time "
                      "counters the charts are computed from (read it twice to get a rate)."),
                   cpu});

    if (input.docker) {
        result.append(
            {tr("Containers and their addresses"),
             tr("The running containers and their IP addresses on each docker network, to "
                "put names on the addresses of the tables above."),
             QStringLiteral("docker ps\ndocker inspect --format '{{.Name}} {{range "
                            ".NetworkSettings.Networks}}{{.IPAddress}} {{end}}' $(docker ps -q)\n"
                            "docker network inspect --format '{{.Name}} {{range "
                            ".IPAM.Config}}{{.Subnet}} gateway {{.Gateway}} {{end}}' $(docker "
                            "network ls -q)")});
    }

    for (const QString &source : input.logSources) {
        if (!printable(source))
            continue;
        const QString name = source.startsWith(containerPrefix)
                                 ? tr("container %1").arg(source.mid(containerPrefix.size()))
                                 : source;
        result.append(
            {tr("Access-log callers: %1").arg(name),
             tr("The most frequent client, method and path of the last 10,000 requests, then "
                "requests per minute: a caller with the same count minute after minute is a "
                "program in a loop, not people."),
             logCommand(source, QStringLiteral("awk '{print $1, $6, $7}' | sort | uniq -c | "
                                               "sort -nr | head")) %
                 u'\n' %
                 logCommand(source,
                            QStringLiteral("awk '{print $4}' | cut -c2-18 | uniq -c | tail"))});
    }

    for (const Finding &finding : input.findings)
        result.append(forFinding(finding, input));
    return result;
}

QList<ReproduceCommand> ReproduceCommands::forFinding(const Finding &finding,
                                                      const ReproduceInput &input)
{
    const FilterTarget target = parseFilter(finding.tableFilter);
    const QString title = tr("Finding: %1").arg(finding.title);
    // Inside the container that holds the endpoint, when the report knows one.
    const auto where = [&](const QString &command) {
        if (target.endpoint) {
            const QString container = containerOf(input, *target.endpoint);
            if (printable(container))
                return inContainer(container, command);
        }
        return command;
    };
    QList<ReproduceCommand> result;

    if (finding.id == QLatin1String("server-closes") && !target.isEmpty()) {
        const QString selector = ssSelector(target, true);
        result.append(
            {title,
             tr("TIME_WAIT on the service's own side: the service sent the first FIN. The "
                "second command lists its callers by address."),
             where(QStringLiteral("ss -Htan state time-wait ") % selector %
                   QStringLiteral(" | wc -l")) %
                 u'\n' %
                 where(QStringLiteral("ss -Htan state time-wait ") % selector %
                       QStringLiteral(" | awk '{print $4}' | sed -E 's/:[0-9]+$//' | sort | "
                                      "uniq -c | sort -nr | head"))});
    } else if (finding.id == QLatin1String("close-wait-leak") && !target.isEmpty()) {
        result.append({title,
                       tr("Connections the peer closed and the service has not: a count that "
                          "only grows is a leak in the service."),
                       where(QStringLiteral("ss -Htan state close-wait ") %
                             ssSelector(target, true) % QStringLiteral(" | wc -l"))});
    } else if (finding.id == QLatin1String("upstream-no-keepalive")) {
        QString command;
        if (!target.isEmpty())
            command = QStringLiteral("ss -Htan ") % ssSelector(target, false) %
                      QStringLiteral(" | awk '{print $1}' | sort | uniq -c\n");
        command += QStringLiteral("nginx -T 2>/dev/null | grep -nE "
                                  "'upstream|keepalive|proxy_http_version|proxy_set_header +"
                                  "Connection'\n# nginx in a container: docker exec NAME nginx -T");
        result.append({title,
                       tr("Towards the upstream: many TIME-WAIT and few ESTAB mean a new "
                          "connection per request. The nginx configuration shows whether the "
                          "upstream block has keepalive, proxy_http_version 1.1 and an empty "
                          "Connection header."),
                       command});
    } else if (finding.id == QLatin1String("gateway-callers")) {
        QString command;
        if (!target.isEmpty())
            command = QStringLiteral("ss -Htan | grep -F -- ") %
                      shellWord(finding.tableFilter.trimmed()) % u'\n';
        command += QStringLiteral("docker network inspect --format '{{.Name}} {{range "
                                  ".IPAM.Config}}{{.Gateway}} {{end}}' $(docker network ls -q)\n"
                                  "docker inspect --format '{{.Name}} {{range "
                                  ".NetworkSettings.Networks}}{{.IPAddress}} {{end}}' $(docker "
                                  "ps -q)");
        result.append({title,
                       tr("Connections from a docker network's gateway come from containers on "
                          "this host (through a published port) or from the host itself; the "
                          "networks and containers listed are the candidates."),
                       command});
    } else if (finding.id == QLatin1String("polling-loop")) {
        QString command;
        for (const QString &source : input.logSources) {
            if (!printable(source))
                continue;
            const QString client = finding.tableFilter.trimmed();
            const QString filter =
                client.isEmpty() || !printable(client)
                    ? QString()
                    : QStringLiteral("grep -F -- ") % shellWord(client) % QStringLiteral(" | ");
            if (!command.isEmpty())
                command += u'\n';
            command += logCommand(source, filter % QStringLiteral("awk '{print $4}' | cut -c2-18 "
                                                                  "| uniq -c | tail"));
        }
        if (!command.isEmpty()) {
            result.append({title,
                           tr("The caller's requests per minute in the access log: nearly the "
                              "same count every minute, day and night, is a loop."),
                           command});
        }
    } else if (finding.id == QLatin1String("churn-rate")) {
        result.append({title,
                       tr("New connections per second, counted by the kernel: compare with the "
                          "TIME_WAIT pile ÷ 60 s."),
                       snmpTwice()});
    } else if (finding.id == QLatin1String("port-exhaustion-risk")) {
        QString command = QStringLiteral("sysctl net.ipv4.ip_local_port_range "
                                         "net.ipv4.tcp_max_tw_buckets net.ipv4.tcp_tw_reuse");
        if (!target.isEmpty())
            command += QStringLiteral("\nss -Htan ") % ssSelector(target, false) %
                       QStringLiteral(" | wc -l");
        result.append({title,
                       tr("The local port range and the TIME_WAIT bucket limit, and how many "
                          "connections go to the destination now."),
                       command});
    } else if (finding.id == QLatin1String("cpu-follows-churn")) {
        result.append({title,
                       tr("The busiest processes, and the connection counters: when both rise "
                          "and fall together, the connections cost the CPU."),
                       QStringLiteral("top -b -n 1 | head -15\n") % snmpTwice()});
    } else if (!target.isEmpty()) {
        result.append(
            {title, tr("The connections the finding is about."),
             QStringLiteral("ss -Htan | grep -F -- ") % shellWord(finding.tableFilter.trimmed())});
    }
    return result;
}

} // namespace twbench
