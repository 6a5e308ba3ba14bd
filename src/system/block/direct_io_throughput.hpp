// Sequential O_DIRECT throughput of a block device: `queue_depth` threads each keep one
// request of `block_bytes` in flight, taking the next offset in turn (like fio's sequential
// jobs with iodepth), wrapping over the first `span_bytes`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "util/expected.hpp"

namespace luksfit::sys {

struct DirectIoSpec {
	std::size_t block_bytes = 256 * 1024;
	unsigned queue_depth = 4;
	std::uint64_t span_bytes = 0; // 0: the whole device
};

// Runs for at least `seconds`; MiB/s (1024^2 bytes).
Expected<double> direct_io_throughput(const std::string &device, bool write,
				      const DirectIoSpec &spec, double seconds);

} // namespace luksfit::sys
