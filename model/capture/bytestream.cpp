#include "bytestream.h"

#include <QCoreApplication>
#include <QtEndian>

#include <array>

namespace twbench::capture {

namespace {

// deflate's best case is 258 bytes from one 2-bit code: no honest stream inflates beyond
// about 1032 times its size.
constexpr qsizetype maxDeflateRatio = 1032;
constexpr qsizetype deflateSlack = 1024;

} // namespace

void ByteWriter::putU16(std::uint16_t value)
{
    std::array<char, 2> out{};
    qToLittleEndian(value, out.data());
    m_bytes.append(out.data(), 2);
}

void ByteWriter::putU32(std::uint32_t value)
{
    std::array<char, 4> out{};
    qToLittleEndian(value, out.data());
    m_bytes.append(out.data(), 4);
}

void ByteWriter::putVarUint(std::uint64_t value)
{
    while (value >= 0x80) {
        m_bytes.append(char((value & 0x7f) | 0x80));
        value >>= 7;
    }
    m_bytes.append(char(value));
}

void ByteWriter::putVarInt(std::int64_t value)
{
    const auto bits = static_cast<std::uint64_t>(value);
    putVarUint((bits << 1) ^ (value < 0 ? ~std::uint64_t(0) : 0));
}

void ByteWriter::putString(const QString &text)
{
    if (text.isValidUtf16()) {
        const QByteArray utf8 = text.toUtf8();
        putVarUint(std::uint64_t(utf8.size()) << 1);
        m_bytes.append(utf8);
        return;
    }
    const qsizetype bytes = text.size() * 2;
    putVarUint((std::uint64_t(bytes) << 1) | 1);
    for (const QChar ch : text)
        putU16(ch.unicode());
}

void ByteWriter::putBytes(QByteArrayView bytes)
{
    putVarUint(std::uint64_t(bytes.size()));
    m_bytes.append(bytes);
}

void ByteWriter::putAddress(const IpAddress &address)
{
    if (address.isV4()) {
        putU8(4);
        putU32(address.v4());
        return;
    }
    putU8(16);
    m_bytes.append(reinterpret_cast<const char *>(address.bytes().data()), 16);
}

bool ByteReader::need(qsizetype length)
{
    if (m_failed || length < 0 || length > remaining()) {
        m_failed = true;
        return false;
    }
    return true;
}

std::uint8_t ByteReader::getU8()
{
    if (!need(1))
        return 0;
    return std::uint8_t(m_bytes[m_position++]);
}

bool ByteReader::getBool()
{
    const std::uint8_t value = getU8();
    if (value > 1)
        fail();
    return value == 1;
}

std::uint16_t ByteReader::getU16()
{
    if (!need(2))
        return 0;
    const auto value = qFromLittleEndian<std::uint16_t>(m_bytes.data() + m_position);
    m_position += 2;
    return value;
}

std::uint32_t ByteReader::getU32()
{
    if (!need(4))
        return 0;
    const auto value = qFromLittleEndian<std::uint32_t>(m_bytes.data() + m_position);
    m_position += 4;
    return value;
}

std::uint64_t ByteReader::getVarUint()
{
    std::uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (!need(1))
            return 0;
        const auto byte = std::uint8_t(m_bytes[m_position++]);
        // The tenth byte may only carry the top bit of a 64-bit value.
        if (shift == 63 && byte > 1) {
            fail();
            return 0;
        }
        value |= std::uint64_t(byte & 0x7f) << shift;
        if ((byte & 0x80) == 0)
            return value;
    }
    fail();
    return 0;
}

std::int64_t ByteReader::getVarInt()
{
    const std::uint64_t bits = getVarUint();
    return static_cast<std::int64_t>((bits >> 1) ^ (~(bits & 1) + 1));
}

std::uint64_t ByteReader::getVarUintAtMost(std::uint64_t max)
{
    const std::uint64_t value = getVarUint();
    if (value > max) {
        fail();
        return 0;
    }
    return value;
}

