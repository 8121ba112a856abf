// twbench-lab: makes real TIME_WAIT sockets on loopback, the way the incident does (a server
// that closes first), so twbench can be tried and screenshotted on a quiet machine.
//
//   twbench-lab [--count N] [--rate PER_SECOND] [--hold SECONDS]
//
// It listens on a random 127.A.B.1, opens N connections from 127.A.B.2 and closes each from the
// server side, spread over time at --rate, then keeps listening for --hold seconds so the
// endpoint stays a service while its TIME_WAITs age. Traffic never leaves 127.0.0.0/8; every
// loop is bounded by --count and a time budget.

#include "lab/timewaitlab.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QThread>

#include <chrono>
#include <cstdio>

using namespace twbench::test;
using namespace std::chrono_literals;

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
    parser.addOptions({countOption, rateOption, holdOption});
    parser.process(app);

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
