#include "dockerinventory.h"

#include "../parsers/textscan.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>

#include <cmath>
#include <limits>

namespace twbench {

namespace {

// The translation context of every string here: lupdate finds DockerText::tr() calls.
struct DockerText
{
    Q_DECLARE_TR_FUNCTIONS(twbench::DockerInventory)
};

// Reads fields of one JSON object with type checks. A missing or null field gives the default;
// the first field of a wrong type is remembered, and the caller rejects the whole element, so
// an element is either read as docker meant it or not at all.
class FieldReader final
{
public:
    FieldReader(QString &error, QString path)
        : m_error(error)
        , m_path(std::move(path))
    {}

    QString string(const QJsonObject &object, QLatin1String key) const
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined() || value.isNull())
            return {};
        if (!value.isString()) {
            fail(key, DockerText::tr("a string"));
            return {};
        }
        return value.toString();
    }

    bool boolean(const QJsonObject &object, QLatin1String key) const
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined() || value.isNull())
            return false;
        if (!value.isBool()) {
            fail(key, DockerText::tr("true or false"));
            return false;
        }
        return value.toBool();
    }

    std::int64_t integer(const QJsonObject &object, QLatin1String key) const
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined() || value.isNull())
            return 0;
        const double number = value.toDouble(std::nan(""));
        // 2^53: beyond it a double no longer holds every integer, and no pid or prefix is near.
        if (!value.isDouble() || std::isnan(number) || number != std::floor(number) ||
            std::fabs(number) > 9007199254740992.0) {
            fail(key, DockerText::tr("an integer"));
            return 0;
        }
        return static_cast<std::int64_t>(number);
    }

    QJsonObject object(const QJsonObject &object, QLatin1String key) const
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined() || value.isNull())
            return {};
        if (!value.isObject()) {
            fail(key, DockerText::tr("an object"));
            return {};
        }
        return value.toObject();
    }

    QJsonArray array(const QJsonObject &object, QLatin1String key) const
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined() || value.isNull())
            return {};
        if (!value.isArray()) {
            fail(key, DockerText::tr("a list"));
            return {};
        }
        return value.toArray();
    }

    // "" is "no address"; anything else must be an address.
    std::optional<IpAddress> address(const QJsonObject &object, QLatin1String key) const
    {
        const QString text = string(object, key);
        if (text.isEmpty())
            return std::nullopt;
        const QByteArray latin = text.toLatin1();
        auto parsed = IpAddress::parse(latin);
        if (!parsed)
            failValue(key, text);
        return parsed;
    }

    FieldReader nested(const QString &name) const
    {
        return FieldReader(m_error, m_path.isEmpty() ? name : m_path + u'.' + name);
    }

    void failValue(QLatin1String key, const QString &value) const
    {
        if (m_error.isEmpty()) {
            m_error = DockerText::tr("%1: unexpected value \"%2\"")
                          .arg(fieldPath(key), safeDisplayText(value, 40));
        }
    }

    void failMessage(const QString &message) const
    {
        if (m_error.isEmpty())
            m_error = message;
    }

    bool failed() const { return !m_error.isEmpty(); }

private:
    QString fieldPath(QLatin1String key) const
    {
        return m_path.isEmpty() ? QString(key) : m_path + u'.' + QString(key);
    }

    void fail(QLatin1String key, const QString &expected) const
    {
        if (m_error.isEmpty())
            m_error = DockerText::tr("%1 is not %2").arg(fieldPath(key), expected);
    }

    QString &m_error; // Not owned: the element's error, shared by nested readers.
    QString m_path;
};

bool startsWithInsensitive(QByteArrayView line, QByteArrayView prefix)
{
    return line.size() >= prefix.size() &&
           QByteArrayView(line.data(), prefix.size()).compare(prefix, Qt::CaseInsensitive) == 0;
}

bool containsInsensitive(QByteArrayView line, QByteArrayView needle)
{
    return QLatin1StringView(line).contains(QLatin1StringView(needle), Qt::CaseInsensitive);
}

// What docker (and podman) write to stderr beside a good answer. The probe passes stderr through
// with stdout, so these lines may sit before or after the JSON. Docker indents its JSON, so no
// line of the answer itself starts with these words.
bool isStderrNoise(QByteArrayView line)
{
    return startsWithInsensitive(line, "Error: No such object:") ||
           startsWithInsensitive(line, "Error: No such container:") ||
           startsWithInsensitive(line, "Error: No such network:") ||
           startsWithInsensitive(line, "Error response from daemon: No such") ||
           startsWithInsensitive(line, "WARNING:") ||
           startsWithInsensitive(line, "time=") /* podman's logrus lines */;
}

