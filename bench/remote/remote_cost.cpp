// twbench_remote_cost: what the probe costs the server it runs on, measured against the kernel's
// own floor on the same sockets.
//
//   twbench_remote_cost [N …]         default 10000 50000 100000 (TWBENCH_REMOTE_SIZES)
//   TWBENCH_REMOTE_ROUNDS=3           rounds per size (each round runs every command once)
//
// For each N it makes N real TIME_WAIT sockets on a random 127.A.B.0/24 (tests/lab: a server
// that closes first, its listener kept open so the endpoint stays a service), then runs, in
// rounds, each command on those same sockets and takes the CPU time (user + system) of its
// whole process tree and the bytes it wrote to stdout:
//   the anchors     cat /proc/net/tcp, ss -Htan, netstat -tn, cat /proc/net/sockstat; also
//                   cat /proc/net/tcp /proc/net/tcp6 (what a full table must read), ss -Htanp
//                   when root (what the probe runs as root), and `sleep 0`, `date` and the
//                   awk that copies snmp, netstat and stat (the processes a sample may start
//                   besides its table: awk on every sample, date once a minute, sleep on every
//                   sample only where there is no vmstat to pace the samples)
//                   processes every sample starts besides its reads)
//   the probe       exactly as the product starts it over SSH: `/bin/sh -s -- PARAMS` with the
//                   script on stdin, once per table source (proc, fold, ss; auto is ss below
//                   10,000 sockets and fold from there), with MAX_SAMPLES so it ends by itself:
//                   three samples with a table each, and four with a table on the first only
//                   (paced by vmstat, and again by sleep).
//
// One sample's CPU, apart from the shell's start-up: each probe runs in a cgroup of its own
// (cgroup v1 cpuacct or v2), whose usage is read the moment each "@@end N" line arrives. Sample
// k's cost is the usage between "@@end k-1" and "@@end k": vmstat's line that paced it (or the
// `sleep`, sleep-paced), its clock, the counters and, on a table sample, the table. Nothing is
// subtracted. Sample 1 holds
// the shell's start-up and hello as well: it is shown apart, beside the whole run from wait4()'s
// rusage (the two agree: the report says how well). Without a cgroup (not root) only whole runs
// are measured.
//
// As root it measures in a network namespace of its own with a TCP hash table of its own (see
// enterOwnNetworkNamespace), a new one for each size: on a shared machine another program's
// TIME_WAITs would otherwise fill the kernel's tcp_max_tw_buckets and lengthen every walk.
//
// Bytes on the wire: a sample's frame as the probe wrote it (the SSH channel's payload; SSH adds
// about 0.2 % of framing and MAC), and the same frame through zlib at level 6 flushed every
// 32 KiB, as OpenSSH's `Compression yes` sends it.
//
// Every loop is bounded in count and time; traffic stays on 127.0.0.0/8.

#include "lab/timewaitlab.h"
#include "model/tcpstate.h"
#include "remote/framereader.h"
#include "remote/probeparameters.h"
#include "remote/samplebuilder.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QSysInfo>

#include <zlib.h>

#include <cerrno>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

extern char **environ;

using namespace twbench;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

// ---------------------------------------------------------------------------------------------
// A cgroup of the bench's own, to read a process tree's CPU use at any moment (wait4's rusage
// gives it only once the tree has ended). cpuacct.usage (v1, ns) or cpu.stat usage_usec (v2).

class CpuGroup
{
public:
    CpuGroup() = default;
    CpuGroup(const CpuGroup &) = delete;
    CpuGroup &operator=(const CpuGroup &) = delete;
    ~CpuGroup()
    {
        // Empty by then: every process the bench put in it has been waited for.
        if (!m_dir.empty())
            ::rmdir(m_dir.c_str());
    }

    bool create()
    {
        const std::string name = "twbench-remote-cost-" + std::to_string(::getpid());
        for (const char *root : {"/sys/fs/cgroup/cpuacct", "/sys/fs/cgroup/cpu,cpuacct"}) {
            const std::string dir = std::string(root) + '/' + name;
            if (access((std::string(root) + "/cpuacct.usage").c_str(), R_OK) == 0 &&
                ::mkdir(dir.c_str(), 0755) == 0) {
                m_dir = dir;
                m_v2 = false;
                return true;
            }
        }
        for (const char *root : {"/sys/fs/cgroup", "/sys/fs/cgroup/unified"}) {
            const std::string dir = std::string(root) + '/' + name;
            if (access((std::string(root) + "/cgroup.controllers").c_str(), R_OK) == 0 &&
                ::mkdir(dir.c_str(), 0755) == 0) {
                m_dir = dir;
                m_v2 = true;
                return true;
            }
        }
        return false;
    }
    bool valid() const { return !m_dir.empty(); }
    std::string describe() const
    {
        return m_dir.empty() ? std::string("none") : (m_v2 ? "v2 " : "v1 cpuacct ") + m_dir;
    }
    // The file a child writes "0" into (itself) between fork and exec.
    std::string procsFile() const { return m_dir + "/cgroup.procs"; }

