#include "finding.h"

#include <QCoreApplication>

namespace twbench {

namespace {

struct FindingText
{
    Q_DECLARE_TR_FUNCTIONS(twbench::Finding)
};

} // namespace

QString severityId(Finding::Severity severity)
{
    switch (severity) {
    case Finding::Severity::Critical:
        return QStringLiteral("critical");
    case Finding::Severity::Warning:
        return QStringLiteral("warning");
    case Finding::Severity::Info:
        return QStringLiteral("info");
    }
    return QStringLiteral("info");
}

QString severityName(Finding::Severity severity)
{
    switch (severity) {
    case Finding::Severity::Critical:
        return FindingText::tr("Critical");
    case Finding::Severity::Warning:
        return FindingText::tr("Warning");
    case Finding::Severity::Info:
        return FindingText::tr("Info");
    }
    return FindingText::tr("Info");
}

} // namespace twbench
