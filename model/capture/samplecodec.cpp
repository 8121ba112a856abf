#include "samplecodec.h"

#include "bytestream.h"
#include "knowncounters.h"

#include <QHash>

#include <algorithm>
#include <limits>
#include <utility>

namespace twbench {

using capture::ByteReader;
using capture::ByteWriter;
using capture::Dictionary;
using capture::EndpointDictionaries;
using capture::getEndpointDictionaries;
using capture::putEndpointDictionaries;

namespace {

// The first byte of every blob. A reader refuses a version it does not know rather than guess.
constexpr std::uint8_t sampleCodecVersion = 1;
constexpr std::uint8_t tableCodecVersion = 1;

// The second byte of a sample blob: how its body is stored.
constexpr std::uint8_t sampleBodyPlain = 0;
constexpr std::uint8_t sampleBodyCompressed = 1;
// Below this, zlib's own header eats most of what it would save.
constexpr qsizetype compressSampleBodiesOver = 128;
// Log windows are bounded (maxKeysPerWindow) and so is everything else of a sample: this is
// far above any honest one.
constexpr qsizetype maxDecodedSampleBytes = 64 * 1024 * 1024;

// The least bytes one encoded element can take: counts are checked against them before anything
// is reserved. Socket: its shape, two ports, its inode.
constexpr qsizetype minSocketBytes = 1 + 2 + 2 + 1;

const QHash<QByteArray, int> &knownCounterCodes()
{
    static const QHash<QByteArray, int> codes = [] {
        QHash<QByteArray, int> out;
        out.reserve(capture::knownCounterCount);
        for (int i = 0; i < capture::knownCounterCount; ++i) {
            const std::string_view name = capture::knownCounterNames[std::size_t(i)];
            out.insert(QByteArray(name.data(), qsizetype(name.size())), i + 1);
        }
        return out;
    }();
    return codes;
}

template<typename Enum>
Enum getEnum(ByteReader &in, Enum last)
{
    return static_cast<Enum>(in.getVarUintAtMost(std::uint64_t(last)));
}

int getInt(ByteReader &in)
{
    const std::int64_t value = in.getVarInt();
    if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max()) {
        in.fail();
        return 0;
    }
    return int(value);
}

void putOptionalAddress(ByteWriter &out, const std::optional<IpAddress> &address)
{
    out.putBool(address.has_value());
    if (address)
        out.putAddress(*address);
}

std::optional<IpAddress> getOptionalAddress(ByteReader &in)
{
    if (!in.getBool())
        return std::nullopt;
    return in.getAddress();
}

void putStrings(ByteWriter &out, const QStringList &strings)
{
    out.putVarUint(std::uint64_t(strings.size()));
    for (const QString &text : strings)
        out.putString(text);
}

QStringList getStrings(ByteReader &in)
{
    QStringList out;
    const qsizetype count = in.getCount(1);
    for (qsizetype i = 0; i < count && in.ok(); ++i)
        out.append(in.getString());
    return out;
}

// --- counters and CPU ---

// Column by column: the known names as gaps between their codes (a sample has nearly all of
// them, so the gaps are runs of 1 that zlib all but removes), the others spelled out, then the
// values in the same order.
void putCounters(ByteWriter &out, const KernelCounters &counters)
{
    const QHash<QByteArray, int> &codes = knownCounterCodes();
    std::vector<std::pair<int, std::int64_t>> known;
    std::vector<std::pair<QByteArray, std::int64_t>> unknown;
    known.reserve(std::size_t(counters.values.size()));
    for (auto it = counters.values.cbegin(); it != counters.values.cend(); ++it) {
        const int code = codes.value(it.key(), 0);
        if (code != 0)
            known.emplace_back(code, it.value());
        else
            unknown.emplace_back(it.key(), it.value());
    }
    // A fixed order makes equal samples encode to equal bytes (QHash order is per process).
    std::sort(known.begin(), known.end());
    std::sort(unknown.begin(), unknown.end());
    out.putVarUint(known.size());
    int previousCode = 0;
    for (const auto &[code, value] : known) {
        out.putVarUint(std::uint64_t(code - previousCode));
        previousCode = code;
    }
    out.putVarUint(unknown.size());
    for (const auto &[name, value] : unknown)
        out.putBytes(name);
    for (const auto &[code, value] : known)
        out.putVarInt(value);
    for (const auto &[name, value] : unknown)
        out.putVarInt(value);
}

void getCounters(ByteReader &in, KernelCounters &counters)
{
    // Each known counter takes a gap and a value; each other one a name and a value.
    const qsizetype knownCount = in.getCount(2);
    std::vector<QByteArray> names;
    names.reserve(std::size_t(knownCount));
    std::uint64_t code = 0;
    for (qsizetype i = 0; i < knownCount && in.ok(); ++i) {
        const std::uint64_t gap = in.getVarUintAtMost(capture::knownCounterCount);
        code += gap;
        if (gap == 0 || code > std::uint64_t(capture::knownCounterCount)) {
            in.fail();
            break;
        }
        const std::string_view name = capture::knownCounterNames[std::size_t(code - 1)];
        names.emplace_back(name.data(), qsizetype(name.size()));
    }
    const qsizetype unknownCount = in.getCount(2);
    for (qsizetype i = 0; i < unknownCount && in.ok(); ++i)
        names.push_back(in.getBytes());
    if (!in.ok())
        return;
    counters.values.reserve(qsizetype(names.size()));
    for (const QByteArray &name : names) {
        const std::int64_t value = in.getVarInt();
        if (counters.values.contains(name))
            in.fail();
        counters.values.insert(name, value);
    }
}

void putCpuTimes(ByteWriter &out, const CpuTimes &times)
{
    out.putVarInt(times.cpu);
    for (const std::uint64_t value :
         {times.user, times.nice, times.system, times.idle, times.iowait, times.irq, times.softirq,
          times.steal, times.guest, times.guestNice})
        out.putVarUint(value);
}

void getCpuTimes(ByteReader &in, CpuTimes &times)
{
    times.cpu = getInt(in);
    for (std::uint64_t *value :
         {&times.user, &times.nice, &times.system, &times.idle, &times.iowait, &times.irq,
          &times.softirq, &times.steal, &times.guest, &times.guestNice})
        *value = in.getVarUint();
}

constexpr qsizetype minCpuTimesBytes = 11;

void putProcStat(ByteWriter &out, const ProcStat &stat)
{
    putCpuTimes(out, stat.all);
    out.putVarUint(std::uint64_t(stat.perCpu.size()));
    for (const CpuTimes &times : stat.perCpu)
        putCpuTimes(out, times);
    out.putVarUint(stat.contextSwitches);
    out.putVarUint(stat.processesCreated);
    out.putBool(stat.valid);
}

void getProcStat(ByteReader &in, ProcStat &stat)
{
    getCpuTimes(in, stat.all);
    const qsizetype count = in.getCount(minCpuTimesBytes);
    stat.perCpu.reserve(count);
    for (qsizetype i = 0; i < count && in.ok(); ++i)
        getCpuTimes(in, stat.perCpu.emplace_back());
    stat.contextSwitches = in.getVarUint();
    stat.processesCreated = in.getVarUint();
    stat.valid = in.getBool();
}

// --- docker ---

void putContainer(ByteWriter &out, const Container &container)
{
    for (const QString *text :
         {&container.id, &container.name, &container.image, &container.composeProject,
          &container.composeService, &container.state})
        out.putString(*text);
    out.putBool(container.running);
    out.putVarInt(container.pid);
    out.putString(container.networkMode);
    out.putVarUint(std::uint64_t(container.networks.size()));
    for (const ContainerNetwork &network : container.networks) {
        out.putString(network.name);
        out.putString(network.networkId);
        putOptionalAddress(out, network.ipAddress);
        out.putVarInt(network.ipPrefixLength);
        putOptionalAddress(out, network.ipv6Address);
        putOptionalAddress(out, network.gateway);
        putOptionalAddress(out, network.ipv6Gateway);
        putStrings(out, network.aliases);
    }
    out.putVarUint(std::uint64_t(container.ports.size()));
    for (const ContainerPort &port : container.ports) {
        out.putVarUint(port.port);
        out.putString(port.protocol);
        out.putVarUint(std::uint64_t(port.bindings.size()));
        for (const PortBinding &binding : port.bindings) {
            putOptionalAddress(out, binding.hostIp);
            out.putVarUint(binding.hostPort);
        }
    }
}

void getContainer(ByteReader &in, Container &container)
{
    for (QString *text : {&container.id, &container.name, &container.image,
                          &container.composeProject, &container.composeService, &container.state})
        *text = in.getString();
    container.running = in.getBool();
    container.pid = in.getVarInt();
    container.networkMode = in.getString();
    const qsizetype networkCount = in.getCount(8);
    for (qsizetype i = 0; i < networkCount && in.ok(); ++i) {
        ContainerNetwork &network = container.networks.emplace_back();
        network.name = in.getString();
        network.networkId = in.getString();
        network.ipAddress = getOptionalAddress(in);
        network.ipPrefixLength = getInt(in);
        network.ipv6Address = getOptionalAddress(in);
        network.gateway = getOptionalAddress(in);
        network.ipv6Gateway = getOptionalAddress(in);
        network.aliases = getStrings(in);
    }
    const qsizetype portCount = in.getCount(3);
    for (qsizetype i = 0; i < portCount && in.ok(); ++i) {
        ContainerPort &port = container.ports.emplace_back();
        port.port = std::uint16_t(in.getVarUintAtMost(0xffff));
        port.protocol = in.getString();
        const qsizetype bindingCount = in.getCount(2);
        for (qsizetype j = 0; j < bindingCount && in.ok(); ++j) {
            PortBinding &binding = port.bindings.emplace_back();
            binding.hostIp = getOptionalAddress(in);
            binding.hostPort = std::uint16_t(in.getVarUintAtMost(0xffff));
        }
    }
}

void putDocker(ByteWriter &out, const DockerInventory &inventory)
{
    out.putVarUint(inventory.containers.size());
    for (const Container &container : inventory.containers)
        putContainer(out, container);
    out.putVarUint(inventory.networks.size());
    for (const DockerNetwork &network : inventory.networks) {
        out.putString(network.name);
        out.putString(network.id);
        out.putString(network.driver);
        out.putVarUint(std::uint64_t(network.subnets.size()));
        for (const IpSubnet &subnet : network.subnets) {
            out.putAddress(subnet.address);
            out.putVarInt(subnet.prefixLength);
        }
        out.putVarUint(std::uint64_t(network.gateways.size()));
        for (const IpAddress &gateway : network.gateways)
            out.putAddress(gateway);
    }
    out.putU8(std::uint8_t(inventory.errorKind));
    out.putString(inventory.error);
}

void getDocker(ByteReader &in, DockerInventory &inventory)
{
    const qsizetype containerCount = in.getCount(11);
    for (qsizetype i = 0; i < containerCount && in.ok(); ++i)
        getContainer(in, inventory.containers.emplace_back());
    const qsizetype networkCount = in.getCount(5);
    for (qsizetype i = 0; i < networkCount && in.ok(); ++i) {
        DockerNetwork &network = inventory.networks.emplace_back();
        network.name = in.getString();
        network.id = in.getString();
        network.driver = in.getString();
        const qsizetype subnetCount = in.getCount(6);
        for (qsizetype j = 0; j < subnetCount && in.ok(); ++j) {
            IpSubnet &subnet = network.subnets.emplace_back();
            subnet.address = in.getAddress();
            subnet.prefixLength = getInt(in);
        }
        const qsizetype gatewayCount = in.getCount(5);
        for (qsizetype j = 0; j < gatewayCount && in.ok(); ++j)
            network.gateways.append(in.getAddress());
    }
    const std::uint8_t errorKind = in.getU8();
    if (errorKind > std::uint8_t(DockerError::SudoNeedsPassword))
        in.fail();
    inventory.errorKind = static_cast<DockerError>(errorKind);
    inventory.error = in.getString();
}

// --- the rest of a sample ---

void putLimits(ByteWriter &out, const KernelLimits &limits)
{
    out.putBool(limits.localPortRange.has_value());
    if (limits.localPortRange) {
        out.putVarInt(limits.localPortRange->first);
        out.putVarInt(limits.localPortRange->second);
    }
    out.putBool(limits.maxTimeWaitBuckets.has_value());
    if (limits.maxTimeWaitBuckets)
        out.putVarInt(*limits.maxTimeWaitBuckets);
    out.putBool(limits.timeWaitReuse.has_value());
    if (limits.timeWaitReuse)
        out.putBool(*limits.timeWaitReuse);
    out.putBool(limits.timeWaitReuseMode.has_value());
    if (limits.timeWaitReuseMode)
        out.putVarInt(*limits.timeWaitReuseMode);
}

void getLimits(ByteReader &in, KernelLimits &limits)
{
    if (in.getBool()) {
        const int low = getInt(in);
        limits.localPortRange = std::pair(low, getInt(in));
    }
    if (in.getBool())
        limits.maxTimeWaitBuckets = in.getVarInt();
    if (in.getBool())
        limits.timeWaitReuse = in.getBool();
    if (in.getBool())
        limits.timeWaitReuseMode = getInt(in);
}

void putLogWindow(ByteWriter &out, const LogWindow &window)
{
    out.putString(window.sourceId);
    for (const std::int64_t value :
         {window.fromMs, window.toMs, window.requests, window.rejected, window.truncated})
        out.putVarInt(value);
    out.putVarUint(std::uint64_t(window.keys.size()));
    for (const RequestCount &entry : window.keys) {
        out.putString(entry.key.client);
        out.putString(entry.key.method);
        out.putString(entry.key.path);
        out.putVarInt(entry.key.status);
        out.putVarInt(entry.count);
    }
    out.putVarInt(window.otherRequests);
    out.putString(window.error);
}

void getLogWindow(ByteReader &in, LogWindow &window)
{
    window.sourceId = in.getString();
    for (std::int64_t *value :
         {&window.fromMs, &window.toMs, &window.requests, &window.rejected, &window.truncated})
        *value = in.getVarInt();
    const qsizetype keyCount = in.getCount(5);
    for (qsizetype i = 0; i < keyCount && in.ok(); ++i) {
        RequestCount &entry = window.keys.emplace_back();
        entry.key.client = in.getString();
        entry.key.method = in.getString();
        entry.key.path = in.getString();
        entry.key.status = getInt(in);
        entry.count = in.getVarInt();
    }
    window.otherRequests = in.getVarInt();
    window.error = in.getString();
}

QByteArray encodeSampleBody(const HostSample &sample)
{
    ByteWriter out;
    out.putString(sample.hostId);
    out.putVarUint(sample.sequence);
    out.putVarInt(sample.epochMs);
    putCounters(out, sample.counters);
    putProcStat(out, sample.procStat);
    out.putBool(sample.docker != nullptr);
    if (sample.docker)
        putDocker(out, *sample.docker);
    out.putVarUint(std::uint64_t(sample.containerCpu.size()));
    for (const ContainerCpuTime &cpu : sample.containerCpu) {
        out.putString(cpu.containerId);
        out.putBool(cpu.usageUsec.has_value());
        if (cpu.usageUsec)
            out.putVarUint(*cpu.usageUsec);
        out.putString(cpu.source);
        out.putU8(std::uint8_t(cpu.miss));
    }
    out.putVarInt(sample.onlineCpus);
    putLimits(out, sample.limits);
    out.putVarUint(std::uint64_t(sample.logs.size()));
    for (const LogWindow &window : sample.logs)
        putLogWindow(out, window);
    out.putVarUint(std::uint64_t(sample.issues.size()));
    for (const SourceIssue &issue : sample.issues) {
        out.putString(issue.source);
        out.putString(issue.message);
    }
    return out.take();
}

void getSampleBody(ByteReader &in, HostSample &sample)
{
    sample.hostId = in.getString();
    sample.sequence = in.getVarUint();
    sample.epochMs = in.getVarInt();
    getCounters(in, sample.counters);
    getProcStat(in, sample.procStat);
    if (in.getBool()) {
        auto docker = std::make_shared<DockerInventory>();
        getDocker(in, *docker);
        sample.docker = std::move(docker);
    }
    const qsizetype cpuCount = in.getCount(4);
    for (qsizetype i = 0; i < cpuCount && in.ok(); ++i) {
        ContainerCpuTime &cpu = sample.containerCpu.emplace_back();
        cpu.containerId = in.getString();
        if (in.getBool())
            cpu.usageUsec = in.getVarUint();
        cpu.source = in.getString();
        cpu.miss = getEnum(in, CgroupMiss::Other);
    }
    sample.onlineCpus = getInt(in);
    getLimits(in, sample.limits);
    const qsizetype logCount = in.getCount(9);
    for (qsizetype i = 0; i < logCount && in.ok(); ++i)
        getLogWindow(in, sample.logs.emplace_back());
    const qsizetype issueCount = in.getCount(2);
    for (qsizetype i = 0; i < issueCount && in.ok(); ++i) {
        SourceIssue &issue = sample.issues.emplace_back();
        issue.source = in.getString();
        issue.message = in.getString();
    }
}

// --- tables ---

void putNamespaces(ByteWriter &out, const NamespaceMap &namespaces)
{
    out.putVarUint(namespaces.hostNetns);
    QList<std::pair<QString, std::uint64_t>> containers;
    containers.reserve(namespaces.containerNetns.size());
    for (auto it = namespaces.containerNetns.cbegin(); it != namespaces.containerNetns.cend(); ++it)
        containers.append({it.key(), it.value()});
    std::sort(containers.begin(), containers.end());
    out.putVarUint(std::uint64_t(containers.size()));
    for (const auto &[id, netns] : containers) {
        out.putString(id);
        out.putVarUint(netns);
    }
    QList<std::uint64_t> unreadable(namespaces.unreadable.cbegin(), namespaces.unreadable.cend());
    std::sort(unreadable.begin(), unreadable.end());
    out.putVarUint(std::uint64_t(unreadable.size()));
    for (const std::uint64_t netns : unreadable)
        out.putVarUint(netns);
}

void getNamespaces(ByteReader &in, NamespaceMap &namespaces)
{
    namespaces.hostNetns = in.getVarUint();
    const qsizetype containerCount = in.getCount(2);
    for (qsizetype i = 0; i < containerCount && in.ok(); ++i) {
        const QString id = in.getString();
        const std::uint64_t netns = in.getVarUint();
        if (namespaces.containerNetns.contains(id))
            in.fail();
        namespaces.containerNetns.insert(id, netns);
    }
    const qsizetype unreadableCount = in.getCount(1);
    for (qsizetype i = 0; i < unreadableCount && in.ok(); ++i)
        namespaces.unreadable.insert(in.getVarUint());
    if (namespaces.unreadable.size() != unreadableCount)
        in.fail();
}

// What sockets of a table have in common: everything but their ports and inode. A TIME_WAIT
// pile is thousands of sockets of a handful of shapes (this host's address towards one upstream,
// in one namespace), so each socket costs a shape number and its ports.
struct SocketShape
{
    std::uint32_t localAddress = 0; // index into the address dictionary
    std::uint32_t remoteAddress = 0;
    std::uint32_t netns = 0; // index into the namespace dictionary
    TcpState state = TcpState::Unknown;
    std::uint32_t receiveQueue = 0;
    std::uint32_t sendQueue = 0;
    std::uint32_t pid = 0;
    std::int64_t uid = -1;