    struct Usage
    {
        std::int64_t totalNs = -1;
        std::int64_t userNs = -1; // -1: this kernel does not split it
        std::int64_t systemNs = -1;
    };

    Usage usage() const
    {
        Usage usage;
        if (m_v2) {
            const std::string text = readSmall(m_dir + "/cpu.stat");
            usage.totalNs = fieldOf(text, "usage_usec") * 1000;
            usage.userNs = fieldOf(text, "user_usec") * 1000;
            usage.systemNs = fieldOf(text, "system_usec") * 1000;
            return usage;
        }
        usage.totalNs = std::atoll(readSmall(m_dir + "/cpuacct.usage").c_str());
        const std::string user = readSmall(m_dir + "/cpuacct.usage_user");
        const std::string system = readSmall(m_dir + "/cpuacct.usage_sys");
        if (!user.empty() && !system.empty()) {
            usage.userNs = std::atoll(user.c_str());
            usage.systemNs = std::atoll(system.c_str());
        }
        return usage;
    }

private:
    static std::string readSmall(const std::string &path)
    {
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return {};
        char buffer[4096];
        const ssize_t got = ::read(fd, buffer, sizeof buffer - 1);
        ::close(fd);
        return got > 0 ? std::string(buffer, std::size_t(got)) : std::string();
    }
    static std::int64_t fieldOf(const std::string &text, const char *key)
    {
        const std::string needle = std::string(key) + ' ';
        const std::size_t at = text.find(needle);
        return at == std::string::npos ? -1 : std::atoll(text.c_str() + at + needle.size());
    }

    std::string m_dir;
    bool m_v2 = false;
};

// ---------------------------------------------------------------------------------------------
// Running one command.

// One sample as it arrived: where its frame starts and ends in stdout, and the cgroup's usage
// when its last line ("@@end N") arrived. (Its first line can arrive in the same read as the
// last: the usage then cannot be split at the frame's start.)
struct SampleMark
{
    std::uint64_t sequence = 0;
    qsizetype frameStart = 0;
    qsizetype frameEnd = 0; // just after the "@@end" line
    CpuGroup::Usage endUsage;
};

struct Run
{
    bool ok = false;
    int exitStatus = -1;
    double userMs = 0; // wait4's rusage of the whole tree
    double systemMs = 0;
    double cpuMs() const { return userMs + systemMs; }
    QByteArray output;
    QByteArray errors;
    CpuGroup::Usage startUsage;
    std::vector<SampleMark> samples; // complete ones only
};

double msOf(const timeval &tv)
{
    return double(tv.tv_sec) * 1000.0 + double(tv.tv_usec) / 1000.0;
}

// A memfd holding `bytes`, rewound: the probe's stdin, as sshd would feed it.
int memoryFile(const QByteArray &bytes)
{
    const int fd = ::memfd_create("twbench-stdin", MFD_CLOEXEC);
    if (fd < 0)
        return -1;
    qsizetype written = 0;
    while (written < bytes.size()) {
        const ssize_t n =
            ::write(fd, bytes.constData() + written, std::size_t(bytes.size() - written));
        if (n <= 0) {
            ::close(fd);
            return -1;
        }
        written += n;
    }
    ::lseek(fd, 0, SEEK_SET);
    return fd;
}

