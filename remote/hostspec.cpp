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

QString HostSpec::validationError() const
{
    const auto tr = [](const char *text) {
        return QCoreApplication::translate("HostSpec", text);
    };
    if (id.trimmed().isEmpty())
        return tr("The host needs an id.");
    if (displayName.trimmed().isEmpty())
        return tr("The host needs a name.");
    if (counterIntervalSec < 1 || counterIntervalSec > 3600)
        return tr("The counter interval must be between 1 and 3600 seconds.");
    if (tableIntervalSec < 1 || tableIntervalSec > 3600)
        return tr("The table interval must be between 1 and 3600 seconds.");
    if (kind != Kind::Ssh)
        return {};
    const QString host = address.trimmed();
    if (host.isEmpty())
        return tr("The host needs an address.");
    // A leading '-' would read as an option to a ProxyCommand's ssh; spaces and control
    // characters are never part of a host name or an address.
    if (host.startsWith(u'-'))
        return tr("The address must not start with '-'.");
    for (const QChar c : host) {
        if (c.isSpace() || c.category() == QChar::Other_Control)
            return tr("The address must not contain spaces or control characters.");
    }
    if (port < 1 || port > 65535)
        return tr("Port must be between 1 and 65535.");
    for (const QChar c : user) {
        if (c.isSpace() || c.category() == QChar::Other_Control || c == u'@')
            return tr("The user name must not contain spaces, '@' or control characters.");
    }
    if (login == LoginMethod::IdentityFile && identityFile.trimmed().isEmpty())
        return tr("Choose the identity file, or another login method.");
    if (jumpHost.startsWith(u'-'))
        return tr("The jump host must not start with '-'.");
    if (dockerCommand.trimmed().isEmpty())
        return tr("The docker command must not be empty.");
    return {};
}

} // namespace twbench
