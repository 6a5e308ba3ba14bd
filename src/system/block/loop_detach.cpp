#include "system/block/loop_detach.hpp"

#include <cerrno>
#include <filesystem>
#include <fstream>
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

std::string loop_for_image(const std::string &image)
{
	std::error_code ec;
	const fs::path want = fs::weakly_canonical(image, ec);
	for (const auto &entry : fs::directory_iterator("/sys/block", ec)) {
		std::ifstream backing(entry.path() / "loop" / "backing_file");
		std::string b;
		if (std::getline(backing, b) && fs::path(b) == want)
			return "/dev/" + entry.path().filename().string();
	}
	return {};
}

Expected<LoopDetach> detach_loop(const std::string &target)
{
	struct stat st{};
	if (::stat(target.c_str(), &st) != 0)
		return error_from_errno(errno, target, "give a loop device (losetup -a lists them)");
	std::string device = target;
	if (S_ISREG(st.st_mode)) {
		device = loop_for_image(target);
		if (device.empty())
			return Error{ExitCode::WrongDevice, target + " is not attached to a loop device",
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