// fork/exec argv with stdin from `stdinBytes`, stdout read here, stderr kept. The child joins
// `group` before exec, so everything it starts is counted there too. Bounded by `timeout`: a
// command still running then is killed and the run marked failed.
Run runCommand(const std::vector<std::string> &argv, const QByteArray &stdinBytes,
               const CpuGroup *group, std::chrono::milliseconds timeout)
{
    Run run;
    int out[2];
    int err[2];
    if (::pipe2(out, O_CLOEXEC) != 0)
        return run;
    if (::pipe2(err, O_CLOEXEC) != 0) {
        ::close(out[0]);
        ::close(out[1]);
        return run;
    }
    const int in = memoryFile(stdinBytes);
    std::vector<char *> args;
    for (const std::string &arg : argv)
        args.push_back(const_cast<char *>(arg.c_str()));
    args.push_back(nullptr);
    const std::string procs = group && group->valid() ? group->procsFile() : std::string();
    if (group && group->valid())
        run.startUsage = group->usage();

    pid_t pid = -1;
    if (procs.empty()) {
        // posix_spawn (a vfork): the child never copies this process's memory, so what it
        // costs is the command's own exec and work, as when a small shell starts it.
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, in, STDIN_FILENO);
        posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
        posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
        posix_spawnattr_t attributes;
        posix_spawnattr_init(&attributes);
        posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
        if (::posix_spawnp(&pid, args[0], &actions, &attributes, args.data(), environ) != 0)
            pid = -1;
        posix_spawnattr_destroy(&attributes);
        posix_spawn_file_actions_destroy(&actions);
    } else {
        // fork, so the child can join the cgroup before it execs: everything it starts is
        // counted there. The child's share of the fork (its exec dropping a copy of this
        // process's page tables) lands in sample 1 and the whole run, not in samples 2 on.
        pid = ::fork();
        if (pid == 0) {
            const int fd = ::open(procs.c_str(), O_WRONLY | O_CLOEXEC);
            if (fd < 0 || ::write(fd, "0", 1) != 1)
                ::_exit(126);
            ::close(fd);
            // Its own process group, so a timeout ends everything it started.
            ::setpgid(0, 0);
            ::dup2(in, STDIN_FILENO);
            ::dup2(out[1], STDOUT_FILENO);
            ::dup2(err[1], STDERR_FILENO);
            ::execvp(args[0], args.data());
            ::_exit(127);
        }
    }
    ::close(out[1]);
    ::close(err[1]);
    if (in >= 0)
        ::close(in);
    if (pid < 0) {
        ::close(out[0]);
        ::close(err[0]);
        return run;
    }
    // stderr is small (the probe writes none when all is well): read it after, unless it
    // fills its pipe, which the non-blocking drain below prevents.
    ::fcntl(err[0], F_SETFL, O_NONBLOCK);
    const auto deadline = Clock::now() + timeout;
    std::vector<char> buffer(1 << 16);
    qsizetype lineStart = 0;
    SampleMark open;
    bool killed = false;
    for (;;) {
        const ssize_t got = ::read(out[0], buffer.data(), buffer.size());
        if (got <= 0)
            break;
        const qsizetype before = run.output.size();
        run.output.append(buffer.data(), qsizetype(got));
        // "@@end N" lines, as they arrive: the moment to read the cgroup.
        for (qsizetype i = before; i < run.output.size(); ++i) {
            if (run.output[i] != '\n')
                continue;
            const QByteArrayView line(run.output.constData() + lineStart, i - lineStart);
            if (line.startsWith("@@twbench sample ")) {
                open = SampleMark{};
                open.frameStart = lineStart;
            } else if (line.startsWith("@@end ")) {
                open.sequence = line.sliced(6).toULongLong();
                open.frameEnd = i + 1;
                if (group && group->valid())
                    open.endUsage = group->usage();
                run.samples.push_back(open);
            }
            lineStart = i + 1;
        }
        char drain[4096];
        for (ssize_t e; (e = ::read(err[0], drain, sizeof drain)) > 0;)
            run.errors.append(drain, qsizetype(e));
        if (Clock::now() > deadline) {
            ::kill(-pid, SIGKILL);
            killed = true;
            break;
        }
    }
    int status = 0;
    rusage usage{};
    ::wait4(pid, &status, 0, &usage);
    char drain[4096];
    for (ssize_t e; (e = ::read(err[0], drain, sizeof drain)) > 0;)
        run.errors.append(drain, qsizetype(e));
    ::close(out[0]);
    ::close(err[0]);
    run.userMs = msOf(usage.ru_utime);
    run.systemMs = msOf(usage.ru_stime);
    run.exitStatus = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.ok = !killed && run.exitStatus == 0;
    return run;
}

// ---------------------------------------------------------------------------------------------
// Figures.

double median(std::vector<double> values)
{
    if (values.empty())
        return -1;
    std::sort(values.begin(), values.end());
    const std::size_t middle = values.size() / 2;
    return values.size() % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

// zlib level 6, a partial flush every 32 KiB of input: OpenSSH's compression of a channel's
// data, one fresh stream per sample (the real stream keeps its dictionary: a little smaller).
qsizetype sshCompressedSize(QByteArrayView data)
{
    z_stream stream{};
    if (deflateInit(&stream, 6) != Z_OK)
        return -1;
    std::vector<unsigned char> out(1 << 17);
    qsizetype total = 0;
    constexpr qsizetype packet = 32 * 1024;
    for (qsizetype at = 0; at < data.size(); at += packet) {
        const qsizetype size = std::min(packet, data.size() - at);
        stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data() + at));
        stream.avail_in = uInt(size);
        do {
            stream.next_out = out.data();
            stream.avail_out = uInt(out.size());
            deflate(&stream, Z_PARTIAL_FLUSH);
            total += qsizetype(out.size() - stream.avail_out);
        } while (stream.avail_out == 0);
    }
    deflateEnd(&stream);
    return total;
}

