// Reading kernel-provided text: the kernel's build configuration (/boot/config-RELEASE or the
// gzip-compressed /proc/config.gz) and the kernel log. Read-only, no side effects.
#pragma once

#include <string>

#include "util/expected.hpp"

namespace luksfit::sys {

// A gzip-compressed file, decompressed (zlib).
Expected<std::string> read_gzip_file(const std::string &path, std::size_t limit = 8u << 20);

struct KernelConfigText {
	std::string source; // the path it came from
	std::string text;
};

// /boot/config-RELEASE, else /usr/lib/modules/RELEASE/config (Debian's 7.x kernels), else
// /proc/config.gz; ENOENT when none can be read.
Expected<KernelConfigText> read_kernel_config(const std::string &release);

// The kernel log ring buffer (klogctl READ_ALL); -EPERM when dmesg_restrict forbids it.
Expected<std::string> read_kernel_log();

bool path_exists(const std::string &path);

} // namespace luksfit::sys
