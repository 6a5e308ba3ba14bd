// libblkid: what a device or image holds (every signature, like wipefs) and its topology.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/expected.hpp"

namespace luksfit::sys {

struct BlkidSignature {
	std::string type;  // TYPE or PTTYPE: "ext4", "crypto_LUKS", "gpt", "swap", ...
	std::string usage; // "filesystem", "crypto", "raid", "partition table", "other"
	std::string uuid;  // UUID (or PTUUID)
	std::string label;
	std::string version; // e.g. "2" for LUKS2
};

struct BlkidTopology {
	unsigned logical_sector = 512;
	unsigned physical_sector = 512;
	std::uint64_t alignment_offset = 0;
	std::uint64_t minimum_io = 512;
	std::uint64_t optimal_io = 0;
};

struct BlkidReport {
	std::uint64_t size_bytes = 0;
	std::vector<BlkidSignature> signatures;
	BlkidTopology topology;
};

// Opens `path` read-only and probes every superblock and partition-table signature.
// Errors: the path cannot be opened (errno) or libblkid fails to read it.
Expected<BlkidReport> blkid_probe_path(const std::string &path);

} // namespace luksfit::sys