    friend bool operator==(const SocketShape &, const SocketShape &) = default;
};

size_t qHash(const SocketShape &shape, size_t seed = 0) noexcept
{
    return qHashMulti(seed, shape.localAddress, shape.remoteAddress, shape.netns,
                      std::uint8_t(shape.state), shape.receiveQueue, shape.sendQueue, shape.pid,
                      shape.uid);
}

// The least bytes of one shape: two address indices, a namespace index, the state, four
// varints.
constexpr qsizetype minShapeBytes = 8;

// Dictionaries (addresses, namespaces, shapes), then the sockets column by column: shape,
// local port, remote port, inode. Runs of equal small numbers are what zlib shrinks best.
void putSockets(ByteWriter &out, const std::vector<Socket> &sockets)
{
    Dictionary<IpAddress> addresses;
    Dictionary<std::uint64_t> namespaces;
    Dictionary<SocketShape> shapes;
    std::vector<std::uint32_t> shapeColumn;
    shapeColumn.reserve(sockets.size());
    for (const Socket &socket : sockets) {
        SocketShape shape;
        shape.localAddress = addresses.indexOf(socket.local.address);
        shape.remoteAddress = addresses.indexOf(socket.remote.address);
        shape.netns = namespaces.indexOf(socket.netns);
        shape.state = socket.state;
        shape.receiveQueue = socket.receiveQueue;
        shape.sendQueue = socket.sendQueue;
        shape.pid = socket.pid;
        shape.uid = socket.uid;
        shapeColumn.push_back(shapes.indexOf(shape));
    }

    putEndpointDictionaries(out, addresses.values(), namespaces.values());
    const std::vector<SocketShape> &shapeValues = shapes.values();
    out.putVarUint(shapeValues.size());
    for (const SocketShape &shape : shapeValues)
        out.putVarUint(shape.localAddress);
    for (const SocketShape &shape : shapeValues)
        out.putVarUint(shape.remoteAddress);
    for (const SocketShape &shape : shapeValues)
        out.putVarUint(shape.netns);
    for (const SocketShape &shape : shapeValues)
        out.putU8(std::uint8_t(shape.state));
    for (const SocketShape &shape : shapeValues)
        out.putVarUint(shape.receiveQueue);
    for (const SocketShape &shape : shapeValues)
        out.putVarUint(shape.sendQueue);
    for (const SocketShape &shape : shapeValues)
        out.putVarUint(shape.pid);
    for (const SocketShape &shape : shapeValues)
        out.putVarInt(shape.uid);

    out.putVarUint(sockets.size());
    for (const std::uint32_t index : shapeColumn)
        out.putVarUint(index);
    for (const Socket &socket : sockets)
        out.putU16(socket.local.port);
    for (const Socket &socket : sockets)
        out.putU16(socket.remote.port);
    for (const Socket &socket : sockets)
        out.putVarUint(socket.inode);
}

void getSockets(ByteReader &in, std::vector<Socket> &sockets)
{
    const EndpointDictionaries dictionaries = getEndpointDictionaries(in);
    const std::vector<IpAddress> &addresses = dictionaries.addresses;
    const std::vector<std::uint64_t> &namespaces = dictionaries.namespaces;

    const qsizetype shapeCount = in.getCount(minShapeBytes);
    if (!in.ok() || (shapeCount > 0 && (addresses.empty() || namespaces.empty()))) {
        in.fail();
        return;
    }
    std::vector<SocketShape> shapes(static_cast<std::size_t>(shapeCount));
    const auto lastAddress = std::uint64_t(addresses.size()) - 1;
    for (SocketShape &shape : shapes)
        shape.localAddress = std::uint32_t(in.getVarUintAtMost(lastAddress));
    for (SocketShape &shape : shapes)
        shape.remoteAddress = std::uint32_t(in.getVarUintAtMost(lastAddress));
    for (SocketShape &shape : shapes)
        shape.netns = std::uint32_t(in.getVarUintAtMost(std::uint64_t(namespaces.size()) - 1));
    for (SocketShape &shape : shapes)
        shape.state = getEnum(in, TcpState::NewSynRecv);
    for (SocketShape &shape : shapes)
        shape.receiveQueue = std::uint32_t(in.getVarUintAtMost(0xffffffffu));
    for (SocketShape &shape : shapes)
        shape.sendQueue = std::uint32_t(in.getVarUintAtMost(0xffffffffu));
    for (SocketShape &shape : shapes)
        shape.pid = std::uint32_t(in.getVarUintAtMost(0xffffffffu));
    for (SocketShape &shape : shapes)
        shape.uid = in.getVarInt();

    const qsizetype count = in.getCount(minSocketBytes);
    if (!in.ok() || (count > 0 && shapes.empty())) {
        in.fail();
        return;
    }
    sockets.resize(static_cast<std::size_t>(count));
    const auto lastShape = std::uint64_t(shapes.size()) - 1;
    for (Socket &socket : sockets) {
        const SocketShape &shape = shapes[in.getVarUintAtMost(lastShape)];
        socket.local.address = addresses[shape.localAddress];
        socket.remote.address = addresses[shape.remoteAddress];
        socket.netns = namespaces[shape.netns];
        socket.state = shape.state;
        socket.receiveQueue = shape.receiveQueue;
        socket.sendQueue = shape.sendQueue;
        socket.pid = shape.pid;
        socket.uid = shape.uid;
    }
    for (Socket &socket : sockets)
        socket.local.port = in.getU16();
    for (Socket &socket : sockets)
        socket.remote.port = in.getU16();
    for (Socket &socket : sockets)
        socket.inode = in.getVarUint();
}

void putReport(ByteWriter &out, const ParseReport &report)
{
    for (const qsizetype value : {report.linesRead, report.linesUsed, report.linesSkipped,
                                  report.linesRejected, report.duplicates})
        out.putVarInt(value);
    out.putVarUint(std::uint64_t(report.errors.size()));
    for (const ParseReport::LineError &error : report.errors) {
        out.putVarInt(error.lineNumber);
        out.putString(error.reason);
        out.putString(error.excerpt);
    }
}

void getReport(ByteReader &in, ParseReport &report)
{
    for (qsizetype *value : {&report.linesRead, &report.linesUsed, &report.linesSkipped,
                             &report.linesRejected, &report.duplicates})
        *value = qsizetype(in.getVarInt());
    const qsizetype errorCount = in.getCount(3);
    for (qsizetype i = 0; i < errorCount && in.ok(); ++i) {
        ParseReport::LineError &error = report.errors.emplace_back();
        error.lineNumber = qsizetype(in.getVarInt());
        error.reason = in.getString();
        error.excerpt = in.getString();
    }
}

void setError(QString *error, const QString &text)
{
    if (error)
        *error = text;
}

} // namespace

