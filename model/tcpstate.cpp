#include "tcpstate.h"

namespace twbench {

QString tcpStateName(TcpState state)
{
    switch (state) {
    case TcpState::Established:
        return QStringLiteral("ESTABLISHED");
    case TcpState::SynSent:
        return QStringLiteral("SYN_SENT");
    case TcpState::SynRecv:
        return QStringLiteral("SYN_RECV");
    case TcpState::FinWait1:
        return QStringLiteral("FIN_WAIT1");
    case TcpState::FinWait2:
        return QStringLiteral("FIN_WAIT2");
    case TcpState::TimeWait:
        return QStringLiteral("TIME_WAIT");
    case TcpState::Close:
        return QStringLiteral("CLOSE");
    case TcpState::CloseWait:
        return QStringLiteral("CLOSE_WAIT");
    case TcpState::LastAck:
        return QStringLiteral("LAST_ACK");
    case TcpState::Listen:
        return QStringLiteral("LISTEN");
    case TcpState::Closing:
        return QStringLiteral("CLOSING");
    case TcpState::NewSynRecv:
        return QStringLiteral("NEW_SYN_RECV");
    case TcpState::Unknown:
        break;
    }
    return QStringLiteral("UNKNOWN");
}

std::optional<TcpState> tcpStateFromProcCode(unsigned code)
{
    if (code >= 1 && code < TcpStateCount)
        return static_cast<TcpState>(code);
    return std::nullopt;
}

std::optional<TcpState> tcpStateFromName(QByteArrayView name)
{
    struct Spelling
    {
        const char *text;
        TcpState state;
    };
    // netstat spellings first, then ss's; "UNCONN" is what ss prints for a closed socket.
    static constexpr Spelling spellings[] = {
        {"ESTABLISHED", TcpState::Established},
        {"SYN_SENT", TcpState::SynSent},
        {"SYN_RECV", TcpState::SynRecv},
        {"FIN_WAIT1", TcpState::FinWait1},
        {"FIN_WAIT2", TcpState::FinWait2},
        {"TIME_WAIT", TcpState::TimeWait},
        {"CLOSE", TcpState::Close},
        {"CLOSE_WAIT", TcpState::CloseWait},
        {"LAST_ACK", TcpState::LastAck},
        {"LISTEN", TcpState::Listen},
        {"CLOSING", TcpState::Closing},
        {"NEW_SYN_RECV", TcpState::NewSynRecv},
        {"ESTAB", TcpState::Established},
        {"SYN-SENT", TcpState::SynSent},
        {"SYN-RECV", TcpState::SynRecv},
        {"FIN-WAIT-1", TcpState::FinWait1},
        {"FIN-WAIT-2", TcpState::FinWait2},
        {"TIME-WAIT", TcpState::TimeWait},
        {"UNCONN", TcpState::Close},
        {"CLOSE-WAIT", TcpState::CloseWait},
        {"LAST-ACK", TcpState::LastAck},
        {"NEW-SYN-RECV", TcpState::NewSynRecv},
    };
    for (const Spelling &spelling : spellings) {
        if (name == QByteArrayView(spelling.text))
            return spelling.state;
    }
    return std::nullopt;
}

} // namespace twbench
