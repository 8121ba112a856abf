// twbench-lab: makes real TIME_WAIT sockets on loopback, the way the incident does (a server
// that closes first), so twbench can be tried and screenshotted on a quiet machine.
//
//   twbench-lab [--count N] [--rate PER_SECOND] [--hold SECONDS]
//   twbench-lab --http 127.0.0.1:PORT/PATH [--from 127.X.Y.Z] [--count N] [--rate PER_SECOND]
//
// It listens on a random 127.A.B.1, opens N connections from 127.A.B.2 and closes each from the
// server side, spread over time at --rate, then keeps listening for --hold seconds so the
// endpoint stays a service while its TIME_WAITs age.
//
// With --http it is a caller instead: N GET requests to a real HTTP server (nginx) at --rate,
// each on a new connection with "Connection: close", like a program that fetches a token in a
// loop without keep-alive. The server closes first, so the TIME_WAITs pile up on its side, and
// its access log gets one line per request.
//
// Traffic never leaves 127.0.0.0/8 (other addresses are refused); every loop is bounded by
// --count and a time budget.

#include "lab/timewaitlab.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QThread>

#include <optional>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>

using namespace twbench::test;
using namespace std::chrono_literals;

namespace {

struct HttpTarget
{
    in_addr address{};
    std::uint16_t port = 0;
    QByteArray path;
};

// "127.0.0.1:8080/oauth/token" → the parts; nullopt for anything outside 127.0.0.0/8.
std::optional<HttpTarget> parseTarget(const QString &text)
{
    const qsizetype slash = text.indexOf(u'/');
    const QString hostPort = slash < 0 ? text : text.left(slash);
    const qsizetype colon = hostPort.lastIndexOf(u':');
    if (colon <= 0)
        return std::nullopt;
    HttpTarget target;
    bool ok = false;
    const int port = hostPort.mid(colon + 1).toInt(&ok);
    if (!ok || port < 1 || port > 65535)
        return std::nullopt;
    target.port = std::uint16_t(port);
    if (inet_pton(AF_INET, hostPort.left(colon).toLatin1().constData(), &target.address) != 1)
        return std::nullopt;
    if ((ntohl(target.address.s_addr) >> 24) != 127)
        return std::nullopt;
    target.path = slash < 0 ? QByteArrayLiteral("/") : text.mid(slash).toUtf8();
    return target;
}

// One request on its own connection; true when a status line came back.
bool getOnce(const HttpTarget &target, const std::optional<in_addr> &from)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    timeval timeout{2, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    bool ok = true;
    if (from) {
        sockaddr_in local{};
        local.sin_family = AF_INET;
        local.sin_addr = *from;
        ok = ::bind(fd, reinterpret_cast<const sockaddr *>(&local), sizeof local) == 0;
    }
    sockaddr_in remote{};
    remote.sin_family = AF_INET;
    remote.sin_addr = target.address;
    remote.sin_port = htons(target.port);
    ok = ok && ::connect(fd, reinterpret_cast<const sockaddr *>(&remote), sizeof remote) == 0;
    const QByteArray request = "GET " + target.path +
                               " HTTP/1.1\r\nHost: twbench-lab\r\nUser-Agent: twbench-lab/1\r\n"
                               "Connection: close\r\n\r\n";
    ok = ok && ::send(fd, request.constData(), size_t(request.size()), MSG_NOSIGNAL) ==
                   ssize_t(request.size());
    QByteArray response;
    char buffer[4096];
    // Read to the server's close: the TIME_WAIT lands on the server side.
    for (int reads = 0; ok && reads < 256; ++reads) {
        const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
        if (got <= 0)
            break;
        if (response.size() < 64)
            response.append(buffer, qsizetype(got));
    }
    ::close(fd);
    return ok && response.startsWith("HTTP/1.");
}

int runHttpCaller(const HttpTarget &target, const std::optional<in_addr> &from, int count, int rate)
{
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    const auto interval = std::chrono::microseconds(rate > 0 ? 1000000 / rate : 0);
    // Bounded in time as well as in count: at most the planned duration plus a minute.
    const auto deadline = start + interval * count + 60s;
    int answered = 0;
    for (int i = 0; i < count && Clock::now() < deadline; ++i) {
        if (getOnce(target, from))
            ++answered;
        // Paced against the start, not the previous request, so the rate holds on average.
        const auto next = start + interval * (i + 1);
        const auto wait = next - Clock::now();
        if (wait > 0s)
            QThread::usleep(
                std::uint64_t(std::chrono::duration_cast<std::chrono::microseconds>(wait).count()));
    }
    std::printf("%d of %d requests answered\n", answered, count);
    return answered == count ? 0 : 2;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Makes real TIME_WAIT sockets on loopback (server closes first)."));
    parser.addHelpOption();
    const QCommandLineOption countOption(QStringLiteral("count"),
                                         QStringLiteral("TIME_WAIT sockets to make (max 100000)."),
                                         QStringLiteral("N"), QStringLiteral("500"));
    const QCommandLineOption rateOption(QStringLiteral("rate"),
                                        QStringLiteral("Connections per second (0: at once)."),
                                        QStringLiteral("PER_SECOND"), QStringLiteral("0"));
    const QCommandLineOption holdOption(QStringLiteral("hold"),
                                        QStringLiteral("Seconds to keep listening afterwards."),
                                        QStringLiteral("SECONDS"), QStringLiteral("70"));
    const QCommandLineOption httpOption(
        QStringLiteral("http"),
        QStringLiteral("Be an HTTP caller of 127.x.y.z:PORT/PATH instead (one connection per "
                       "request)."),
        QStringLiteral("ADDRESS:PORT/PATH"));
    const QCommandLineOption fromOption(QStringLiteral("from"),
                                        QStringLiteral("The caller's own address (127.x.y.z)."),
                                        QStringLiteral("ADDRESS"));
    parser.addOptions({countOption, rateOption, holdOption, httpOption, fromOption});
    parser.process(app);

    if (parser.isSet(httpOption)) {
        const std::optional<HttpTarget> target = parseTarget(parser.value(httpOption));
        if (!target) {
            std::fprintf(stderr, "twbench-lab: --http wants 127.x.y.z:PORT/PATH\n");
            return 1;
        }
        std::optional<in_addr> from;
        if (parser.isSet(fromOption)) {
            in_addr address{};
            if (inet_pton(AF_INET, parser.value(fromOption).toLatin1().constData(), &address) !=
                    1 ||
                (ntohl(address.s_addr) >> 24) != 127) {
                std::fprintf(stderr, "twbench-lab: --from wants a 127.x.y.z address\n");
                return 1;
            }
            from = address;
        }
        return runHttpCaller(*target, from, qBound(1, parser.value(countOption).toInt(), 100000),
                             qBound(1, parser.value(rateOption).toInt(), 1000));
    }

    const int count = qBound(1, parser.value(countOption).toInt(), 100000);
    const int rate = qBound(0, parser.value(rateOption).toInt(), 100000);
    const int holdSeconds = qBound(0, parser.value(holdOption).toInt(), 3600);

    const QByteArray subnet = randomLoopbackSubnet();
    TimeWaitLab lab(subnet + '1');
    if (!lab.listen()) {
        std::fprintf(stderr, "twbench-lab: cannot listen: %s\n", qPrintable(lab.error()));
        return 1;
    }
    std::printf("listening on %s:%u\n", lab.serverIp().constData(), unsigned(lab.port()));
    std::fflush(stdout);

    const std::vector<QByteArray> clients = {subnet + '2', subnet + '3'};
    int made = 0;
    if (rate == 0) {
        made = lab.makeTimeWaits(count, clients, 120s);
    } else {
        // One batch every 100 ms keeps the rate smooth enough for a 1 s sampler.
        const int perTick = qMax(1, rate / 10);
        while (made < count) {
            const int madeNow = lab.makeTimeWaits(qMin(perTick, count - made), clients, 5s);
            if (madeNow == 0)
                break; // the lab says why in error(); never spin on a failing loop
            made += madeNow;
            QThread::msleep(100);
        }
    }
    std::printf("made %d TIME_WAIT sockets on %s:%u\n", made, lab.serverIp().constData(),
                unsigned(lab.port()));
    std::fflush(stdout);
    if (made < count && !lab.error().isEmpty())
        std::fprintf(stderr, "twbench-lab: %s\n", qPrintable(lab.error()));
    QThread::sleep(static_cast<unsigned long>(holdSeconds));
    return made == count ? 0 : 2;
}