QByteArray SampleCodec::encodeSample(const HostSample &sample)
{
    const QByteArray body = encodeSampleBody(sample);
    QByteArray out;
    out.append(char(sampleCodecVersion));
    if (body.size() > compressSampleBodiesOver) {
        const QByteArray compressed = qCompress(body);
        if (compressed.size() < body.size()) {
            out.append(char(sampleBodyCompressed));
            out.append(compressed);
            return out;
        }
    }
    out.append(char(sampleBodyPlain));
    out.append(body);
    return out;
}

std::shared_ptr<HostSample> SampleCodec::decodeSample(QByteArrayView bytes, QString *error)
{
    if (bytes.size() < 2) {
        setError(error, tr("the sample data is cut short"));
        return nullptr;
    }
    if (std::uint8_t(bytes[0]) != sampleCodecVersion) {
        setError(
            error,
            tr("the sample data has an unknown format (version %1)").arg(std::uint8_t(bytes[0])));
        return nullptr;
    }
    const auto storage = std::uint8_t(bytes[1]);
    QByteArray uncompressed;
    QByteArrayView body = bytes.sliced(2);
    if (storage == sampleBodyCompressed) {
        QString reason;
        std::optional<QByteArray> inflated =
            capture::boundedUncompress(body, maxDecodedSampleBytes, &reason);
        if (!inflated) {
            setError(error, tr("the sample data is damaged (%1)").arg(reason));
            return nullptr;
        }
        uncompressed = std::move(*inflated);
        body = uncompressed;
    } else if (storage != sampleBodyPlain) {
        setError(error, tr("the sample data is damaged (unknown storage %1)").arg(storage));
        return nullptr;
    }

    auto sample = std::make_shared<HostSample>();
    ByteReader in(body);
    getSampleBody(in, *sample);
    if (!in.ok() || !in.atEnd()) {
        setError(error, tr("the sample data is damaged or cut short"));
        return nullptr;
    }
    return sample;
}

