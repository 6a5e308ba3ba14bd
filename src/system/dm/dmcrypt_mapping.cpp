#include "system/dm/dmcrypt_mapping.hpp"

#include <cstdint>
#include <string>

#include <libcryptsetup.h>

#include "system/os/key_input.hpp"

namespace luksfit::sys {

Expected<DmCryptMapping> DmCryptMapping::activate(const std::string &name, const Params &p)
{
	const std::string what = "dm-crypt " + p.cipher + "-" + p.mode;
	auto cd = CryptDevice::init(p.device);
	if (!cd)
		return Error{cd.error().code, what + ": " + cd.error().message, cd.error().hint};

	crypt_params_plain params{};
	params.sector_size = p.sector_size;
	int r = crypt_format(cd->handle(), CRYPT_PLAIN, p.cipher.c_str(), p.mode.c_str(), nullptr,
			     nullptr, p.key_bits / 8, &params);
	if (r < 0)
		return error_from_errno(r, what + ": plain format");

	auto key = random_key(p.key_bits / 8);
	if (!key)
		return key.error();
	std::uint32_t flags = CRYPT_ACTIVATE_SHARED;
	if (p.no_read_workqueue)
		flags |= CRYPT_ACTIVATE_NO_READ_WORKQUEUE;
	if (p.no_write_workqueue)
		flags |= CRYPT_ACTIVATE_NO_WRITE_WORKQUEUE;
	r = crypt_activate_by_volume_key(cd->handle(), name.c_str(), key->chars(), key->size(),
					 flags);
	if (r < 0)
		return error_from_errno(r, what + ": activate " + name);
	return DmCryptMapping(ActiveMapping(name));
}

} // namespace luksfit::sys
