// The probe's docker inventory and container namespaces, run for real on this machine: a real
// network namespace (ip netns) with real TIME_WAIT sockets on its own loopback, a process inside
// it standing for a container, and the stand-in docker CLI (tests/data/docker/fake-docker)
// answering in docker's own format with that process as the container's State.Pid.
#include "proberun.h"
#include "remotetestutil.h"

#include "lab/scopedenv.h"

#include "lab/timewaitlab.h"
#include "model/attribution.h"
#include "remote/framereader.h"
#include "remote/localtransport.h"
#include "remote/samplebuilder.h"
#include "remote/sshtransport.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

using namespace twbench;
using namespace std::chrono_literals;
using twbench::test::ProbeRun;
using twbench::test::runProbe;
using twbench::test::ScopedEnv;
using twbench::test::waitUntil;

namespace {

ProbeParameters parameters(int maxSamples, const QString &docker)
{
    ProbeParameters p;
    p.counterIntervalSec = 1;
    p.tableIntervalSec = 1;
    p.tableMaxIntervalSec = 1;
    p.maxSamples = maxSamples;
    p.dockerIntervalSec = 10;
    p.dockerCommand = {docker};
    return p;
}

QString issuesText(const HostSample &sample)
{
    QString text;
    for (const SourceIssue &issue : sample.issues)
        text += issue.source + QStringLiteral(": ") + issue.message + QLatin1Char('\n');
    return text;
}

QString fakeDocker()
{
    return QStringLiteral(TWBENCH_TEST_DATA_DIR "/docker/fake-docker");
}

int runTool(const QString &program, const QStringList &arguments, QByteArray *output = nullptr)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, arguments);
    if (!process.waitForFinished(10000)) {
        process.kill();
        process.waitForFinished(2000);
        return -1;
    }
    if (output)
        *output = process.readAll();
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

std::uint64_t netnsInodeOfPid(qint64 pid)
{
    struct stat st
    {
    };
    const QByteArray path = "/proc/" + QByteArray::number(pid) + "/ns/net";
    return ::stat(path.constData(), &st) == 0 ? std::uint64_t(st.st_ino) : 0;
}

// A real network namespace with its loopback up and a process inside it (the "container").
class ContainerNetns : public ::testing::Test
{
protected:
    void SetUp() override
    {
        if (::geteuid() != 0)
            GTEST_SKIP() << "needs root: creating a network namespace (ip netns add) and reading "
                            "another namespace's sockets need it; run the suite as root";
        m_ip = test::findTool(QStringLiteral("ip"));
        if (m_ip.isEmpty())
            m_ip = QStringLiteral("/usr/sbin/ip");
        if (!QFile::exists(m_ip))
            GTEST_SKIP() << "ip (iproute2) is not installed";
        m_name = QStringLiteral("twb-%1").arg(QRandomGenerator::global()->generate(), 8, 16,
                                              QLatin1Char('0'));
        QByteArray output;
        if (runTool(m_ip, {QStringLiteral("netns"), QStringLiteral("add"), m_name}, &output) != 0)
            GTEST_SKIP() << "ip netns add failed (no CAP_SYS_ADMIN here?): "
                         << output.trimmed().constData();
        m_added = true;
        ASSERT_EQ(runTool(m_ip,
                          {QStringLiteral("-n"), m_name, QStringLiteral("link"),
                           QStringLiteral("set"), QStringLiteral("lo"), QStringLiteral("up")},
                          &output),
                  0)
            << output.constData();
        struct stat st
        {
        };
        const QByteArray path = "/run/netns/" + m_name.toLatin1();
        ASSERT_EQ(::stat(path.constData(), &st), 0) << std::strerror(errno);
        m_inode = std::uint64_t(st.st_ino);

        // `ip netns exec` execs the command itself: the pid is sleep's, inside the namespace.
        m_sleeper.start(m_ip, {QStringLiteral("netns"), QStringLiteral("exec"), m_name,
                               QStringLiteral("sleep"), QStringLiteral("60")});
        ASSERT_TRUE(m_sleeper.waitForStarted(5000));
        m_pid = m_sleeper.processId();
        ASSERT_TRUE(waitUntil([&] { return netnsInodeOfPid(m_pid) == m_inode; }, 5000))
            << "the sleeper did not enter the namespace";
    }

