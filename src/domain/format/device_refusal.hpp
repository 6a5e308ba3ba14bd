// When format must not touch a target: the data-safety rules of docs/policy.md ("Nothing
// written unless") as a pure function of what the system adapters found, so every rule is
// unit-tested.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "util/error.hpp"

namespace luksfit::domain {

enum class NodeKind { Missing, Directory, CharDevice, BlockDevice, RegularFile, Other };

// One signature libblkid found (filesystem, partition table, LUKS, RAID member, swap, ...).
struct Signature {
	std::string type;  // "ext4", "crypto_LUKS", "dos", "gpt", "swap", "linux_raid_member"
	std::string usage; // "filesystem", "crypto", "raid", "partition table", "other"
	std::string uuid;
	std::string label;
};

struct TargetFacts {
	std::string path;
	NodeKind kind = NodeKind::Missing;
	std::uint64_t size_bytes = 0;
	std::vector<Signature> signatures;
	std::vector<std::string> mount_points; // of the device or any of its partitions
	std::vector<std::string> holders;      // /sys/.../holders (dm, md, ...)
	bool exclusive_open_failed = false;    // O_EXCL refused: someone has it open
	std::string busy_device;	       // which: the target or a loop device backed by it
	std::string probe_error;	       // libblkid could not read it (empty: fine)
};

// Why format must not proceed, or nullopt. `min_bytes`: header plus the smallest data area.
// Mounted, held or busy targets are refused even with `force`; signatures only without it.
std::optional<Error> format_refusal(const TargetFacts &t, bool force, std::uint64_t min_bytes);

// Why format must stop right before it writes: the target found now differs from the one
// checked and confirmed (size, or what blkid finds), or nullopt. Exit 6.
std::optional<Error> change_refusal(const TargetFacts &checked, const TargetFacts &now);

// Only the node kind: missing, a directory, a character device or anything else that is
// neither a block device nor a regular file (exit 4).
std::optional<Error> kind_refusal(const TargetFacts &t);

// "ext4 filesystem (UUID ...)": one line per signature, for reports and confirmation.
std::string describe(const Signature &s);

} // namespace luksfit::domain
