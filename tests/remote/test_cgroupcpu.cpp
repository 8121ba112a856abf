// Containers' CPU use from their cgroups, through the real probe (resources/probe.sh) and
// SampleBuilder. The stand-in docker CLI (tests/data/docker/fake-docker) answers in docker's own
// format; the cgroup trees are either laid out in a temporary folder the probe is pointed at
// (TWBENCH_CGROUP_ROOT, TWBENCH_PROC_ROOT: a test cannot write /sys/fs/cgroup or /proc/<pid>
// without root), with the kernel's file formats, or, as root, this machine's own /sys/fs/cgroup
// with a real busy process in a cgroup made for it.
#include "proberun.h"
#include "remotetestutil.h"

#include "lab/scopedenv.h"

#include "model/cgroupcpu.h"
#include "remote/framereader.h"
#include "remote/samplebuilder.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <unistd.h>

#include <iostream>
#include <ostream>

using namespace twbench;
using twbench::test::ProbeRun;
using twbench::test::runProbe;
using twbench::test::ScopedEnv;
using twbench::test::waitUntil;

// Readable parameter values in test names and failure messages.
QT_BEGIN_NAMESPACE
inline void PrintTo(const QStringList &list, std::ostream *os)
{
    *os << list.join(QLatin1Char(' ')).toStdString();
}
QT_END_NAMESPACE

namespace {

// A 64-hex container id, stable per name.
QByteArray idOf(const char *name)
{
    return QCryptographicHash::hash(name, QCryptographicHash::Sha256).toHex();
}

QString issuesText(const HostSample &sample)
{
    QString text;
    for (const SourceIssue &issue : sample.issues)
        text += issue.source + QStringLiteral(": ") + issue.message + QLatin1Char('\n');
    return text;
}

bool writeFile(const QString &path, const QByteArray &text)
{
    if (!QDir().mkpath(QFileInfo(path).path()))
        return false;
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(text) == text.size();
}

// cgroup v2 cpu.stat as the kernel prints it for a container with the cpu controller on.
QByteArray cpuStat(std::uint64_t usageUsec)
{
    return "usage_usec " + QByteArray::number(usageUsec) + "\nuser_usec " +
           QByteArray::number(usageUsec * 3 / 4) + "\nsystem_usec " +
           QByteArray::number(usageUsec / 4) +
           "\nnice_usec 0\ncore_sched.force_idle_usec 0\nnr_periods 0\nnr_throttled 0\n"
           "throttled_usec 0\nnr_bursts 0\nburst_usec 0\n";
}

// cgroup v1 cpuacct.usage: nanoseconds, one number.
QByteArray cpuacctUsage(std::uint64_t usageNs)
{
    return QByteArray::number(usageNs) + '\n';
}

// A folder with a copy of the stand-in docker and one `docker inspect` fixture per container,
// made from a real one so the format stays docker's own: running, with State.Pid `pid`.
class FakeDocker
{
public:
    bool add(const QByteArray &id, qint64 pid)
    {
        const QByteArray original =
            test::readTestData(QStringLiteral("docker/inspect_bridge_published.json"));
        const QByteArray oldId = "0f1ba2ec2410a25bdaf30acf002fa4245f0a15c2f3b0a307bd080752ca748dde";
        if (!original.contains(oldId) || !original.contains("\"Pid\": 4211,") ||
            !original.contains("\"Name\": \"/edge-proxy\""))
            return false;
        QByteArray text = original;
        text.replace(oldId, id);
        text.replace("\"Pid\": 4211,", QByteArray("\"Pid\": " + QByteArray::number(pid) + ','));
        text.replace("\"Name\": \"/edge-proxy\"",
                     QByteArray("\"Name\": \"/c-" + id.left(12) + '"'));
        return writeFile(m_dir.filePath(QStringLiteral("inspect_%1.json").arg(++m_count)), text);
    }