    void TearDown() override
    {
        if (m_sleeper.state() != QProcess::NotRunning) {
            m_sleeper.kill();
            m_sleeper.waitForFinished(5000);
        }
        if (m_added)
            runTool(m_ip, {QStringLiteral("netns"), QStringLiteral("del"), m_name});
    }

    // Makes `count` TIME_WAITs on the namespace's own loopback, from a thread that joined it
    // (setns changes only the calling thread's namespace). Returns how many were made.
    int makeTimeWaits(int count, QString *error, std::uint16_t *port)
    {
        int made = 0;
        std::thread worker([&] {
            const QByteArray path = "/run/netns/" + m_name.toLatin1();
            const int fd = ::open(path.constData(), O_RDONLY | O_CLOEXEC);
            if (fd < 0 || ::setns(fd, CLONE_NEWNET) != 0) {
                *error = QString::fromLocal8Bit(std::strerror(errno));
                if (fd >= 0)
                    ::close(fd);
                return;
            }
            ::close(fd);
            test::TimeWaitLab lab("127.0.0.1");
            if (!lab.listen()) {
                *error = lab.error();
                return;
            }
            *port = lab.port();
            made = lab.makeTimeWaits(count, {"127.0.0.2"}, 20s);
            if (made < count)
                *error = lab.error();
        });
        worker.join();
        return made;
    }

    // A copy of the stand-in docker with one running container whose State.Pid is `pid`, made
    // from a real `docker inspect` fixture so the format stays docker's own.
    bool writeFakeDocker(QTemporaryDir &dir, qint64 pid, QString *containerId)
    {
        const QByteArray original =
            test::readTestData(QStringLiteral("docker/inspect_bridge_published.json"));
        const QByteArray oldId = "0f1ba2ec2410a25bdaf30acf002fa4245f0a15c2f3b0a307bd080752ca748dde";
        if (original.isEmpty() || !original.contains(oldId) || !original.contains("\"Pid\": 4211,"))
            return false;
        QByteArray newId;
        for (int i = 0; i < 4; ++i)
            newId +=
                QByteArray::number(QRandomGenerator::global()->generate64() | (1ull << 63), 16);
        QByteArray text = original;
        text.replace(oldId, newId);
        text.replace("\"Pid\": 4211,", QByteArray("\"Pid\": " + QByteArray::number(pid) + ','));
        text.replace("\"Name\": \"/edge-proxy\"", "\"Name\": \"/twb-ns-test\"");
        QFile out(dir.filePath(QStringLiteral("inspect_ns.json")));
        if (!out.open(QIODevice::WriteOnly) || out.write(text) != text.size())
            return false;
        out.close();
        const QString network = QStringLiteral("network_inspect_default.json");
        if (!QFile::copy(QStringLiteral(TWBENCH_TEST_DATA_DIR "/docker/") + network,
                         dir.filePath(network)) ||
            !QFile::copy(fakeDocker(), dir.filePath(QStringLiteral("fake-docker"))))
            return false;
        QFile::setPermissions(dir.filePath(QStringLiteral("fake-docker")),
                              QFile::ReadOwner | QFile::ExeOwner | QFile::ReadOther |
                                  QFile::ExeOther | QFile::ReadGroup | QFile::ExeGroup);
        *containerId = QString::fromLatin1(newId);
        return true;
    }

    QString m_ip;
    QString m_name;
    bool m_added = false;
    std::uint64_t m_inode = 0;
    QProcess m_sleeper;
    qint64 m_pid = 0;
};

} // namespace