struct Cleaned
{
    QByteArray json;
    qsizetype skipped = 0;
};

Cleaned withoutStderrNoise(QByteArrayView text)
{
    Cleaned cleaned;
    cleaned.json.reserve(text.size());
    textscan::LineReader reader(text);
    QByteArrayView line;
    while (reader.next(line)) {
        if (isStderrNoise(line)) {
            ++cleaned.skipped;
            continue;
        }
        cleaned.json.append(line.data(), line.size());
        cleaned.json.append('\n');
    }
    return cleaned;
}

qsizetype lineOfOffset(const QByteArray &text, qsizetype offset)
{
    offset = qBound(qsizetype(0), offset, text.size());
    return QByteArrayView(text.constData(), offset).count('\n') + 1;
}

QByteArrayView lineAt(const QByteArray &text, qsizetype offset)
{
    offset = qBound(qsizetype(0), offset, text.size());
    qsizetype start = offset;
    while (start > 0 && text.at(start - 1) != '\n')
        --start;
    qsizetype end = offset;
    while (end < text.size() && text.at(end) != '\n')
        ++end;
    return QByteArrayView(text.constData() + start, end - start);
}

// The top-level array of an answer, or an error in the report (and nullopt). Empty text is an
// empty array: nothing to inspect.
std::optional<QJsonArray> topLevelArray(QByteArrayView text, ParseReport &report,
                                        const char *whatCommand)
{
    const Cleaned cleaned = withoutStderrNoise(text);
    report.linesSkipped += cleaned.skipped;
    if (textscan::isBlankLine(QByteArrayView(cleaned.json).trimmed()))
        return QJsonArray();

    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(cleaned.json, &error);
    if (error.error != QJsonParseError::NoError) {
        ++report.linesRead;
        const QString reason =
            recogniseDockerError(text) != DockerError::None
                ? DockerText::tr("%1 did not answer: %2")
                      .arg(QLatin1String(whatCommand), dockerErrorText(recogniseDockerError(text)))
                : DockerText::tr("%1 printed no valid JSON: %2 at byte %3")
                      .arg(QLatin1String(whatCommand), error.errorString())
                      .arg(error.offset);
        report.reject(lineOfOffset(cleaned.json, error.offset), reason,
                      lineAt(cleaned.json, error.offset));
        return std::nullopt;
    }
    if (!document.isArray()) {
        ++report.linesRead;
        report.reject(
            0, DockerText::tr("%1 printed JSON that is not a list").arg(QLatin1String(whatCommand)),
            QByteArrayView(cleaned.json).first(qMin(cleaned.json.size(), 120)));
        return std::nullopt;
    }
    return document.array();
}

void rejectElement(ParseReport &report, qsizetype index, const QString &reason,
                   const QJsonValue &element)
{
    const QByteArray compact =
        element.isObject() ? QJsonDocument(element.toObject()).toJson(QJsonDocument::Compact)
                           : QByteArray("(not an object)");
    report.reject(index + 1, reason, QByteArrayView(compact).first(qMin(compact.size(), 200)));
}