    // The docker command to give the probe; empty on failure.
    QString command()
    {
        const QString network = QStringLiteral("network_inspect_default.json");
        const QString docker = m_dir.filePath(QStringLiteral("fake-docker"));
        if (!m_dir.isValid() ||
            (!QFile::exists(docker) &&
             (!QFile::copy(QStringLiteral(TWBENCH_TEST_DATA_DIR "/docker/") + network,
                           m_dir.filePath(network)) ||
              !QFile::copy(QStringLiteral(TWBENCH_TEST_DATA_DIR "/docker/fake-docker"), docker))))
            return {};
        QFile::setPermissions(docker, QFile::ReadOwner | QFile::ExeOwner | QFile::ReadGroup |
                                          QFile::ExeGroup | QFile::ReadOther | QFile::ExeOther);
        return docker;
    }

private:
    QTemporaryDir m_dir;
    int m_count = 0;
};

ProbeParameters parameters(int maxSamples, const QString &docker)
{
    ProbeParameters p;
    p.counterIntervalSec = 1;
    p.tableIntervalSec = 30; // the table is not what these tests are about
    p.tableMaxIntervalSec = 30;
    p.maxSamples = maxSamples;
    p.dockerIntervalSec = 10;
    p.dockerCommand = {docker};
    return p;
}

const ContainerCpuTime *entryOf(const HostSample &sample, const QByteArray &id)
{
    for (const ContainerCpuTime &entry : sample.containerCpu) {
        if (entry.containerId == QString::fromLatin1(id))
            return &entry;
    }
    return nullptr;
}

// What one container is expected to show: measured (source and µs) or missed (why).
struct Expected
{
    QByteArray id;
    const char *source = nullptr; // null: a miss
    std::uint64_t usec = 0;
    CgroupMiss miss = CgroupMiss::None;
};

void expectEntries(const HostSample &sample, const std::vector<Expected> &expected)
{
    EXPECT_EQ(sample.containerCpu.size(), qsizetype(expected.size()));
    for (const Expected &want : expected) {
        const ContainerCpuTime *entry = entryOf(sample, want.id);
        ASSERT_NE(entry, nullptr) << want.id.constData();
        if (want.source) {
            EXPECT_EQ(entry->source, QLatin1String(want.source)) << want.id.constData();
            ASSERT_TRUE(entry->usageUsec) << want.id.constData();
            EXPECT_EQ(*entry->usageUsec, want.usec) << want.id.constData();
            EXPECT_EQ(entry->miss, CgroupMiss::None);
        } else {
            EXPECT_FALSE(entry->usageUsec) << want.id.constData();
            EXPECT_EQ(entry->miss, want.miss) << want.id.constData();
        }
    }
}

// The probe as `id -u` shows it: the rootless podman layout is under the user's own slice.
QByteArray uidText()
{
    return QByteArray::number(::geteuid());
}

// The cgroup layouts of the hosts the probe meets, laid out in a temporary folder.
enum class Layout : std::uint8_t { V2, V1, V1CoMounted, Hybrid, NoCgroups };

class CgroupCpuProbeLayout : public ::testing::TestWithParam<Layout>
{
};

} // namespace

