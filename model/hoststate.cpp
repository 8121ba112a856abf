#include "hoststate.h"

#include <QCoreApplication>

namespace twbench {

QString hostStateText(HostState state)
{
    switch (state) {
    case HostState::Idle:
        return QCoreApplication::translate("HostState", "idle");
    case HostState::Connecting:
        return QCoreApplication::translate("HostState", "connecting");
    case HostState::VerifyingHostKey:
        return QCoreApplication::translate("HostState", "verifying host key");
    case HostState::Authenticating:
        return QCoreApplication::translate("HostState", "authenticating");
    case HostState::Streaming:
        return QCoreApplication::translate("HostState", "streaming");
    case HostState::Retrying:
        return QCoreApplication::translate("HostState", "retrying");
    case HostState::Failed:
        return QCoreApplication::translate("HostState", "failed");
    case HostState::Stopped:
        return QCoreApplication::translate("HostState", "stopped");
    case HostState::Recorded:
        return QCoreApplication::translate("HostState", "recorded");
    }
    return {};
}

} // namespace twbench
