#pragma once

#include "model/endpoint.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace twbench::capture {

// The binary form of the capture's blobs: LEB128 varints (zigzag for signed values), fixed
// little-endian 16/32-bit words, length-prefixed strings. Written for the codecs in this folder
// only; not a general serializer.
class ByteWriter final
{
public:
    void putU8(std::uint8_t value) { m_bytes.append(char(value)); }
    void putBool(bool value) { putU8(value ? 1 : 0); }
    void putU16(std::uint16_t value);
    void putU32(std::uint32_t value);
    void putVarUint(std::uint64_t value);
    void putVarInt(std::int64_t value); // zigzag, so -1 is one byte
    void putRaw(QByteArrayView bytes) { m_bytes.append(bytes); }
    // Length-prefixed. Valid UTF-16 goes as UTF-8; anything else (a lone surrogate from a
    // hostile JSON string) as raw UTF-16, so every QString comes back exactly as it was.
    void putString(const QString &text);
    void putBytes(QByteArrayView bytes); // length-prefixed
    // A tag (4 or 16) and the address: 5 bytes for IPv4, 17 for IPv6.
    void putAddress(const IpAddress &address);

    qsizetype size() const { return m_bytes.size(); }
    const QByteArray &bytes() const { return m_bytes; }
    QByteArray take() { return std::move(m_bytes); }

private:
    QByteArray m_bytes;
};

// Reads what ByteWriter wrote, from untrusted bytes: nothing is read past the end, and the
// first problem makes the reader fail for good (every later read gives 0 / empty), so a decoder
// can read a whole record and check ok() once. A count is only accepted when the bytes left
// could hold that many elements (count(minBytesEach)), so nothing is reserved on a lie.
class ByteReader final
{
public:
    explicit ByteReader(QByteArrayView bytes)
        : m_bytes(bytes)
    {}

    std::uint8_t getU8();
    bool getBool();
    std::uint16_t getU16();
    std::uint32_t getU32();
    std::uint64_t getVarUint();
    std::int64_t getVarInt();
    // A varint that must fit `max` (a port, an enum, an index): fails otherwise.
    std::uint64_t getVarUintAtMost(std::uint64_t max);
    // An element count, accepted only when `minBytesEach` × count bytes are left.
    qsizetype getCount(qsizetype minBytesEach);
    QString getString();
    QByteArray getBytes();
    QByteArrayView getRaw(qsizetype length);
    IpAddress getAddress();

    void fail() { m_failed = true; }
    bool ok() const { return !m_failed; }
    bool atEnd() const { return m_position == m_bytes.size(); }
    qsizetype remaining() const { return m_bytes.size() - m_position; }

private:
    bool need(qsizetype length);

    QByteArrayView m_bytes; // Not owned.
    qsizetype m_position = 0;
    bool m_failed = false;
};

// Values numbered in order of first sight: a column of small indices then stands for a column
// of repeated values (addresses, namespaces), which is what zlib shrinks best.
template<typename Value>
class Dictionary
{
public:
    std::uint32_t indexOf(const Value &value)
    {
        const auto it = m_index.constFind(value);
        if (it != m_index.constEnd())
            return *it;
        const auto next = std::uint32_t(m_values.size());
        m_index.insert(value, next);
        m_values.push_back(value);
        return next;
    }
    const std::vector<Value> &values() const { return m_values; }

private:
    QHash<Value, std::uint32_t> m_index;
    std::vector<Value> m_values;
};

// The address and network-namespace dictionaries that the table and group codecs write before
// their columns, and read back (bounded by what is left; `in` fails on damage).
struct EndpointDictionaries
{
    std::vector<IpAddress> addresses;
    std::vector<std::uint64_t> namespaces;
};
void putEndpointDictionaries(ByteWriter &out, const std::vector<IpAddress> &addresses,
                             const std::vector<std::uint64_t> &namespaces);
EndpointDictionaries getEndpointDictionaries(ByteReader &in);

// qCompress()'s output, uncompressed only when its 4-byte big-endian size header is at most
// `maxBytes` and within what deflate can reach from the compressed size (about 1032:1), so a
// hostile header cannot make qUncompress() allocate gigabytes. nullopt with a reason otherwise.
std::optional<QByteArray> boundedUncompress(QByteArrayView compressed, qsizetype maxBytes,
                                            QString *reason);

} // namespace twbench::capture
