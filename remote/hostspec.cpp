#include "hostspec.h"

#include <QCoreApplication>

namespace twbench {

HostSpec HostSpec::localWorkstation()
{
    HostSpec spec;
    spec.id = QStringLiteral("local");
    spec.displayName = QCoreApplication::translate("HostSpec", "This workstation");
    spec.kind = Kind::Local;
    return spec;
}

namespace {
// lupdate reads HostSpecText::tr("…") calls; HostSpec itself stays a plain value type.
struct HostSpecText
{
    Q_DECLARE_TR_FUNCTIONS(HostSpec)
};
} // namespace

QString HostSpec::validationError() const
{
    if (id.trimmed().isEmpty())
        return HostSpecText::tr("The host needs an id.");
    if (displayName.trimmed().isEmpty())
        return HostSpecText::tr("The host needs a name.");
    if (counterIntervalSec < 1 || counterIntervalSec > 3600)
        return HostSpecText::tr("The counter interval must be between 1 and 3600 seconds.");
    if (tableIntervalSec < 1 || tableIntervalSec > 3600)
        return HostSpecText::tr("The table interval must be between 1 and 3600 seconds.");
    if (kind != Kind::Ssh)
        return {};
    const QString host = address.trimmed();
    if (host.isEmpty())
        return HostSpecText::tr("The host needs an address.");
    // A leading '-' would read as an option to a ProxyCommand's ssh; spaces and control
    // characters are never part of a host name or an address.
    if (host.startsWith(u'-'))
        return HostSpecText::tr("The address must not start with '-'.");
    for (const QChar c : host) {
        if (c.isSpace() || c.category() == QChar::Other_Control)
            return HostSpecText::tr("The address must not contain spaces or control characters.");
    }
    if (port < 1 || port > 65535)
        return HostSpecText::tr("Port must be between 1 and 65535.");
    for (const QChar c : user) {
        if (c.isSpace() || c.category() == QChar::Other_Control || c == u'@')
            return HostSpecText::tr(
                "The user name must not contain spaces, '@' or control characters.");
    }
    if (login == LoginMethod::IdentityFile && identityFile.trimmed().isEmpty())
        return HostSpecText::tr("Choose the identity file, or another login method.");
    if (jumpHost.startsWith(u'-'))
        return HostSpecText::tr("The jump host must not start with '-'.");
    if (dockerCommand.trimmed().isEmpty())
        return HostSpecText::tr("The docker command must not be empty.");
    return {};
}

CaptureHost captureHostOf(const HostSpec &spec)
{
    CaptureHost host;
    host.id = spec.id;
    host.displayName = spec.displayName;
    host.kind = spec.kind == HostSpec::Kind::Ssh ? QStringLiteral("ssh") : QStringLiteral("local");
    if (spec.kind == HostSpec::Kind::Ssh) {
        host.address = spec.address;
        host.port = spec.port;
        host.user = spec.user;
    }
    for (const LogSourceSpec &log : spec.logs)
        host.logSources << log.id();
    return host;
}

} // namespace twbench
