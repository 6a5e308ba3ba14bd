// What the kernel says about a path that may be formatted: node type, size, mounts, holders,
// whether it can be opened exclusively; and an advisory lock against concurrent luksfit runs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/expected.hpp"
#include "util/unique_fd.hpp"

namespace luksfit::sys {

enum class NodeType { Missing, Directory, CharDevice, BlockDevice, RegularFile, Other };

struct NodeState {
	NodeType type = NodeType::Missing;
	std::uint64_t size_bytes = 0;
	unsigned major = 0, minor = 0;          // block devices
	std::vector<std::string> mount_points;  // the device or any of its partitions
	std::vector<std::string> holders;       // e.g. "dm-0", "md127"
	bool exclusive_open_failed = false;     // open(O_EXCL) said EBUSY
	int stat_errno = 0;                     // stat failed with something other than ENOENT
};

// stat + sysfs + /proc/self/mountinfo. For regular files: mounts and holders are those of a
// loop device backed by the file, if any.
NodeState inspect_node(const std::string &path);

// Queue facts for recommend --device. A partition has no queue of its own: it reports its
// disk's, and `disk` names that disk (equal to `name` for a whole disk).
struct BlockTopology {
	std::string name; // kernel name, e.g. "loop0p1"
	std::string disk; // whose queue/ was read, e.g. "loop0"
	bool rotational = false;
	unsigned logical_sector = 0;
	unsigned physical_sector = 0;
};
// Fails (exit 4 via errno) for a missing path or one that is not a block device.
Expected<BlockTopology> block_topology(const std::string &device);

// An exclusive flock on the target held for a whole format: a second luksfit on the same
// path fails at once (exit 5) instead of racing.
class TargetLock
{
public:
	static Expected<TargetLock> acquire(const std::string &path);
	int fd() const noexcept { return fd_.get(); }

private:
	explicit TargetLock(UniqueFd fd) : fd_(std::move(fd)) {}
	UniqueFd fd_;
};

} // namespace luksfit::sys
