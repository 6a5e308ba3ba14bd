// luksfit's state files (the bench cache), terminal and block device facts.
#pragma once

#include <string>

#include "util/expected.hpp"

namespace luksfit::sys {

// (read_text_file() is in system/module_tree.hpp.)

// Writes through a temporary file and rename(2), creating missing parent folders (0755).
int write_text_file_atomic(const std::string &path, const std::string &content);

// Whether `fd` is a terminal (progress bars only go to terminals).
bool is_terminal(int fd);

// Block device facts for recommend --device.
struct BlockTopology {
	bool rotational = false;
	unsigned logical_sector = 0;
	unsigned physical_sector = 0;
};
Expected<BlockTopology> block_topology(const std::string &device);

} // namespace luksfit::sys