TEST_P(CgroupCpuProbeLayout, FindsEachContainersCounter)
{
    QTemporaryDir tree;
    ASSERT_TRUE(tree.isValid());
    const QString cg = tree.filePath(QStringLiteral("sys/fs/cgroup"));
    const QString proc = tree.filePath(QStringLiteral("proc"));
    ASSERT_TRUE(QDir().mkpath(cg) && QDir().mkpath(proc));
    FakeDocker docker;
    std::vector<Expected> expected;
    const auto add = [&](const char *name, qint64 pid, Expected want) {
        want.id = idOf(name);
        ASSERT_TRUE(docker.add(want.id, pid));
        expected.push_back(want);
    };
    const auto procCgroup = [&](qint64 pid, const QByteArray &text) {
        ASSERT_TRUE(writeFile(proc + QStringLiteral("/%1/cgroup").arg(pid), text));
    };
    const auto file = [&](const QString &path, const QByteArray &text) {
        ASSERT_TRUE(writeFile(cg + QLatin1Char('/') + path, text)) << path.toStdString();
    };
    const QString uid = QString::fromLatin1(uidText());

    switch (GetParam()) {
    case Layout::V2: {
        file(QStringLiteral("cgroup.controllers"), "cpuset cpu io memory pids\n");
        const QByteArray a = idOf("systemd"), b = idOf("cgroupfs"), c = idOf("podman"),
                         d = idOf("rootless"), e = idOf("kubepods"), f = idOf("both");
        file(QStringLiteral("system.slice/docker-%1.scope/cpu.stat").arg(QString::fromLatin1(a)),
             cpuStat(1000001));
        file(QStringLiteral("docker/%1/cpu.stat").arg(QString::fromLatin1(b)), cpuStat(1000002));
        file(QStringLiteral("machine.slice/libpod-%1.scope/cpu.stat").arg(QString::fromLatin1(c)),
             cpuStat(1000003));
        file(QStringLiteral("user.slice/user-%1.slice/user@%1.service/app.slice/libpod-%2.scope/"
                            "cpu.stat")
                 .arg(uid, QString::fromLatin1(d)),
             cpuStat(1000004));
        // Found through its process: a process in a sub-cgroup counts for the whole container.
        procCgroup(5005, "0::/kubepods.slice/kubepods-besteffort.slice/cri-containerd-" + e +
                             ".scope/init.scope\n");
        file(QStringLiteral("kubepods.slice/kubepods-besteffort.slice/cri-containerd-%1.scope/"
                            "cpu.stat")
                 .arg(QString::fromLatin1(e)),
             cpuStat(1000005));
        file(QStringLiteral("kubepods.slice/kubepods-besteffort.slice/cri-containerd-%1.scope/"
                            "init.scope/cpu.stat")
                 .arg(QString::fromLatin1(e)),
             cpuStat(5));
        // The process's own cgroup comes before the layouts.
        procCgroup(5006, "0::/custom.slice/docker-" + f + ".scope\n");
        file(QStringLiteral("custom.slice/docker-%1.scope/cpu.stat").arg(QString::fromLatin1(f)),
             cpuStat(1000006));
        file(QStringLiteral("system.slice/docker-%1.scope/cpu.stat").arg(QString::fromLatin1(f)),
             cpuStat(6));
        procCgroup(5007, "0::/\n");
        // A pid reused by another program: its cgroup does not name the container.
        procCgroup(5009, "0::/system.slice/cron.service\n");
        file(QStringLiteral("system.slice/cron.service/cpu.stat"), cpuStat(9));
        add("systemd", 5001, {{}, "v2-systemd", 1000001});
        add("cgroupfs", 5002, {{}, "v2-cgroupfs", 1000002});
        add("podman", 5003, {{}, "v2-podman", 1000003});
        add("rootless", 5004, {{}, "v2-podman-user", 1000004});
        add("kubepods", 5005, {{}, "v2-pid", 1000005});
        add("both", 5006, {{}, "v2-pid", 1000006});
        add("in-root", 5007, {{}, nullptr, 0, CgroupMiss::RootCgroup});
        add("nowhere", 5008, {{}, nullptr, 0, CgroupMiss::NotFound});
        add("reused-pid", 5009, {{}, nullptr, 0, CgroupMiss::NotFound});
        break;
    }
    case Layout::V1:
    case Layout::V1CoMounted: {
        const QString dir =
            GetParam() == Layout::V1 ? QStringLiteral("cpuacct/") : QStringLiteral("cpu,cpuacct/");
        file(dir + QStringLiteral("cpuacct.usage"), cpuacctUsage(987654321012345));
        file(QStringLiteral("memory/memory.usage_in_bytes"), "1234\n");
        const QByteArray a = idOf("cgroupfs"), b = idOf("systemd"), c = idOf("podman"),
                         d = idOf("custom-parent");
        // Nanoseconds, cut to µs by the probe.
        file(dir + QStringLiteral("docker/%1/cpuacct.usage").arg(QString::fromLatin1(a)),
             cpuacctUsage(1500000999));
        file(dir + QStringLiteral("system.slice/docker-%1.scope/cpuacct.usage")
                       .arg(QString::fromLatin1(b)),
             cpuacctUsage(999));
        file(dir + QStringLiteral("machine.slice/libpod-%1.scope/cpuacct.usage")
                       .arg(QString::fromLatin1(c)),
             cpuacctUsage(7000));
        procCgroup(6004, "12:pids:/ci/" + d + "\n5:memory:/ci/" + d + "\n4:cpu,cpuacct:/ci/" + d +
                             "\n1:name=systemd:/ci/" + d +
                             "\n0::/system.slice/containerd.service\n");
        file(dir + QStringLiteral("ci/%1/cpuacct.usage").arg(QString::fromLatin1(d)),
             cpuacctUsage(42000000));
        procCgroup(6005, "4:cpu,cpuacct:/\n1:name=systemd:/\n");
        add("cgroupfs", 6001, {{}, "v1-cgroupfs", 1500000});
        add("systemd", 6002, {{}, "v1-systemd", 0});
        add("podman", 6003, {{}, "v1-podman", 7});
        add("custom-parent", 6004, {{}, "v1-pid", 42000});
        add("in-root", 6005, {{}, nullptr, 0, CgroupMiss::RootCgroup});
        break;
    }
    case Layout::Hybrid: {
        // v1 controllers with v2 beside them at unified/: v1's cpuacct is taken first.
        file(QStringLiteral("cpuacct/cpuacct.usage"), cpuacctUsage(987654321012345));
        file(QStringLiteral("unified/cgroup.controllers"), "");
        const QByteArray a = idOf("both"), b = idOf("v2-only");
        file(QStringLiteral("cpuacct/system.slice/docker-%1.scope/cpuacct.usage")
                 .arg(QString::fromLatin1(a)),
             cpuacctUsage(3000000000));
        file(QStringLiteral("unified/system.slice/docker-%1.scope/cpu.stat")
                 .arg(QString::fromLatin1(a)),
             cpuStat(1));
        file(QStringLiteral("unified/system.slice/docker-%1.scope/cpu.stat")
                 .arg(QString::fromLatin1(b)),
             cpuStat(2000));
        add("both", 7001, {{}, "v1-systemd", 3000000});
        add("v2-only", 7002, {{}, "v2-systemd", 2000});
        break;
    }
    case Layout::NoCgroups:
        add("anything", 8001, {{}, nullptr, 0, CgroupMiss::NotFound});
        break;
    }
    const QString command = docker.command();
    ASSERT_FALSE(command.isEmpty());

    ScopedEnv cgroupRoot("TWBENCH_CGROUP_ROOT", cg.toLocal8Bit());
    ScopedEnv procRoot("TWBENCH_PROC_ROOT", proc.toLocal8Bit());
    const ProbeRun run = runProbe(parameters(1, command));
    ASSERT_TRUE(run.hello) << run.reason().toStdString() << run.stderrText.constData();
    ASSERT_EQ(run.frames.size(), 1u) << run.reason().toStdString() << run.stderrText.constData();
    EXPECT_TRUE(run.stderrText.isEmpty()) << run.stderrText.constData();
    const char *layoutName[] = {"v2", "v1", "v1", "hybrid", "none"};
    EXPECT_EQ(run.hello->field("cgroup"), layoutName[int(GetParam())]);
    const ProbeSection *section = run.frames.front().section("cgroup_cpu");
    ASSERT_NE(section, nullptr);
    EXPECT_EQ(section->errors.isEmpty(), GetParam() != Layout::NoCgroups);

    SampleBuilder builder(QStringLiteral("local"));
    builder.setHello(*run.hello);
    const HostSamplePtr sample = builder.build(run.frames.front());
    ASSERT_TRUE(sample->docker);
    ASSERT_TRUE(sample->docker->ok()) << sample->docker->error.toStdString();
    EXPECT_EQ(sample->docker->containers.size(), expected.size());
    expectEntries(*sample, expected);
    EXPECT_GT(sample->onlineCpus, 0);
    if (GetParam() == Layout::NoCgroups) {
        // The whole section failed: said once, as an issue.
        ASSERT_EQ(sample->issues.size(), 1) << issuesText(*sample).toStdString();
        EXPECT_EQ(sample->issues.front().source, QStringLiteral("cgroup_cpu"));
        EXPECT_TRUE(sample->issues.front().message.contains(QStringLiteral("no cgroup")));
    } else {
        // A container without a figure is data, not a problem of the sample.
        EXPECT_TRUE(sample->issues.isEmpty()) << issuesText(*sample).toStdString();
    }
}

