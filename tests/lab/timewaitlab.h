#pragma once

#include <QByteArray>
#include <QString>

#include <chrono>
#include <cstdint>
#include <vector>

namespace twbench::test {

// A random address in 127.0.0.0/8 (never 127.0.0.1), so tests running side by side, and
// earlier runs whose TIME_WAITs have not expired, never count each other's sockets.
QByteArray randomLoopbackSubnet(); // "127.A.B." — append a host number

// Makes real TIME_WAIT sockets on loopback the way the incident does: a server that closes
// first. The server listens on serverIp; each client binds a distinct (clientIp, port) pair so
// that no 4-tuple is reused while its TIME_WAIT lives (a reused tuple would recycle the
// TIME_WAIT and undercount). The server's side of every connection ends in TIME_WAIT on the
// listening endpoint for the kernel's 60 s; the client side ends CLOSED.
class TimeWaitLab
{
public:
    explicit TimeWaitLab(QByteArray serverIp);
    ~TimeWaitLab();
    TimeWaitLab(const TimeWaitLab &) = delete;
    TimeWaitLab &operator=(const TimeWaitLab &) = delete;

    // Binds and listens on a free port; false with error() set on failure.
    bool listen();
    std::uint16_t port() const { return m_port; }
    const QByteArray &serverIp() const { return m_serverIp; }

    // Makes up to `count` TIME_WAITs from the given client addresses, stopping at `budget`.
    // Returns how many connections completed the server-closes-first sequence.
    int makeTimeWaits(int count, const std::vector<QByteArray> &clientIps,
                      std::chrono::milliseconds budget);

    // Opens `count` connections and keeps them ESTABLISHED until the lab is destroyed.
    int holdEstablished(int count, const QByteArray &clientIp);

    QString error() const { return m_error; }

private:
    QByteArray m_serverIp;
    int m_listenFd = -1;
    std::uint16_t m_port = 0;
    std::uint16_t m_nextClientPort = 20000;
    std::vector<int> m_heldFds;
    QString m_error;
};

} // namespace twbench::test