TEST_F(ContainerNetns, SocketsAreReadAndAttributedToTheContainer)
{
    QString error;
    std::uint16_t port = 0;
    const int made = makeTimeWaits(120, &error, &port);
    ASSERT_GE(made, 100) << error.toStdString();

    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    QString containerId;
    ASSERT_TRUE(writeFakeDocker(dir, m_pid, &containerId));

    QElapsedTimer clock;
    clock.start();
    const ProbeRun run = runProbe(parameters(1, dir.filePath(QStringLiteral("fake-docker"))), {});
    const qint64 elapsedMs = clock.elapsed();
    ASSERT_TRUE(run.hello);
    ASSERT_EQ(run.frames.size(), 1u) << run.reason().toStdString() << run.stderrText.constData();
    const ProbeFrame &frame = run.frames.front();
    ASSERT_TRUE(frame.section("container_ns"));
    EXPECT_TRUE(frame.section("ns_tcp", QByteArray::number(m_inode)));
    EXPECT_FALSE(frame.section("ns_unreadable"));
    std::cout << "[          ] one sample with docker slot and " << made
              << " namespace TIME_WAITs: " << elapsedMs << " ms wall\n";

    SampleBuilder builder(QStringLiteral("local"));
    builder.setHello(*run.hello);
    const HostSamplePtr sample = builder.build(frame);
    EXPECT_TRUE(sample->issues.isEmpty()) << issuesText(*sample).toStdString();
    ASSERT_TRUE(sample->table);
    ASSERT_TRUE(sample->docker);
    ASSERT_TRUE(sample->docker->ok()) << sample->docker->error.toStdString();
    ASSERT_EQ(sample->docker->containers.size(), 1u);
    EXPECT_EQ(sample->docker->containers.front().id, containerId);
    EXPECT_EQ(sample->docker->containers.front().pid, m_pid);
    ASSERT_TRUE(sample->namespaces);
    EXPECT_EQ(sample->namespaces->hostNetns, run.hello->netns());
    EXPECT_EQ(sample->namespaces->containerNetns.value(containerId), m_inode);
    EXPECT_TRUE(sample->namespaces->unreadable.isEmpty());

    const Attribution attribution(*sample->table, *sample->docker, *sample->namespaces);
    int inNamespace = 0;
    int ownedByContainer = 0;
    int serverSide = 0;
    for (const Socket &socket : sample->table->sockets) {
        if (socket.netns != m_inode || socket.state != TcpState::TimeWait)
            continue;
        ++inNamespace;
        const EndpointOwner owner = attribution.ownerOfLocal(socket);
        if (owner.kind == OwnerKind::Container && owner.container == 0)
            ++ownedByContainer;
        if (socket.local.port == port)
            ++serverSide; // the lab's server closes first: its side holds the TIME_WAIT
    }
    EXPECT_GE(inNamespace, 100);
    EXPECT_EQ(ownedByContainer, inNamespace);
    EXPECT_GE(serverSide, 100);
    EXPECT_TRUE(attribution.isObserved(m_inode));
    // The host's own sockets keep the hello's netns: none of them is the container's.
    for (const Socket &socket : sample->table->sockets) {
        if (socket.netns != m_inode) {
            EXPECT_EQ(socket.netns, run.hello->netns());
        }
    }
}

// Without the right to look into another user's process, the namespace stays unknown and the
// sample says which containers are missing and how to grant access.
TEST_F(ContainerNetns, UnprivilegedProbeReportsWhatItCannotSee)
{
    const QString setpriv = test::findTool(QStringLiteral("setpriv"));
    if (setpriv.isEmpty())
        GTEST_SKIP() << "setpriv (util-linux) is not installed";
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                          QFile::ReadOther | QFile::ExeOther);
    QString containerId;
    ASSERT_TRUE(writeFakeDocker(dir, m_pid, &containerId));
    for (const QString &name : QDir(dir.path()).entryList(QDir::Files))
        QFile::setPermissions(dir.filePath(name),
                              QFile::permissions(dir.filePath(name)) | QFile::ReadOther);

    const ProbeRun run =
        runProbe(parameters(1, dir.filePath(QStringLiteral("fake-docker"))),
                 {setpriv, QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"),
                  QStringLiteral("--clear-groups"), QStringLiteral("/bin/sh")});
    ASSERT_TRUE(run.hello) << run.reason().toStdString() << run.stderrText.constData();
    ASSERT_EQ(run.frames.size(), 1u) << run.reason().toStdString() << run.stderrText.constData();
    EXPECT_EQ(run.hello->field("uid"), "65534");
    SampleBuilder builder(QStringLiteral("local"));
    builder.setHello(*run.hello);
    const HostSamplePtr sample = builder.build(run.frames.front());
    ASSERT_TRUE(sample->table) << issuesText(*sample).toStdString();
    ASSERT_TRUE(sample->docker);
    EXPECT_TRUE(sample->docker->ok());
    ASSERT_TRUE(sample->namespaces);
    EXPECT_FALSE(sample->namespaces->containerNetns.contains(containerId));
    for (const Socket &socket : sample->table->sockets)
        EXPECT_NE(socket.netns, m_inode);
    const QString issues = issuesText(*sample);
    EXPECT_TRUE(issues.contains(QStringLiteral("1 container(s)' sockets could not be read")))
        << issues.toStdString();
    EXPECT_TRUE(issues.contains(QStringLiteral("sudo -n /bin/sh"))) << issues.toStdString();
}

