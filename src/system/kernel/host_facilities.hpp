// Small yes/no/unknown facts about the host that a LUKS2 setup relies on: device-mapper, loop
// devices, the kernel keyring, cryptsetup's lock directory.
#pragma once

#include <optional>
#include <string>

namespace luksfit::sys {

// A kernel list of "NUMBER NAME" lines (/proc/misc, /proc/devices) names NAME.
bool kernel_list_names(const std::string &path, const std::string &name);

// A misc device registered with the kernel (/proc/misc), e.g. "loop-control".
bool misc_device_registered(const std::string &name);

struct AccessState {
	bool exists = false;
	bool usable = false; // readable and writable by this process
};

AccessState path_access(const std::string &path);

// The session keyring answers KEYCTL_GET_KEYRING_ID (without creating anything): 0, or -errno
// (-ENOSYS: kernel built without keys).
int keyring_status();

// Effective uid 0: root-only facts can be established.
bool running_as_root();

} // namespace luksfit::sys
