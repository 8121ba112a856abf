#include "viewsbench.h"

#include "benchtables.h"

#include "model/parsers/ssparser.h"

#include <QApplication>
#include <QSettings>
#include <QStandardPaths>

#include <cstdio>

#include <time.h>

namespace twbench::bench {

QApplication *guiApplication()
{
    static QApplication *app = [] {
        // The offscreen platform says so of every window shown: noise in a results table.
        qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &context,
                                  const QString &message) {
            if (!message.contains(QLatin1String("propagateSizeHints")))
                std::fprintf(stderr, "%s\n", qPrintable(qFormatLogMessage(type, context, message)));
        });
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        static int argc = 1;
        static char name[] = "twbench_bench";
        static char *argv[] = {name, nullptr};
        auto *made = new QApplication(argc, argv);
        QCoreApplication::setOrganizationName(QStringLiteral("twbench-bench"));
        QCoreApplication::setApplicationName(QStringLiteral("twbench-bench"));
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        return made;
    }();
    return app;
}

double threadCpuMs()
{
    timespec now{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) * 1e3 + double(now.tv_nsec) / 1e6;
}

SnapshotPtr realTable(const QString &hostId)
{
    auto snapshot = std::make_shared<Snapshot>();
    snapshot->hostId = hostId;
    snapshot->source = SocketSource::Ss;
    parseSs(benchTables().ssHtan, 0, snapshot->sockets);
    snapshot->finalize();
    return snapshot;
}

std::vector<SnapshotPtr> churnedTables(const SnapshotPtr &base, int count, int churnPercent)
{
    std::vector<SnapshotPtr> tables{base};
    std::uint16_t nextPort = 1;
    for (int i = 1; i < count; ++i) {
        auto next = std::make_shared<Snapshot>(*tables.back());
        next->sequence = tables.back()->sequence + 1;
        next->epochMs = tables.back()->epochMs + 1000;
        std::vector<Socket> &sockets = next->sockets;
        std::size_t churn = sockets.size() * std::size_t(churnPercent) / 100;
        // The oldest connections go (the front: a table lists them in the kernel's hash order,
        // which is as good as any), as many new ones come at the end; listeners stay.
        std::vector<Socket> kept;
        std::vector<Socket> arrived;
        kept.reserve(sockets.size());
        for (const Socket &socket : sockets) {
            if (churn > 0 && socket.state != TcpState::Listen) {
                --churn;
                arrived.push_back(socket);
                arrived.back().remote.port = nextPort++;
                if (nextPort == 0)
                    nextPort = 1;
            } else {
                kept.push_back(socket);
            }
        }
        kept.insert(kept.end(), arrived.begin(), arrived.end());
        sockets = std::move(kept);
        next->finalize();
        tables.push_back(std::move(next));
    }
    return tables;
}

HostSamplePtr sampleAt(const QString &hostId, std::uint64_t sequence, std::int64_t epochMs,
                       SnapshotPtr table)
{
    auto sample = std::make_shared<HostSample>();
    sample->hostId = hostId;
    sample->sequence = sequence;
    sample->epochMs = epochMs;
    const auto second = std::int64_t(sequence);
    const std::int64_t wave = (second * 37) % 1000;
    sample->counters.values.insert(counter::TimeWait,
                                   table ? std::int64_t(table->sockets.size()) : 2000 + wave);
    sample->counters.values.insert(counter::CurrEstab, 50 + wave / 10);
    sample->counters.values.insert(counter::ActiveOpens, 30 * second);
    sample->counters.values.insert(counter::PassiveOpens, 1600 * second + wave);
    sample->counters.values.insert(counter::TwCreated, 1650 * second);
    sample->procStat.valid = true;
    sample->procStat.all.user = std::uint64_t(40 * second + wave / 20);
    sample->procStat.all.system = std::uint64_t(25 * second);
    sample->procStat.all.idle = std::uint64_t(135 * second);
    sample->onlineCpus = 2;
    ContainerCpuTime container;
    container.containerId = QStringLiteral("c0ffee");
    container.usageUsec = std::uint64_t(second) * 350000u + std::uint64_t(wave);
    container.source = QStringLiteral("v2-pid");
    sample->containerCpu.append(container);
    if (table) {
        auto copy = std::make_shared<Snapshot>(*table);
        copy->hostId = hostId;
        copy->sequence = sequence;
        copy->epochMs = epochMs;
        sample->table = std::move(copy);
    }
    return sample;
}

} // namespace twbench::bench