// One figure's measurements; a negative value is "not measured" and left out.
struct Series
{
    std::vector<double> cpuMs;
    std::vector<double> userMs; // wait4's split (the kernel's tick sampling, scaled)
    std::vector<double> systemMs;
    std::vector<double> bytes;
    std::vector<double> compressed;

    static void put(std::vector<double> &into, double value)
    {
        if (value >= 0)
            into.push_back(value);
    }
    void add(double cpu, double user, double system, double byteCount, double compressedBytes)
    {
        put(cpuMs, cpu);
        if (user >= 0 && system >= 0) {
            userMs.push_back(user);
            systemMs.push_back(system);
        }
        put(bytes, byteCount);
        put(compressed, compressedBytes);
    }
    bool empty() const { return cpuMs.empty(); }
};

// The lines of /proc/net/tcp text in TIME_WAIT on `localKey` ("0101A87F:1F90"): how many of
// the bench's sockets a read saw.
int timeWaitsOn(QByteArrayView text, QByteArrayView localKey)
{
    int count = 0;
    qsizetype start = 0;
    while (start < text.size()) {
        qsizetype end = text.indexOf('\n', start);
        if (end < 0)
            end = text.size();
        const QByteArrayView line = text.sliced(start, end - start);
        const qsizetype colon = line.indexOf(':');
        if (colon >= 0 && line.size() > colon + 32 && line.sliced(colon + 2, 13) == localKey &&
            line.sliced(colon + 30, 2) == "06")
            ++count;
        start = end + 1;
    }
    return count;
}

QByteArray procKeyOf(const QByteArray &ip, std::uint16_t port)
{
    // The kernel prints the address as a native u32: on little-endian machines the octets come
    // out reversed.
    const QList<QByteArray> octets = ip.split('.');
    std::uint32_t value = 0;
    for (int i = 3; i >= 0; --i)
        value = (value << 8) | std::uint32_t(octets.value(i).toUInt());
    char key[32];
    std::snprintf(key, sizeof key, "%08X:%04X", value, unsigned(port));
    return key;
}

std::int64_t sockstatTimeWaits()
{
    FILE *file = std::fopen("/proc/net/sockstat", "re");
    if (!file)
        return -1;
    char line[512];
    std::int64_t tw = -1;
    while (std::fgets(line, sizeof line, file)) {
        if (const char *at = std::strstr(line, " tw "); at && std::strncmp(line, "TCP:", 4) == 0)
            tw = std::atoll(at + 4);
    }
    std::fclose(file);
    return tw;
}

std::string resolvedPath(const char *path)
{
    char resolved[PATH_MAX];
    return ::realpath(path, resolved) ? std::string(resolved) : std::string(path);
}

std::int64_t readNumber(const char *path)
{
    FILE *file = std::fopen(path, "re");
    if (!file)
        return -1;
    long long value = -1;
    if (std::fscanf(file, "%lld", &value) != 1)
        value = -1;
    std::fclose(file);
    return value;
}

// ---------------------------------------------------------------------------------------------
// One size.

struct ProbeSource
{
    const char *word; // the probe's TABLE_SOURCE
    const char *label;
    bool sleepPaced = false; // TWBENCH_PACING=sleep: the fallback where there is no vmstat
};

struct SizeResult
{
    int sockets = 0;
    int seenMin = -1; // the bench's TIME_WAITs that the reads saw, lowest and highest
    int seenMax = -1;
    qsizetype linesMin = -1; // data lines of `cat /proc/net/tcp`: the whole table, others' too
    qsizetype linesMax = -1;
    int rounds = 0; // completed before the sockets began to expire
    std::map<std::string, Series> anchors;
    std::map<std::string, Series> wholeRuns;   // each probe run from start to exit (wait4)
    std::map<std::string, Series> firstSample; // sample 1 by cgroup: start-up + hello + table
    std::map<std::string, Series> fullSample;
    std::map<std::string, Series> countersSample;
    std::map<std::string, std::string> tableSections; // which section a source's table came in
    std::map<std::string, int> decodedMin;            // TIME_WAITs SampleBuilder found, lowest
    std::vector<double> cgroupVsWait4; // per run: the cgroup's samples summed / wait4's total
    std::string failures;
};

void noteSeen(SizeResult &result, int seen)
{
    result.seenMin = result.seenMin < 0 ? seen : std::min(result.seenMin, seen);
    result.seenMax = std::max(result.seenMax, seen);
}

bool frameHasTable(QByteArrayView frame)
{
    return frame.contains("\n@@section ss\n") || frame.contains("\n@@section proc_tcp\n");
}

