#include "timewaitlab.h"

#include <QRandomGenerator>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace twbench::test {

namespace {

using Clock = std::chrono::steady_clock;

sockaddr_in makeAddress(const QByteArray &ip, std::uint16_t port)
{
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    inet_pton(AF_INET, ip.constData(), &address.sin_addr);
    return address;
}

void setTimeouts(int fd)
{
    // Bounded: a lab that cannot complete a step gives up instead of hanging the test.
    timeval timeout{2, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
}

// A client socket bound to (ip, some port of ours) and connected; -1 when no port was free.
int connectFrom(const QByteArray &clientIp, std::uint16_t &nextPort, const sockaddr_in &server)
{
    for (int attempt = 0; attempt < 1000; ++attempt) {
        const std::uint16_t port = nextPort;
        // Ports 20000..60999 only: below it are well-known services; the wrap keeps going.
        nextPort = nextPort >= 60999 ? 20000 : std::uint16_t(nextPort + 1);
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
            return -1;
        setTimeouts(fd);
        const sockaddr_in local = makeAddress(clientIp, port);
        if (::bind(fd, reinterpret_cast<const sockaddr *>(&local), sizeof local) != 0 ||
            ::connect(fd, reinterpret_cast<const sockaddr *>(&server), sizeof server) != 0) {
            ::close(fd);
            continue;
        }
        return fd;
    }
    return -1;
}

} // namespace

QByteArray randomLoopbackSubnet()
{
    const auto b = QRandomGenerator::global()->bounded(1, 255);
    const auto c = QRandomGenerator::global()->bounded(0, 255);
    return "127." + QByteArray::number(b) + '.' + QByteArray::number(c) + '.';
}

TimeWaitLab::TimeWaitLab(QByteArray serverIp)
    : m_serverIp(std::move(serverIp))
{
    m_nextClientPort = std::uint16_t(QRandomGenerator::global()->bounded(20000, 60000));
}

TimeWaitLab::~TimeWaitLab()
{
    for (int fd : m_heldFds)
        ::close(fd);
    if (m_listenFd >= 0)
        ::close(m_listenFd);
}

bool TimeWaitLab::listen()
{
    m_listenFd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (m_listenFd < 0) {
        m_error = QString::fromLocal8Bit(std::strerror(errno));
        return false;
    }
    const int on = 1;
    setsockopt(m_listenFd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    setTimeouts(m_listenFd);
    sockaddr_in address = makeAddress(m_serverIp, 0);
    socklen_t length = sizeof address;
    if (::bind(m_listenFd, reinterpret_cast<sockaddr *>(&address), length) != 0 ||
        ::listen(m_listenFd, 4096) != 0 ||
        ::getsockname(m_listenFd, reinterpret_cast<sockaddr *>(&address), &length) != 0) {
        m_error = QString::fromLocal8Bit(std::strerror(errno));
        return false;
    }
    m_port = ntohs(address.sin_port);
    return true;
}

int TimeWaitLab::makeTimeWaits(int count, const std::vector<QByteArray> &clientIps,
                               std::chrono::milliseconds budget)
{
    if (m_listenFd < 0 || clientIps.empty())
        return 0;
    const sockaddr_in server = makeAddress(m_serverIp, m_port);
    const auto deadline = Clock::now() + budget;
    constexpr int batchSize = 256; // bounded fd use, while amortising the loop
    int made = 0;
    std::size_t ipIndex = 0;
    std::vector<int> clients;
    std::vector<int> accepted;
    while (made < count && Clock::now() < deadline) {
        const int batch = std::min(batchSize, count - made);
        clients.clear();
        accepted.clear();
        for (int i = 0; i < batch; ++i) {
            const QByteArray &clientIp = clientIps[ipIndex++ % clientIps.size()];
            const int fd = connectFrom(clientIp, m_nextClientPort, server);
            if (fd < 0)
                break;
            clients.push_back(fd);
        }
        for (std::size_t i = 0; i < clients.size(); ++i) {
            const int fd = ::accept4(m_listenFd, nullptr, nullptr, SOCK_CLOEXEC);
            if (fd < 0)
                break;
            accepted.push_back(fd);
        }
        // The server closes first: its FIN makes its side the one that ends in TIME_WAIT.
        for (int fd : accepted)
            ::close(fd);
        for (int fd : clients) {
            char byte = 0;
            // Wait for the server's FIN (EOF) before closing, so the client is the second closer.
            const bool sawEof = ::recv(fd, &byte, 1, 0) == 0;
            ::close(fd);
            if (sawEof)
                ++made;
        }
        if (clients.empty() || accepted.size() < clients.size()) {
            m_error = QStringLiteral("stopped after %1 connections: %2")
                          .arg(made)
                          .arg(QString::fromLocal8Bit(std::strerror(errno)));
            break;
        }
    }
    return made;
}

int TimeWaitLab::holdEstablished(int count, const QByteArray &clientIp)
{
    const sockaddr_in server = makeAddress(m_serverIp, m_port);
    int held = 0;
    for (int i = 0; i < count; ++i) {
        const int client = connectFrom(clientIp, m_nextClientPort, server);
        if (client < 0)
            break;
        const int accepted = ::accept4(m_listenFd, nullptr, nullptr, SOCK_CLOEXEC);
        m_heldFds.push_back(client);
        if (accepted < 0)
            break;
        m_heldFds.push_back(accepted);
        ++held;
    }
    return held;
}

} // namespace twbench::test
