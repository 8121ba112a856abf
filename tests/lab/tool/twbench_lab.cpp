// twbench-lab: makes real TIME_WAIT sockets on loopback, the way the incident does (a server
// that closes first), so twbench can be tried and screenshotted on a quiet machine.
//
//   twbench-lab [--count N] [--rate PER_SECOND] [--hold SECONDS]
//   twbench-lab --http 127.0.0.1:PORT/PATH [--from 127.X.Y.Z] [--count N] [--rate PER_SECOND]
//               [--interval-ms MS] [--caller-closes]
//   twbench-lab --incident [--fixed] [--dir DIR] [--subnet 127.A.B.] [--rate R | --interval-ms MS]
//               [--path PATH] [--seconds S] --fake-docker tests/data/docker/fake-docker
//
// It listens on a random 127.A.B.1, opens N connections from 127.A.B.2 and closes each from the
// server side, spread over time at --rate, then keeps listening for --hold seconds so the
// endpoint stays a service while its TIME_WAITs age.
//
// With --http it is a caller instead: N GET requests to a real HTTP server (nginx) at --rate,
// each on a new connection with "Connection: close", like a program that fetches a token in a
// loop without keep-alive. The server closes first, so the TIME_WAITs pile up on its side, and
// its access log gets one line per request. --interval-ms paces it slower than once a second
// (a caller that caches its token and asks again once a minute). --caller-closes sends
// keep-alive requests instead, reads each answer by its Content-Length and closes first, as a
// PHP curl client does: the TIME_WAITs of that hop land on the caller's side.
//
// With --incident it runs the whole incident lab (tests/lab/incidentlab.h) until --seconds pass
// or it gets SIGTERM / SIGINT: nginx as a reverse proxy, an API (nginx) that closes every
// connection, this tool as the poller from a docker network's gateway address, and a stand-in
// docker CLI describing the two nginx as containers with their real pids. It prints what runs
// where and how to point twbench at it (tests/lab/run-lab.sh wraps it).
//
// Traffic never leaves 127.0.0.0/8 (other addresses are refused); every loop is bounded by
// --count and a time budget.

#include "lab/incidentlab.h"
#include "lab/timewaitlab.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFile>
#include <QThread>

#include <optional>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
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

// The body's length from a response's header block, -1 when it has none.
qsizetype contentLength(const QByteArray &headers)
{
    for (const QByteArray &line : headers.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().toLower() == "content-length") {
            bool ok = false;
            const qsizetype length = line.mid(colon + 1).trimmed().toLongLong(&ok);
            return ok && length >= 0 ? length : -1;
        }
    }
    return -1;
}

// One request on its own connection; true when a status line came back. `callerCloses`: a
// keep-alive request whose answer is read by its Content-Length, then this side closes first.
bool getOnce(const HttpTarget &target, const std::optional<in_addr> &from, bool callerCloses)
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
                               " HTTP/1.1\r\nHost: twbench-lab\r\nUser-Agent: twbench-lab/1\r\n" +
                               (callerCloses ? QByteArray() : "Connection: close\r\n") + "\r\n";
    ok = ok && ::send(fd, request.constData(), size_t(request.size()), MSG_NOSIGNAL) ==
                   ssize_t(request.size());
    QByteArray response;
    char buffer[4096];
    // Read to the server's close: the TIME_WAIT lands on the server side. Or, when the caller
    // closes, to the end of the body: the server keeps the connection and this side closes.
    qsizetype expected = -1; // the whole response's length once its headers are in
    for (int reads = 0; ok && reads < 256; ++reads) {
        const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
        if (got <= 0)
            break;
        if (response.size() < 65536)
            response.append(buffer, qsizetype(got));
        if (!callerCloses)
            continue;
        if (expected < 0) {
            const qsizetype end = response.indexOf("\r\n\r\n");
            if (end >= 0) {
                const qsizetype length = contentLength(response.left(end));
                if (length >= 0)
                    expected = end + 4 + length;
            }
        }
        if (expected >= 0 && response.size() >= expected)
            break;
    }
    ::close(fd);
    return ok && response.startsWith("HTTP/1.");
}