qsizetype ByteReader::getCount(qsizetype minBytesEach)
{
    Q_ASSERT(minBytesEach > 0);
    const std::uint64_t count = getVarUint();
    if (m_failed || count > std::uint64_t(remaining() / minBytesEach)) {
        m_failed = true;
        return 0;
    }
    return qsizetype(count);
}

QString ByteReader::getString()
{
    const std::uint64_t header = getVarUint();
    const std::uint64_t length = header >> 1;
    if (m_failed || length > std::uint64_t(remaining())) {
        m_failed = true;
        return {};
    }
    const QByteArrayView raw = m_bytes.sliced(m_position, qsizetype(length));
    m_position += qsizetype(length);
    if ((header & 1) == 0)
        return QString::fromUtf8(raw);
    if (length % 2 != 0) {
        m_failed = true;
        return {};
    }
    QString text(qsizetype(length / 2), Qt::Uninitialized);
    for (qsizetype i = 0; i < text.size(); ++i)
        text[i] = QChar(qFromLittleEndian<std::uint16_t>(raw.data() + 2 * i));
    return text;
}

QByteArray ByteReader::getBytes()
{
    const std::uint64_t length = getVarUint();
    if (m_failed || length > std::uint64_t(remaining())) {
        m_failed = true;
        return {};
    }
    return getRaw(qsizetype(length)).toByteArray();
}

QByteArrayView ByteReader::getRaw(qsizetype length)
{
    if (!need(length))
        return {};
    const QByteArrayView raw = m_bytes.sliced(m_position, length);
    m_position += length;
    return raw;
}

IpAddress ByteReader::getAddress()
{
    const std::uint8_t tag = getU8();
    if (tag == 4)
        return IpAddress::fromV4(getU32());
    if (tag != 16 || !need(16)) {
        fail();
        return {};
    }
    std::array<std::uint8_t, 16> bytes{};
    for (std::uint8_t &byte : bytes)
        byte = std::uint8_t(m_bytes[m_position++]);
    return IpAddress::fromV6(bytes);
}

std::optional<QByteArray> boundedUncompress(QByteArrayView compressed, qsizetype maxBytes,
                                            QString *reason)
{
    if (compressed.size() < 5) {
        *reason = QCoreApplication::translate("twbench::SampleCodec", "compressed data cut short");
        return std::nullopt;
    }
    const auto claimed = qFromBigEndian<std::uint32_t>(compressed.data());
    const qsizetype reachable = (compressed.size() - 4) * maxDeflateRatio + deflateSlack;
    if (claimed == 0 || qsizetype(claimed) > maxBytes || qsizetype(claimed) > reachable) {
        *reason =
            QCoreApplication::translate("twbench::SampleCodec",
                                        "compressed data claims an impossible size (%1 bytes)")
                .arg(claimed);
        return std::nullopt;
    }
    QByteArray out =
        qUncompress(reinterpret_cast<const uchar *>(compressed.data()), compressed.size());
    if (out.size() != qsizetype(claimed)) {
        *reason = QCoreApplication::translate("twbench::SampleCodec", "compressed data is damaged");
        return std::nullopt;
    }
    return out;
}

void putEndpointDictionaries(ByteWriter &out, const std::vector<IpAddress> &addresses,
                             const std::vector<std::uint64_t> &namespaces)
{
    out.putVarUint(addresses.size());
    for (const IpAddress &address : addresses)
        out.putAddress(address);
    out.putVarUint(namespaces.size());
    for (const std::uint64_t netns : namespaces)
        out.putVarUint(netns);
}

EndpointDictionaries getEndpointDictionaries(ByteReader &in)
{
    EndpointDictionaries dictionaries;
    const qsizetype addressCount = in.getCount(5); // an address is at least 5 bytes
    dictionaries.addresses.reserve(std::size_t(addressCount));
    for (qsizetype i = 0; i < addressCount && in.ok(); ++i)
        dictionaries.addresses.push_back(in.getAddress());
    const qsizetype netnsCount = in.getCount(1);
    dictionaries.namespaces.reserve(std::size_t(netnsCount));
    for (qsizetype i = 0; i < netnsCount && in.ok(); ++i)
        dictionaries.namespaces.push_back(in.getVarUint());
    return dictionaries;
}

} // namespace twbench::capture