namespace {

std::string layoutTestName(const ::testing::TestParamInfo<Layout> &info)
{
    const char *const names[] = {"v2", "v1", "v1_cpu_cpuacct", "hybrid", "none"};
    return names[int(info.param)];
}

} // namespace

INSTANTIATE_TEST_SUITE_P(Layouts, CgroupCpuProbeLayout,
                         ::testing::Values(Layout::V2, Layout::V1, Layout::V1CoMounted,
                                           Layout::Hybrid, Layout::NoCgroups),
                         layoutTestName);

// Under each shell, over three samples: the counter read every sample, the file found once per
// inventory and then read from the cache (its /proc/<pid>/cgroup can go), a cgroup that goes
// away reported as gone, and the rates of the model from two samples.
class CgroupCpuProbeUnderShell : public ::testing::TestWithParam<QStringList>
{
};

TEST_P(CgroupCpuProbeUnderShell, ReadsEverySampleFromTheCache)
{
    const QStringList shell = GetParam();
    if (test::findTool(shell.first()).isEmpty())
        GTEST_SKIP() << shell.first().toStdString() << " is not installed";
    QTemporaryDir tree;
    ASSERT_TRUE(tree.isValid());
    const QString cg = tree.filePath(QStringLiteral("cgroup"));
    const QString proc = tree.filePath(QStringLiteral("proc"));
    const QByteArray busy = idOf("busy"), idle = idOf("idle"), stopping = idOf("stopping");
    const QString busyStat =
        cg +
        QStringLiteral("/system.slice/docker-%1.scope/cpu.stat").arg(QString::fromLatin1(busy));
    const QString idleStat =
        cg + QStringLiteral("/weird/place/%1/cpu.stat").arg(QString::fromLatin1(idle));
    const QString stoppingDir =
        cg + QStringLiteral("/docker/%1").arg(QString::fromLatin1(stopping));
    const QString idleProc = proc + QStringLiteral("/9002/cgroup");
    ASSERT_TRUE(writeFile(cg + QStringLiteral("/cgroup.controllers"), "cpu\n"));
    ASSERT_TRUE(writeFile(busyStat, cpuStat(1000000)));
    ASSERT_TRUE(writeFile(idleStat, cpuStat(777)));
    ASSERT_TRUE(writeFile(idleProc, "0::/weird/place/" + idle + '\n'));
    ASSERT_TRUE(writeFile(stoppingDir + QStringLiteral("/cpu.stat"), cpuStat(5)));
    FakeDocker docker;
    ASSERT_TRUE(docker.add(busy, 9001));
    ASSERT_TRUE(docker.add(idle, 9002));
    ASSERT_TRUE(docker.add(stopping, 9003));
    const QString command = docker.command();
    ASSERT_FALSE(command.isEmpty());

    ScopedEnv cgroupRoot("TWBENCH_CGROUP_ROOT", cg.toLocal8Bit());
    ScopedEnv procRoot("TWBENCH_PROC_ROOT", proc.toLocal8Bit());
    bool changed = false;
    bool changedOk = false;
    const ProbeRun run = runProbe(parameters(3, command), shell, 15000, [&](const ProbeRun &r) {
        // Between the first sample and the second (the probe sleeps 1 s): 0.5 s more CPU for
        // busy, idle's process record gone, stopping's cgroup removed.
        if (!changed && r.frames.size() == 1) {
            changed = true;
            changedOk = writeFile(busyStat, cpuStat(1500000)) && QFile::remove(idleProc) &&
                        QDir(stoppingDir).removeRecursively();
        }
        return false;
    });
    ASSERT_TRUE(changedOk);
    ASSERT_TRUE(run.hello) << run.reason().toStdString() << run.stderrText.constData();
    ASSERT_EQ(run.frames.size(), 3u) << run.reason().toStdString() << run.stderrText.constData();
    EXPECT_TRUE(run.stderrText.isEmpty()) << run.stderrText.constData();

    SampleBuilder builder(QStringLiteral("local"));
    builder.setHello(*run.hello);
    std::vector<HostSamplePtr> samples;
    for (const ProbeFrame &frame : run.frames) {
        // Every sample, not only the inventory's.
        EXPECT_TRUE(frame.section("cgroup_cpu")) << frame.sequence;
        EXPECT_EQ(bool(frame.section("docker_containers")), frame.sequence == 1);
        samples.push_back(builder.build(frame));
        EXPECT_TRUE(samples.back()->issues.isEmpty()) << issuesText(*samples.back()).toStdString();
    }
    expectEntries(
        *samples[0],
        {{busy, "v2-systemd", 1000000}, {idle, "v2-pid", 777}, {stopping, "v2-cgroupfs", 5}});
    for (std::size_t i = 1; i < samples.size(); ++i) {
        expectEntries(*samples[i], {{busy, "v2-systemd", 1500000},
                                    {idle, "v2-pid", 777},
                                    {stopping, nullptr, 0, CgroupMiss::Gone}});
    }

    const QHash<QString, double> first =
        containerCpuPercent(samples[0]->containerCpu, samples[0]->epochMs, samples[1]->containerCpu,
                            samples[1]->epochMs, samples[1]->onlineCpus);
    const std::int64_t intervalMs = samples[1]->epochMs - samples[0]->epochMs;
    ASSERT_GE(intervalMs, 900);
    EXPECT_NEAR(first.value(QString::fromLatin1(busy), -1), 500000.0 / double(intervalMs) / 10.0,
                0.001);
    EXPECT_DOUBLE_EQ(first.value(QString::fromLatin1(idle), -1), 0.0);
    EXPECT_FALSE(first.contains(QString::fromLatin1(stopping)));
    const QHash<QString, double> second =
        containerCpuPercent(samples[1]->containerCpu, samples[1]->epochMs, samples[2]->containerCpu,
                            samples[2]->epochMs, samples[2]->onlineCpus);
    EXPECT_DOUBLE_EQ(second.value(QString::fromLatin1(busy), -1), 0.0);
    EXPECT_EQ(second.size(), 2);
}