std::optional<Container> readContainer(const QJsonObject &object, QString &error)
{
    const FieldReader top(error, QString());
    Container container;
    container.id = top.string(object, QLatin1String("Id"));
    if (container.id.isEmpty())
        top.failMessage(DockerText::tr("no container Id"));

    container.name = top.string(object, QLatin1String("Name"));
    if (container.name.startsWith(u'/'))
        container.name.remove(0, 1); // docker's legacy "/name"; podman prints none

    const FieldReader state = top.nested(QStringLiteral("State"));
    const QJsonObject stateObject = top.object(object, QLatin1String("State"));
    container.state = state.string(stateObject, QLatin1String("Status"));
    container.running = state.boolean(stateObject, QLatin1String("Running"));
    container.pid = state.integer(stateObject, QLatin1String("Pid"));
    if (container.pid < 0)
        state.failValue(QLatin1String("Pid"), QString::number(container.pid));

    const FieldReader config = top.nested(QStringLiteral("Config"));
    const QJsonObject configObject = top.object(object, QLatin1String("Config"));
    container.image = config.string(configObject, QLatin1String("Image"));
    if (container.image.isEmpty())
        container.image = top.string(object, QLatin1String("ImageName")); // podman
    const FieldReader labels = config.nested(QStringLiteral("Labels"));
    const QJsonObject labelObject = config.object(configObject, QLatin1String("Labels"));
    container.composeProject =
        labels.string(labelObject, QLatin1String("com.docker.compose.project"));
    container.composeService =
        labels.string(labelObject, QLatin1String("com.docker.compose.service"));
    if (container.composeProject.isEmpty()) // podman-compose before it set docker's labels too
        container.composeProject =
            labels.string(labelObject, QLatin1String("io.podman.compose.project"));
    if (container.composeService.isEmpty())
        container.composeService =
            labels.string(labelObject, QLatin1String("io.podman.compose.service"));

    const FieldReader hostConfig = top.nested(QStringLiteral("HostConfig"));
    container.networkMode = hostConfig.string(top.object(object, QLatin1String("HostConfig")),
                                              QLatin1String("NetworkMode"));

    const FieldReader settings = top.nested(QStringLiteral("NetworkSettings"));
    const QJsonObject settingsObject = top.object(object, QLatin1String("NetworkSettings"));
    const QJsonObject networks = settings.object(settingsObject, QLatin1String("Networks"));
    for (auto it = networks.begin(); it != networks.end(); ++it) {
        const FieldReader net = settings.nested(QStringLiteral("Networks.") + it.key());
        if (!it.value().isObject()) {
            net.failMessage(DockerText::tr("NetworkSettings.Networks.%1 is not an object")
                                .arg(safeDisplayText(it.key(), 40)));
            break;
        }
        const QJsonObject entry = it.value().toObject();
        ContainerNetwork network;
        network.name = it.key();
        network.networkId = net.string(entry, QLatin1String("NetworkID"));
        network.ipAddress = net.address(entry, QLatin1String("IPAddress"));
        network.ipPrefixLength = int(net.integer(entry, QLatin1String("IPPrefixLen")));
        network.ipv6Address = net.address(entry, QLatin1String("GlobalIPv6Address"));
        network.gateway = net.address(entry, QLatin1String("Gateway"));
        network.ipv6Gateway = net.address(entry, QLatin1String("IPv6Gateway"));
        const QJsonArray aliases = net.array(entry, QLatin1String("Aliases"));
        for (const QJsonValue &alias : aliases) {
            if (!alias.isString()) {
                net.failMessage(DockerText::tr("an alias of network %1 is not a string")
                                    .arg(safeDisplayText(it.key(), 40)));
                break;
            }
            network.aliases.append(alias.toString());
        }
        container.networks.append(std::move(network));
    }

    const QJsonObject ports = settings.object(settingsObject, QLatin1String("Ports"));
    for (auto it = ports.begin(); it != ports.end(); ++it) {
        // "80/tcp"; podman and old docker also print "80" alone for tcp.
        const QString key = it.key();
        const qsizetype slash = key.indexOf(u'/');
        ContainerPort port;
        bool numberOk = false;
        const uint number = (slash < 0 ? key : key.left(slash)).toUInt(&numberOk);
        port.protocol = slash < 0 ? QStringLiteral("tcp") : key.mid(slash + 1);
        if (!numberOk || number == 0 || number > 65535 || port.protocol.isEmpty()) {
            settings.failValue(QLatin1String("Ports"), key);
            break;
        }
        port.port = std::uint16_t(number);
        if (!it.value().isNull() && !it.value().isArray()) {
            settings.failValue(QLatin1String("Ports"), key);
            break;
        }
        const FieldReader binding = settings.nested(QStringLiteral("Ports.") + key);
        for (const QJsonValue &value : it.value().toArray()) {
            if (!value.isObject()) {
                binding.failMessage(DockerText::tr("a binding of port %1 is not an object")
                                        .arg(safeDisplayText(key, 20)));
                break;
            }
            const QJsonObject bindingObject = value.toObject();
            PortBinding portBinding;
            portBinding.hostIp = binding.address(bindingObject, QLatin1String("HostIp"));
            const QString hostPort = binding.string(bindingObject, QLatin1String("HostPort"));
            const uint hostPortNumber = hostPort.toUInt(&numberOk);
            if (!numberOk || hostPortNumber > 65535) {
                binding.failValue(QLatin1String("HostPort"), hostPort);
                break;
            }
            portBinding.hostPort = std::uint16_t(hostPortNumber);
            port.bindings.append(portBinding);
        }
        container.ports.append(std::move(port));
    }

    if (!error.isEmpty())
        return std::nullopt;
    return container;
}

