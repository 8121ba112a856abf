#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QList>

#include <cstdint>
#include <optional>

namespace twbench {

// The probe's first line, "@@twbench hello 1 endian=little netns=4026531833 ss=1 …", as read.
// Unknown keys are kept: a newer probe may say more than this build understands.
struct ProbeHello
{
    int protocolVersion = 0;
    QHash<QByteArray, QByteArray> fields; // "endian" -> "little", "netns" -> "4026531833", …

    QByteArray field(QByteArrayView key) const { return fields.value(key.toByteArray()); }
    // The byte order the remote kernel prints /proc/net/tcp addresses in; nullopt when the
    // probe could not tell.
    std::optional<bool> isLittleEndian() const
    {
        const QByteArray endian = field("endian");
        if (endian == "little")
            return true;
        if (endian == "big")
            return false;
        return std::nullopt;
    }
    // The probe's own network namespace inode; 0 when unknown.
    std::uint64_t netns() const
    {
        bool ok = false;
        const auto value = field("netns").toULongLong(&ok);
        return ok ? value : 0;
    }
};

// One "@@section NAME" of a frame: the source's raw text and what went wrong reading it.
struct ProbeSection
{
    QByteArray name;
    // The word after the name, "@@section ns_tcp 4026532608": which instance of a section that
    // repeats (one per container namespace); empty for most sections.
    QByteArray argument;
    QByteArray body;            // the source's lines, each ending in '\n'
    QList<QByteArray> errors;   // the messages of "@@error NAME …" lines, raw remote text
    qsizetype droppedLines = 0; // lines over FrameReader's line limit, left out of body
};

// One complete "@@twbench sample SEQ EPOCH_MS" … "@@end SEQ" frame.
struct ProbeFrame
{
    std::uint64_t sequence = 0;
    std::int64_t epochMs = 0; // the remote's clock
    QList<ProbeSection> sections;

    const ProbeSection *section(QByteArrayView name) const
    {
        for (const ProbeSection &candidate : sections) {
            if (candidate.name == name)
                return &candidate;
        }
        return nullptr;
    }
    const ProbeSection *section(QByteArrayView name, QByteArrayView argument) const
    {
        for (const ProbeSection &candidate : sections) {
            if (candidate.name == name && candidate.argument == argument)
                return &candidate;
        }
        return nullptr;
    }
};

} // namespace twbench
