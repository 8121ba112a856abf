#pragma once

#include "capture/capturefile.h"
#include "endpoint.h"
#include "hostsample.h"

#include <QHash>
#include <QSet>
#include <QString>

#include <array>
#include <cstdint>
#include <memory>

namespace twbench {

// Hides addresses and host names in a report, consistently: the same original always gets the
// same alias, in every part (tables, findings, JSON, and the images, which are drawn from
// redacted data). The redaction is applied to the samples themselves, before anything is
// derived from them, so what the rules conclude is unchanged:
// - IPv4: each distinct /16 prefix becomes one alias prefix (198.18.0.0/15 and on, never an
//   original's), the last two octets kept, so a docker subnet of /16 or longer still contains
//   its containers. Loopback stays loopback (127.N.x.y), the family is kept.
// - IPv6: each /64 prefix becomes one of 2001:db8::/32, each interface id an alias one.
// - Kept as they are, since they identify nothing: 0.0.0.0, ::, 127.0.0.1, ::1.
// - Host names (display names, ssh addresses that are names, users) become "host-1", …
// Container, image and process names, paths and ports are kept: they are what the report is
// about, not who runs it.
class Redactor final
{
public:
    Redactor();

    // Before any alias is handed out: tell it every original, so no alias can equal one.
    void reserve(const HostSample &sample);
    void reserve(const CaptureHost &host);

    IpAddress address(const IpAddress &original);
    Endpoint endpoint(const Endpoint &original);
    // "host-1", "host-2", … by first sight; the same original the same alias.
    QString hostName(const QString &original);
    // Every IPv4/IPv6 literal in `text` (validated, not only pattern-matched) through
    // address(), and every host name seen so far (whole words) through hostName().
    QString text(const QString &text);

    // Deep copies with every address and host name replaced.
    HostSamplePtr sample(const HostSample &original);
    CaptureTable table(const CaptureTable &original);
    CaptureHost host(const CaptureHost &original);

    // original → alias, for a legend in the report ("addresses replaced: 14").
    int addressCount() const;
    int hostNameCount() const;

private:
    struct Private;
    std::shared_ptr<Private> d;
};

} // namespace twbench
