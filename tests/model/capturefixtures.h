#pragma once

// Realistic capture content for the capture tests and benchmarks: the counters a 6.1 kernel
// prints (tests/data/proc_net_*.txt, parsed by the real parsers), a 2-CPU /proc/stat, and socket
// tables shaped like the incident's — thousands of TIME_WAITs from ephemeral ports towards two or
// three upstream endpoints, some ESTABLISHED clients, a few listeners, a container namespace.

#include "model/attribution.h"
#include "model/hostsample.h"
#include "model/parsers/counterparsers.h"
#include "model/snapshot.h"

#include <QFile>

#include <cstdint>
#include <memory>
#include <random>

namespace twbench::test {

inline QByteArray readCaptureFixture(const char *name)
{
    QFile file(QStringLiteral(TWBENCH_TEST_DATA_DIR "/") + QLatin1String(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing test data %s", name);
    return file.readAll();
}

// About 320 counters, as one probe sample of a real kernel gives them.
inline const KernelCounters &realisticCounters()
{
    static const KernelCounters counters = [] {
        KernelCounters out;
        parseSockstat(readCaptureFixture("proc_net_sockstat.txt"), out);
        parseSnmpStyle(readCaptureFixture("proc_net_snmp.txt"), out);
        parseSnmpStyle(readCaptureFixture("proc_net_netstat.txt"), out);
        return out;
    }();
    return counters;
}

inline ProcStat twoCpuProcStat(std::uint64_t second)
{
    ProcStat stat;
    stat.valid = true;
    const auto cpu = [second](int index) {
        CpuTimes times;
        times.cpu = index;
        times.user = 2569 + second * 37 + std::uint64_t(index) * 11;
        times.system = 949 + second * 21;
        times.idle = 46024 + second * 40;
        times.iowait = 25 + second / 7;
        times.softirq = 19 + second * 2;
        times.steal = 2 + second / 60;
        return times;
    };
    stat.all = cpu(0);
    stat.all.cpu = -1;
    stat.perCpu = {cpu(0), cpu(1)};
    stat.contextSwitches = 384714 + second * 5300;
    stat.processesCreated = 1520 + second / 3;
    return stat;
}

// The per-second sample of `second` (counters and CPU only, as most samples are).
inline std::shared_ptr<HostSample> realisticSample(const QString &hostId, std::uint64_t second,
                                                   std::int64_t startMs)
{
    auto sample = std::make_shared<HostSample>();
    sample->hostId = hostId;
    sample->sequence = second;
    sample->epochMs = startMs + std::int64_t(second) * 1000 + std::int64_t(second % 7);
    sample->counters = realisticCounters();
    const auto grow = [&sample](const char *name, std::int64_t perSecond, std::uint64_t at) {
        sample->counters.values[QByteArray(name)] += perSecond * std::int64_t(at);
    };
    grow(counter::ActiveOpens, 180, second);
    grow(counter::PassiveOpens, 175, second);
    grow(counter::TwCreated, 178, second);
    grow("Tcp.InSegs", 2100, second);
    grow("Tcp.OutSegs", 2050, second);
    grow("Ip.InReceives", 2300, second);
    grow("Ip.OutRequests", 2200, second);
    grow("TcpExt.TCPHPHits", 900, second);
    grow("TcpExt.TCPPureAcks", 450, second);
    grow("TcpExt.DelayedACKs", 60, second);
    sample->counters.values[counter::TimeWait] = 1700 + std::int64_t(second % 50);
    sample->procStat = twoCpuProcStat(second);
    sample->onlineCpus = 2;
    sample->limits = KernelLimits::fromHello("32768-60999", "262144", "2");
    return sample;
}

inline IpAddress fixtureV4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d)
{
    return IpAddress::fromV4((std::uint32_t(a) << 24) | (std::uint32_t(b) << 16) |
                             (std::uint32_t(c) << 8) | d);
}

inline IpAddress fixtureV6(std::uint8_t last)
{
    std::array<std::uint8_t, 16> bytes{0x20, 0x01, 0x0d, 0xb8};
    bytes[15] = last;
    return IpAddress::fromV6(bytes);
}

inline constexpr std::uint64_t fixtureHostNetns = 4026531840;
inline constexpr std::uint64_t fixtureApiNetns = 4026532608;
inline constexpr std::uint64_t fixtureDbNetns = 4026532700;

inline std::shared_ptr<NamespaceMap> fixtureNamespaces()
{
    auto map = std::make_shared<NamespaceMap>();
    map->hostNetns = fixtureHostNetns;
    map->containerNetns.insert(QStringLiteral("a1b2c3").repeated(10) + QStringLiteral("d4e5"),
                               fixtureApiNetns);
    map->containerNetns.insert(QStringLiteral("0f9e8d").repeated(10) + QStringLiteral("7c6b"),
                               fixtureDbNetns);
    map->unreadable.insert(fixtureDbNetns);
    return map;
}

// `count` sockets of a proxy host at one moment: listeners on 80/443/22 (IPv4 and IPv6) and an
// API container's 8080, ~8 % ESTABLISHED clients, the rest TIME_WAIT from ephemeral ports to
// two upstreams and a database (the upstream ones from the container's namespace in part, some
// over IPv6). `seed` moves the ephemeral ports, as five seconds later they have moved.
inline std::shared_ptr<Snapshot> realisticTable(const QString &hostId, std::uint64_t sequence,
                                                std::int64_t epochMs, int count, std::uint32_t seed)
{
    auto table = std::make_shared<Snapshot>();
    table->hostId = hostId;
    table->sequence = sequence;
    table->epochMs = epochMs;
    table->source = SocketSource::Ss;
    std::mt19937 random(seed);
    const IpAddress self = fixtureV4(10, 0, 0, 5);
    const IpAddress selfV6 = fixtureV6(5);
    const IpAddress any = IpAddress::fromV4(0);
    const IpAddress anyV6 = IpAddress::fromV6({});
    const IpAddress containerIp = fixtureV4(172, 17, 0, 2);
    const Endpoint upstreams[] = {{fixtureV4(10, 0, 0, 20), 8080},
                                  {fixtureV4(10, 0, 0, 21), 8080},
                                  {fixtureV4(10, 0, 0, 30), 5432}};
    const auto add = [&table](Endpoint local, Endpoint remote, TcpState state,
                              std::uint64_t netns) -> Socket & {
        Socket &socket = table->sockets.emplace_back();
        socket.local = local;
        socket.remote = remote;
        socket.state = state;
        socket.netns = netns;
        return socket;
    };
    for (const std::uint16_t port : {80, 443, 22}) {
        add({any, port}, {any, 0}, TcpState::Listen, 0).receiveQueue = 0;
        add({anyV6, port}, {anyV6, 0}, TcpState::Listen, 0).sendQueue = 511;
    }
    add({containerIp, 8080}, {any, 0}, TcpState::Listen, fixtureApiNetns).sendQueue = 4096;
    Socket &sshd = add({self, 22}, {fixtureV4(192, 168, 1, 10), 50122}, TcpState::Established, 0);
    sshd.pid = 812;
    sshd.uid = 0;
    sshd.inode = 88231;
    table->processNames.insert(812, QStringLiteral("sshd"));
    table->processNames.insert(1044, QStringLiteral("nginx"));

    std::uniform_int_distribution<int> ephemeral(32768, 60999);
    std::uniform_int_distribution<int> percent(0, 99);
    std::uniform_int_distribution<int> clientHost(1, 250);
    while (int(table->sockets.size()) < count) {
        const int roll = percent(random);
        if (roll < 8) {
            Socket &client = add({self, 443},
                                 {fixtureV4(203, 0, 113, std::uint8_t(clientHost(random))),
                                  std::uint16_t(ephemeral(random))},
                                 TcpState::Established, 0);
            client.pid = 1044;
            client.uid = 33;
            client.inode = 100000 + std::uint64_t(random() % 900000);
        } else if (roll < 10) {
            add({selfV6, 443},
                {fixtureV6(std::uint8_t(clientHost(random))), std::uint16_t(ephemeral(random))},
                TcpState::TimeWait, 0);
        } else if (roll < 30) {
            add({containerIp, std::uint16_t(ephemeral(random))}, upstreams[2], TcpState::TimeWait,
                fixtureApiNetns);
        } else {
            const Endpoint &upstream = upstreams[roll % 2];
            add({self, std::uint16_t(ephemeral(random))}, upstream, TcpState::TimeWait, 0);
        }
    }
    table->report.linesRead = count + 1;
    table->report.linesUsed = count;
    table->report.linesSkipped = 1;
    table->finalize();
    return table;
}

} // namespace twbench::test