std::optional<DockerNetwork> readNetwork(const QJsonObject &object, QString &error)
{
    const FieldReader top(error, QString());
    DockerNetwork network;
    // podman 4+ (netavark) prints lower-case keys and its own layout.
    const bool podman =
        !object.contains(QLatin1String("Name")) && object.contains(QLatin1String("name"));
    network.name = top.string(object, QLatin1String(podman ? "name" : "Name"));
    network.id = top.string(object, QLatin1String(podman ? "id" : "Id"));
    network.driver = top.string(object, QLatin1String(podman ? "driver" : "Driver"));
    if (network.name.isEmpty() || network.id.isEmpty())
        top.failMessage(DockerText::tr("a network without a name or Id"));

    const FieldReader ipam = top.nested(QStringLiteral("IPAM"));
    const QJsonArray configs =
        podman ? top.array(object, QLatin1String("subnets"))
               : ipam.array(top.object(object, QLatin1String("IPAM")), QLatin1String("Config"));
    const FieldReader configReader =
        podman ? top.nested(QStringLiteral("subnets")) : ipam.nested(QStringLiteral("Config"));
    for (const QJsonValue &value : configs) {
        if (!value.isObject()) {
            configReader.failMessage(DockerText::tr("an IPAM entry is not an object"));
            break;
        }
        const QJsonObject config = value.toObject();
        const QString subnetText =
            configReader.string(config, QLatin1String(podman ? "subnet" : "Subnet"));
        if (!subnetText.isEmpty()) {
            const auto subnet = IpSubnet::parse(subnetText.toLatin1());
            if (!subnet) {
                configReader.failValue(QLatin1String("Subnet"), subnetText);
                break;
            }
            network.subnets.append(*subnet);
        }
        if (auto gateway =
                configReader.address(config, QLatin1String(podman ? "gateway" : "Gateway")))
            network.gateways.append(*gateway);
    }
    if (!error.isEmpty())
        return std::nullopt;
    return network;
}

template<typename T, typename Reader>
Parsed<std::vector<T>> parseArray(QByteArrayView text, const char *whatCommand, Reader read)
{
    Parsed<std::vector<T>> result;
    const std::optional<QJsonArray> array = topLevelArray(text, result.report, whatCommand);
    if (!array)
        return result;
    result.value.reserve(std::size_t(array->size()));
    for (qsizetype i = 0; i < array->size(); ++i) {
        ++result.report.linesRead;
        const QJsonValue element = array->at(i);
        if (!element.isObject()) {
            rejectElement(result.report, i, DockerText::tr("an element is not an object"), element);
            continue;
        }
        QString error;
        std::optional<T> value = read(element.toObject(), error);
        if (!value) {
            rejectElement(result.report, i, error, element);
            continue;
        }
        ++result.report.linesUsed;
        result.value.push_back(std::move(*value));
    }
    return result;
}

} // namespace

std::optional<IpSubnet> IpSubnet::parse(QByteArrayView text)
{
    const qsizetype slash = text.lastIndexOf('/');
    if (slash <= 0)
        return std::nullopt;
    const auto address = IpAddress::parse(text.first(slash));
    std::uint64_t prefix = 0;
    if (!address || !textscan::decimalToken(text.sliced(slash + 1), prefix))
        return std::nullopt;
    if (prefix > (address->isV4() ? 32u : 128u))
        return std::nullopt;
    return IpSubnet{*address, int(prefix)};
}

bool IpSubnet::contains(const IpAddress &ip) const
{
    if (ip.isV4() != address.isV4())
        return false;
    // IPv4 is stored mapped (::ffff:a.b.c.d): its prefix starts after the first 96 bits.
    const int bits = address.isV4() ? 96 + prefixLength : prefixLength;
    const auto &a = address.bytes();
    const auto &b = ip.bytes();
    const int whole = bits / 8;
    for (int i = 0; i < whole; ++i) {
        if (a[std::size_t(i)] != b[std::size_t(i)])
            return false;
    }
    const int rest = bits % 8;
    if (rest == 0)
        return true;
    const auto mask = std::uint8_t(0xff << (8 - rest));
    return (a[std::size_t(whole)] & mask) == (b[std::size_t(whole)] & mask);
}

QString IpSubnet::toString() const
{
    return address.toString() + u'/' + QString::number(prefixLength);
}

