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

} // namespace twbench
