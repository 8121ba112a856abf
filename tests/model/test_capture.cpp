// The capture file: SampleCodec / GroupCodec bytes (exact round trips, refusal of every cut and
// of hostile sizes) and CaptureWriter → CaptureReader on real SQLite files (round trip, damaged
// and foreign files refused at open, atomic saves that fail cleanly, reading while recording,
// the size of an hour).

#include "capturefixtures.h"

#include "model/capture/capturefile.h"
#include "model/capture/groupcodec.h"
#include "model/capture/samplecodec.h"
#include "model/socketgrouper.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QUuid>
#include <QtEndian>

#include <gtest/gtest.h>

#include <csignal>
#include <functional>
#include <iostream>
#include <tuple>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace twbench {
namespace {

using test::fixtureNamespaces;
using test::fixtureV4;
using test::fixtureV6;
using test::realisticSample;
using test::realisticTable;

constexpr std::int64_t startMs = 1'700'000'000'000;

// --- comparison helpers: the value types have no operator== of their own ---

auto tied(const CpuTimes &t)
{
    return std::tie(t.cpu, t.user, t.nice, t.system, t.idle, t.iowait, t.irq, t.softirq, t.steal,
                    t.guest, t.guestNice);
}

auto tied(const Socket &s)
{
    return std::tie(s.local, s.remote, s.state, s.receiveQueue, s.sendQueue, s.pid, s.uid, s.inode,
                    s.netns);
}

auto tied(const ContainerNetwork &n)
{
    return std::tie(n.name, n.networkId, n.ipAddress, n.ipPrefixLength, n.ipv6Address, n.gateway,
                    n.ipv6Gateway, n.aliases);
}

auto tied(const ContainerCpuTime &c)
{
    return std::tie(c.containerId, c.usageUsec, c.source, c.miss);
}

void expectSameProcStat(const ProcStat &a, const ProcStat &b)
{
    EXPECT_TRUE(tied(a.all) == tied(b.all));
    ASSERT_EQ(a.perCpu.size(), b.perCpu.size());
    for (qsizetype i = 0; i < a.perCpu.size(); ++i)
        EXPECT_TRUE(tied(a.perCpu[i]) == tied(b.perCpu[i])) << "cpu " << i;
    EXPECT_EQ(a.contextSwitches, b.contextSwitches);
    EXPECT_EQ(a.processesCreated, b.processesCreated);
    EXPECT_EQ(a.valid, b.valid);
}

void expectSameDocker(const DockerInventory &a, const DockerInventory &b)
{
    ASSERT_EQ(a.containers.size(), b.containers.size());
    for (std::size_t i = 0; i < a.containers.size(); ++i) {
        const Container &x = a.containers[i];
        const Container &y = b.containers[i];
        EXPECT_TRUE(std::tie(x.id, x.name, x.image, x.composeProject, x.composeService, x.state,
                             x.running, x.pid, x.networkMode) ==
                    std::tie(y.id, y.name, y.image, y.composeProject, y.composeService, y.state,
                             y.running, y.pid, y.networkMode))
            << "container " << i;
        ASSERT_EQ(x.networks.size(), y.networks.size());
        for (qsizetype n = 0; n < x.networks.size(); ++n)
            EXPECT_TRUE(tied(x.networks[n]) == tied(y.networks[n])) << "network " << n;
        ASSERT_EQ(x.ports.size(), y.ports.size());
        for (qsizetype p = 0; p < x.ports.size(); ++p) {
            EXPECT_EQ(x.ports[p].port, y.ports[p].port);
            EXPECT_EQ(x.ports[p].protocol, y.ports[p].protocol);
            EXPECT_EQ(x.ports[p].bindings, y.ports[p].bindings);
        }
    }
    ASSERT_EQ(a.networks.size(), b.networks.size());
    for (std::size_t i = 0; i < a.networks.size(); ++i) {
        EXPECT_TRUE(std::tie(a.networks[i].name, a.networks[i].id, a.networks[i].driver,
                             a.networks[i].subnets, a.networks[i].gateways) ==
                    std::tie(b.networks[i].name, b.networks[i].id, b.networks[i].driver,
                             b.networks[i].subnets, b.networks[i].gateways))
            << "network " << i;
    }
    EXPECT_EQ(a.errorKind, b.errorKind);
    EXPECT_EQ(a.error, b.error);
}

// Everything but the table and its namespaces, which travel with the table.
void expectSameSample(const HostSample &a, const HostSample &b)
{
    EXPECT_EQ(a.hostId, b.hostId);
    EXPECT_EQ(a.sequence, b.sequence);
    EXPECT_EQ(a.epochMs, b.epochMs);
    EXPECT_EQ(a.counters.values, b.counters.values);
    expectSameProcStat(a.procStat, b.procStat);
    ASSERT_EQ(a.docker == nullptr, b.docker == nullptr);
    if (a.docker)
        expectSameDocker(*a.docker, *b.docker);
    ASSERT_EQ(a.containerCpu.size(), b.containerCpu.size());
    for (qsizetype i = 0; i < a.containerCpu.size(); ++i)
        EXPECT_TRUE(tied(a.containerCpu[i]) == tied(b.containerCpu[i])) << "cgroup " << i;
    EXPECT_EQ(a.onlineCpus, b.onlineCpus);
    EXPECT_EQ(a.limits, b.limits);
    EXPECT_EQ(a.logs, b.logs);
    ASSERT_EQ(a.issues.size(), b.issues.size());
    for (qsizetype i = 0; i < a.issues.size(); ++i) {
        EXPECT_EQ(a.issues[i].source, b.issues[i].source);
        EXPECT_EQ(a.issues[i].message, b.issues[i].message);
    }
}

void expectSameReport(const ParseReport &a, const ParseReport &b)
{
    EXPECT_TRUE(std::tie(a.linesRead, a.linesUsed, a.linesSkipped, a.linesRejected, a.duplicates) ==
                std::tie(b.linesRead, b.linesUsed, b.linesSkipped, b.linesRejected, b.duplicates));
    ASSERT_EQ(a.errors.size(), b.errors.size());
    for (qsizetype i = 0; i < a.errors.size(); ++i) {
        EXPECT_TRUE(std::tie(a.errors[i].lineNumber, a.errors[i].reason, a.errors[i].excerpt) ==
                    std::tie(b.errors[i].lineNumber, b.errors[i].reason, b.errors[i].excerpt));
    }
}

void expectSameTable(const Snapshot &a, const Snapshot &b)
{
    EXPECT_EQ(a.hostId, b.hostId);
    EXPECT_EQ(a.sequence, b.sequence);
    EXPECT_EQ(a.epochMs, b.epochMs);
    EXPECT_EQ(a.source, b.source);
    ASSERT_EQ(a.sockets.size(), b.sockets.size());
    for (std::size_t i = 0; i < a.sockets.size(); ++i)
        ASSERT_TRUE(tied(a.sockets[i]) == tied(b.sockets[i])) << "socket " << i;
    EXPECT_EQ(a.processNames, b.processNames);
    expectSameReport(a.report, b.report);
    EXPECT_EQ(a.listening, b.listening);
}

void expectSameNamespaces(const NamespaceMap &a, const NamespaceMap &b)
{
    EXPECT_EQ(a.hostNetns, b.hostNetns);
    EXPECT_EQ(a.containerNetns, b.containerNetns);
    EXPECT_EQ(a.unreadable, b.unreadable);
}

// --- content ---

QString loneSurrogateText()
{
    QString text = QStringLiteral("evil");
    text.append(QChar(0xd800));
    text.append(QStringLiteral("name"));
    return text;
}

std::shared_ptr<DockerInventory> dualStackInventory()
{
    auto inventory = std::make_shared<DockerInventory>();
    Container api;
    api.id = QStringLiteral("a1b2c3").repeated(10) + QStringLiteral("d4e5");
    api.name = QStringLiteral("api");
    api.image = QStringLiteral("registry.example/api:2.3");
    api.composeProject = QStringLiteral("shop");
    api.composeService = QStringLiteral("api");
    api.state = QStringLiteral("running");
    api.running = true;
    api.pid = 23144;
    api.networkMode = QStringLiteral("shop_default");
    ContainerNetwork network;
    network.name = QStringLiteral("shop_default");
    network.networkId = QStringLiteral("9f").repeated(32);
    network.ipAddress = fixtureV4(172, 18, 0, 3);
    network.ipPrefixLength = 16;
    network.ipv6Address = IpAddress::parse("fd00:1::3");
    network.gateway = fixtureV4(172, 18, 0, 1);
    network.ipv6Gateway = IpAddress::parse("fd00:1::1");
    network.aliases = {QStringLiteral("api"), QStringLiteral("a1b2c3d4e5f6")};
    api.networks = {network};
    ContainerPort published;
    published.port = 8080;
    published.protocol = QStringLiteral("tcp");
    published.bindings = {PortBinding{IpAddress::fromV4(0), 18080},
                          PortBinding{IpAddress::parse("::"), 18080}, PortBinding{{}, 18081}};
    ContainerPort exposedOnly;
    exposedOnly.port = 9090;
    exposedOnly.protocol = QStringLiteral("udp");
    api.ports = {published, exposedOnly};
    inventory->containers.push_back(api);

    Container stopped;
    stopped.id = QStringLiteral("0f9e8d").repeated(10) + QStringLiteral("7c6b");
    stopped.name = loneSurrogateText();
    stopped.state = QStringLiteral("exited");
    stopped.networkMode = QStringLiteral("host");
    ContainerNetwork hostNetwork;
    hostNetwork.name = QStringLiteral("host");
    stopped.networks = {hostNetwork};
    inventory->containers.push_back(stopped);

    DockerNetwork shop;
    shop.name = QStringLiteral("shop_default");
    shop.id = network.networkId;
    shop.driver = QStringLiteral("bridge");
    shop.subnets = {*IpSubnet::parse("172.18.0.0/16"), *IpSubnet::parse("fd00:1::/64")};
    shop.gateways = {fixtureV4(172, 18, 0, 1), *IpAddress::parse("fd00:1::1")};
    inventory->networks.push_back(shop);
    return inventory;
}

// A sample with every field set.
std::shared_ptr<HostSample> fullSample()
{
    auto sample = realisticSample(QStringLiteral("web-1"), 42, startMs);
    sample->counters.values.insert("TcpExt.TCPFromANewerKernel", -5);
    sample->counters.values.insert("", std::numeric_limits<std::int64_t>::min());
    sample->docker = dualStackInventory();
    ContainerCpuTime measured;
    measured.containerId = sample->docker->containers[0].id;
    measured.usageUsec = std::numeric_limits<std::uint64_t>::max();
    measured.source = QStringLiteral("v2-systemd");
    ContainerCpuTime gone;
    gone.containerId = sample->docker->containers[1].id;
    gone.miss = CgroupMiss::Gone;
    sample->containerCpu = {measured, gone};
    sample->onlineCpus = 2;
    sample->limits = KernelLimits::fromHello("32768-60999", "262144", "2");
    LogWindow window;
    window.sourceId = QStringLiteral("/var/log/nginx/access.log");
    window.fromMs = startMs + 41000;
    window.toMs = startMs + 42000;
    window.requests = 913;
    window.rejected = 2;
    window.truncated = 1;
    window.keys = {RequestCount{{QStringLiteral("203.0.113.9"), QStringLiteral("GET"),
                                 QStringLiteral("/users/{id}"), 200},
                                700},
                   RequestCount{{QStringLiteral("2001:db8::9"), QStringLiteral("POST"),
                                 QStringLiteral("/login"), 0},
                                211}};
    window.otherRequests = 2;
    LogWindow broken;
    broken.sourceId = QStringLiteral("container:api");
    broken.error = QStringLiteral("No such file");
    sample->logs = {window, broken};
    sample->issues = {SourceIssue{QStringLiteral("ss"), QStringLiteral("ss: command not found")},
                      SourceIssue{QStringLiteral("docker"), loneSurrogateText()}};
    return sample;
}

// A table of `count` sockets with every column used: IPv6, several namespaces, process names, a
// parse report with errors.
std::shared_ptr<Snapshot> fullTable(int count = 3000)
{
    auto table = realisticTable(QStringLiteral("web-1"), 40, startMs + 40000, count, 7);
    table->source = SocketSource::ProcNetTcp;
    Socket odd;
    odd.local = {fixtureV6(1), 65535};
    odd.remote = {*IpAddress::parse("::ffff:10.9.8.7"), 1};
    odd.state = TcpState::NewSynRecv;
    odd.receiveQueue = 0xffffffffu;
    odd.sendQueue = 17;
    odd.pid = 0xffffffffu;
    odd.uid = std::numeric_limits<std::int64_t>::max();
    odd.inode = std::numeric_limits<std::uint64_t>::max();
    odd.netns = 999;
    table->sockets.push_back(odd);
    table->processNames.insert(7, loneSurrogateText());
    table->report.reject(17, QStringLiteral("bad address"), "0100007F:ZZZZ 00000000:0000 0A");
    table->report.reject(99, QStringLiteral("too few fields"), "\x1b[31mred");
    table->report.duplicates = 3;
    table->finalize();
    return table;
}

// The plain body of a sample blob (version, storage, body), whatever encodeSample chose.
QByteArray plainSampleBlob(const HostSample &sample)
{
    const QByteArray encoded = SampleCodec::encodeSample(sample);
    if (encoded[1] == 0)
        return encoded;
    QByteArray plain = encoded.first(1);
    plain.append(char(0));
    plain.append(qUncompress(encoded.sliced(2)));
    return plain;
}

// qUncompress() warns about every damaged stream it is given; the fuzz tests give thousands.
class QuietUncompressWarnings final
{
public:
    QuietUncompressWarnings() { s_previous = qInstallMessageHandler(&filter); }
    ~QuietUncompressWarnings() { qInstallMessageHandler(s_previous); }
    Q_DISABLE_COPY_MOVE(QuietUncompressWarnings)

private:
    static void filter(QtMsgType type, const QMessageLogContext &context, const QString &message)
    {
        if (!message.startsWith(QLatin1String("qUncompress")))
            s_previous(type, context, message);
    }
    static inline QtMessageHandler s_previous = nullptr;
};

// --- SQLite helpers for the damage tests ---

bool execOn(const QString &path, const QString &sql)
{
    const QString name = QUuid::createUuid().toString();
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery query(db);
            ok = query.exec(sql);
            if (!ok)
                ADD_FAILURE() << query.lastError().text().toStdString();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

// What the database holds, in bytes (page_count × page_size; without its free pages when
// `inUse`), as another connection sees what was committed: in WAL mode the file itself grows
// only at checkpoints, so its length lags.
qint64 databaseBytes(const QString &path, bool inUse = false)
{
    const QString name = QUuid::createUuid().toString();
    qint64 bytes = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (db.open()) {
            QSqlQuery pages(db);
            QSqlQuery pageSize(db);
            QSqlQuery freePages(db);
            if (pages.exec(QStringLiteral("PRAGMA page_count")) && pages.next() &&
                pageSize.exec(QStringLiteral("PRAGMA page_size")) && pageSize.next() &&
                freePages.exec(QStringLiteral("PRAGMA freelist_count")) && freePages.next()) {
                const qint64 counted =
                    pages.value(0).toLongLong() - (inUse ? freePages.value(0).toLongLong() : 0);
                bytes = counted * pageSize.value(0).toLongLong();
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return bytes;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

bool writeAll(const QString &path, QByteArrayView bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
           file.write(bytes.data(), bytes.size()) == bytes.size();
}

// Runs `work` in a forked child; its return value is the child's exit code (-1: killed).
int runInChild(const std::function<int()> &work)
{
    std::cout.flush();
    const pid_t child = ::fork();
    if (child == 0)
        ::_exit(work());
    int status = 0;
    ::waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

QStringList leftoverTemporaries(const QString &folder)
{
    return QDir(folder).entryList({QStringLiteral(".*.tmp*")}, QDir::Files | QDir::Hidden);
}

struct CaptureFileTest : ::testing::Test
{
    QTemporaryDir dir;
    QString file(const QString &name) const { return dir.filePath(name); }

    // Two hosts, 20 samples each, a table every 5th, docker every 10th, findings at the end.
    QString writeSmallCapture(const QString &name)
    {
        CaptureWriter writer;
        const QString path = file(name);
        EXPECT_TRUE(writer.open(path)) << writer.errorString().toStdString();
        for (const QString &host : {QStringLiteral("web-1"), QStringLiteral("db-1")}) {
            CaptureHost spec;
            spec.id = host;
            spec.displayName = host;
            spec.kind = QStringLiteral("ssh");
            spec.address = host + QStringLiteral(".example");
            spec.port = 22;
            EXPECT_TRUE(writer.putHost(spec));
        }
        for (std::uint64_t second = 0; second < 20; ++second) {
            for (const QString &host : {QStringLiteral("web-1"), QStringLiteral("db-1")}) {
                auto sample = realisticSample(host, second, startMs);
                if (second % 5 == 0) {
                    sample->table =
                        realisticTable(host, second, sample->epochMs, 300, std::uint32_t(second));
                    sample->namespaces = fixtureNamespaces();
                }
                if (second % 10 == 0)
                    sample->docker = dualStackInventory();
                EXPECT_TRUE(writer.addSample(*sample)) << writer.errorString().toStdString();
            }
        }
        EXPECT_TRUE(writer.addFindings({QStringLiteral("web-1"), startMs + 19000, "[]"}));
        writer.close();
        return path;
    }
};

} // namespace

// ============================================================================================
// SampleCodec

TEST(SampleCodec, SampleWithEveryFieldRoundTripsExactly)
{
    const auto sample = fullSample();
    QString error;
    const auto decoded = SampleCodec::decodeSample(SampleCodec::encodeSample(*sample), &error);
    ASSERT_NE(decoded, nullptr) << error.toStdString();
    expectSameSample(*sample, *decoded);
    EXPECT_EQ(decoded->issues[1].message, loneSurrogateText()); // not turned into U+FFFD
    EXPECT_EQ(decoded->table, nullptr);
}

TEST(SampleCodec, EmptySampleAndDockerErrorRoundTrip)
{
    HostSample empty;
    QString error;
    auto decoded = SampleCodec::decodeSample(SampleCodec::encodeSample(empty), &error);
    ASSERT_NE(decoded, nullptr) << error.toStdString();
    expectSameSample(empty, *decoded);

    HostSample denied;
    denied.hostId = QStringLiteral("h");
    auto inventory = std::make_shared<DockerInventory>();
    inventory->errorKind = DockerError::SudoNeedsPassword;
    inventory->error = dockerErrorText(DockerError::SudoNeedsPassword);
    denied.docker = inventory;
    decoded = SampleCodec::decodeSample(SampleCodec::encodeSample(denied), &error);
    ASSERT_NE(decoded, nullptr) << error.toStdString();
    expectSameSample(denied, *decoded);
}

TEST(SampleCodec, EqualSamplesEncodeToEqualBytes)
{
    // QHash iteration order differs between two hashes of the same content.
    const auto a = fullSample();
    auto b = std::make_shared<HostSample>(*a);
    KernelCounters reversed;
    QList<QByteArray> keys = a->counters.values.keys();
    std::reverse(keys.begin(), keys.end());
    for (const QByteArray &key : keys)
        reversed.values.insert(key, a->counters.values.value(key));
    b->counters = reversed;
    EXPECT_EQ(SampleCodec::encodeSample(*a), SampleCodec::encodeSample(*b));
}

TEST(SampleCodec, TableOfThousandsRoundTripsWithNamespaces)
{
    const auto table = fullTable();
    const auto namespaces = fixtureNamespaces();
    const QByteArray encoded = SampleCodec::encodeTable(*table, namespaces.get());
    QString error;
    const auto decoded = SampleCodec::decodeTable(encoded, &error);
    ASSERT_TRUE(decoded.has_value()) << error.toStdString();
    expectSameTable(*table, *decoded->table);
    ASSERT_NE(decoded->namespaces, nullptr);
    expectSameNamespaces(*namespaces, *decoded->namespaces);
    // The dictionary and zlib make a socket cost a few bytes, not its 80 in memory.
    EXPECT_LT(encoded.size(), qsizetype(table->sockets.size()) * 6);
}

TEST(SampleCodec, TableWithoutNamespacesAndEmptyTableRoundTrip)
{
    QString error;
    const auto table = fullTable(50);
    auto decoded = SampleCodec::decodeTable(SampleCodec::encodeTable(*table, nullptr), &error);
    ASSERT_TRUE(decoded.has_value()) << error.toStdString();
    expectSameTable(*table, *decoded->table);
    EXPECT_EQ(decoded->namespaces, nullptr);

    const Snapshot empty;
    decoded = SampleCodec::decodeTable(SampleCodec::encodeTable(empty, nullptr), &error);
    ASSERT_TRUE(decoded.has_value()) << error.toStdString();
    expectSameTable(empty, *decoded->table);
}

TEST(SampleCodec, EveryTruncationOfASampleIsRefused)
{
    const QuietUncompressWarnings quiet;
    const QByteArray plain = plainSampleBlob(*fullSample());
    const QByteArray compressed = SampleCodec::encodeSample(*fullSample());
    ASSERT_EQ(compressed[1], 1) << "a full sample is big enough to be compressed";
    for (const QByteArray &whole : {plain, compressed}) {
        for (qsizetype length = 0; length < whole.size(); ++length) {
            QString error;
            const auto decoded = SampleCodec::decodeSample(whole.first(length), &error);
            ASSERT_EQ(decoded, nullptr) << "cut at " << length;
            ASSERT_FALSE(error.isEmpty());
        }
    }
}

TEST(SampleCodec, EveryTruncationOfATableBodyIsRefused)
{
    const QuietUncompressWarnings quiet;
    const auto table = fullTable(200);
    const auto namespaces = fixtureNamespaces();
    const QByteArray encoded = SampleCodec::encodeTable(*table, namespaces.get());
    const QByteArray body = qUncompress(encoded.sliced(1));
    ASSERT_FALSE(body.isEmpty());
    // Cut the body itself, recompressed, so the decoder's bounds are what is tested, not zlib's.
    for (qsizetype length = 0; length < body.size(); ++length) {
        QByteArray cut = encoded.first(1);
        cut.append(qCompress(body.first(length)));
        QString error;
        ASSERT_FALSE(SampleCodec::decodeTable(cut, &error).has_value()) << "cut at " << length;
        ASSERT_FALSE(error.isEmpty());
    }
    // And the compressed bytes.
    for (qsizetype length = 0; length < encoded.size(); ++length) {
        QString error;
        ASSERT_FALSE(SampleCodec::decodeTable(encoded.first(length), &error).has_value())
            << "cut at " << length;
    }
}

TEST(SampleCodec, FlippedBytesNeverCrash)
{
    const QuietUncompressWarnings quiet;
    // Under ASan in CI: any read out of bounds or oversized allocation fails the run.
    const QByteArray sample = plainSampleBlob(*fullSample());
    const auto table = fullTable(100);
    const auto namespaces = fixtureNamespaces();
    const QByteArray tableBlob = SampleCodec::encodeTable(*table, namespaces.get());
    const QByteArray tableBody = qUncompress(tableBlob.sliced(1));
    QRandomGenerator random(20240611);
    int refused = 0;
    for (int round = 0; round < 3000; ++round) {
        QByteArray damagedSample = sample;
        QByteArray damagedBody = tableBody;
        for (int flips = 0; flips < 1 + round % 3; ++flips) {
            damagedSample[random.bounded(int(damagedSample.size()))] ^=
                char(1 + random.bounded(255));
            damagedBody[random.bounded(int(damagedBody.size()))] ^= char(1 + random.bounded(255));
        }
        QString error;
        if (!SampleCodec::decodeSample(damagedSample, &error)) {
            ++refused;
            ASSERT_FALSE(error.isEmpty());
        }
        QByteArray damagedTable = tableBlob.first(1);
        damagedTable.append(qCompress(damagedBody));
        error.clear();
        if (!SampleCodec::decodeTable(damagedTable, &error)) {
            ++refused;
            ASSERT_FALSE(error.isEmpty());
        }
        QByteArray damagedCompressed = tableBlob;
        damagedCompressed[random.bounded(int(damagedCompressed.size()))] ^=
            char(1 + random.bounded(255));
        error.clear();
        if (!SampleCodec::decodeTable(damagedCompressed, &error)) {
            ASSERT_FALSE(error.isEmpty());
        }
    }
    // Most flips break something: the decoder does notice.
    EXPECT_GT(refused, 3000);
}

TEST(SampleCodec, SizeHeaderClaimingGigabytesIsRefusedBeforeInflating)
{
    const QuietUncompressWarnings quiet;
    const QByteArray honest = SampleCodec::encodeTable(*fullTable(100), nullptr);
    for (const std::uint32_t claim : {0xffffffffu, std::uint32_t(100 * 1024 * 1024)}) {
        QByteArray lying = honest;
        qToBigEndian(claim, lying.data() + 1);
        QString error;
        EXPECT_FALSE(SampleCodec::decodeTable(lying, &error).has_value());
        EXPECT_TRUE(error.contains(QLatin1String("impossible size"))) << error.toStdString();
    }
    // A compressed sample body the same way.
    QByteArray sample = SampleCodec::encodeSample(*fullSample());
    qToBigEndian(0xfffffff0u, sample.data() + 2);
    QString error;
    EXPECT_EQ(SampleCodec::decodeSample(sample, &error), nullptr);
    EXPECT_TRUE(error.contains(QLatin1String("impossible size"))) << error.toStdString();
}

TEST(SampleCodec, HugeCountsAreRefusedWithoutReserving)
{
    // version 1, plain, hostId "", sequence 0, epoch 0, then 2^40 counters in 7 bytes.
    const QByteArray hostile("\x01\x00\x00\x00\x00\x80\x80\x80\x80\x80\x80\x02", 12);
    QString error;
    EXPECT_EQ(SampleCodec::decodeSample(hostile, &error), nullptr);
    EXPECT_FALSE(error.isEmpty());

    // A table body that claims 2^60 addresses.
    QByteArray body("\x00\x00\x00\x01", 4); // hostId "", sequence, epoch, source
    body.append("\x80\x80\x80\x80\x80\x80\x80\x80\x10", 9);
    QByteArray table(1, char(1));
    table.append(qCompress(body));
    EXPECT_FALSE(SampleCodec::decodeTable(table, &error).has_value());
}

TEST(SampleCodec, UnknownVersionIsRefused)
{
    QByteArray sample = SampleCodec::encodeSample(HostSample());
    sample[0] = char(2);
    QString error;
    EXPECT_EQ(SampleCodec::decodeSample(sample, &error), nullptr);
    EXPECT_TRUE(error.contains(QLatin1String("version 2"))) << error.toStdString();
}

TEST(SampleCodec, GroupsRoundTripAndRefuseTruncation)
{
    const auto table = fullTable(300);
    const QList<SocketGroup> groups = groupSockets(*table, Grouping::LocalEndpoint);
    ASSERT_GT(groups.size(), 100);
    const QByteArray encoded = GroupCodec::encode(groups);
    QString error;
    const auto decoded = GroupCodec::decode(encoded, &error);
    ASSERT_TRUE(decoded.has_value()) << error.toStdString();
    ASSERT_EQ(decoded->size(), groups.size());
    for (qsizetype i = 0; i < groups.size(); ++i) {
        const CapturedGroup &got = decoded->at(i);
        EXPECT_EQ(got.endpoint, groups[i].key.endpoint);
        EXPECT_EQ(got.netns, groups[i].key.netns);
        EXPECT_EQ(got.role, groups[i].role);
        EXPECT_EQ(got.counts, groups[i].counts);
        EXPECT_EQ(got.total, groups[i].total);
        EXPECT_EQ(got.serverSide, groups[i].serverSide);
        EXPECT_EQ(got.clientSide, groups[i].clientSide);
    }
    const QByteArray body = qUncompress(encoded.sliced(1));
    for (qsizetype length = 0; length < body.size(); ++length) {
        QByteArray cut = encoded.first(1);
        cut.append(qCompress(body.first(length)));
        ASSERT_FALSE(GroupCodec::decode(cut, &error).has_value()) << "cut at " << length;
    }
}

// ============================================================================================
// CaptureWriter → CaptureReader

TEST_F(CaptureFileTest, WriterToReaderRoundTrip)
{
    const QString path = file(QStringLiteral("round.twbench"));
    std::vector<std::shared_ptr<HostSample>> written;
    CaptureHost web{QStringLiteral("web-1"),
                    QStringLiteral("Web 1"),
                    QStringLiteral("ssh"),
                    QStringLiteral("10.0.0.5"),
                    2222,
                    QStringLiteral("ops"),
                    {QStringLiteral("/var/log/nginx/access.log"), QStringLiteral("container:api")}};
    CaptureHost local{QStringLiteral("local"),
                      QStringLiteral("This workstation"),
                      QStringLiteral("local"),
                      {},
                      0,
                      {},
                      {}};
    const std::int64_t before = QDateTime::currentMSecsSinceEpoch();
    {
        CaptureWriter writer;
        ASSERT_TRUE(writer.open(path)) << writer.errorString().toStdString();
        EXPECT_TRUE(writer.isOpen());
        EXPECT_EQ(writer.path(), path);
        ASSERT_TRUE(writer.putHost(web));
        ASSERT_TRUE(writer.putHost(local));
        web.displayName = QStringLiteral("Web one"); // replaced, keeps its first position
        ASSERT_TRUE(writer.putHost(web));
        for (std::uint64_t second = 0; second < 12; ++second) {
            auto sample = second == 5 ? fullSample() : realisticSample(web.id, second, startMs);
            sample->sequence = second;
            sample->epochMs = startMs + std::int64_t(second) * 1000;
            if (second % 4 == 1) {
                auto table = fullTable(500 + int(second));
                table->sequence = second;
                table->epochMs = sample->epochMs;
                sample->table = table;
                sample->namespaces = second == 1 ? nullptr : fixtureNamespaces();
            }
            ASSERT_TRUE(writer.addSample(*sample)) << writer.errorString().toStdString();
            written.push_back(sample);
            ASSERT_TRUE(writer.addSample(*realisticSample(local.id, second, startMs + 500)));
        }
        ASSERT_TRUE(writer.addFindings({web.id, startMs + 11000, R"([{"rule":"tw"}])"}));
        ASSERT_TRUE(writer.addFindings({web.id, startMs + 5000, "[]"}));
        ASSERT_TRUE(writer.commit());
        EXPECT_GT(writer.sizeOnDisk(), 0);
    }
    QString error;
    const auto reader = CaptureReader::open(path, &error);
    ASSERT_NE(reader, nullptr) << error.toStdString();
    EXPECT_EQ(reader->path(), path);
    EXPECT_EQ(reader->hosts(), (QList<CaptureHost>{web, local}));
    const CaptureInfo info = reader->info();
    EXPECT_EQ(info.schemaVersion, captureSchemaVersion);
    EXPECT_EQ(info.writtenBy, QStringLiteral("twbench " TWBENCH_VERSION));
    EXPECT_GE(info.createdMs, before);
    EXPECT_LE(info.createdMs, QDateTime::currentMSecsSinceEpoch());
    EXPECT_EQ(info.firstMs, startMs);
    EXPECT_EQ(info.lastMs, startMs + 500 + 11000 + 11 % 7);

    const auto &samples = reader->samples(web.id);
    ASSERT_EQ(samples.size(), written.size());
    for (std::size_t i = 0; i < samples.size(); ++i) {
        SCOPED_TRACE(i);
        expectSameSample(*written[i], *samples[i]);
        EXPECT_EQ(samples[i]->table, nullptr);
    }
    EXPECT_EQ(reader->samples(local.id).size(), 12u);
    EXPECT_TRUE(reader->samples(QStringLiteral("nobody")).empty());

    const auto &tables = reader->tables(web.id);
    ASSERT_EQ(tables.size(), 3u);
    for (const CaptureTableRef &ref : tables) {
        const HostSample &source = *written[ref.sequence];
        EXPECT_EQ(ref.hostId, web.id);
        EXPECT_EQ(ref.epochMs, source.epochMs);
        EXPECT_EQ(ref.socketCount, int(source.table->sockets.size()));
        const auto table = reader->readTable(ref.id, &error);
        ASSERT_TRUE(table.has_value()) << error.toStdString();
        expectSameTable(*source.table, *table->table);
        ASSERT_EQ(table->namespaces == nullptr, source.namespaces == nullptr);
        if (source.namespaces)
            expectSameNamespaces(*source.namespaces, *table->namespaces);
    }
    EXPECT_FALSE(reader->tableAt(web.id, startMs + 999).has_value());
    EXPECT_EQ(reader->tableAt(web.id, startMs + 1000)->sequence, 1u);
    EXPECT_EQ(reader->tableAt(web.id, startMs + 8999)->sequence, 5u);
    EXPECT_EQ(reader->tableAt(web.id, startMs + 60000)->sequence, 9u);
    EXPECT_FALSE(reader->readTable(123456, &error).has_value());

    const QList<CaptureFindings> findings = reader->findings(web.id);
    ASSERT_EQ(findings.size(), 2);
    EXPECT_EQ(findings[0], (CaptureFindings{web.id, startMs + 5000, "[]"}));
    EXPECT_EQ(findings[1], (CaptureFindings{web.id, startMs + 11000, R"([{"rule":"tw"}])"}));
}

TEST_F(CaptureFileTest, ClosedCaptureIsOneFileThatRecordingCanContinue)
{
    const QString path = writeSmallCapture(QStringLiteral("continued.twbench"));
    EXPECT_FALSE(QFileInfo::exists(path + QStringLiteral("-wal")));
    EXPECT_EQ(readAll(path).at(18), 1) << "not left in WAL mode";
    {
        CaptureWriter writer;
        ASSERT_TRUE(writer.open(path)) << writer.errorString().toStdString();
        ASSERT_TRUE(writer.addSample(*realisticSample(QStringLiteral("web-1"), 20, startMs)));
    } // the destructor commits
    QString error;
    const auto reader = CaptureReader::open(path, &error);
    ASSERT_NE(reader, nullptr) << error.toStdString();
    EXPECT_EQ(reader->samples(QStringLiteral("web-1")).size(), 21u);
    EXPECT_EQ(reader->hosts().size(), 2);
}

TEST_F(CaptureFileTest, ReaderOpensAFileBeingRecordedAndSeesWhatIsCommitted)
{
    const QString path = file(QStringLiteral("live.twbench"));
    CaptureWriter writer;
    ASSERT_TRUE(writer.open(path)) << writer.errorString().toStdString();
    for (std::uint64_t second = 0; second < 10; ++second) {
        auto sample = realisticSample(QStringLiteral("web-1"), second, startMs);
        if (second == 3)
            sample->table = realisticTable(QStringLiteral("web-1"), 3, sample->epochMs, 400, 3);
        ASSERT_TRUE(writer.addSample(*sample));
    }
    ASSERT_TRUE(writer.commit());
    ASSERT_TRUE(writer.addSample(*realisticSample(QStringLiteral("web-1"), 10, startMs)));
    EXPECT_TRUE(QFileInfo::exists(path + QStringLiteral("-wal")));

    QString error;
    auto reader = CaptureReader::open(path, &error);
    ASSERT_NE(reader, nullptr) << error.toStdString();
    EXPECT_EQ(reader->samples(QStringLiteral("web-1")).size(), 10u);
    ASSERT_EQ(reader->tables(QStringLiteral("web-1")).size(), 1u);
    EXPECT_TRUE(reader->readTable(reader->tables(QStringLiteral("web-1"))[0].id, &error))
        << error.toStdString();

    ASSERT_TRUE(writer.commit());
    reader = CaptureReader::open(path, &error);
    ASSERT_NE(reader, nullptr) << error.toStdString();
    EXPECT_EQ(reader->samples(QStringLiteral("web-1")).size(), 11u);
}

TEST_F(CaptureFileTest, ReaderOpensTheWalOfARecordingThatCrashed)
{
    const QString path = file(QStringLiteral("crashed.twbench"));
    const int exitCode = runInChild([&path] {
        auto *writer = new CaptureWriter; // never closed: the process dies with it
        if (!writer->open(path))
            return 1;
        for (std::uint64_t second = 0; second < 5; ++second) {
            if (!writer->addSample(*realisticSample(QStringLiteral("web-1"), second, startMs)))
                return 2;
        }
        return writer->commit() ? 0 : 3;
    });
    ASSERT_EQ(exitCode, 0);
    ASSERT_TRUE(QFileInfo::exists(path + QStringLiteral("-wal")));
    QString error;
    const auto reader = CaptureReader::open(path, &error);
    ASSERT_NE(reader, nullptr) << error.toStdString();
    EXPECT_EQ(reader->samples(QStringLiteral("web-1")).size(), 5u);
}

TEST_F(CaptureFileTest, MissingRandomAndEmptyFilesAreRefused)
{
    QString error;
    EXPECT_EQ(CaptureReader::open(file(QStringLiteral("absent.twbench")), &error), nullptr);
    EXPECT_TRUE(error.contains(QLatin1String("does not exist"))) << error.toStdString();
    EXPECT_TRUE(error.contains(QLatin1String("absent.twbench")));

    QByteArray noise(64 * 1024, Qt::Uninitialized);
    QRandomGenerator(7).fillRange(reinterpret_cast<quint32 *>(noise.data()), noise.size() / 4);
    const QString random = file(QStringLiteral("random.twbench"));
    ASSERT_TRUE(writeAll(random, noise));
    EXPECT_EQ(CaptureReader::open(random, &error), nullptr);
    EXPECT_TRUE(error.contains(QLatin1String("not an SQLite database"))) << error.toStdString();

    const QString empty = file(QStringLiteral("empty.twbench"));
    ASSERT_TRUE(writeAll(empty, {}));
    EXPECT_EQ(CaptureReader::open(empty, &error), nullptr);
    EXPECT_TRUE(error.contains(QLatin1String("not an SQLite database"))) << error.toStdString();

    // The writer refuses to record into a file that is not a capture, and leaves it alone.
    CaptureWriter writer;
    EXPECT_FALSE(writer.open(random));
    EXPECT_TRUE(writer.errorString().contains(QLatin1String("not an SQLite database")));
    EXPECT_EQ(readAll(random), noise);
}

TEST_F(CaptureFileTest, TruncatedFilesAreRefused)
{
    const QString path = writeSmallCapture(QStringLiteral("whole.twbench"));
    const QByteArray whole = readAll(path);
    ASSERT_GT(whole.size(), 16 * 1024);
    for (const qsizetype length :
         {qsizetype(20), qsizetype(99), qsizetype(100), qsizetype(4096), qsizetype(4096 * 3 + 17),
          whole.size() / 2, whole.size() - 4096, whole.size() - 1}) {
        const QString cut = file(QStringLiteral("cut-%1.twbench").arg(length));
        ASSERT_TRUE(writeAll(cut, whole.first(length)));
        QString error;
        EXPECT_EQ(CaptureReader::open(cut, &error), nullptr) << "cut at " << length;
        EXPECT_FALSE(error.isEmpty());
        EXPECT_TRUE(error.contains(QStringLiteral("cut-%1.twbench").arg(length)))
            << error.toStdString();
    }
}

TEST_F(CaptureFileTest, AnotherApplicationsDatabaseIsRefused)
{
    const QString path = file(QStringLiteral("other.sqlite"));
    ASSERT_TRUE(execOn(path, QStringLiteral("CREATE TABLE samples(id INTEGER, data BLOB)")));
    QString error;
    EXPECT_EQ(CaptureReader::open(path, &error), nullptr);
    EXPECT_TRUE(error.contains(QLatin1String("is an SQLite database but not a twbench capture")))
        << error.toStdString();
    CaptureWriter writer;
    EXPECT_FALSE(writer.open(path));
    EXPECT_TRUE(writer.errorString().contains(QLatin1String("not a twbench capture")));
}

TEST_F(CaptureFileTest, NewerSchemaIsRefusedByName)
{
    const QString path = writeSmallCapture(QStringLiteral("newer.twbench"));
    ASSERT_TRUE(
        execOn(path, QStringLiteral("PRAGMA user_version = %1").arg(captureSchemaVersion + 1)));
    const QString expected = QStringLiteral("was written by a newer twbench (schema %1); this one "
                                            "reads up to %2")
                                 .arg(captureSchemaVersion + 1)
                                 .arg(captureSchemaVersion);
    QString error;
    EXPECT_EQ(CaptureReader::open(path, &error), nullptr);
    EXPECT_TRUE(error.contains(expected)) << error.toStdString();
    CaptureWriter writer;
    EXPECT_FALSE(writer.open(path));
    EXPECT_TRUE(writer.errorString().contains(expected)) << writer.errorString().toStdString();
}

TEST_F(CaptureFileTest, SchemaWithoutMigrationPathIsRefused)
{
    // Schema 0 never existed: there is no step from it, and the file is left as it was.
    const QString path = writeSmallCapture(QStringLiteral("zero.twbench"));
    ASSERT_TRUE(execOn(path, QStringLiteral("PRAGMA user_version = 0")));
    const QByteArray before = readAll(path);
    QString error;
    EXPECT_EQ(CaptureReader::open(path, &error), nullptr);
    EXPECT_TRUE(error.contains(QLatin1String("no migration from schema 0"))) << error.toStdString();
    EXPECT_EQ(readAll(path), before);
}

TEST_F(CaptureFileTest, OneGarbageBlobRefusesTheWholeFileAtOpen)
{
    const QString path = writeSmallCapture(QStringLiteral("source.twbench"));
    const QStringList damage = {
        QStringLiteral(
            "UPDATE tables SET data = randomblob(400) WHERE id = (SELECT MAX(id) FROM tables)"),
        QStringLiteral("UPDATE tables SET data = X'01' || randomblob(400) WHERE id = 1"),
        QStringLiteral("UPDATE samples SET data = randomblob(60) WHERE id = 7"),
        QStringLiteral("UPDATE \"groups\" SET data = randomblob(30) WHERE table_id = 2"),
        QStringLiteral("UPDATE samples SET host_id = 'db-1' WHERE id = 1"),
        QStringLiteral("UPDATE hosts SET spec = '{' WHERE position = 0"),
        QStringLiteral("UPDATE findings SET data = 'not json'"),
        QStringLiteral("DELETE FROM tables WHERE id = 1"),
    };
    for (const QString &statement : damage) {
        const QString copy = file(QStringLiteral("damaged.twbench"));
        QFile::remove(copy);
        ASSERT_TRUE(QFile::copy(path, copy));
        ASSERT_TRUE(execOn(copy, statement));
        QString error;
        EXPECT_EQ(CaptureReader::open(copy, &error), nullptr) << statement.toStdString();
        EXPECT_TRUE(error.contains(QLatin1String("is damaged"))) << error.toStdString();
    }
}

TEST_F(CaptureFileTest, ReadTableAfterTheFileWentAwayFails)
{
    const QString path = writeSmallCapture(QStringLiteral("gone.twbench"));
    QString error;
    const auto reader = CaptureReader::open(path, &error);
    ASSERT_NE(reader, nullptr) << error.toStdString();
    const std::int64_t id = reader->tables(QStringLiteral("web-1")).front().id;
    ASSERT_TRUE(QFile::remove(path));
    EXPECT_FALSE(reader->readTable(id, &error).has_value());
    EXPECT_TRUE(error.contains(QLatin1String("gone"))) << error.toStdString();

    // Replaced by another capture: the row is not the one listed.
    ASSERT_TRUE(QFile::copy(writeSmallCapture(QStringLiteral("other.twbench")), path));
    ASSERT_TRUE(execOn(path, QStringLiteral("UPDATE tables SET epoch_ms = epoch_ms + 1")));
    EXPECT_FALSE(reader->readTable(id, &error).has_value());
    EXPECT_TRUE(error.contains(QLatin1String("changed"))) << error.toStdString();
}

// ============================================================================================
// saveCopyTo

TEST_F(CaptureFileTest, SaveCopyReplacesTheTargetWithAPlainFile)
{
    const QString source = writeSmallCapture(QStringLiteral("source.twbench"));
    const QString target = file(QStringLiteral("saved.twbench"));
    ASSERT_TRUE(writeAll(target, "an older report attachment"));

    CaptureWriter writer;
    ASSERT_TRUE(writer.open(source)) << writer.errorString().toStdString();
    ASSERT_TRUE(writer.addSample(*realisticSample(QStringLiteral("web-1"), 20, startMs)));
    // Uncommitted until saveCopyTo commits it.
    ASSERT_TRUE(writer.saveCopyTo(target)) << writer.errorString().toStdString();
    EXPECT_TRUE(leftoverTemporaries(dir.path()).isEmpty())
        << leftoverTemporaries(dir.path()).join(u' ').toStdString();
    EXPECT_FALSE(QFileInfo::exists(target + QStringLiteral("-wal")));
    EXPECT_EQ(readAll(target).at(18), 1) << "the copy is not in WAL mode";
    EXPECT_EQ(readAll(target).at(19), 1);

    QString error;
    const auto reader = CaptureReader::open(target, &error);
    ASSERT_NE(reader, nullptr) << error.toStdString();
    EXPECT_EQ(reader->samples(QStringLiteral("web-1")).size(), 21u);
    EXPECT_EQ(reader->tables(QStringLiteral("db-1")).size(), 4u);

    // Saving again over it replaces it again; saving onto the recording itself is refused.
    ASSERT_TRUE(writer.addSample(*realisticSample(QStringLiteral("web-1"), 21, startMs)));
    ASSERT_TRUE(writer.saveCopyTo(target)) << writer.errorString().toStdString();
    EXPECT_EQ(CaptureReader::open(target, &error)->samples(QStringLiteral("web-1")).size(), 22u);
    EXPECT_FALSE(writer.saveCopyTo(source));
    EXPECT_TRUE(writer.errorString().startsWith(QStringLiteral("Could not save to ")));
}

TEST_F(CaptureFileTest, SaveCopyPathWithQuotesIsBoundNotPasted)
{
    const QString source = writeSmallCapture(QStringLiteral("source.twbench"));
    const QString target = file(QStringLiteral("it's \"quoted\"; DROP TABLE samples; --.twbench"));
    CaptureWriter writer;
    ASSERT_TRUE(writer.open(source));
    ASSERT_TRUE(writer.saveCopyTo(target)) << writer.errorString().toStdString();
    QString error;
    EXPECT_NE(CaptureReader::open(target, &error), nullptr) << error.toStdString();
}

TEST_F(CaptureFileTest, SaveCopyIntoAReadOnlyFolderFailsAndKeepsTheTarget)
{
    // As root, permissions do not stop a write: the child drops to nobody first.
    QTemporaryDir recording;
    ASSERT_TRUE(QFile::setPermissions(recording.path(), QFile::Permissions(0x7777)));
    ASSERT_TRUE(QFile::setPermissions(dir.path(), QFile::Permissions(0x7755)));
    const QString source = recording.filePath(QStringLiteral("source.twbench"));
    {
        CaptureWriter writer;
        ASSERT_TRUE(writer.open(source));
        ASSERT_TRUE(writer.addSample(*realisticSample(QStringLiteral("web-1"), 0, startMs)));
    }
    ASSERT_TRUE(QFile::setPermissions(source, QFile::Permissions(0x6666)));
    const QString folder = dir.filePath(QStringLiteral("readonly"));
    ASSERT_TRUE(QDir().mkpath(folder));
    const QString target = folder + QStringLiteral("/saved.twbench");
    const QByteArray previous = readAll(writeSmallCapture(QStringLiteral("previous.twbench")));
    ASSERT_TRUE(writeAll(target, previous));
    ASSERT_TRUE(QFile::setPermissions(folder, QFile::Permissions(0x5555)));

    const int exitCode = runInChild([&] {
        if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0))
            return 10;
        CaptureWriter writer;
        if (!writer.open(source))
            return 11;
        if (writer.saveCopyTo(target))
            return 12;
        return writer.errorString().startsWith(QStringLiteral("Could not save to ") + target) ? 0
                                                                                              : 13;
    });
    QFile::setPermissions(folder, QFile::Permissions(0x7700));
    EXPECT_EQ(exitCode, 0);
    EXPECT_EQ(readAll(target), previous);
    EXPECT_TRUE(leftoverTemporaries(folder).isEmpty());
}

TEST_F(CaptureFileTest, SaveCopyOnAFullDiskFailsAndKeepsTheTarget)
{
    // A disk that fills up, without mounting anything: RLIMIT_FSIZE makes every write past
    // 64 kB fail with EFBIG in the child (SIGXFSZ ignored, so the write returns an error).
    const QString source = file(QStringLiteral("big.twbench"));
    {
        CaptureWriter writer;
        ASSERT_TRUE(writer.open(source));
        for (std::uint64_t second = 0; second < 40; ++second) {
            auto sample = realisticSample(QStringLiteral("web-1"), second, startMs);
            sample->table = realisticTable(QStringLiteral("web-1"), second, sample->epochMs, 2000,
                                           std::uint32_t(second));
            ASSERT_TRUE(writer.addSample(*sample));
        }
    }
    ASSERT_GT(QFileInfo(source).size(), 256 * 1024);
    const QString target = file(QStringLiteral("saved.twbench"));
    const QByteArray previous = readAll(writeSmallCapture(QStringLiteral("previous.twbench")));
    ASSERT_TRUE(writeAll(target, previous));

    const int exitCode = runInChild([&] {
        CaptureWriter writer;
        if (!writer.open(source))
            return 11;
        std::signal(SIGXFSZ, SIG_IGN);
        const rlimit limit{64 * 1024, 64 * 1024};
        if (::setrlimit(RLIMIT_FSIZE, &limit) != 0)
            return 10;
        if (writer.saveCopyTo(target))
            return 12;
        return writer.errorString().startsWith(QStringLiteral("Could not save to ")) ? 0 : 13;
    });
    EXPECT_EQ(exitCode, 0);
    EXPECT_EQ(readAll(target), previous);
    EXPECT_TRUE(leftoverTemporaries(dir.path()).isEmpty())
        << leftoverTemporaries(dir.path()).join(u' ').toStdString();
    QString error;
    EXPECT_NE(CaptureReader::open(target, &error), nullptr) << error.toStdString();
}

// ============================================================================================
// Size budget: one host for one hour.

TEST_F(CaptureFileTest, OneHostHourFitsTheSizeBudget)
{
    const QString recording = file(QStringLiteral("hour.twbench"));
    const QString saved = file(QStringLiteral("hour-saved.twbench"));
    int tables = 0;
    {
        CaptureWriter writer;
        ASSERT_TRUE(writer.open(recording));
        ASSERT_TRUE(writer.putHost({QStringLiteral("web-1"),
                                    QStringLiteral("web-1"),
                                    QStringLiteral("ssh"),
                                    QStringLiteral("10.0.0.5"),
                                    22,
                                    QStringLiteral("ops"),
                                    {}}));
        for (std::uint64_t second = 0; second < 3600; ++second) {
            auto sample = realisticSample(QStringLiteral("web-1"), second, startMs);
            if (second % 5 == 0) {
                sample->table = realisticTable(QStringLiteral("web-1"), second, sample->epochMs,
                                               2000, std::uint32_t(second));
                sample->namespaces = fixtureNamespaces();
                ++tables;
            }
            ASSERT_TRUE(writer.addSample(*sample)) << writer.errorString().toStdString();
            ASSERT_TRUE(writer.commit()); // the recorder commits every second
        }
        ASSERT_TRUE(writer.saveCopyTo(saved)) << writer.errorString().toStdString();
        std::cout << "[ capture  ] recording with WAL: " << writer.sizeOnDisk() << " bytes\n";
    }
    const qint64 savedBytes = QFileInfo(saved).size();
    std::cout << "[ capture  ] one host-hour (3600 samples, " << tables
              << " tables of 2000 sockets): " << savedBytes << " bytes saved, "
              << QFileInfo(recording).size() << " bytes recorded\n";
    RecordProperty("bytes_per_host_hour", int(savedBytes));
    EXPECT_LE(savedBytes, 20 * 1024 * 1024);

    QString error;
    const auto reader = CaptureReader::open(saved, &error);
    ASSERT_NE(reader, nullptr) << error.toStdString();
    EXPECT_EQ(reader->samples(QStringLiteral("web-1")).size(), 3600u);
    EXPECT_EQ(int(reader->tables(QStringLiteral("web-1")).size()), tables);
}

TEST_F(CaptureFileTest, RollingWindowStopsTheFileGrowing)
{
    // Compressed time: two hours of one host's samples (a table every 5 s) into a recording
    // that keeps 30 minutes. The file grows through the first window, then stays; the rows
    // left are the last 30 minutes; what a second, quiet host recorded stays as it was.
    constexpr std::int64_t windowMs = 30 * 60 * 1000;
    constexpr std::uint64_t seconds = 2 * 60 * 60;
    const QString path = file(QStringLiteral("rolling.twbench"));
    QList<qint64> sizeEveryWindow;
    {
        CaptureWriter writer;
        writer.setRetention(windowMs);
        ASSERT_TRUE(writer.open(path)) << writer.errorString().toStdString();
        EXPECT_EQ(writer.retentionMs(), windowMs);
        // The quiet host: 10 minutes of samples at the start, then nothing.
        for (std::uint64_t second = 0; second < 600; ++second) {
            ASSERT_TRUE(
                writer.addSample(*realisticSample(QStringLiteral("quiet"), second, startMs)));
        }
        for (std::uint64_t second = 0; second < seconds; ++second) {
            auto sample = realisticSample(QStringLiteral("web-1"), second, startMs);
            if (second % 5 == 0) {
                sample->table = realisticTable(QStringLiteral("web-1"), second, sample->epochMs,
                                               300, std::uint32_t(second));
                sample->namespaces = fixtureNamespaces();
            }
            ASSERT_TRUE(writer.addSample(*sample)) << writer.errorString().toStdString();
            if (second % 60 == 0) {
                ASSERT_TRUE(writer.addFindings(
                    {QStringLiteral("web-1"), sample->epochMs, QByteArrayLiteral("[]")}));
            }
            if (second % 10 == 9) {
                ASSERT_TRUE(writer.commit());
            }
            if ((second + 1) % (windowMs / 1000) == 0) {
                ASSERT_TRUE(writer.commit());
                sizeEveryWindow.append(databaseBytes(path));
                // On disk: the database and its log, which stays within its limit (8 MiB) plus
                // what one checkpoint interval (1,000 pages) writes.
                EXPECT_LT(writer.sizeOnDisk(), sizeEveryWindow.last() + 16 * 1024 * 1024);
            }
        }
        ASSERT_TRUE(writer.commit());
    }
    ASSERT_EQ(sizeEveryWindow.size(), 4);
    std::cout << "[ capture  ] rolling window of 30 min, database at 30/60/90/120 min:";
    for (const qint64 size : std::as_const(sizeEveryWindow))
        std::cout << ' ' << size;
    std::cout << " bytes\n";
    // Without the window the file would double and triple; with it, the later windows take
    // the room the first left (a quarter of free pages at most, see returnFreePages()).
    for (int i = 1; i < sizeEveryWindow.size(); ++i)
        EXPECT_LE(sizeEveryWindow[i], sizeEveryWindow[0] * 13 / 10) << "window " << i;

    QString error;
    const auto reader = CaptureReader::open(path, &error);
    ASSERT_NE(reader, nullptr) << error.toStdString();
    const auto &samples = reader->samples(QStringLiteral("web-1"));
    ASSERT_FALSE(samples.empty());
    const std::int64_t lastMs = samples.back()->epochMs;
    // Pruned once a minute: the oldest row is at most a minute older than the window.
    EXPECT_GE(samples.front()->epochMs, lastMs - windowMs - 60 * 1000);
    EXPECT_LE(samples.front()->epochMs, lastMs - windowMs + 1000);
    EXPECT_EQ(samples.back()->sequence, seconds - 1);
    const auto &tables = reader->tables(QStringLiteral("web-1"));
    ASSERT_FALSE(tables.empty());
    EXPECT_GE(tables.front().epochMs, lastMs - windowMs - 60 * 1000);
    // Every table left has its grouped snapshot (the reader refuses a file otherwise). The
    // findings went with their samples, all but the newest before the cut: it is what held at
    // the window's start (they are recorded when they change).
    const QList<CaptureFindings> findings = reader->findings(QStringLiteral("web-1"));
    ASSERT_FALSE(findings.isEmpty());
    const auto beforeWindow =
        std::count_if(findings.cbegin(), findings.cend(), [&](const CaptureFindings &f) {
            return f.epochMs < samples.front()->epochMs;
        });
    EXPECT_EQ(beforeWindow, 1);
    EXPECT_EQ(reader->samples(QStringLiteral("quiet")).size(), 600u);
}

TEST_F(CaptureFileTest, SizeCapNarrowsTheWindowAndWidensItBack)
{
    // Two hosts, a 30-minute window, and a cap of two thirds of what that window takes (about
    // 1.6 MB for one such host, see above): the window narrows until the rows fit (never below
    // 10 minutes), narrows again under a lower cap, and widens again when there is room.
    constexpr std::int64_t windowMs = 30 * 60 * 1000;
    constexpr std::int64_t capBytes = 2100 * 1024;
    const QString path = file(QStringLiteral("capped.twbench"));
    const auto withinCap = [&path](qint64 cap) {
        // Rows in use within the cap, give or take the minute of rows between two resizes;
        // the file holds at most a quarter more in free pages.
        return databaseBytes(path, true) <= cap * 115 / 100 &&
               databaseBytes(path) <= cap * 150 / 100;
    };
    CaptureWriter writer;
    writer.setRetention(windowMs);
    writer.setSizeCap(capBytes);
    ASSERT_TRUE(writer.open(path));
    EXPECT_EQ(writer.sizeCap(), capBytes);
    EXPECT_EQ(writer.keptMs(), windowMs);
    const auto feed = [&](std::uint64_t from, std::uint64_t until, const QStringList &hosts) {
        for (std::uint64_t second = from; second < until; ++second) {
            for (const QString &host : hosts) {
                auto sample = realisticSample(host, second, startMs);
                if (second % 5 == 0) {
                    sample->table =
                        realisticTable(host, second, sample->epochMs, 300, std::uint32_t(second));
                }
                if (!writer.addSample(*sample))
                    return false;
            }
            if (second % 10 == 9 && !writer.commit())
                return false;
        }
        return writer.commit();
    };
    const QStringList both = {QStringLiteral("web-1"), QStringLiteral("web-2")};
    ASSERT_TRUE(feed(0, 90 * 60, both)) << writer.errorString().toStdString();
    const std::int64_t narrowedMs = writer.keptMs();
    std::cout << "[ capture  ] cap " << capBytes << " bytes: " << databaseBytes(path, true)
              << " bytes in use, window " << narrowedMs / 60000 << " min\n";
    EXPECT_LT(narrowedMs, windowMs);
    EXPECT_GE(narrowedMs, 10 * 60 * 1000);
    EXPECT_TRUE(withinCap(capBytes));

    // web-2 goes quiet and the cap is lowered: the window narrows again, and web-2's rows are
    // cut to it as well (a quiet host does not keep the room).
    constexpr std::int64_t lowerCapBytes = capBytes * 7 / 10;
    writer.setSizeCap(lowerCapBytes);
    ASSERT_TRUE(feed(90 * 60, 120 * 60, {QStringLiteral("web-1")}))
        << writer.errorString().toStdString();
    const std::int64_t lowerMs = writer.keptMs();
    EXPECT_LT(lowerMs, narrowedMs);
    EXPECT_GE(lowerMs, 10 * 60 * 1000);
    EXPECT_TRUE(withinCap(lowerCapBytes));
    {
        QString error;
        const auto reader = CaptureReader::open(path, &error);
        ASSERT_NE(reader, nullptr) << error.toStdString();
        const auto &quiet = reader->samples(QStringLiteral("web-2"));
        ASSERT_FALSE(quiet.empty());
        EXPECT_LE(quiet.back()->epochMs - quiet.front()->epochMs, lowerMs + 60 * 1000);
    }

    // Room again: the window widens back towards its 30 minutes, a minute per minute.
    writer.setSizeCap(capBytes * 4);
    ASSERT_TRUE(feed(120 * 60, 130 * 60, {QStringLiteral("web-1")}))
        << writer.errorString().toStdString();
    EXPECT_GE(writer.keptMs(), lowerMs + 5 * 60 * 1000);
    EXPECT_LE(writer.keptMs(), windowMs);
}

TEST_F(CaptureFileTest, NarrowerWindowGivesTheFreedPagesBack)
{
    // An hour kept, then the operator narrows the window to 10 minutes: the next prune frees
    // five sixths of the rows, and the file hands the surplus pages back to the file system.
    const QString path = file(QStringLiteral("narrower.twbench"));
    CaptureWriter writer;
    writer.setRetention(60 * 60 * 1000);
    ASSERT_TRUE(writer.open(path));
    std::uint64_t second = 0;
    const auto feed = [&](std::uint64_t until) {
        for (; second < until; ++second) {
            auto sample = realisticSample(QStringLiteral("web-1"), second, startMs);
            if (second % 5 == 0) {
                sample->table = realisticTable(QStringLiteral("web-1"), second, sample->epochMs,
                                               300, std::uint32_t(second));
            }
            if (!writer.addSample(*sample))
                return false;
        }
        return writer.commit();
    };
    ASSERT_TRUE(feed(3600)) << writer.errorString().toStdString();
    const qint64 hourBytes = databaseBytes(path);
    writer.setRetention(10 * 60 * 1000);
    ASSERT_TRUE(feed(3600 + 120)) << writer.errorString().toStdString();
    // A checkpoint moves the shrunk database from its log into the file.
    writer.close();
    const qint64 narrowedBytes = QFileInfo(path).size();
    std::cout << "[ capture  ] an hour: " << hourBytes
              << " bytes; narrowed to 10 minutes: " << narrowedBytes << " bytes\n";
    // Ten or twelve minutes of the hour, with at most an eighth of the file free.
    EXPECT_LT(narrowedBytes, hourBytes / 3);
    EXPECT_EQ(narrowedBytes, databaseBytes(path)); // the file itself shrank
    QString error;
    const auto reader = CaptureReader::open(path, &error);
    ASSERT_NE(reader, nullptr) << error.toStdString();
    EXPECT_LE(reader->samples(QStringLiteral("web-1")).size(), 12u * 60u + 1u);
}

} // namespace twbench
