// A plain dm-crypt mapping with a random volume key (no LUKS header), for benchmarks:
// libcryptsetup crypt_format(CRYPT_PLAIN) + crypt_activate_by_volume_key. Deactivated on
// destruction, also while unwinding after an error or a signal.
#pragma once

#include <string>

#include "util/expected.hpp"

struct crypt_device;

namespace luksfit::sys {

// 0 when dm-crypt mappings can be tried here: root, and the device-mapper control node.
// -EPERM when not root, -ENODEV when the kernel has no device-mapper.
int dmcrypt_status();

class DmCryptMapping
{
public:
	struct Params {
		std::string device; // backing block device
		std::string cipher; // "aes", "xchacha12,aes"
		std::string mode;   // "xts-plain64", "adiantum-plain64"
		unsigned key_bits = 0;
		unsigned sector_size = 512;
		bool no_read_workqueue = false;
		bool no_write_workqueue = false;
	};

	// Mappings of several candidates may share one backing device (CRYPT_ACTIVATE_SHARED).
	static Expected<DmCryptMapping> activate(const std::string &name, const Params &p);

	DmCryptMapping(DmCryptMapping &&o) noexcept;
	DmCryptMapping &operator=(DmCryptMapping &&) = delete;
	DmCryptMapping(const DmCryptMapping &) = delete;
	DmCryptMapping &operator=(const DmCryptMapping &) = delete;
	~DmCryptMapping();

	std::string path() const { return "/dev/mapper/" + name_; }
	const std::string &name() const noexcept { return name_; }

private:
	DmCryptMapping(crypt_device *cd, std::string name) : cd_(cd), name_(std::move(name)) {}

	crypt_device *cd_ = nullptr;
	std::string name_;
};

} // namespace luksfit::sys