INSTANTIATE_TEST_SUITE_P(
    Shells, CgroupCpuProbeUnderShell,
    ::testing::Values(QStringList{QStringLiteral("dash")},
                      QStringList{QStringLiteral("busybox"), QStringLiteral("sh")},
                      QStringList{QStringLiteral("bash"), QStringLiteral("--posix")}),
    [](const auto &param) { return param.param.first().toStdString(); });

// Without docker answering there is nothing to measure, and no section: the model cannot mistake
// "docker off" for "no container running".
TEST(CgroupCpuProbe, NoSectionWithDockerOff)
{
    ProbeParameters p = parameters(1, QStringLiteral("docker"));
    p.dockerIntervalSec = 0;
    const ProbeRun run = runProbe(p);
    ASSERT_EQ(run.frames.size(), 1u) << run.reason().toStdString();
    EXPECT_FALSE(run.frames.front().section("cgroup_cpu"));
    ASSERT_TRUE(run.hello);
    bool ok = false;
    EXPECT_GT(run.hello->field("cpus").toInt(&ok), 0);
    EXPECT_TRUE(ok);
}

namespace {

// This machine's own cgroups, as root: a cgroup made for the test (named after the container,
// as docker and podman name theirs) with a real busy process in it, found through that
// process's /proc/<pid>/cgroup. Which hierarchy depends on the machine: v1's cpuacct when it is
// mounted (hybrid or v1), else v2's.
class CgroupCpuProbeRealCgroup : public ::testing::Test
{
protected:
    void SetUp() override
    {
        if (::geteuid() != 0)
            GTEST_SKIP() << "needs root: making a cgroup and moving a process into it";
        const QString root = QStringLiteral("/sys/fs/cgroup");
        for (const QString &dir : {QStringLiteral("/cpuacct"), QStringLiteral("/cpu,cpuacct"),
                                   QStringLiteral("/cpuacct,cpu")}) {
            if (QFile::exists(root + dir + QStringLiteral("/cpuacct.usage"))) {
                m_hierarchy = root + dir;
                m_counter = QStringLiteral("cpuacct.usage");
                m_source = "v1-pid";
                break;
            }
        }
        if (m_hierarchy.isEmpty() && QFile::exists(root + QStringLiteral("/cgroup.controllers"))) {
            m_hierarchy = root;
            m_counter = QStringLiteral("cpu.stat");
            m_source = "v2-pid";
        }
        if (m_hierarchy.isEmpty())
            GTEST_SKIP() << "no cgroup v1 cpuacct or v2 hierarchy at /sys/fs/cgroup";
        m_id = QByteArray::number(QRandomGenerator::global()->generate64() | (1ull << 63), 16) +
               idOf("real").left(48);
        m_cgroup = m_hierarchy + QStringLiteral("/twbench-test-") + QString::fromLatin1(m_id);
        if (!QDir().mkdir(m_cgroup))
            GTEST_SKIP() << "cannot make a cgroup under " << m_hierarchy.toStdString()
                         << " (read-only cgroupfs?)";
        m_made = true;

        // Busy, but never for more than 30 s whatever happens to this test.
        m_busy.start(QStringLiteral("/bin/sh"),
                     {QStringLiteral("-c"),
                      QStringLiteral("end=$(($(date +%s) + 30)); while [ \"$(date +%s)\" -lt "
                                     "\"$end\" ]; do i=0; while [ $i -lt 20000 ]; do "
                                     "i=$((i + 1)); done; done")});
        ASSERT_TRUE(m_busy.waitForStarted(5000));
        QFile procs(m_cgroup + QStringLiteral("/cgroup.procs"));
        ASSERT_TRUE(procs.open(QIODevice::WriteOnly));
        ASSERT_GT(procs.write(QByteArray::number(m_busy.processId())), 0)
            << procs.errorString().toStdString();
    }

