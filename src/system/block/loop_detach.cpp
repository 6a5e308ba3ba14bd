#include "system/block/loop_detach.hpp"

#include <cerrno>
#include <filesystem>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "system/block/loop_device.hpp"

namespace luksfit::sys {
namespace {

namespace fs = std::filesystem;
constexpr unsigned kLoopMajor = 7;

bool attached(const std::string &name)
{
	std::error_code ec;
	return fs::exists("/sys/block/" + name + "/loop/backing_file", ec);
}

} // namespace

Expected<std::string> loop_for_image(const struct stat &image)
{
	const auto loops = bound_loop_devices();
	if (!loops)
		return loops.error();
	for (const auto &l : *loops)
		if (l.backing_dev == image.st_dev && l.backing_ino == image.st_ino)
			return l.path;
	return std::string();
}

Expected<LoopDetach> detach_loop(const std::string &target)
{
	struct stat st {
	};
	if (::stat(target.c_str(), &st) != 0)
		return error_from_errno(errno, target,
					"give a loop device (losetup -a lists them)");
	std::string device = target;
	if (S_ISREG(st.st_mode)) {
		auto found = loop_for_image(st);
		if (!found)
			return found.error();
		device = std::move(*found);
		if (device.empty())
			return Error{ExitCode::WrongDevice,
				     target + " is not attached to a loop device",
				     "losetup -a lists the attached images"};
		if (::stat(device.c_str(), &st) != 0)
			return error_from_errno(errno, device);
	}
	if (!S_ISBLK(st.st_mode) || ::major(st.st_rdev) != kLoopMajor)
		return Error{ExitCode::WrongDevice, target + " is not a loop device",
			     "give /dev/loopN or the attached image file (losetup -a lists them)"};
	const std::string name = "loop" + std::to_string(::minor(st.st_rdev));
	if (!attached(name))
		return Error{ExitCode::WrongDevice, device + " is not attached to any image",
			     "losetup -a lists the attached loop devices"};
	const int r = LoopDevice::detach(device);
	if (r < 0)
		return error_from_errno(r, "detach " + device);
	return LoopDetach{device, attached(name)};
}

} // namespace luksfit::sys
