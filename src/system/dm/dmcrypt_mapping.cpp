#include "system/dm/dmcrypt_mapping.hpp"

#include <cerrno>
#include <cstdint>
#include <fcntl.h>
#include <fstream>
#include <string>
#include <unistd.h>

#include <libcryptsetup.h>

#include "system/os/key_input.hpp"

namespace luksfit::sys {
namespace {

// libcryptsetup logs to stderr by default; luksfit reports errors itself.
void quiet_log(int, const char *, void *)
{
}

bool lists_device_mapper()
{
	std::ifstream devices("/proc/devices");
	std::string line;
	while (std::getline(devices, line))
		if (line.ends_with(" device-mapper"))
			return true;
	return false;
}

} // namespace

int dmcrypt_status()
{
	if (::geteuid() != 0)
		return -EPERM;
	if (!lists_device_mapper()) {
		// Opening the control node makes the kernel load dm_mod (char-major-10-236 alias).
		const int fd = ::open("/dev/mapper/control", O_RDWR | O_CLOEXEC);
		if (fd >= 0)
			::close(fd);
	}
	// The control node may exist without a driver behind it: ask the kernel's device list.
	if (!lists_device_mapper())
		return -ENODEV;
	return ::access("/dev/mapper/control", F_OK) == 0 ? 0 : -ENODEV;
}

Expected<DmCryptMapping> DmCryptMapping::activate(const std::string &name, const Params &p)
{
	const std::string what = "dm-crypt " + p.cipher + "-" + p.mode;
	crypt_set_log_callback(nullptr, quiet_log, nullptr);
	crypt_device *cd = nullptr;
	int r = crypt_init(&cd, p.device.c_str());
	if (r < 0)
		return error_from_errno(r, what + ": open " + p.device);
	DmCryptMapping m(cd, {}); // frees cd on any early return

	crypt_params_plain params{};
	params.sector_size = p.sector_size;
	r = crypt_format(cd, CRYPT_PLAIN, p.cipher.c_str(), p.mode.c_str(), nullptr, nullptr,
			 p.key_bits / 8, &params);
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
	r = crypt_activate_by_volume_key(cd, name.c_str(), key->chars(), key->size(), flags);
	if (r < 0)
		return error_from_errno(r, what + ": activate " + name);
	m.name_ = name;
	return m;
}

DmCryptMapping::DmCryptMapping(DmCryptMapping &&o) noexcept
    : cd_(std::exchange(o.cd_, nullptr)), name_(std::move(o.name_))
{
	o.name_.clear();
}

DmCryptMapping::~DmCryptMapping()
{
	if (!cd_)
		return;
	if (!name_.empty()) {
		// A reader may hold the device for a moment (e.g. udev): retry briefly.
		for (int i = 0; i < 20 && crypt_deactivate(cd_, name_.c_str()) == -EBUSY; ++i)
			::usleep(50000);
	}
	crypt_free(cd_);
}

} // namespace luksfit::sys
