// What the kernel says about a path that may be formatted: its node type; who uses a block
// device (mounts, holders); the queue facts of recommend --device.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/expected.hpp"

namespace luksfit::sys {

enum class NodeType { Missing, Directory, CharDevice, BlockDevice, RegularFile, Other };

struct NodeState {
	NodeType type = NodeType::Missing;
	int stat_errno = 0; // stat failed with something other than ENOENT
};

// stat only (follows symlinks): what PATH names right now, nothing opened.
NodeState inspect_node(const std::string &path);

// Who uses a block device or any of its partitions (/proc/self/mountinfo, sysfs holders/).
struct BlockUsage {
	std::vector<std::string> numbers; // "M:m" of the device and each partition
	std::vector<std::string> mount_points;
	std::vector<std::string> holders; // e.g. "dm-0", "md127"
};
BlockUsage block_usage(unsigned major, unsigned minor);

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

} // namespace luksfit::sys