int runHttpCaller(const HttpTarget &target, const std::optional<in_addr> &from, int count,
                  std::chrono::microseconds interval, bool callerCloses)
{
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    // Bounded in time as well as in count: at most the planned duration plus a minute.
    const auto deadline = start + interval * count + 60s;
    int answered = 0;
    for (int i = 0; i < count && Clock::now() < deadline; ++i) {
        if (getOnce(target, from, callerCloses))
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

volatile std::sig_atomic_t stopRequested = 0;

void requestStop(int)
{
    stopRequested = 1;
}

// --incident: the whole lab in the foreground until `seconds` pass or a signal asks to stop.
int runIncidentLab(IncidentLabOptions options, int seconds, const QString &readyFile)
{
    struct sigaction action
    {
    };
    action.sa_handler = requestStop;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGTERM, &action, nullptr);
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGHUP, &action, nullptr);

    options.labTool = QCoreApplication::applicationFilePath();
    options.pollerSeconds = seconds;
    IncidentLab lab(std::move(options));
    QString error;
    if (!lab.start(&error) || !lab.startPoller(&error)) {
        std::fprintf(stderr, "twbench-lab: %s\n", qPrintable(error));
        return 1;
    }
    const QString hint =
        QStringLiteral(
            "Point twbench at it (this workstation; as root the probe also reads ss -p,\n"
            "or over SSH with --host root@127.0.0.1[:PORT] --identity KEY):\n"
            "  twbench diagnose --host local --docker %1 \\\n"
            "      --log %2 --log %3 --duration 60 --json /tmp/twbench-lab.json\n"
            "or in the GUI: This workstation -> Edit host: docker command %1,\n"
            "access logs %2 and %3.\n"
            "The TIME_WAITs build up for 60 s; the lab stops after %4 s or on SIGTERM.\n")
            .arg(lab.dockerPath(), lab.proxyLogPath(), lab.apiLogPath())
            .arg(seconds);
    const QByteArray text = (lab.describe() + hint).toUtf8();
    std::fwrite(text.constData(), 1, size_t(text.size()), stdout);
    std::fflush(stdout);
    if (!readyFile.isEmpty()) {
        QFile file(readyFile);
        if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            file.write(text);
    }
    QDeadlineTimer deadline{std::chrono::seconds(seconds)};
    while (!stopRequested && !deadline.hasExpired()) {
        QThread::msleep(200);
        if (!lab.pollerRunning() && !deadline.hasExpired())
            break; // the poller ran its course (or failed): nothing more happens
    }
    lab.stop();
    const QString pollerSaid = lab.pollerOutput().trimmed();
    std::printf("stopped%s%s\n", pollerSaid.isEmpty() ? "" : ": the poller said ",
                qPrintable(pollerSaid));
    return 0;
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
    const QCommandLineOption intervalOption(
        QStringLiteral("interval-ms"),
        QStringLiteral("--http/--incident: one request every MS milliseconds instead of --rate."),
        QStringLiteral("MS"));
    const QCommandLineOption callerClosesOption(
        QStringLiteral("caller-closes"),
        QStringLiteral("--http: keep-alive requests; read each answer, then close first."));
    const QCommandLineOption incidentOption(
        QStringLiteral("incident"),
        QStringLiteral("Run the incident lab: nginx proxy, API, poller and a stand-in docker."));
    const QCommandLineOption fixedOption(
        QStringLiteral("fixed"),
        QStringLiteral("--incident: the fixed variant (upstream keepalive; API keeps alive)."));
    const QCommandLineOption dirOption(QStringLiteral("dir"),
                                       QStringLiteral("--incident: where its files go."),
                                       QStringLiteral("DIR"));
    const QCommandLineOption subnetOption(
        QStringLiteral("subnet"),
        QStringLiteral(
            "--incident: the docker network, 127.A.B. (gateway .1, proxy .10, API .20)."),
        QStringLiteral("127.A.B."));
    const QCommandLineOption proxyPortOption(QStringLiteral("proxy-port"),
                                             QStringLiteral("--incident: the proxy's port."),
                                             QStringLiteral("PORT"), QStringLiteral("0"));
    const QCommandLineOption apiPortOption(QStringLiteral("api-port"),
                                           QStringLiteral("--incident: the API's port."),
                                           QStringLiteral("PORT"), QStringLiteral("0"));
    const QCommandLineOption pathOption(QStringLiteral("path"),
                                        QStringLiteral("--incident: the token's path."),
                                        QStringLiteral("PATH"), QStringLiteral("/v2/oauth/token"));
    const QCommandLineOption secondsOption(QStringLiteral("seconds"),
                                           QStringLiteral("--incident: how long it runs."),
                                           QStringLiteral("SECONDS"), QStringLiteral("900"));
    const QCommandLineOption fakeDockerOption(
        QStringLiteral("fake-docker"),
        QStringLiteral("--incident: tests/data/docker/fake-docker, copied for the lab."),
        QStringLiteral("PATH"));
    const QCommandLineOption readyOption(
        QStringLiteral("ready-file"),
        QStringLiteral("--incident: write the description there once everything runs."),
        QStringLiteral("FILE"));
    parser.addOptions({countOption, rateOption, holdOption, httpOption, fromOption, intervalOption,
                       callerClosesOption, incidentOption, fixedOption, dirOption, subnetOption,
                       proxyPortOption, apiPortOption, pathOption, secondsOption, fakeDockerOption,
                       readyOption});
    parser.process(app);

    if (parser.isSet(incidentOption)) {
        IncidentLabOptions options;
        options.fixed = parser.isSet(fixedOption);
        options.dir = parser.value(dirOption);
        options.subnet = parser.value(subnetOption).toLatin1();
        if (!options.subnet.isEmpty() && !options.subnet.endsWith('.'))
            options.subnet += '.';
        options.proxyPort = std::uint16_t(qBound(0, parser.value(proxyPortOption).toInt(), 65535));
        options.apiPort = std::uint16_t(qBound(0, parser.value(apiPortOption).toInt(), 65535));
        options.path = parser.value(pathOption).toUtf8();
        if (parser.isSet(rateOption))
            options.rate = qBound(1, parser.value(rateOption).toInt(), 1000);
        if (parser.isSet(intervalOption))
            options.intervalMs = qBound(1, parser.value(intervalOption).toInt(), 3600000);
        options.fakeDocker = parser.value(fakeDockerOption);
        return runIncidentLab(std::move(options),
                              qBound(10, parser.value(secondsOption).toInt(), 24 * 3600),
                              parser.value(readyOption));
    }

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
        const auto interval =
            parser.isSet(intervalOption)
                ? std::chrono::microseconds(
                      std::int64_t(qBound(1, parser.value(intervalOption).toInt(), 3600000)) * 1000)
                : std::chrono::microseconds(1000000 /
                                            qBound(1, parser.value(rateOption).toInt(), 1000));
        return runHttpCaller(*target, from, qBound(1, parser.value(countOption).toInt(), 100000),
                             interval, parser.isSet(callerClosesOption));
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
