#pragma once

#include <QByteArrayView>
#include <QHashFunctions>
#include <QString>

#include <array>
#include <compare>
#include <cstdint>
#include <optional>

namespace twbench {

// An IP address, IPv4 or IPv6, stored as 16 bytes in network order. IPv4 (and IPv4-mapped
// IPv6, ::ffff:a.b.c.d, which is the same peer seen through a dual-stack socket) is kept in the
// mapped form so that both spellings compare equal and sort together.
class IpAddress
{
public:
    IpAddress() = default;
    static IpAddress fromV4(std::uint32_t hostOrder);
    static IpAddress fromV6(const std::array<std::uint8_t, 16> &networkOrder);
    // Dotted quad, or any IPv6 text form (with optional %scope, which is dropped); brackets are
    // not accepted here — the callers strip them.
    static std::optional<IpAddress> parse(QByteArrayView text);

    bool isV4() const;
    std::uint32_t v4() const;   // host order; only meaningful when isV4()
    bool isUnspecified() const; // 0.0.0.0 or ::
    bool isLoopback() const;
    const std::array<std::uint8_t, 16> &bytes() const { return m_bytes; }

    QString toString() const; // 10.0.0.1, or ::1 in RFC 5952 form

    friend auto operator<=>(const IpAddress &, const IpAddress &) = default;
    friend bool operator==(const IpAddress &, const IpAddress &) = default;

private:
    std::array<std::uint8_t, 16> m_bytes{};
};

struct Endpoint
{
    IpAddress address;
    std::uint16_t port = 0;

    // 10.0.0.1:80 and [2001:db8::1]:443; port 0 prints as "*" (ss's spelling for "any").
    QString toString() const;
    bool isWildcard() const { return address.isUnspecified(); }

    friend auto operator<=>(const Endpoint &, const Endpoint &) = default;
    friend bool operator==(const Endpoint &, const Endpoint &) = default;
};

size_t qHash(const IpAddress &address, size_t seed = 0) noexcept;
size_t qHash(const Endpoint &endpoint, size_t seed = 0) noexcept;

} // namespace twbench