TEST(Containers, DockerPermissionDeniedIsDataAndTheRestFlows)
{
    ScopedEnv mode("FAKE_DOCKER_MODE", "permission-denied");
    const ProbeRun run = runProbe(parameters(1, fakeDocker()));
    ASSERT_TRUE(run.hello);
    ASSERT_EQ(run.frames.size(), 1u) << run.reason().toStdString() << run.stderrText.constData();
    SampleBuilder builder(QStringLiteral("local"));
    builder.setHello(*run.hello);
    const HostSamplePtr sample = builder.build(run.frames.front());
    ASSERT_TRUE(sample->docker);
    EXPECT_EQ(sample->docker->errorKind, DockerError::PermissionDenied);
    EXPECT_FALSE(sample->docker->error.isEmpty());
    EXPECT_TRUE(sample->docker->containers.empty());
    EXPECT_TRUE(sample->counters.value(counter::TimeWait).has_value());
    EXPECT_TRUE(sample->procStat.valid);
    ASSERT_TRUE(sample->table);
    EXPECT_FALSE(sample->table->sockets.empty());
    ASSERT_TRUE(sample->namespaces);
    EXPECT_TRUE(sample->namespaces->containerNetns.isEmpty());
    ASSERT_EQ(sample->issues.size(), 1) << issuesText(*sample).toStdString();
    EXPECT_EQ(sample->issues.front().source, QStringLiteral("docker"));
}

TEST(Containers, MissingDockerIsSaidAndNotAProblem)
{
    const ProbeRun run = runProbe(parameters(1, QStringLiteral("/nonexistent/twb/docker")));
    ASSERT_EQ(run.frames.size(), 1u) << run.reason().toStdString() << run.stderrText.constData();
    SampleBuilder builder(QStringLiteral("local"));
    builder.setHello(*run.hello);
    const HostSamplePtr sample = builder.build(run.frames.front());
    ASSERT_TRUE(sample->docker);
    EXPECT_EQ(sample->docker->errorKind, DockerError::NotInstalled);
    EXPECT_TRUE(sample->issues.isEmpty()) << issuesText(*sample).toStdString();
    EXPECT_TRUE(sample->table);
}

// The stand-in's fixtures through the probe under each shell: the inventory parses whole, and
// the docker CLI is asked once per slot, never on the samples between.
class ContainersUnderShell : public ::testing::TestWithParam<QStringList>
{
};

TEST_P(ContainersUnderShell, InventoryOncePerSlot)
{
    const QStringList shell = GetParam();
    if (test::findTool(shell.first()).isEmpty())
        GTEST_SKIP() << shell.first().toStdString() << " is not installed";
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString log = dir.filePath(QStringLiteral("docker.log"));
    ScopedEnv logEnv("FAKE_DOCKER_LOG", log.toLocal8Bit());
    const ProbeRun run = runProbe(parameters(3, fakeDocker()), shell);
    ASSERT_TRUE(run.hello);
    ASSERT_EQ(run.frames.size(), 3u) << run.reason().toStdString() << run.stderrText.constData();
    EXPECT_EQ(run.hello->field("docker"), "10");

    SampleBuilder builder(QStringLiteral("local"));
    builder.setHello(*run.hello);
    for (std::size_t i = 0; i < run.frames.size(); ++i) {
        const ProbeFrame &frame = run.frames[i];
        const HostSamplePtr sample = builder.build(frame);
        EXPECT_EQ(bool(frame.section("docker_containers")), i == 0) << i;
        EXPECT_EQ(bool(sample->docker), i == 0) << i;
        if (i == 0) {
            ASSERT_TRUE(sample->docker->ok()) << sample->docker->error.toStdString();
            EXPECT_GE(sample->docker->containers.size(), 5u);
            for (const Container &container : sample->docker->containers)
                EXPECT_TRUE(container.running) << container.name.toStdString();
            EXPECT_GE(sample->docker->networks.size(), 3u);
        }
        // The fixtures' pids are not this machine's containers: nothing to read, nothing
        // claimed, whatever those pids are here.
        if (sample->table) {
            ASSERT_TRUE(sample->namespaces);
            EXPECT_TRUE(sample->namespaces->unreadable.isEmpty());
        }
    }
    QFile file(log);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> calls = file.readAll().trimmed().split('\n');
    ASSERT_EQ(calls.size(), 4) << file.fileName().toStdString();
    EXPECT_EQ(calls[0], "ps -q --no-trunc");
    EXPECT_TRUE(calls[1].startsWith("inspect "));
    EXPECT_EQ(calls[2], "network ls -q");
    EXPECT_TRUE(calls[3].startsWith("network inspect "));
}