std::string tableSectionsOf(QByteArrayView frame)
{
    std::string names;
    for (const char *name : {"ss", "proc_tcp", "proc_tcp6", "proc_tcp_tw", "proc_tcp6_tw"}) {
        if (frame.contains(QByteArray(QByteArray("\n@@section ") + name + '\n')))
            names += std::string(names.empty() ? "" : "+") + name;
    }
    return names;
}

// TIME_WAITs on `listening` in a sample as SampleBuilder builds it: what the views would get.
int decodedTimeWaits(const Run &run, const Endpoint &listening, std::uint64_t sequence)
{
    FrameReader reader;
    reader.feed(run.output);
    reader.finish();
    const std::optional<ProbeHello> hello = reader.takeHello();
    if (!hello)
        return -1;
    SampleBuilder builder(QStringLiteral("bench"));
    builder.setHello(*hello);
    for (const ProbeFrame &frame : reader.takeFrames()) {
        if (frame.sequence != sequence)
            continue;
        const HostSamplePtr sample = builder.build(frame);
        if (!sample->table)
            return -1;
        int count = 0;
        for (const Socket &socket : sample->table->sockets)
            count += socket.state == TcpState::TimeWait && socket.local == listening;
        return count;
    }
    return -1;
}

SizeResult measureSize(int wanted, int rounds, const CpuGroup &group, const QByteArray &script)
{
    SizeResult result;
    const QByteArray subnet = test::randomLoopbackSubnet();
    test::TimeWaitLab lab(subnet + '1');
    if (!lab.listen()) {
        result.failures = "cannot listen: " + lab.error().toStdString();
        return result;
    }
    // 7 client addresses, coprime with the lab's 41,000 client ports: no 4-tuple repeats
    // within 287,000 connections (bench/benchtables.cpp).
    std::vector<QByteArray> clients;
    for (int host = 2; host <= 8; ++host)
        clients.push_back(subnet + QByteArray::number(host));
    const auto started = Clock::now();
    result.sockets = lab.makeTimeWaits(wanted, clients, 40s);
    const double makeSeconds = std::chrono::duration<double>(Clock::now() - started).count();
    std::fprintf(stderr, "remote-cost: made %d of %d TIME_WAITs on %s1:%u in %.1f s\n",
                 result.sockets, wanted, subnet.constData(), unsigned(lab.port()), makeSeconds);
    if (result.sockets < wanted)
        result.failures =
            "made only " + std::to_string(result.sockets) + ": " + lab.error().toStdString();
    const QByteArray localKey = procKeyOf(lab.serverIp(), lab.port());
    const Endpoint listening{*IpAddress::parse(lab.serverIp()), lab.port()};
    const bool root = ::geteuid() == 0;

    struct Anchor
    {
        const char *label;
        std::vector<std::string> argv;
    };
    std::vector<Anchor> anchors{
        {"cat /proc/net/tcp", {"cat", "/proc/net/tcp"}},
        // What a full sample must read: tcp6 is a second walk of the
        // whole table (IPv4 and IPv6 share it), whatever it holds.
        {"cat /proc/net/tcp /proc/net/tcp6", {"cat", "/proc/net/tcp", "/proc/net/tcp6"}},
        {"ss -Htan", {"ss", "-Htan"}},
        {"netstat -tn", {"netstat", "-tn"}},
        {"cat /proc/net/sockstat", {"cat", "/proc/net/sockstat"}}};
    if (root)
        anchors.push_back({"ss -Htanp", {"ss", "-Htanp"}});
    // Not anchors: the two processes every sample of the probe starts besides its reads, for
    // the profile of a counters-only sample.
    anchors.push_back({"sleep 0", {"sleep", "0"}});
    anchors.push_back({"date +%s%N", {"date", "+%s%N"}});
    anchors.push_back({"awk: snmp netstat stat",
                       {"awk", "{ print }", "/proc/net/snmp", "/proc/net/netstat", "/proc/stat"}});
    const std::vector<ProbeSource> sources{{"proc", "proc"}, {"fold", "fold"}, {"ss", "ss"}};

    int lastSeen = result.sockets;
    const auto measureAnchors = [&] {
        for (const Anchor &anchor : anchors) {
            const Run run = runCommand(anchor.argv, {}, nullptr, 60s);
            if (!run.ok) {
                result.failures += std::string(anchor.label) + " failed; ";
                continue;
            }
            if (anchor.argv.size() == 2 && anchor.argv[1] == "/proc/net/tcp") {
                const int seen = timeWaitsOn(run.output, localKey);
                noteSeen(result, seen);
                lastSeen = seen;
                const qsizetype lines = std::max<qsizetype>(0, run.output.count('\n') - 1);
                result.linesMin = result.linesMin < 0 ? lines : std::min(result.linesMin, lines);
                result.linesMax = std::max(result.linesMax, lines);
            }
            result.anchors[anchor.label].add(run.cpuMs(), run.userMs, run.systemMs,
                                             double(run.output.size()),
                                             double(sshCompressedSize(run.output)));
        }
    };

    // The probe as SshTransport starts it: `/bin/sh -s -- COUNTER_SEC TABLE_SEC MAX_SAMPLES
    // TABLE_SOURCE TABLE_MAX_SEC DOCKER_SEC PRIVILEGE` with the script on stdin; docker off.
    const auto measureProbe = [&](const ProbeSource &source, int tableSec, int samples) {
        const std::vector<std::string> argv{"/bin/sh",
                                            "-s",
                                            "--",
                                            "1",
                                            std::to_string(tableSec),
                                            std::to_string(samples),
                                            source.word,
                                            std::to_string(tableSec),
                                            "0",
                                            "user"};
        if (source.sleepPaced)
            qputenv("TWBENCH_PACING", "sleep");
        const Run run = runCommand(argv, script, &group, 120s);
        qunsetenv("TWBENCH_PACING");
        if (!run.ok || run.samples.size() != std::size_t(samples)) {
            result.failures += std::string("probe ") + source.word +
                               " failed: " + run.errors.left(200).toStdString() + "; ";
            return;
        }
        result.wholeRuns[source.label].add(run.cpuMs(), run.userMs, run.systemMs,
                                           double(run.output.size()), -1);
        if (!group.valid())
            return;
        CpuGroup::Usage previous = run.startUsage;
        double sumMs = 0;
        for (const SampleMark &mark : run.samples) {
            const QByteArrayView frame(run.output.constData() + mark.frameStart,
                                       mark.frameEnd - mark.frameStart);
            const double cpu = double(mark.endUsage.totalNs - previous.totalNs) / 1e6;
            sumMs += cpu;
            const double compressed = double(sshCompressedSize(frame));
            const bool table = frameHasTable(frame);
            std::map<std::string, Series> &into =
                mark.sequence == 1 ? result.firstSample
                                   : (table ? result.fullSample : result.countersSample);
            into[source.label].add(cpu, -1, -1, double(frame.size()), compressed);
            if (table) {
                result.tableSections[source.label] = tableSectionsOf(frame);
                const int decoded = decodedTimeWaits(run, listening, mark.sequence);
                auto [it, inserted] = result.decodedMin.try_emplace(source.label, decoded);
                if (!inserted)
                    it->second = std::min(it->second, decoded);
            }
            previous = mark.endUsage;
        }
        // The cgroup and wait4 count the same processes: a check on the method.
        result.cgroupVsWait4.push_back(sumMs / std::max(run.cpuMs(), 0.001));
    };

    // TIME_WAITs last 60 s: a round that starts with fewer than 98 % of them (a machine so busy
    // that rounds take long) ends the measuring; the report says how many rounds there were.
    const auto deadline = started + 55s;
    for (int round = 0; round < rounds && Clock::now() < deadline; ++round) {
        measureAnchors();
        if (lastSeen < result.sockets * 98 / 100)
            break;
        // Three samples, each with a table (TABLE_SEC 1, capped at 1): samples 2 and 3 are
        // full samples on their own.
        for (const ProbeSource &source : sources)
            measureProbe(source, 1, 3);
        // A table on sample 1 only (TABLE_SEC 3600): samples 2 to 4 are counters-only.
        measureProbe({"proc", "counters"}, 3600, 4);
        measureProbe({"proc", "counters, sleep-paced", true}, 3600, 4);
        ++result.rounds;
    }
    return result;
}