    void TearDown() override
    {
        if (m_busy.state() != QProcess::NotRunning) {
            m_busy.kill();
            m_busy.waitForFinished(5000);
        }
        // A cgroup can go once its last process is reaped.
        if (m_made)
            waitUntil([&] { return QDir().rmdir(m_cgroup); }, 5000);
    }

    QString m_hierarchy;
    QString m_counter;
    const char *m_source = nullptr;
    QByteArray m_id;
    QString m_cgroup;
    bool m_made = false;
    QProcess m_busy;
};

} // namespace

TEST_F(CgroupCpuProbeRealCgroup, BusyProcessUsageGrows)
{
    FakeDocker docker;
    ASSERT_TRUE(docker.add(m_id, m_busy.processId()));
    // A second container whose process is this test's own: what the probe says of it depends
    // on where this test runs (the root cgroup, or a service's, not named after a container).
    const QByteArray own = idOf("own-process");
    ASSERT_TRUE(docker.add(own, QCoreApplication::applicationPid()));
    const QString command = docker.command();
    ASSERT_FALSE(command.isEmpty());

    const ProbeRun run = runProbe(parameters(3, command));
    ASSERT_TRUE(run.hello) << run.reason().toStdString() << run.stderrText.constData();
    ASSERT_EQ(run.frames.size(), 3u) << run.reason().toStdString() << run.stderrText.constData();
    SampleBuilder builder(QStringLiteral("local"));
    builder.setHello(*run.hello);
    std::vector<HostSamplePtr> samples;
    for (const ProbeFrame &frame : run.frames)
        samples.push_back(builder.build(frame));

    std::uint64_t last = 0;
    for (const HostSamplePtr &sample : samples) {
        EXPECT_TRUE(sample->issues.isEmpty()) << issuesText(*sample).toStdString();
        const ContainerCpuTime *entry = entryOf(*sample, m_id);
        ASSERT_NE(entry, nullptr);
        ASSERT_TRUE(entry->usageUsec) << int(entry->miss);
        EXPECT_EQ(entry->source, QLatin1String(m_source));
        EXPECT_GT(*entry->usageUsec, last) << "a busy process's usage must grow every second";
        last = *entry->usageUsec;
    }
    // The kernel's own counter, read after the probe's: at least as far on.
    QFile counter(m_cgroup + QLatin1Char('/') + m_counter);
    ASSERT_TRUE(counter.open(QIODevice::ReadOnly));
    QByteArray text = counter.readAll();
    std::uint64_t nowUsec = 0;
    if (m_counter == QLatin1String("cpuacct.usage")) {
        nowUsec = text.trimmed().toULongLong() / 1000;
    } else {
        const qsizetype at = text.indexOf("usage_usec ");
        ASSERT_GE(at, 0);
        nowUsec = text.mid(at + 11).split('\n').front().toULongLong();
    }
    EXPECT_GE(nowUsec, last);

    // One busy loop is at most one core, and it ran much of the time (the machine may be busy
    // with other work: a generous floor).
    const QHash<QString, double> percent = containerCpuPercent(
        samples.front()->containerCpu, samples.front()->epochMs, samples.back()->containerCpu,
        samples.back()->epochMs, samples.back()->onlineCpus);
    const double busy = percent.value(QString::fromLatin1(m_id), -1);
    std::cout << "[          ] busy process in " << m_cgroup.toStdString() << ": " << busy
              << " % of one core\n";
    EXPECT_GT(busy, 10.0);
    EXPECT_LE(busy, 100.0 * 1.1);

    // This test process is in the root cgroup of the hierarchy, or in one not named after the
    // container: either way no figure, rather than someone else's.
    QFile self(QStringLiteral("/proc/self/cgroup"));
    ASSERT_TRUE(self.open(QIODevice::ReadOnly));
    const QByteArray cgroups = self.readAll();
    const bool inRoot = m_counter == QLatin1String("cpuacct.usage")
                            ? cgroups.contains("cpuacct:/\n")
                            : cgroups.contains("0::/\n");
    const ContainerCpuTime *mine = entryOf(*samples.back(), own);
    ASSERT_NE(mine, nullptr);
    EXPECT_FALSE(mine->usageUsec);
    if (inRoot) {
        EXPECT_EQ(mine->miss, CgroupMiss::RootCgroup) << cgroups.constData();
    } else {
        EXPECT_EQ(mine->miss, CgroupMiss::NotFound) << cgroups.constData();
    }
}

