#include "system/dm/dm_support.hpp"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

#include "system/kernel/host_facilities.hpp"
#include "system/kernel/kernel_info.hpp"
#include "system/kernel/modules.hpp"
#include "util/unique_fd.hpp"

namespace luksfit::sys {

bool device_mapper_registered()
{
	return kernel_list_names("/proc/devices", "device-mapper");
}

std::optional<std::string> dmcrypt_lacks()
{
	// Without the release no module index can be read: only what is loaded counts then.
	const auto release = kernel_release();
	const auto available = [&](const char *module) {
		return release ? module_available(*release, module) : module_loaded(module);
	};
	if (!device_mapper_registered() && !available("dm-mod"))
		return "device-mapper (CONFIG_BLK_DEV_DM)";
	if (!available("dm-crypt"))
		return "dm-crypt target (CONFIG_DM_CRYPT, module dm_crypt)";
	return std::nullopt;
}

int dmcrypt_status()
{
	if (::geteuid() != 0)
		return -EPERM;
	// Opening the control node makes the kernel load dm_mod (char-major-10-236 alias).
	if (!device_mapper_registered())
		UniqueFd(::open("/dev/mapper/control", O_RDWR | O_CLOEXEC));
	// The control node may exist without a driver behind it: ask the kernel's device list.
	if (!device_mapper_registered())
		return -ENODEV;
	return ::access("/dev/mapper/control", F_OK) == 0 ? 0 : -ENODEV;
}

} // namespace luksfit::sys
