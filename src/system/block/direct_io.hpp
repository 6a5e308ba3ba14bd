// O_DIRECT pattern I/O through a block device (a dm-crypt mapping), and a plaintext scan of
// the backing image: the data-path half of validate's round trip.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "util/expected.hpp"

namespace luksfit::sys {

// Writes `bytes` of the seeded pattern (util/pattern.hpp) at offset 0 with O_DIRECT, then
// fsync. `bytes` must be a multiple of 4096.
Status write_pattern_direct(const std::string &device, std::uint64_t bytes, std::uint64_t seed);

// Reads them back with O_DIRECT; the offset of the first differing 4 KiB block, or nullopt.
Expected<std::optional<std::uint64_t>>
verify_pattern_direct(const std::string &device, std::uint64_t bytes, std::uint64_t seed);

// Whether any 4 KiB block of the pattern's first `bytes` appears anywhere in `file` at a
// 512-byte aligned offset (plaintext leaking to the backing image).
Expected<bool> file_contains_pattern(const std::string &file, std::uint64_t bytes,
				     std::uint64_t seed);

} // namespace luksfit::sys
