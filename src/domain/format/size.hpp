// Sizes as users type them ("64M", "1G", "512KiB", "4096") and as luksfit prints them.
// Units are binary, like truncate(1) and cryptsetup: K = KiB = 1024.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/expected.hpp"

namespace luksfit::domain {

// Accepts an integer with an optional suffix K, M, G, T (optionally followed by "iB" or "B",
// any case). Refuses empty input, signs, fractions, zero, and overflow (exit 1, with a hint).
Expected<std::uint64_t> parse_size(std::string_view text);

// The largest exact binary unit: 67108864 -> "64 MiB", 1536 -> "1.5 KiB", 100 -> "100 B".
std::string format_size(std::uint64_t bytes);

} // namespace luksfit::domain