QList<IpAddress> Container::addresses() const
{
    QList<IpAddress> result;
    for (const ContainerNetwork &network : networks) {
        if (network.ipAddress)
            result.append(*network.ipAddress);
        if (network.ipv6Address)
            result.append(*network.ipv6Address);
    }
    return result;
}

std::optional<std::uint16_t> Container::containerPortPublishedOn(std::uint16_t hostPort) const
{
    for (const ContainerPort &port : ports) {
        if (port.protocol != QLatin1String("tcp"))
            continue;
        for (const PortBinding &binding : port.bindings) {
            if (binding.hostPort == hostPort)
                return port.port;
        }
    }
    return std::nullopt;
}

const Container *DockerInventory::containerById(const QString &id) const
{
    for (const Container &container : containers) {
        if (container.id == id)
            return &container;
    }
    return nullptr;
}

const DockerNetwork *DockerInventory::networkByName(const QString &name) const
{
    for (const DockerNetwork &network : networks) {
        if (network.name == name)
            return &network;
    }
    return nullptr;
}

DockerError recogniseDockerError(QByteArrayView text)
{
    textscan::LineReader reader(text);
    QByteArrayView line;
    while (reader.next(line)) {
        if (containsInsensitive(line, "permission denied while trying to connect to the docker"))
            return DockerError::PermissionDenied;
        if (containsInsensitive(line, "cannot connect to the docker daemon"))
            return DockerError::DaemonNotRunning;
        if (containsInsensitive(line, "sudo: a password is required") ||
            containsInsensitive(line, "sudo: a terminal is required"))
            return DockerError::SudoNeedsPassword;
        // bash: "docker: command not found"; dash: "sh: 1: docker: not found"; busybox:
        // "sh: docker: not found"; sudo: "sudo: docker: command not found".
        const bool namesCli =
            containsInsensitive(line, "docker") || containsInsensitive(line, "podman");
        if (namesCli && (containsInsensitive(line, ": command not found") ||
                         line.trimmed().endsWith(": not found") ||
                         containsInsensitive(line, ": No such file or directory")))
            return DockerError::NotInstalled;
    }
    return DockerError::None;
}

QString dockerErrorText(DockerError kind)
{
    switch (kind) {
    case DockerError::None:
        return {};
    case DockerError::NotInstalled:
        return DockerText::tr(
            "The docker command was not found on this host, so containers are not shown. "
            "If docker or podman is installed elsewhere, set the host's \"docker command\" "
            "to its full path (or to \"podman\").");
    case DockerError::PermissionDenied:
        return DockerText::tr(
            "This account may not use the Docker daemon's socket, so containers are not "
            "shown. Add the account to the docker group (\"sudo usermod -aG docker USER\", "
            "then connect again), or set the host's \"docker command\" to \"sudo -n "
            "docker\" with a sudoers rule that lets this account run docker without a "
            "password.");
    case DockerError::DaemonNotRunning:
        return DockerText::tr(
            "The Docker daemon is not running on this host (or listens on another "
            "socket), so containers are not shown. Start it (\"systemctl start docker\"), "
            "or set the host's \"docker command\" to use the right context or host.");
    case DockerError::SudoNeedsPassword:
        return DockerText::tr(
            "sudo asks for a password to run docker, and twbench never types one. Allow "
            "this account to run docker without a password (a NOPASSWD sudoers rule), or "
            "add it to the docker group and set the host's \"docker command\" to "
            "\"docker\".");
    }
    return {};
}

Parsed<std::vector<Container>> parseDockerInspect(QByteArrayView text)
{
    return parseArray<Container>(text, "docker inspect", readContainer);
}

Parsed<std::vector<DockerNetwork>> parseDockerNetworkInspect(QByteArrayView text)
{
    return parseArray<DockerNetwork>(text, "docker network inspect", readNetwork);
}

Parsed<DockerInventory> parseDockerInventory(QByteArrayView containersText,
                                             QByteArrayView networksText)
{
    Parsed<DockerInventory> result;
    for (QByteArrayView text : {containersText, networksText}) {
        const QByteArrayView trimmed = text.trimmed();
        // An answer is a JSON array; only a text that is none can be the CLI's complaint.
        if (trimmed.startsWith('['))
            continue;
        const DockerError kind = recogniseDockerError(text);
        if (kind != DockerError::None) {
            result.value.errorKind = kind;
            result.value.error = dockerErrorText(kind);
            return result;
        }
    }
    Parsed<std::vector<Container>> containers = parseDockerInspect(containersText);
    Parsed<std::vector<DockerNetwork>> networks = parseDockerNetworkInspect(networksText);
    result.value.containers = std::move(containers.value);
    result.value.networks = std::move(networks.value);
    result.report = containers.report;
    result.report.merge(networks.report);
    return result;
}

