#include "redactor.h"

#include <QMutex>
#include <QMutexLocker>
#include <QRegularExpression>

#include <algorithm>

namespace twbench {

namespace {

// The IPv4 /16 prefix of an address (its first two octets).
std::uint16_t prefix16(const IpAddress &address)
{
    return std::uint16_t(address.v4() >> 16);
}

// The first 8 bytes of an IPv6 address: its /64 prefix.
std::uint64_t prefix64(const IpAddress &address)
{
    std::uint64_t value = 0;
    for (int i = 0; i < 8; ++i)
        value = (value << 8) | address.bytes()[std::size_t(i)];
    return value;
}

std::uint64_t interfaceId(const IpAddress &address)
{
    std::uint64_t value = 0;
    for (int i = 8; i < 16; ++i)
        value = (value << 8) | address.bytes()[std::size_t(i)];
    return value;
}

IpAddress fromHalves(std::uint64_t prefix, std::uint64_t iid)
{
    std::array<std::uint8_t, 16> bytes{};
    for (int i = 7; i >= 0; --i) {
        bytes[std::size_t(i)] = std::uint8_t(prefix & 0xff);
        prefix >>= 8;
    }
    for (int i = 15; i >= 8; --i) {
        bytes[std::size_t(i)] = std::uint8_t(iid & 0xff);
        iid >>= 8;
    }
    return IpAddress::fromV6(bytes);
}

// fe80::/64: link-local addresses stay link-local (their prefix says nothing about a site).
constexpr std::uint64_t linkLocalPrefix = 0xfe80'0000'0000'0000ULL;
constexpr std::uint64_t documentationPrefix = 0x2001'0db8'0000'0000ULL; // 2001:db8::/32

// Identifies nothing, so kept as is: the wildcards, 127.0.0.1 and ::1 (every Linux host has
// them), and 127.0.0.53 (systemd-resolved's stub). Other loopback addresses are aliased within
// 127/8 (see aliasV4Prefix): a lab or a service bound to 127.A.B.C is as telling as any other
// address, and loopback must stay loopback (Attribution counts it as the host's own).
bool isKept(const IpAddress &address)
{
    if (address.isUnspecified())
        return true;
    if (address.isV4())
        return address.v4() == 0x7f000001u || address.v4() == 0x7f000035u;
    return address.isLoopback();
}

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_';
}

bool isHexDigit(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'0' && u <= u'9') || (u >= u'a' && u <= u'f') || (u >= u'A' && u <= u'F');
}

bool isAddressChar(QChar c)
{
    return isHexDigit(c) || c == u':' || c == u'.';
}

bool allDigits(QStringView text)
{
    return !text.isEmpty() &&
           std::all_of(text.begin(), text.end(), [](QChar c) { return c.isDigit(); });
}

// Where an address may begin: not inside a word or inside a longer run of ':' and '.' ("std::",
// "v1.2"), but after a label's single colon ("peer:10.0.0.1").
bool startsAddressRun(const QString &text, qsizetype i)
{
    if (i == 0)
        return true;
    const QChar previous = text[i - 1];
    if (!isWordChar(previous) && !isAddressChar(previous))
        return true;
    return previous == u':' && text[i].isDigit() && i >= 2 && isWordChar(text[i - 2]);
}

std::optional<IpAddress> parseAddress(QStringView text)
{
    if (text.isEmpty() || text.size() > 45)
        return std::nullopt;
    return IpAddress::parse(text.toLatin1());
}

} // namespace

struct Redactor::Private
{
    // Everything below is guarded: a replay may redact tables on the thread pool while the GUI
    // thread redacts samples.
    QMutex mutex;

    QSet<std::uint16_t> reservedV4Prefixes;        // /16 prefixes of originals: never an alias's
    QSet<std::uint64_t> reservedV6Prefixes;        // /64 prefixes of originals: never an alias's
    QHash<std::uint16_t, std::uint16_t> v4Prefix;  // original /16 → alias /16
    QHash<std::uint64_t, std::uint64_t> v6Prefix;  // original /64 → alias /64
    QHash<std::uint64_t, std::uint64_t> v6Iid;     // original interface id → alias
    QSet<IpAddress> aliased;                       // distinct originals handed an alias
    std::uint32_t nextV4 = (198u << 8) | 18u;      // 198.18.0.0/15 and on
    std::uint32_t nextLoopback = (127u << 8) | 1u; // 127.1.0.0/16 and on
    std::uint64_t nextV6 = 1;                      // 2001:db8:0:N::/64
    std::uint64_t nextLinkLocal = 1;               // fe80:0:0:N::/64
    std::uint64_t nextIid = 1;

