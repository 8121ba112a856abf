#include "endpoint.h"

#include <arpa/inet.h>

#include <cstring>

namespace twbench {

namespace {
constexpr std::array<std::uint8_t, 12> v4MappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
} // namespace

IpAddress IpAddress::fromV4(std::uint32_t hostOrder)
{
    IpAddress address;
    std::memcpy(address.m_bytes.data(), v4MappedPrefix.data(), v4MappedPrefix.size());
    address.m_bytes[12] = static_cast<std::uint8_t>(hostOrder >> 24);
    address.m_bytes[13] = static_cast<std::uint8_t>(hostOrder >> 16);
    address.m_bytes[14] = static_cast<std::uint8_t>(hostOrder >> 8);
    address.m_bytes[15] = static_cast<std::uint8_t>(hostOrder);
    return address;
}

IpAddress IpAddress::fromV6(const std::array<std::uint8_t, 16> &networkOrder)
{
    IpAddress address;
    address.m_bytes = networkOrder;
    return address;
}

bool IpAddress::isV4() const
{
    return std::memcmp(m_bytes.data(), v4MappedPrefix.data(), v4MappedPrefix.size()) == 0;
}

std::uint32_t IpAddress::v4() const
{
    return (std::uint32_t(m_bytes[12]) << 24) | (std::uint32_t(m_bytes[13]) << 16) |
           (std::uint32_t(m_bytes[14]) << 8) | std::uint32_t(m_bytes[15]);
}

bool IpAddress::isUnspecified() const
{
    if (isV4())
        return v4() == 0;
    return m_bytes == std::array<std::uint8_t, 16>{};
}

bool IpAddress::isLoopback() const
{
    if (isV4())
        return m_bytes[12] == 127;
    std::array<std::uint8_t, 16> loopback{};
    loopback[15] = 1;
    return m_bytes == loopback;
}

std::optional<IpAddress> IpAddress::parse(QByteArrayView text)
{
    // Only called on the slow paths (user input, netstat pastes): the hot /proc and ss parsers
    // decode addresses by hand. inet_pton, not QHostAddress: model/ links QtCore only.
    const qsizetype percent = text.indexOf('%');
    if (percent >= 0)
        text = text.first(percent);
    if (text.isEmpty() || text.size() >= INET6_ADDRSTRLEN)
        return std::nullopt;
    char buffer[INET6_ADDRSTRLEN] = {};
    std::memcpy(buffer, text.data(), size_t(text.size()));
    in_addr v4{};
    if (inet_pton(AF_INET, buffer, &v4) == 1)
        return fromV4(ntohl(v4.s_addr));
    std::array<std::uint8_t, 16> bytes{};
    if (inet_pton(AF_INET6, buffer, bytes.data()) == 1)
        return fromV6(bytes);
    return std::nullopt;
}

QString IpAddress::toString() const
{
    if (isV4()) {
        const std::uint32_t value = v4();
        return QString::number(value >> 24) % u'.' % QString::number((value >> 16) & 0xff) % u'.' %
               QString::number((value >> 8) & 0xff) % u'.' % QString::number(value & 0xff);
    }
    char buffer[INET6_ADDRSTRLEN] = {};
    if (!inet_ntop(AF_INET6, m_bytes.data(), buffer, sizeof buffer))
        return QStringLiteral("?");
    return QString::fromLatin1(buffer);
}

QString Endpoint::toString() const
{
    const QString portText = port == 0 ? QStringLiteral("*") : QString::number(port);
    if (address.isV4())
        return address.toString() % u':' % portText;
    return u'[' % address.toString() % u"]:" % portText;
}

size_t qHash(const IpAddress &address, size_t seed) noexcept
{
    return qHashBits(address.bytes().data(), address.bytes().size(), seed);
}

size_t qHash(const Endpoint &endpoint, size_t seed) noexcept
{
    return qHashMulti(seed, endpoint.address, endpoint.port);
}

} // namespace twbench