Parsed<std::vector<ContainerNamespace>> parseContainerNamespaces(QByteArrayView text)
{
    Parsed<std::vector<ContainerNamespace>> result;
    textscan::LineReader reader(text);
    QByteArrayView line;
    while (reader.next(line)) {
        if (textscan::isBlankLine(line))
            continue;
        ++result.report.linesRead;
        const char *p = line.data();
        const char *end = p + line.size();
        const QByteArrayView id = textscan::nextToken(p, end);
        const QByteArrayView pidText = textscan::nextToken(p, end);
        QByteArrayView inodeText = textscan::nextToken(p, end);
        const QByteArrayView extra = textscan::nextToken(p, end);
        if (inodeText.startsWith("net:[") && inodeText.endsWith(']'))
            inodeText = inodeText.sliced(5, inodeText.size() - 6);
        std::uint64_t pid = 0;
        std::uint64_t inode = 0;
        bool idOk = !id.isEmpty() && id.size() <= 128;
        for (char c : id)
            idOk = idOk && textscan::hexDigitValue(c) != 0xff;
        if (!idOk || !extra.isEmpty() || !textscan::decimalToken(pidText, pid) ||
            !textscan::decimalToken(inodeText, inode) || inode == 0 || pid > INT32_MAX) {
            result.report.reject(reader.lineNumber(),
                                 DockerText::tr("expected \"<container id> <pid> <netns inode>\""),
                                 line);
            continue;
        }
        ++result.report.linesUsed;
        result.value.push_back({QString::fromLatin1(id), std::int64_t(pid), inode});
    }
    return result;
}

QString safeDisplayText(const QString &text, qsizetype maxChars)
{
    QString out;
    out.reserve(qMin(text.size(), maxChars) + 8);
    const auto escapeUnicode = [&out](char32_t c) {
        out += QStringLiteral("\\u{%1}").arg(uint(c), 4, 16, QLatin1Char('0'));
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (out.size() >= maxChars) {
            out += QChar(0x2026); // …
            break;
        }
        const QChar ch = text.at(i);
        const char32_t c = ch.unicode();
        if (ch.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
            out += ch;
            out += text.at(++i);
            continue;
        }
        if (ch.isSurrogate()) {
            out += QChar(QChar::ReplacementCharacter);
            continue;
        }
        if (c == u'\\') {
            out += QStringLiteral("\\\\"); // so a literal "\x1b" cannot pass for an escape
        } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
            out += QStringLiteral("\\x%1").arg(uint(c), 2, 16, QLatin1Char('0'));
        } else if (c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
                   (c >= 0x2066 && c <= 0x2069) || (c >= 0x200b && c <= 0x200d) || c == 0x2060 ||
                   c == 0xfeff || c == 0x2028 || c == 0x2029) {
            // Bidi embeddings, overrides, isolates and marks reorder what follows them; zero-width
            // and separator characters hide or break text.
            escapeUnicode(c);
        } else {
            out += ch;
        }
    }
    return out;
}

QString safeDisplayTextKeepingEnd(const QString &text, qsizetype maxChars)
{
    const qsizetype tailChars = maxChars / 2;
    if (text.size() <= maxChars) {
        const QString whole = safeDisplayText(text, std::numeric_limits<qsizetype>::max());
        if (whole.size() <= maxChars)
            return whole;
    }
    // The head ends with its own ellipsis when cut; the tail is escaped from the text's last
    // maxChars characters and cut from the left (an escape there may lose its start: it is
    // still plain ASCII, never the raw character).
    QString head =
        safeDisplayText(text.first(qMin(text.size(), maxChars)), maxChars - tailChars - 1);
    if (!head.endsWith(QChar(0x2026)))
        head += QChar(0x2026);
    QString tail = safeDisplayText(text.last(qMin(text.size(), maxChars)),
                                   std::numeric_limits<qsizetype>::max());
    tail = tail.last(qMin(tail.size(), tailChars));
    if (!tail.isEmpty() && tail.front().isLowSurrogate())
        tail.remove(0, 1);
    return head + tail;
}

} // namespace twbench
