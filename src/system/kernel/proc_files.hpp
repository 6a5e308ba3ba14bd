// Reading kernel-provided text: /proc and /sys files, the kernel's build configuration
// (/boot/config-RELEASE or the gzip-compressed /proc/config.gz), modules.alias and the kernel
// log. Read-only, no side effects.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "util/expected.hpp"

namespace luksfit::sys {

// A gzip-compressed file, decompressed (zlib).
Expected<std::string> read_gzip_file(const std::string &path, std::size_t limit = 8u << 20);

struct KernelConfigText {
	std::string source; // the path it came from
	std::string text;
};

// /boot/config-RELEASE, else /proc/config.gz; ENOENT when neither can be read.
Expected<KernelConfigText> read_kernel_config(const std::string &release);

// Modules that serve a modalias, from /lib/modules/RELEASE/modules.alias, e.g.
// "crypto-xts(aes)" -> {"aesni_intel"}: what the kernel would autoload. Empty if unknown.
std::vector<std::string> modules_for_alias(const std::string &release, const std::string &alias);

// Whether module NAME ("dm-crypt", "dm-mod") is installed for this kernel: listed in
// /lib/modules/RELEASE/modules.dep and its file present. nullopt when modules.dep is unreadable.
std::optional<bool> module_installed(const std::string &release, const std::string &name);

// The kernel log ring buffer (klogctl READ_ALL); -EPERM when dmesg_restrict forbids it.
Expected<std::string> read_kernel_log();

bool path_exists(const std::string &path);

} // namespace luksfit::sys