QByteArray SampleCodec::encodeTable(const Snapshot &table, const NamespaceMap *namespaces)
{
    ByteWriter out;
    out.putString(table.hostId);
    out.putVarUint(table.sequence);
    out.putVarInt(table.epochMs);
    out.putU8(std::uint8_t(table.source));
    putSockets(out, table.sockets);

    QList<std::pair<std::uint32_t, QString>> processNames;
    processNames.reserve(table.processNames.size());
    for (auto it = table.processNames.cbegin(); it != table.processNames.cend(); ++it)
        processNames.append({it.key(), it.value()});
    std::sort(processNames.begin(), processNames.end());
    out.putVarUint(std::uint64_t(processNames.size()));
    for (const auto &[pid, name] : processNames) {
        out.putVarUint(pid);
        out.putString(name);
    }

    putReport(out, table.report);
    out.putBool(namespaces != nullptr);
    if (namespaces)
        putNamespaces(out, *namespaces);

    QByteArray blob;
    blob.append(char(tableCodecVersion));
    blob.append(qCompress(out.bytes()));
    return blob;
}

std::optional<SampleCodec::DecodedTable> SampleCodec::decodeTable(QByteArrayView bytes,
                                                                  QString *error)
{
    if (bytes.isEmpty()) {
        setError(error, tr("the socket table is empty"));
        return std::nullopt;
    }
    if (std::uint8_t(bytes[0]) != tableCodecVersion) {
        setError(
            error,
            tr("the socket table has an unknown format (version %1)").arg(std::uint8_t(bytes[0])));
        return std::nullopt;
    }
    QString reason;
    const std::optional<QByteArray> body =
        capture::boundedUncompress(bytes.sliced(1), maxDecodedTableBytes, &reason);
    if (!body) {
        setError(error, tr("the socket table is damaged (%1)").arg(reason));
        return std::nullopt;
    }

    auto table = std::make_shared<Snapshot>();
    std::shared_ptr<NamespaceMap> namespaces;
    ByteReader in(*body);
    table->hostId = in.getString();
    table->sequence = in.getVarUint();
    table->epochMs = in.getVarInt();
    table->source = getEnum(in, SocketSource::Netstat);
    getSockets(in, table->sockets);
    const qsizetype nameCount = in.getCount(2);
    for (qsizetype i = 0; i < nameCount && in.ok(); ++i) {
        const auto pid = std::uint32_t(in.getVarUintAtMost(0xffffffffu));
        const QString name = in.getString();
        if (table->processNames.contains(pid))
            in.fail();
        table->processNames.insert(pid, name);
    }
    getReport(in, table->report);
    if (in.getBool()) {
        namespaces = std::make_shared<NamespaceMap>();
        getNamespaces(in, *namespaces);
    }
    if (!in.ok() || !in.atEnd()) {
        setError(error, tr("the socket table is damaged or cut short"));
        return std::nullopt;
    }
    table->finalize();
    return DecodedTable{std::move(table), std::move(namespaces)};
}

} // namespace twbench