// The builder's side alone: a line that does not parse is an issue of the section, the lines
// around it still count, and the hello's cpus= reaches the sample.
TEST(CgroupCpuSampleBuilder, MalformedLinesAreAnIssueAndTheRestIsKept)
{
    const QByteArray good = idOf("good");
    FrameReader reader;
    const QByteArray text =
        "@@twbench hello 1 endian=little netns=4026531833 ss=1 cpus=16 cgroup=v2\n"
        "@@twbench sample 1 1000\n@@section cgroup_cpu\n" +
        good + " 123 v2-systemd\nnot a line\n" + idOf("missing") + " - none\n@@end 1\n";
    reader.feed(text);
    reader.finish();
    const std::optional<ProbeHello> hello = reader.takeHello();
    ASSERT_TRUE(hello);
    const std::vector<ProbeFrame> frames = reader.takeFrames();
    ASSERT_EQ(frames.size(), 1u);
    SampleBuilder builder(QStringLiteral("h"));
    builder.setHello(*hello);
    const HostSamplePtr sample = builder.build(frames.front());
    EXPECT_EQ(sample->onlineCpus, 16);
    ASSERT_EQ(sample->containerCpu.size(), 2);
    EXPECT_EQ(sample->containerCpu[0].usageUsec, std::optional<std::uint64_t>(123));
    EXPECT_EQ(sample->containerCpu[1].miss, CgroupMiss::NotFound);
    ASSERT_EQ(sample->issues.size(), 1) << issuesText(*sample).toStdString();
    EXPECT_EQ(sample->issues.front().source, QStringLiteral("cgroup_cpu"));
}
