#pragma once

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <utility>

namespace twbench {

// One statement twbench makes about a host, with the evidence behind it and what to do. Made
// by diagnose() (diagnosis.h) from what the views show; rendered by the findings panel, the
// CLI's JSON and the report. Ids and JSON field names stay English; every text is translated.
struct Finding
{
    enum class Severity : std::uint8_t { Critical, Warning, Info }; // most severe first

    // One fact the finding rests on: "TIME_WAIT on 172.18.0.3:8080" = "5,890 (97 % of the
    // host's)". `number` carries the raw value for the JSON and the tests.
    struct Evidence
    {
        QString label; // translated
        QString value; // translated, formatted with QLocale
        std::optional<double> number;

        friend bool operator==(const Evidence &, const Evidence &) = default;
    };

    QString id; // the rule: "server-closes", "upstream-no-keepalive", … (stable, English)
    Severity severity = Severity::Info;
    QString hostId;
    QString title;       // translated, one line: "api (172.18.0.3:8080) closes its connections"
    QString explanation; // translated: why this matters, in a few sentences
    QList<Evidence> evidence;
    QStringList remedies; // translated; a remedy may hold a config snippet on its own lines

    // What the views show when the finding is selected (all optional):
    // the connection table's filter text (ConnectionFilterProxy syntax, e.g. an endpoint),
    QString tableFilter;
    // the topology edges to highlight, as TopologyEdge ids ("<from id> > <to id>"),
    QStringList topologyEdges;
    // the time span the evidence covers, on the host's clock (epoch ms).
    std::optional<std::pair<std::int64_t, std::int64_t>> timeRange;

    friend bool operator==(const Finding &, const Finding &) = default;
};

// "critical", "warning", "info": the JSON's words.
QString severityId(Finding::Severity severity);
// Translated for the panel.
QString severityName(Finding::Severity severity);

} // namespace twbench

Q_DECLARE_METATYPE(twbench::Finding)