// ---------------------------------------------------------------------------------------------
// The report.

std::string formatMs(double ms)
{
    char text[32];
    std::snprintf(text, sizeof text, ms < 10 ? "%.2f" : "%.1f", ms);
    return text;
}

std::string formatBytes(double bytes)
{
    char text[32];
    if (bytes >= 1e6)
        std::snprintf(text, sizeof text, "%.2f MB", bytes / 1e6);
    else if (bytes >= 1e4)
        std::snprintf(text, sizeof text, "%.0f kB", bytes / 1e3);
    else
        std::snprintf(text, sizeof text, "%.0f B", bytes);
    return text;
}

std::string ratio(double value, double anchor)
{
    if (value < 0 || anchor <= 0)
        return "–";
    char text[32];
    std::snprintf(text, sizeof text, "%.2f×", value / anchor);
    return text;
}

void printSize(const SizeResult &result, bool root)
{
    const auto anchorMs = [&](const char *label) {
        const auto it = result.anchors.find(label);
        return it == result.anchors.end() ? -1.0 : median(it->second.cpuMs);
    };
    const double cat = anchorMs("cat /proc/net/tcp");
    const double netstat = anchorMs("netstat -tn");
    const double sockstat = anchorMs("cat /proc/net/sockstat");
    std::printf("\n### %d TIME_WAIT sockets\n\n%d rounds; `cat /proc/net/tcp` saw %d–%d of the "
                "bench's sockets in a table of %lld–%lld sockets (other programs' included); "
                "auto reads this table %s.\n\n",
                result.sockets, result.rounds, result.seenMin, result.seenMax,
                static_cast<long long>(result.linesMin), static_cast<long long>(result.linesMax),
                result.linesMin >= 10000 ? "folded (10,000 sockets or more)" : "with ss");
    std::printf("| what | CPU ms | bytes | compressed | × cat tcp | × netstat | × cat sockstat "
                "|\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    const auto row = [&](const std::string &label, const Series &series) {
        if (series.empty())
            return;
        const double ms = median(series.cpuMs);
        std::string cpu = formatMs(ms);
        if (!series.userMs.empty())
            cpu += " (" + formatMs(median(series.userMs)) + " u + " +
                   formatMs(median(series.systemMs)) + " s)";
        std::printf(
            "| %s | %s | %s | %s | %s | %s | %s |\n", label.c_str(), cpu.c_str(),
            series.bytes.empty() ? "–" : formatBytes(median(series.bytes)).c_str(),
            series.compressed.empty() ? "–" : formatBytes(median(series.compressed)).c_str(),
            ratio(ms, cat).c_str(), ratio(ms, netstat).c_str(), ratio(ms, sockstat).c_str());
    };
    for (const char *label : {"cat /proc/net/tcp", "cat /proc/net/tcp /proc/net/tcp6", "ss -Htan",
                              "netstat -tn", "cat /proc/net/sockstat", "ss -Htanp"}) {
        if (const auto it = result.anchors.find(label); it != result.anchors.end())
            row(std::string("anchor `") + label + '`', it->second);
    }
    for (const auto &[label, series] : result.fullSample) {
        const auto sections = result.tableSections.find(label);
        const auto decoded = result.decodedMin.find(label);
        row("probe " + label + ": full sample (" +
                (sections == result.tableSections.end() ? std::string("?") : sections->second) +
                "; " + std::to_string(decoded == result.decodedMin.end() ? -1 : decoded->second) +
                " TW decoded)" + (label == "ss" && root ? " [root: ss -Htanp]" : ""),
            series);
    }
    for (const auto &[label, series] : result.countersSample)
        row("probe " + label + ": counters-only sample", series);
    for (const char *label : {"sleep 0", "date +%s%N", "awk: snmp netstat stat"}) {
        if (const auto it = result.anchors.find(label); it != result.anchors.end())
            row(std::string("component `") + label + '`', it->second);
    }
    for (const auto &[label, series] : result.firstSample)
        row("probe " + label + ": sample 1 (start-up + hello + table)", series);
    for (const auto &[label, series] : result.wholeRuns)
        row("probe " + label + ": whole run, start to exit (wait4)", series);
    if (!result.cgroupVsWait4.empty())
        std::printf("\nThe cgroup's samples add up to %.3f× (median) of wait4's whole run.\n",
                    median(result.cgroupVsWait4));
    if (!result.failures.empty())
        std::printf("\nfailures: %s\n", result.failures.c_str());
    std::fflush(stdout);
}

