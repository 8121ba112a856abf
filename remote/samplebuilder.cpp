#include "samplebuilder.h"

#include "model/parsers/counterparsers.h"
#include "model/parsers/procnettcp.h"
#include "model/parsers/ssparser.h"

#include <algorithm>
#include <memory>

namespace twbench {

namespace {

enum class SectionKind : std::uint8_t { Sockstat, SnmpStyle, Stat, Ss, ProcTcp, ProcTcp6, Other };

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
    return SectionKind::Other;
}

bool isTable(SectionKind kind)
{
    return kind == SectionKind::Ss || kind == SectionKind::ProcTcp || kind == SectionKind::ProcTcp6;
}

} // namespace

HostSamplePtr SampleBuilder::build(const ProbeFrame &frame,
                                   const QList<SourceIssue> &extraIssues) const
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

    const std::uint64_t netns = m_hello.netns();
    const std::optional<bool> little = m_hello.isLittleEndian();
    auto table = std::make_shared<Snapshot>();
    table->hostId = m_hostId;
    table->sequence = frame.sequence;
    table->epochMs = frame.epochMs;
    bool hasTable = false;
    bool tableIncomplete = false;
    bool endiannessIssued = false;

    for (const ProbeSection &section : frame.sections) {
        const QString source = QString::fromLatin1(section.name); // FrameReader allows ASCII only
        const SectionKind kind = kindOf(section.name);
        if (kind == SectionKind::Other)
            continue; // a newer probe's section: nothing here reads it
        for (const QByteArray &error : section.errors)
            addIssue(source, tr("the probe could not read it: %1").arg(printableExcerpt(error)));
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
            report = parseSs(section.body, netns, table->sockets);
            break;
        case SectionKind::ProcTcp:
        case SectionKind::ProcTcp6:
            if (!hasTable)
                table->source = SocketSource::ProcNetTcp;
            if (!little && !endiannessIssued) {
                // Guessing is still better than no table: nearly every server is little-endian.
                addIssue(source, tr("the remote byte order is unknown; addresses assume "
                                    "little-endian"));
                endiannessIssued = true;
            }
            report = parseProcNetTcp(
                section.body, kind == SectionKind::ProcTcp ? AddressFamily::V4 : AddressFamily::V6,
                little.value_or(true) ? Endianness::Little : Endianness::Big, netns,
                table->sockets);
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

    if (hasTable && tableIncomplete) {
        addIssue(QStringLiteral("table"),
                 tr("the socket table of this sample was incomplete and is left out"));
    } else if (hasTable) {
        table->finalize();
        sample->table = std::move(table);
    }
    return sample;
}

} // namespace twbench