INSTANTIATE_TEST_SUITE_P(
    Shells, ContainersUnderShell,
    ::testing::Values(QStringList{QStringLiteral("dash")},
                      QStringList{QStringLiteral("busybox"), QStringLiteral("sh")},
                      QStringList{QStringLiteral("bash"), QStringLiteral("--posix")}),
    [](const auto &param) { return param.param.first().toStdString(); });

TEST(Containers, DockerWordsAreValidatedBeforeSending)
{
    ProbeParameters p;
    p.dockerCommand = {QStringLiteral("sudo"), QStringLiteral("-n"), QStringLiteral("docker")};
    EXPECT_TRUE(p.error().isEmpty());
    EXPECT_EQ(SshTransport::remoteCommand(p),
              QByteArray("exec /bin/sh -s -- '1' '2' '0' 'auto' '30' '10' 'user' 'sudo' '-n' "
                         "'docker'"));
    p.dockerCommand = {QStringLiteral("docker;reboot")};
    EXPECT_FALSE(p.error().isEmpty());
    EXPECT_TRUE(SshTransport::remoteCommand(p).isEmpty());
    p.dockerCommand = {QStringLiteral("$(id)")};
    EXPECT_FALSE(p.error().isEmpty());

    HostSpec spec;
    spec.dockerCommand = QStringLiteral("  sudo   -n podman ");
    spec.useSudo = true;
    const ProbeParameters fromSpec = ProbeParameters::fromSpec(spec);
    EXPECT_EQ(fromSpec.dockerCommand, (QStringList{QStringLiteral("sudo"), QStringLiteral("-n"),
                                                   QStringLiteral("podman")}));
    EXPECT_TRUE(fromSpec.useSudo);
    p.dockerIntervalSec = 0; // off: the words are not sent, so they do not matter
    EXPECT_TRUE(p.error().isEmpty());
    EXPECT_EQ(p.arguments().size(), 7);
}

// The sudo switch as sshd would run it: here sudo is refused (or missing), so the probe must
// still start, unprivileged, and say so in its hello for the samples to report.
TEST(Containers, SudoRefusedFallsBackToTheLoginUser)
{
    const QString setpriv = test::findTool(QStringLiteral("setpriv"));
    if (::geteuid() != 0 || setpriv.isEmpty())
        GTEST_SKIP() << "needs root and setpriv to run the command as an account without sudo";
    ProbeParameters p = parameters(1, QStringLiteral("/nonexistent/docker"));
    p.useSudo = true;
    const QByteArray command = SshTransport::remoteCommand(p);
    ASSERT_TRUE(command.startsWith("sudo -n /bin/sh -c : && exec sudo -n /bin/sh -s -- "))
        << command.constData();
    QProcess process;
    process.start(setpriv, {QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"),
                            QStringLiteral("--clear-groups"), QStringLiteral("/bin/sh"),
                            QStringLiteral("-c"), QString::fromLatin1(command)});
    ASSERT_TRUE(process.waitForStarted(5000));
    process.write(probeScript());
    process.closeWriteChannel();
    ASSERT_TRUE(process.waitForFinished(15000));
    FrameReader reader;
    reader.feed(process.readAllStandardOutput());
    reader.finish();
    const std::optional<ProbeHello> hello = reader.takeHello();
    ASSERT_TRUE(hello) << process.readAllStandardError().constData();
    EXPECT_EQ(hello->field("privilege"), "sudo-failed");
    EXPECT_EQ(reader.takeFrames().size(), 1u);
}
