#pragma once

#include "../socket.h"

#include <cstddef>
#include <vector>

namespace twbench {

// Removes from sockets[firstIndex..] every socket whose 4-tuple an earlier one there already
// has (the kernel lists a socket twice when its table changes between two read() calls of one
// dump; netlink dumps can do the same). The first listing is kept and the order is preserved.
// Returns how many were removed.
//
// A separate pass after parsing, not a check per line: with the whole batch known, the table is
// sized once and each lookup is prefetched several sockets ahead. At 100k sockets the table is
// bigger than the cache, and a lookup that waits for memory on every line cost more than all
// the rest of the parse.
std::size_t removeRepeatedSockets(std::vector<Socket> &sockets, std::size_t firstIndex);

} // namespace twbench