// Before a size: the TIME_WAITs already there (the last size's, or another program's) make
// the table bigger than the bench's and, past tcp_max_tw_buckets, keep new ones from being
// made. Waits (at most 75 s: they last 60 s) until they are under 5 % of `wanted`.
void waitForQuietTable(int wanted)
{
    const std::int64_t buckets = readNumber("/proc/sys/net/ipv4/tcp_max_tw_buckets");
    const auto deadline = Clock::now() + 75s;
    bool said = false;
    while (Clock::now() < deadline) {
        const std::int64_t tw = sockstatTimeWaits();
        if (tw < 0 || tw <= std::max(500, wanted / 20))
            return;
        if (!said)
            std::fprintf(stderr,
                         "remote-cost: %lld TIME_WAITs already there; waiting for them "
                         "to expire\n",
                         static_cast<long long>(tw));
        said = true;
        std::this_thread::sleep_for(1s);
    }
    const std::int64_t tw = sockstatTimeWaits();
    if (buckets > 0 && tw + wanted > buckets)
        std::fprintf(stderr,
                     "remote-cost: %lld TIME_WAITs still there: the kernel keeps at most "
                     "%lld, so not all %d can be made\n",
                     static_cast<long long>(tw), static_cast<long long>(buckets), wanted);
}

