// A plain dm-crypt mapping with a random volume key (no LUKS header), for benchmarks:
// libcryptsetup crypt_format(CRYPT_PLAIN) + crypt_activate_by_volume_key through a CryptDevice
// (its handle owner and log collector). Owned by an ActiveMapping: deactivated on destruction,
// also while unwinding after an error or a signal.
#pragma once

#include <string>

#include "system/luks/crypt_device.hpp"
#include "util/expected.hpp"

namespace luksfit::sys {

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

	std::string path() const { return mapping_.path(); }
	const std::string &name() const noexcept { return mapping_.name(); }

private:
	explicit DmCryptMapping(ActiveMapping mapping) : mapping_(std::move(mapping)) {}

	ActiveMapping mapping_; // closed (retrying while udev holds it) on destruction
};

} // namespace luksfit::sys
