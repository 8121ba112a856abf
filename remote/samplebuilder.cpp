#include "samplebuilder.h"

#include "model/parsers/counterparsers.h"
#include "model/parsers/procnettcp.h"
#include "model/parsers/ssparser.h"
#include "model/parsers/textscan.h"

#include <QSet>

#include <algorithm>
#include <memory>

namespace twbench {

namespace {

enum class SectionKind : std::uint8_t {
    Sockstat,
    SnmpStyle,
    Stat,
    Ss,
    ProcTcp,
    ProcTcp6,
    ProcTcpTimeWaits, // the probe's fold of proc_tcp's TIME_WAIT lines
    ProcTcp6TimeWaits,
    SsListeners, // the fold's listeners with their processes (ss state listening), as root
    DockerContainers,
    DockerNetworks,
    CgroupCpu,
    ContainerNs,
    NsUnreadable,
    NsTcp,
    NsTcp6,
    Other
};

SectionKind kindOf(QByteArrayView name)
{
    if (name == "sockstat")
        return SectionKind::Sockstat;
    if (name == "snmp" || name == "netstat")
        return SectionKind::SnmpStyle;
    if (name == "stat")
        return SectionKind::Stat;
    if (name == "ss")
        return SectionKind::Ss;
    if (name == "proc_tcp")
        return SectionKind::ProcTcp;
    if (name == "proc_tcp6")
        return SectionKind::ProcTcp6;
    if (name == "proc_tcp_tw")
        return SectionKind::ProcTcpTimeWaits;
    if (name == "proc_tcp6_tw")
        return SectionKind::ProcTcp6TimeWaits;
    if (name == "ss_listeners")
        return SectionKind::SsListeners;
    if (name == "docker_containers")
        return SectionKind::DockerContainers;
    if (name == "docker_networks")
        return SectionKind::DockerNetworks;
    if (name == "cgroup_cpu")
        return SectionKind::CgroupCpu;
    if (name == "container_ns")
        return SectionKind::ContainerNs;
    if (name == "ns_unreadable")
        return SectionKind::NsUnreadable;
    if (name == "ns_tcp")
        return SectionKind::NsTcp;
    if (name == "ns_tcp6")
        return SectionKind::NsTcp6;
    return SectionKind::Other;
}

bool isTable(SectionKind kind)
{
    return kind == SectionKind::Ss || kind == SectionKind::ProcTcp ||
           kind == SectionKind::ProcTcp6 || kind == SectionKind::ProcTcpTimeWaits ||
           kind == SectionKind::ProcTcp6TimeWaits;
}

// Sections whose @@error lines say something this builder reports in its own words.
bool reportsOwnErrors(SectionKind kind)
{
    return kind == SectionKind::NsTcp || kind == SectionKind::NsTcp6;
}

// "<container id> <pid>" lines of ns_unreadable: the ids, for counting and naming.
QSet<QByteArray> unreadableContainers(QByteArrayView text, ParseReport &report)
{
    QSet<QByteArray> ids;
    textscan::LineReader reader(text);
    QByteArrayView line;
    while (reader.next(line)) {
        if (textscan::isBlankLine(line))
            continue;
        ++report.linesRead;
        const char *p = line.data();
        const char *end = p + line.size();
        const QByteArrayView id = textscan::nextToken(p, end);
        bool ok = !id.isEmpty() && id.size() <= 128;
        for (const char c : id)
            ok = ok && textscan::hexDigitValue(c) != 0xff;
        if (!ok) {
            report.reject(reader.lineNumber(), SampleBuilder::tr("expected a container id"), line);
            continue;
        }
        ++report.linesUsed;
        ids.insert(id.toByteArray());
    }
    return ids;
}

// The hello's cpus=: the probe counted the CPUs once at start. 0 when unknown.
int onlineCpusOf(const ProbeHello &hello)
{
    bool ok = false;
    const int cpus = hello.field("cpus").toInt(&ok);
    return ok && cpus > 0 ? cpus : 0;
}

} // namespace

HostSamplePtr SampleBuilder::build(const ProbeFrame &frame, const QList<SourceIssue> &extraIssues)
{
    auto sample = std::make_shared<HostSample>();
    sample->hostId = m_hostId;
    sample->sequence = frame.sequence;
    sample->epochMs = frame.epochMs;
    sample->issues = extraIssues;

    const auto addIssue = [&sample](const QString &source, const QString &message) {
        sample->issues.append(SourceIssue{source, message});
    };

    if (!m_hasHello)
        addIssue(QStringLiteral("probe"), tr("no hello from the probe: its byte order and "
                                             "network namespace are unknown"));
    sample->onlineCpus = onlineCpusOf(m_hello);
    sample->limits = KernelLimits::fromHello(m_hello.field("portrange"), m_hello.field("twbuckets"),
                                             m_hello.field("twreuse"));

    const std::uint64_t netns = m_hello.netns();
    const std::optional<bool> little = m_hello.isLittleEndian();
    const Endianness endianness = little.value_or(true) ? Endianness::Little : Endianness::Big;
    auto table = std::make_shared<Snapshot>();
    table->hostId = m_hostId;
    table->sequence = frame.sequence;
    table->epochMs = frame.epochMs;
    bool hasTable = false;
    bool tableIncomplete = false;
    bool tableFolded = false;
    bool endiannessIssued = false;

    // The listeners' processes, docker and namespaces: put together after the loop.
    const ProbeSection *ssListeners = nullptr;
    const ProbeSection *dockerContainers = nullptr;
    const ProbeSection *dockerNetworks = nullptr;
    const ProbeSection *containerNs = nullptr;
    QSet<QByteArray> unresolved; // containers whose namespace inode the probe could not read
    QSet<std::uint64_t> unreadable;
    std::vector<Socket> namespaceSockets;

    for (const ProbeSection &section : frame.sections) {
        const QString source = QString::fromLatin1(section.name); // FrameReader allows ASCII only
        const SectionKind kind = kindOf(section.name);
        if (kind == SectionKind::Other)
            continue; // a newer probe's section: nothing here reads it
        if (!reportsOwnErrors(kind)) {
            for (const QByteArray &error : section.errors)
                addIssue(source,
                         tr("the probe could not read it: %1").arg(printableExcerpt(error)));
        }
        if (section.droppedLines > 0)
            addIssue(source, tr("%n over-long line(s) dropped", nullptr,
                                int(std::min<qsizetype>(section.droppedLines, 1 << 30))));

        ParseReport report;
        switch (kind) {
        case SectionKind::Sockstat:
            report = parseSockstat(section.body, sample->counters);
            break;
        case SectionKind::SnmpStyle:
            report = parseSnmpStyle(section.body, sample->counters);
            break;
        case SectionKind::Stat:
            report = parseProcStat(section.body, sample->procStat);
            break;
        case SectionKind::Ss:
            if (!hasTable)
                table->source = SocketSource::Ss;
            // As root the probe runs `ss -Htanp`: the host's sockets with their processes.
            report = parseSs(section.body, netns, table->sockets, &table->processNames);
            break;
        case SectionKind::ProcTcp:
        case SectionKind::ProcTcp6:
        case SectionKind::ProcTcpTimeWaits:
        case SectionKind::ProcTcp6TimeWaits:
        case SectionKind::NsTcp:
        case SectionKind::NsTcp6: {
            const bool folded =
                kind == SectionKind::ProcTcpTimeWaits || kind == SectionKind::ProcTcp6TimeWaits;
            const bool host =
                folded || kind == SectionKind::ProcTcp || kind == SectionKind::ProcTcp6;
            if (host && !hasTable)
                table->source = SocketSource::ProcNetTcp;
            if (!little && !endiannessIssued) {
                // Guessing is still better than no table: nearly every server is little-endian.
                addIssue(source, tr("the remote byte order is unknown; addresses assume "
                                    "little-endian"));
                endiannessIssued = true;
            }
            const AddressFamily family = kind == SectionKind::ProcTcp ||
                                                 kind == SectionKind::NsTcp ||
                                                 kind == SectionKind::ProcTcpTimeWaits
                                             ? AddressFamily::V4
                                             : AddressFamily::V6;
            if (folded) {
                tableFolded = true;
                // The host's sockets are the table's first: a TIME_WAIT that the same read also
                // listed unfolded (it changed state between two reads) is dropped against them.
                report = parseProcNetTcpTimeWaits(section.body, family, endianness, netns,
                                                  table->sockets, 0);
                break;
            }
            if (host) {
                report = parseProcNetTcp(section.body, family, endianness, netns, table->sockets);
                break;
            }
            // A container namespace: its sockets carry its inode, so attribution can tell them
            // from the host's. One that failed is left out whole and marked unreadable, rather
            // than shown in part; the host's table stands without it.
            bool inodeOk = false;
            const std::uint64_t inode = section.argument.toULongLong(&inodeOk);
            if (!inodeOk || inode == 0) {
                addIssue(source, tr("a namespace section without its namespace inode"));
                break;
            }
            if (!section.errors.isEmpty() || section.droppedLines > 0) {
                unreadable.insert(inode);
                break;
            }
            report = parseProcNetTcp(section.body, family, endianness, inode, namespaceSockets);
            break;
        }
        case SectionKind::SsListeners:
            ssListeners = &section;
            break;
        case SectionKind::DockerContainers:
            dockerContainers = &section;
            break;
        case SectionKind::DockerNetworks:
            dockerNetworks = &section;
            break;
        case SectionKind::CgroupCpu: {
            // A container without a figure is data (ContainerCpuTime::miss says why), not a
            // problem with the sample: only lines that do not parse become an issue.
            Parsed<QList<ContainerCpuTime>> cpu = parseCgroupCpu(section.body);
            sample->containerCpu = std::move(cpu.value);
            report = cpu.report;
            break;
        }
        case SectionKind::ContainerNs:
            containerNs = &section;
            break;
        case SectionKind::NsUnreadable:
            unresolved.unite(unreadableContainers(section.body, report));
            break;
        case SectionKind::Other:
            break;
        }
        if (!report.ok())
            addIssue(source, report.summary());
        if (isTable(kind)) {
            hasTable = true;
            table->report.merge(report);
            if (!section.errors.isEmpty() || section.droppedLines > 0)
                tableIncomplete = true;
        }
    }

    if (dockerContainers || dockerNetworks) {
        Parsed<DockerInventory> inventory =
            parseDockerInventory(dockerContainers ? QByteArrayView(dockerContainers->body) : "",
                                 dockerNetworks ? QByteArrayView(dockerNetworks->body) : "");
        // No docker, or a daemon that is not running, is how most hosts are: shown beside the
        // containers (DockerInventory::error), not raised as a problem. Denied access hides
        // containers that are there.
        if (inventory.value.errorKind == DockerError::PermissionDenied ||
            inventory.value.errorKind == DockerError::SudoNeedsPassword)
            addIssue(QStringLiteral("docker"), inventory.value.error);
        if (!inventory.report.ok())
            addIssue(QStringLiteral("docker"), inventory.report.summary());
        sample->docker = std::make_shared<const DockerInventory>(std::move(inventory.value));
    }

    if (containerNs && hasTable) {
        Parsed<std::vector<ContainerNamespace>> entries =
            parseContainerNamespaces(containerNs->body);
        if (!entries.report.ok())
            addIssue(QStringLiteral("container_ns"), entries.report.summary());
        auto map = std::make_shared<NamespaceMap>(
            NamespaceMap::fromContainerNamespaces(entries.value, netns));
        map->unreadable = unreadable;
        int unseen = int(unresolved.size());
        for (const ContainerNamespace &entry : entries.value) {
            if (unreadable.contains(entry.netns) &&
                !unresolved.contains(entry.containerId.toLatin1()))
                ++unseen;
        }
        if (unseen > 0)
            addIssue(QStringLiteral("container_ns"), unseenContainersText(unseen));
        sample->namespaces = std::move(map);
    }

    // Not a part of the table: without it the fold's listeners are only unnamed, as they are
    // without root, so a failed ss is an issue and the table stands. Only the host's sockets
    // are in the table yet (the containers' join below), and only they are in ss's namespace.
    if (ssListeners && hasTable && !tableIncomplete) {
        const ParseReport report =
            parseSsListeners(ssListeners->body, netns, table->sockets, 0, table->processNames);
        if (!report.ok())
            addIssue(QStringLiteral("ss_listeners"), report.summary());
        rememberListenerProcesses(*table, netns);
    } else if (tableFolded && hasTable && !tableIncomplete) {
        nameRememberedListeners(*table, netns);
    }

    if (hasTable && tableIncomplete) {
        addIssue(QStringLiteral("table"),
                 tr("the socket table of this sample was incomplete and is left out"));
    } else if (hasTable) {
        table->sockets.insert(table->sockets.end(), namespaceSockets.begin(),
                              namespaceSockets.end());
        table->finalize();
        sample->table = std::move(table);
    }
    return sample;
}

void SampleBuilder::rememberListenerProcesses(const Snapshot &table, std::uint64_t netns)
{
    m_listenerProcesses.clear();
    for (const Socket &socket : table.sockets) {
        if (socket.state != TcpState::Listen || socket.netns != netns || socket.pid == 0 ||
            socket.inode == 0)
            continue;
        m_listenerProcesses.insert(
            socket.inode,
            ListenerProcess{socket.local, socket.pid, table.processNames.value(socket.pid)});
    }
}

void SampleBuilder::nameRememberedListeners(Snapshot &table, std::uint64_t netns) const
{
    if (m_listenerProcesses.isEmpty())
        return;
    for (Socket &socket : table.sockets) {
        if (socket.state != TcpState::Listen || socket.netns != netns || socket.pid != 0 ||
            socket.inode == 0)
            continue;
        const auto it = m_listenerProcesses.constFind(socket.inode);
        // An inode is reused only after its socket closed: a new listener must also be on the
        // same endpoint to pass for the one that was named.
        if (it == m_listenerProcesses.cend() || it->local != socket.local)
            continue;
        socket.pid = it->pid;
        if (!table.processNames.contains(it->pid))
            table.processNames.insert(it->pid, it->name);
    }
}

QString SampleBuilder::unseenContainersText(int count) const
{
    const QByteArray privilege = m_hello.field("privilege");
    const QByteArray user = m_hello.field("user");
    const QString account =
        user.isEmpty() || user == "unknown" ? tr("this account") : QString::fromLatin1(user);
    // The sudoers rule that lets the probe's shell run as root without a password. It is root
    // for that account in all but name, so the text says what it grants.
    const QString rule = QStringLiteral("%1 ALL=(root) NOPASSWD: /bin/sh")
                             .arg(user.isEmpty() || user == "unknown" ? QStringLiteral("USER")
                                                                      : QString::fromLatin1(user));
    if (m_hello.field("uid") == "0") {
        return tr("%n container(s)' sockets could not be read even as root (a restricted "
                  "/proc, or a security module denying ptrace access to their processes)",
                  nullptr, count);
    }
    if (privilege == "sudo-failed") {
        return tr("%n container(s)' sockets could not be read: \"sudo -n\" was refused for %1, "
                  "so the probe runs without root. Allow it with the sudoers line \"%2\" "
                  "(visudo -f /etc/sudoers.d/twbench); that rule gives %1 root.",
                  nullptr, count)
            .arg(account, rule);
    }
    return tr("%n container(s)' sockets could not be read: no root. Set \"use sudo -n\" for "
              "this host and allow \"sudo -n /bin/sh\" for %1 (sudoers line \"%2\"; that rule "
              "gives %1 root).",
              nullptr, count)
        .arg(account, rule);
}

} // namespace twbench