    QHash<QString, QString> names; // case-folded original → alias
    int nextName = 1;
    // The names, for text(): longest first, so "web-01.example.com" goes before "web-01".
    QStringList namesLongestFirst;
    std::optional<QRegularExpression> nameExpression; // rebuilt when a name is added

    void reserveAddress(const IpAddress &address)
    {
        if (isKept(address))
            return;
        if (address.isV4())
            reservedV4Prefixes.insert(prefix16(address));
        else
            reservedV6Prefixes.insert(prefix64(address));
    }

    void reserveSample(const HostSample &sample)
    {
        if (sample.table) {
            for (const Socket &socket : sample.table->sockets) {
                reserveAddress(socket.local.address);
                reserveAddress(socket.remote.address);
            }
        }
        if (sample.docker) {
            for (const Container &container : sample.docker->containers) {
                for (const ContainerNetwork &network : container.networks) {
                    for (const auto *ip : {&network.ipAddress, &network.ipv6Address,
                                           &network.gateway, &network.ipv6Gateway}) {
                        if (*ip)
                            reserveAddress(**ip);
                    }
                }
                for (const ContainerPort &port : container.ports) {
                    for (const PortBinding &binding : port.bindings) {
                        if (binding.hostIp)
                            reserveAddress(*binding.hostIp);
                    }
                }
            }
            for (const DockerNetwork &network : sample.docker->networks) {
                for (const IpSubnet &subnet : network.subnets)
                    reserveAddress(subnet.address);
                for (const IpAddress &gateway : network.gateways)
                    reserveAddress(gateway);
            }
        }
        for (const LogWindow &window : sample.logs) {
            for (const RequestCount &count : window.keys) {
                if (const auto ip = parseAddress(count.key.client))
                    reserveAddress(*ip);
            }
        }
    }

    std::uint16_t aliasV4Prefix(std::uint16_t original)
    {
        if (const auto it = v4Prefix.constFind(original); it != v4Prefix.cend())
            return *it;
        // 198.18.0.0/15 (benchmarking) and upwards to 223.255; then 100.64.0.0/10 onwards. Never
        // an original's prefix, never loopback, multicast or 0.x.
        if ((original >> 8) == 127u) {
            // Loopback stays loopback: 127.Y, never 127.0 (the kept 127.0.0.1 is there).
            for (;;) {
                if (nextLoopback > ((127u << 8) | 255u))
                    nextLoopback = (127u << 8) | 1u;
                const auto candidate = std::uint16_t(nextLoopback++);
                if (reservedV4Prefixes.contains(candidate))
                    continue;
                v4Prefix.insert(original, candidate);
                return candidate;
            }
        }
        for (;;) {
            if (nextV4 >= (224u << 8))
                nextV4 = (100u << 8) | 64u;
            const auto candidate = std::uint16_t(nextV4++);
            const unsigned first = candidate >> 8;
            if (first == 0 || first == 127 || reservedV4Prefixes.contains(candidate))
                continue;
            v4Prefix.insert(original, candidate);
            return candidate;
        }
    }

