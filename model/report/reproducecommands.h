#pragma once

#include "model/diagnosis/finding.h"
#include "model/endpoint.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

namespace twbench {

// One way to see a figure of the report by hand, on the server itself: what an operator (or the
// team lead reading the report) can paste into a shell to check twbench's numbers.
struct ReproduceCommand
{
    QString title;   // translated: "TIME_WAIT by local endpoint"
    QString shows;   // translated: what to look for in the output
    QString command; // shell text, possibly several lines; every value from the data quoted

    friend bool operator==(const ReproduceCommand &, const ReproduceCommand &) = default;
};

// What the commands are filled in with: the report's own top rows and findings.
struct ReproduceInput
{
    struct LocalEndpoint
    {
        Endpoint endpoint;
        QString container; // whose namespace holds it (docker name); empty: the host's own
    };
    QList<LocalEndpoint> topLocalEndpoints; // largest TIME_WAIT first
    // LogSourceSpec ids of the followed access logs: an absolute path or "container:NAME".
    QStringList logSources;
    bool docker = false; // the host runs docker (the inventory answered)
    QList<Finding> findings;
    // How many of the top endpoints get a "who talks to it" command.
    int endpointsToTrace = 3;
};

// The report's appendix. Pure text: testable from strings, no shell is run.
class ReproduceCommands final
{
    Q_DECLARE_TR_FUNCTIONS(twbench::ReproduceCommands)

public:
    // The general figures first (TIME_WAIT total, by local and by remote endpoint, who talks to
    // the top endpoints, churn, the TIME_WAIT overflow counter, CPU, containers, access-log
    // callers), then one entry per finding with what shows its evidence.
    static QList<ReproduceCommand> build(const ReproduceInput &input);

    // The commands that show one finding's evidence; empty for a rule without any.
    static QList<ReproduceCommand> forFinding(const Finding &finding, const ReproduceInput &input);

    // How netstat -ant prints an endpoint (no brackets around IPv6) and how ss prints it.
    static QString netstatForm(const Endpoint &endpoint);
    static QString ssForm(const Endpoint &endpoint);
    // `command` run in the network namespace of the container `name` (its sockets are not in
    // the host's table): through nsenter with the container's pid, as root.
    static QString inContainer(const QString &name, const QString &command);
};

} // namespace twbench