// A network namespace of the bench's own, with its own TCP hash table of the machine's size:
// other programs' sockets (another bench's 100k TIME_WAITs on this shared machine) then neither
// fill its tcp_max_tw_buckets nor lengthen its walks of /proc/net/tcp, and its table holds the
// bench's sockets only. tcp_child_ehash_entries is the machine's setting for namespaces made
// after it: set for the unshare() only, and put back through the file opened before it (a
// /proc/sys/net file belongs to the namespace it was opened in). Returns what it did.
std::string enterOwnNetworkNamespace()
{
    if (const char *shared = std::getenv("TWBENCH_REMOTE_SHARED_NETNS"); shared && *shared == '1')
        return "the machine's (TWBENCH_REMOTE_SHARED_NETNS=1)";
    const std::int64_t entries = readNumber("/proc/sys/net/ipv4/tcp_ehash_entries");
    const std::int64_t previous = readNumber("/proc/sys/net/ipv4/tcp_child_ehash_entries");
    const int child = ::open("/proc/sys/net/ipv4/tcp_child_ehash_entries", O_WRONLY | O_CLOEXEC);
    if (entries <= 0 || previous < 0 || child < 0) {
        if (child >= 0)
            ::close(child);
        return "the machine's (no namespace of its own: not root, or a kernel before 6.1)";
    }
    const auto writeValue = [child](std::int64_t value) {
        const std::string text = std::to_string(value) + '\n';
        ::lseek(child, 0, SEEK_SET);
        return ::write(child, text.data(), text.size()) == ssize_t(text.size());
    };
    const bool sized = writeValue(entries);
    const bool entered = ::unshare(CLONE_NEWNET) == 0;
    writeValue(previous);
    ::close(child);
    if (!entered)
        return "the machine's (unshare failed: " + std::string(std::strerror(errno)) + ")";
    // A new namespace's loopback starts down.
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ifreq request{};
    std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
    const bool up = fd >= 0 && ::ioctl(fd, SIOCGIFFLAGS, &request) == 0 &&
                    (request.ifr_flags |= IFF_UP, ::ioctl(fd, SIOCSIFFLAGS, &request) == 0);
    if (fd >= 0)
        ::close(fd);
    if (!up) {
        std::fprintf(stderr, "remote-cost: cannot bring up lo in a new namespace\n");
        std::exit(1);
    }
    const std::int64_t own = readNumber("/proc/sys/net/ipv4/tcp_ehash_entries");
    return "its own, " +
           (sized && own > 0 ? "with its own TCP hash table of " + std::to_string(own) + " buckets"
                             : std::string("sharing the machine's TCP hash table")) +
           ", tcp_max_tw_buckets " +
           std::to_string(readNumber("/proc/sys/net/ipv4/tcp_max_tw_buckets"));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv); // the probe script is a Qt resource
    std::vector<int> sizes;
    for (int i = 1; i < argc; ++i)
        sizes.push_back(std::atoi(argv[i]));
    if (sizes.empty()) {
        const char *env = std::getenv("TWBENCH_REMOTE_SIZES");
        const QList<QByteArray> words =
            QByteArray(env ? env : "10000 50000 100000").simplified().split(' ');
        for (const QByteArray &word : words)
            sizes.push_back(word.toInt());
    }
    // A new namespace for each size: the last size's TIME_WAITs go with the old one, instead of
    // filling the table for a minute.
    std::string netns = enterOwnNetworkNamespace();
    const std::int64_t buckets = readNumber("/proc/sys/net/ipv4/tcp_max_tw_buckets");
    for (int &size : sizes)
        size = std::clamp(size, 1, buckets > 10000 ? int(buckets - 8000) : 120000);
    const char *roundsText = std::getenv("TWBENCH_REMOTE_ROUNDS");
    const int rounds = std::clamp(roundsText ? std::atoi(roundsText) : 3, 1, 20);

    const QByteArray script = probeScript();
    if (script.isEmpty()) {
        std::fprintf(stderr, "remote-cost: the probe script is missing from this build\n");
        return 1;
    }
    CpuGroup group;
    if (!group.create())
        std::fprintf(stderr, "remote-cost: no cgroup of its own (needs root): whole runs only\n");
    const bool root = ::geteuid() == 0;
    std::printf("## Remote cost: the probe against the kernel's floor\n\n"
                "%ld CPUs, kernel %s, /bin/sh → %s, awk → %s, cgroup %s, %d rounds, %s\n",
                sysconf(_SC_NPROCESSORS_ONLN), QSysInfo::kernelVersion().toLatin1().constData(),
                resolvedPath("/bin/sh").c_str(), resolvedPath("/usr/bin/awk").c_str(),
                group.describe().c_str(), rounds, root ? "as root" : "not root");
    for (const int size : sizes) {
        if (size != sizes.front())
            netns = enterOwnNetworkNamespace();
        std::printf("\nNetwork namespace: %s.\n", netns.c_str());
        waitForQuietTable(size);
        const SizeResult result = measureSize(size, rounds, group, script);
        printSize(result, root);
    }
    return 0;
}
