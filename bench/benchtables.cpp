#include "benchtables.h"

#include "lab/timewaitlab.h"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

extern char **environ;

namespace twbench::bench {

namespace {

// The kernel keeps at most tcp_max_tw_buckets (131072 here) TIME_WAITs; more would be
// destroyed at once and not be in the table.
constexpr int maxSockets = 120000;

int socketCountFromEnvironment()
{
    const char *text = std::getenv("TWBENCH_BENCH_SOCKETS");
    const int count = text ? std::atoi(text) : 100000;
    return std::clamp(count, 1, maxSockets);
}

qsizetype countLines(const QByteArray &text)
{
    return qsizetype(std::count(text.begin(), text.end(), '\n'));
}

} // namespace

QByteArray runCommand(const QList<QByteArray> &argv)
{
    int pipeFds[2];
    if (::pipe(pipeFds) != 0)
        return {};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipeFds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, pipeFds[0]);
    posix_spawn_file_actions_addclose(&actions, pipeFds[1]);
    std::vector<char *> args;
    for (const QByteArray &arg : argv)
        args.push_back(const_cast<char *>(arg.constData()));
    args.push_back(nullptr);
    pid_t pid = 0;
    const int spawned = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipeFds[1]);
    QByteArray output;
    if (spawned == 0) {
        char buffer[65536];
        for (;;) {
            const ssize_t got = ::read(pipeFds[0], buffer, sizeof buffer);
            if (got <= 0)
                break;
            output.append(buffer, qsizetype(got));
        }
        int status = 0;
        ::waitpid(pid, &status, 0);
    }
    ::close(pipeFds[0]);
    return output;
}

const BenchTables &benchTables()
{
    static const BenchTables tables = [] {
        BenchTables made;
        const int wanted = socketCountFromEnvironment();
        const QByteArray subnet = test::randomLoopbackSubnet();
        // The lab hands out client ports 20000..60999 (41000 of them) round-robin over the
        // client IPs; 7 IPs, coprime with 41000, make (ip, port) repeat only after 287000
        // connections, so no 4-tuple is reused while its TIME_WAIT lives.
        std::vector<QByteArray> clients;
        for (int host = 2; host <= 8; ++host)
            clients.push_back(subnet + QByteArray::number(host));
        // Leaked on purpose: the listener must outlive every benchmark of the run.
        auto *lab = new test::TimeWaitLab(subnet + '1');
        if (!lab->listen()) {
            std::fprintf(stderr, "bench: cannot listen: %s\n", qPrintable(lab->error()));
            std::exit(1);
        }
        const auto started = std::chrono::steady_clock::now();
        made.timeWaitsMade = lab->makeTimeWaits(wanted, clients, std::chrono::seconds(300));
        const auto seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        if (made.timeWaitsMade < wanted) {
            std::fprintf(stderr, "bench: made %d of %d TIME_WAITs: %s\n", made.timeWaitsMade,
                         wanted, qPrintable(lab->error()));
            if (made.timeWaitsMade == 0)
                std::exit(1);
        }
        made.procNetTcp = runCommand({"cat", "/proc/net/tcp"});
        made.ssHtan = runCommand({"ss", "-Htan"});
        made.procLines = std::max<qsizetype>(0, countLines(made.procNetTcp) - 1);
        made.ssLines = countLines(made.ssHtan);
        std::fprintf(
            stderr,
            "bench: made %d TIME_WAITs on %s1:%u in %.1f s; /proc/net/tcp has %lld "
            "lines (%lld bytes), ss -Htan %lld lines (%lld bytes)\n",
            made.timeWaitsMade, subnet.constData(), unsigned(lab->port()), seconds,
            static_cast<long long>(made.procLines), static_cast<long long>(made.procNetTcp.size()),
            static_cast<long long>(made.ssLines), static_cast<long long>(made.ssHtan.size()));
        return made;
    }();
    return tables;
}

} // namespace twbench::bench