    std::uint64_t aliasV6Prefix(std::uint64_t original)
    {
        if (const auto it = v6Prefix.constFind(original); it != v6Prefix.cend())
            return *it;
        const bool linkLocal = (original & 0xffc0'0000'0000'0000ULL) == linkLocalPrefix;
        for (;;) {
            const std::uint64_t candidate =
                linkLocal ? linkLocalPrefix | (nextLinkLocal++ & 0xffff'ffffULL)
                          : documentationPrefix | (nextV6++ & 0xffff'ffffULL);
            if (reservedV6Prefixes.contains(candidate))
                continue;
            v6Prefix.insert(original, candidate);
            return candidate;
        }
    }

    std::uint64_t aliasIid(std::uint64_t original)
    {
        // A zero interface id is a subnet's own address: it stays zero, so subnets stay subnets.
        if (original == 0)
            return 0;
        if (const auto it = v6Iid.constFind(original); it != v6Iid.cend())
            return *it;
        const std::uint64_t alias = nextIid++;
        v6Iid.insert(original, alias);
        return alias;
    }

    IpAddress address(const IpAddress &original)
    {
        if (isKept(original))
            return original;
        aliased.insert(original);
        if (original.isV4()) {
            const std::uint32_t alias =
                (std::uint32_t(aliasV4Prefix(prefix16(original))) << 16) | (original.v4() & 0xffff);
            return IpAddress::fromV4(alias);
        }
        return fromHalves(aliasV6Prefix(prefix64(original)), aliasIid(interfaceId(original)));
    }

    std::optional<IpAddress> address(const std::optional<IpAddress> &original)
    {
        if (!original)
            return std::nullopt;
        return address(*original);
    }

    Endpoint endpoint(const Endpoint &original)
    {
        return {address(original.address), original.port};
    }

    QString hostName(const QString &original)
    {
        const QString key = original.trimmed().toCaseFolded();
        if (key.isEmpty())
            return original;
        if (const auto it = names.constFind(key); it != names.cend())
            return *it;
        const QString alias = QStringLiteral("host-%1").arg(nextName++);
        names.insert(key, alias);
        namesLongestFirst.append(original.trimmed());
        std::stable_sort(namesLongestFirst.begin(), namesLongestFirst.end(),
                         [](const QString &a, const QString &b) { return a.size() > b.size(); });
        nameExpression.reset();
        return alias;
    }

    // One address-like run of text (hex digits, ':' and '.'), replaced if it is an address,
    // an IPv4 address with a port, or one with sentence punctuation after it.
    QString replaceRun(QStringView run)
    {
        if (const auto ip = parseAddress(run))
            return address(*ip).toString();
        // "10.1.2.3:80" (an IPv6 address never reaches here with a port: it is in brackets).
        if (const qsizetype colon = run.lastIndexOf(u':'); colon > 0) {
            const QStringView host = run.first(colon);
            const QStringView port = run.sliced(colon + 1);
            if (allDigits(port) && host.contains(u'.') && !host.contains(u':')) {
                if (const auto ip = parseAddress(host); ip && ip->isV4())
                    return address(*ip).toString() % u':' % port;
            }
        }
        // A sentence's full stop or a label's colon after the address: "from 10.0.0.1." — but
        // "::" may end an IPv6 address, which the first parse already tried.
        qsizetype end = run.size();
        while (end > 0 && (run[end - 1] == u'.' || run[end - 1] == u':'))
            --end;
        qsizetype begin = 0;
        // "peer:10.0.0.1": a single ':' glued before the address.
        if (run.startsWith(u':') && !run.startsWith(QStringLiteral("::")))
            begin = 1;
        if ((begin > 0 || end < run.size()) && end > begin) {
            const QStringView inner = run.sliced(begin, end - begin);
            if (const QString replaced = replaceRun(inner); replaced != inner)
                return run.first(begin) % replaced % run.sliced(end);
        }
        return run.toString();
    }

    QString replaceAddresses(const QString &text)
    {
        QString result;
        result.reserve(text.size());
        qsizetype i = 0;
        const qsizetype n = text.size();
        while (i < n) {
            const QChar c = text[i];
            const bool startsRun = isAddressChar(c) && startsAddressRun(text, i);
            if (!startsRun) {
                result.append(c);
                ++i;
                continue;
            }
            qsizetype j = i;
            while (j < n && isAddressChar(text[j]))
                ++j;
            const QStringView run = QStringView(text).sliced(i, j - i);
            // A run glued to more of a word ("1.2.3.4abc", "v1.2.3.4") is not an address, and
            // a run with neither ':' nor '.' cannot be one.
            const bool glued = j < n && isWordChar(text[j]);
            if (glued || (!run.contains(u':') && !run.contains(u'.')))
                result.append(run);
            else
                result.append(replaceRun(run));
            i = j;
        }
        return result;
    }

    QString replaceNames(const QString &text)
    {
        if (namesLongestFirst.isEmpty())
            return text;
        if (!nameExpression) {
            QStringList alternatives;
            for (const QString &name : std::as_const(namesLongestFirst))
                alternatives.append(QRegularExpression::escape(name));
            // Whole words: a name is not part of a longer word or of a hyphenated name.
            nameExpression.emplace(QStringLiteral("(?<![\\w-])(?:") % alternatives.join(u'|') %
                                       QStringLiteral(")(?![\\w-])"),
                                   QRegularExpression::CaseInsensitiveOption |
                                       QRegularExpression::UseUnicodePropertiesOption);
        }
        QString result;
        qsizetype last = 0;
        for (QRegularExpressionMatchIterator it = nameExpression->globalMatch(text);
             it.hasNext();) {
            const QRegularExpressionMatch match = it.next();
            result.append(QStringView(text).sliced(last, match.capturedStart() - last));
            result.append(names.value(match.captured().toCaseFolded(), match.captured()));
            last = match.capturedEnd();
        }
        if (last == 0)
            return text;
        result.append(QStringView(text).sliced(last));
        return result;
    }

    QString text(const QString &text) { return replaceNames(replaceAddresses(text)); }

    ParseReport report(const ParseReport &original)
    {
        ParseReport result = original;
        for (ParseReport::LineError &error : result.errors) {
            error.reason = text(error.reason);
            error.excerpt = text(error.excerpt);
        }
        return result;
    }

    SnapshotPtr table(const SnapshotPtr &original)
    {
        if (!original)
            return nullptr;
        auto copy = std::make_shared<Snapshot>(*original);
        for (Socket &socket : copy->sockets) {
            socket.local = endpoint(socket.local);
            socket.remote = endpoint(socket.remote);
        }
        copy->report = report(copy->report);
        copy->finalize(); // the listening endpoints, from the redacted sockets
        return copy;
    }

    std::shared_ptr<const DockerInventory> docker(const std::shared_ptr<const DockerInventory> &in)
    {
        if (!in)
            return nullptr;
        auto copy = std::make_shared<DockerInventory>(*in);
        for (Container &container : copy->containers) {
            for (ContainerNetwork &network : container.networks) {
                network.ipAddress = address(network.ipAddress);
                network.ipv6Address = address(network.ipv6Address);
                network.gateway = address(network.gateway);
                network.ipv6Gateway = address(network.ipv6Gateway);
            }
            for (ContainerPort &port : container.ports) {
                for (PortBinding &binding : port.bindings)
                    binding.hostIp = address(binding.hostIp);
            }
        }
        for (DockerNetwork &network : copy->networks) {
            // The subnet's own address through the same prefix rule as its members: a /16 or
            // longer subnet still contains its containers' aliases.
            for (IpSubnet &subnet : network.subnets)
                subnet.address = address(subnet.address);
            for (IpAddress &gateway : network.gateways)
                gateway = address(gateway);
        }
        copy->error = text(copy->error);
        return copy;
    }

    HostSamplePtr sample(const HostSample &original)
    {
        auto copy = std::make_shared<HostSample>(original);
        copy->table = table(original.table);
        copy->docker = docker(original.docker);
        for (LogWindow &window : copy->logs) {
            for (RequestCount &count : window.keys) {
                if (const auto ip = parseAddress(count.key.client))
                    count.key.client = address(*ip).toString();
                else
                    count.key.client = text(count.key.client);
            }
            window.error = text(window.error);
        }
        for (SourceIssue &issue : copy->issues)
            issue.message = text(issue.message);
        return copy;
    }

    QString hostAddress(const QString &original)
    {
        if (original.isEmpty())
            return original;
        if (const auto ip = parseAddress(original))
            return address(*ip).toString();
        return hostName(original);
    }
};

Redactor::Redactor()
    : d(std::make_shared<Private>())
{}

void Redactor::reserve(const HostSample &sample)
{
    const QMutexLocker lock(&d->mutex);
    d->reserveSample(sample);
}

void Redactor::reserve(const CaptureHost &host)
{
    const QMutexLocker lock(&d->mutex);
    if (const auto ip = parseAddress(host.address))
        d->reserveAddress(*ip);
    // Names are aliased in the order the hosts are given, so host-1 is the capture's first.
    d->hostName(host.displayName);
    if (!parseAddress(host.address))
        d->hostName(host.address);
}

IpAddress Redactor::address(const IpAddress &original)
{
    const QMutexLocker lock(&d->mutex);
    return d->address(original);
}

Endpoint Redactor::endpoint(const Endpoint &original)
{
    const QMutexLocker lock(&d->mutex);
    return d->endpoint(original);
}

QString Redactor::hostName(const QString &original)
{
    const QMutexLocker lock(&d->mutex);
    return d->hostName(original);
}

QString Redactor::text(const QString &text)
{
    const QMutexLocker lock(&d->mutex);
    return d->text(text);
}

HostSamplePtr Redactor::sample(const HostSample &original)
{
    const QMutexLocker lock(&d->mutex);
    return d->sample(original);
}

CaptureTable Redactor::table(const CaptureTable &original)
{
    const QMutexLocker lock(&d->mutex);
    // The namespace map holds container ids and inodes only: nothing to hide.
    return {d->table(original.table), original.namespaces};
}

CaptureHost Redactor::host(const CaptureHost &original)
{
    const QMutexLocker lock(&d->mutex);
    CaptureHost copy = original;
    copy.displayName = d->hostName(original.displayName);
    copy.address = d->hostAddress(original.address);
    // A login name says whose account it is; "root" says nothing and stays readable.
    if (!copy.user.isEmpty() && copy.user != QLatin1String("root"))
        copy.user = d->hostName(original.user);
    // Log sources are paths or container names: kept (see the class comment).
    return copy;
}

int Redactor::addressCount() const
{
    const QMutexLocker lock(&d->mutex);
    return int(d->aliased.size());
}

int Redactor::hostNameCount() const
{
    const QMutexLocker lock(&d->mutex);
    return int(d->names.size());
}

} // namespace twbench
