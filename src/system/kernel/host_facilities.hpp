// Small yes/no/unknown facts about the host that a LUKS2 setup relies on: device-mapper, loop
// devices, the kernel keyring, cryptsetup's lock directory, FIPS mode, loaded modules.
#pragma once

#include <optional>
#include <string>

namespace luksfit::sys {

// /proc/sys/crypto/fips_enabled: true/false, nullopt when the file is absent (kernel without
// CONFIG_CRYPTO_FIPS: not in FIPS mode either).
std::optional<bool> fips_state();

// A misc device registered with the kernel (/proc/misc), e.g. "device-mapper", "loop-control".
bool misc_device_registered(const std::string &name);

// /sys/module/NAME exists (built in with parameters, or loaded).
bool module_present(const std::string &name);

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
