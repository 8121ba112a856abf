#pragma once

#include <array>
#include <string_view>

namespace twbench::capture {

// The kernel counter names a sample codes as a small number instead of spelling them out: a
// capture holds about 300 counters a second per host, and their names would otherwise be most
// of its size.
inline constexpr int knownCounterCount = 323;
extern const std::array<std::string_view, knownCounterCount> knownCounterNames;

} // namespace twbench::capture
