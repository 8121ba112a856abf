#pragma once

#include "probeframe.h"

#include "model/hostsample.h"

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QString>

namespace twbench {

// Turns the probe's frames into HostSamples with the parsers of model/parsers/. The hello
// gives what the parsers need to know about the remote (its byte order for /proc/net/tcp, its
// network namespace). Pure: it can be fed a captured stream in a test.
//
// Every problem becomes a SourceIssue beside the values that did parse: a section the probe
// could not read ("@@error"), lines a parser rejected, lines the framing dropped. A socket table
// whose source failed part-way is left out (with an issue) rather than shown incomplete.
//
// Containers: the docker sections become HostSample::docker; with a table, container_ns and
// the ns_tcp/ns_tcp6 sections become HostSample::namespaces and sockets appended to the table
// with Socket::netns = the namespace's inode (the host's own keep the hello's netns, which
// Attribution treats as the host's). A namespace that could not be read is left out of the
// table, listed in NamespaceMap::unreadable and explained in a SourceIssue.
//
// Processes: as root, an ss table names each host socket's process (ss -p). A folded table has
// no such column: its ss_listeners section (ss of the listeners alone) gives its LISTEN sockets
// theirs, by local endpoint (parseSsListeners), so the services keep their names; the
// connections stay without. The probe sends that section with the first folded table and then
// every 30 s (ss -p walks every process's descriptors: 3 ms a table): in between, a listener
// keeps the process it was given for as long as it is the same socket (same endpoint and
// inode); one opened since stays unnamed until the next.
class SampleBuilder final
{
    Q_DECLARE_TR_FUNCTIONS(SampleBuilder)

public:
    explicit SampleBuilder(QString hostId = {})
        : m_hostId(std::move(hostId))
    {}

    void setHostId(const QString &hostId) { m_hostId = hostId; }
    const QString &hostId() const { return m_hostId; }

    void setHello(ProbeHello hello)
    {
        m_hello = std::move(hello);
        m_hasHello = true;
        m_listenerProcesses.clear(); // a new run: its first folded table names them again
    }
    bool hasHello() const { return m_hasHello; }
    const ProbeHello &hello() const { return m_hello; }

    // `extraIssues` (e.g. frames the reader dropped since the last sample) are added first.
    HostSamplePtr build(const ProbeFrame &frame, const QList<SourceIssue> &extraIssues = {});

private:
    struct ListenerProcess
    {
        Endpoint local;
        std::uint32_t pid = 0;
        QString name;
    };

    // Why containers' sockets are missing and how to grant access, from what the hello says.
    QString unseenContainersText(int count) const;
    // The named LISTEN sockets of the host's namespace, by inode, after an ss_listeners section.
    void rememberListenerProcesses(const Snapshot &table, std::uint64_t netns);
    // Gives a folded table without ss_listeners the processes remembered for the same sockets.
    void nameRememberedListeners(Snapshot &table, std::uint64_t netns) const;

    QString m_hostId;
    ProbeHello m_hello;
    bool m_hasHello = false;
    QHash<std::uint64_t, ListenerProcess> m_listenerProcesses; // by socket inode
};

} // namespace twbench
