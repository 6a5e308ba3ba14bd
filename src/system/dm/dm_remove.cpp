#include "system/dm/dm_remove.hpp"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <linux/dm-ioctl.h>
#include <sys/ioctl.h>
#include <vector>

#include "util/unique_fd.hpp"

namespace luksfit::sys {

int dm_remove_device(const std::string &name)
{
	if (name.empty() || name.size() >= DM_NAME_LEN)
		return -EINVAL;
	UniqueFd fd(::open("/dev/mapper/control", O_RDWR | O_CLOEXEC));
	if (!fd.valid())
		return -errno;
	std::vector<std::uint64_t> buf(sizeof(dm_ioctl) / sizeof(std::uint64_t) + 1, 0);
	auto *io = reinterpret_cast<dm_ioctl *>(buf.data());
	io->version[0] = DM_VERSION_MAJOR;
	io->data_size = static_cast<std::uint32_t>(buf.size() * sizeof(std::uint64_t));
	io->data_start = sizeof(dm_ioctl);
	std::memcpy(io->name, name.data(), name.size());
	return ::ioctl(fd.get(), DM_DEV_REMOVE, io) == 0 ? 0 : -errno;
}

} // namespace luksfit::sys
