#include "repeatedsockets.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

namespace twbench {

namespace {

std::uint64_t loadWord(const std::uint8_t *bytes)
{
    std::uint64_t word = 0;
    std::memcpy(&word, bytes, sizeof word);
    return word;
}

std::uint64_t mix(std::uint64_t hash, std::uint64_t word)
{
    hash = (hash ^ word) * 0x9e3779b97f4a7c15ull;
    return hash ^ (hash >> 29);
}

std::uint64_t hashOf(const Socket &socket)
{
    const std::uint8_t *local = socket.local.address.bytes().data();
    const std::uint8_t *remote = socket.remote.address.bytes().data();
    std::uint64_t hash = (std::uint64_t(socket.local.port) << 16) | socket.remote.port;
    hash = mix(hash, loadWord(local));
    hash = mix(hash, loadWord(local + 8));
    hash = mix(hash, loadWord(remote));
    hash = mix(hash, loadWord(remote + 8));
    return hash;
}

bool sameTuple(const Socket &a, const Socket &b)
{
    return a.local.port == b.local.port && a.remote.port == b.remote.port &&
           a.local.address == b.local.address && a.remote.address == b.remote.address;
}

// The high half of the hash beside the position, so a probe that meets another socket almost
// never fetches it from the (large, cold) vector to compare.
struct Slot
{
    std::uint32_t tag = 0;
    std::uint32_t position = 0; // 0: empty, else offset in the batch + 1
};

} // namespace

std::size_t removeRepeatedSockets(std::vector<Socket> &sockets, std::size_t firstIndex)
{
    if (firstIndex >= sockets.size())
        return 0;
    const std::size_t count = sockets.size() - firstIndex;
    if (count < 2 || count >= UINT32_MAX)
        return 0;
    const Socket *batch = sockets.data() + firstIndex;

    // At most half full: linear probes stay short.
    const std::size_t capacity = std::bit_ceil(std::max<std::size_t>(16, count * 2));
    const std::size_t mask = capacity - 1;
    std::vector<Slot> table(capacity);

    constexpr std::size_t ahead = 8; // lookups in flight: enough to cover a miss to memory
    std::array<std::uint64_t, ahead> hashes{};
    for (std::size_t i = 0; i < std::min(ahead, count); ++i) {
        hashes[i] = hashOf(batch[i]);
        __builtin_prefetch(&table[hashes[i] & mask]);
    }

    std::vector<bool> repeated; // allocated at the first repeat: most dumps have none
    std::size_t repeats = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const std::uint64_t hash = hashes[i % ahead];
        if (i + ahead < count) {
            const std::uint64_t later = hashOf(batch[i + ahead]);
            hashes[(i + ahead) % ahead] = later;
            __builtin_prefetch(&table[later & mask]);
        }
        const auto tag = std::uint32_t(hash >> 32);
        std::size_t at = hash & mask;
        bool isRepeat = false;
        for (; table[at].position != 0; at = (at + 1) & mask) {
            if (table[at].tag == tag && sameTuple(batch[table[at].position - 1], batch[i])) {
                isRepeat = true;
                break;
            }
        }
        if (isRepeat) {
            if (repeated.empty())
                repeated.assign(count, false);
            repeated[i] = true;
            ++repeats;
            continue;
        }
        table[at] = {tag, std::uint32_t(i + 1)};
    }

    if (repeats > 0) {
        std::size_t kept = firstIndex;
        for (std::size_t i = 0; i < count; ++i) {
            if (!repeated[i])
                sockets[kept++] = sockets[firstIndex + i];
        }
        sockets.resize(kept);
    }
    return repeats;
}

} // namespace twbench
