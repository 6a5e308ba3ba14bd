#include "system/block/loop_device.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <linux/loop.h>
#include <optional>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "system/os/text_file.hpp"

namespace luksfit::sys {
namespace {

#ifndef LOOP_CONFIGURE
#define LOOP_CONFIGURE 0x4C0A
struct loop_config {
	__u32 fd;
	__u32 block_size;
	struct loop_info64 info;
	__u64 __reserved[8];
};
#endif

int configure(int loop_fd, int file_fd, const LoopDevice::Options &opts, const std::string &file)
{
	loop_info64 info{};
	std::strncpy(reinterpret_cast<char *>(info.lo_file_name), file.c_str(), LO_NAME_SIZE - 1);
	if (opts.read_only)
		info.lo_flags |= LO_FLAGS_READ_ONLY;
	if (opts.autoclear)
		info.lo_flags |= LO_FLAGS_AUTOCLEAR;
	if (opts.direct_io)
		info.lo_flags |= LO_FLAGS_DIRECT_IO;

	loop_config cfg{};
	cfg.fd = static_cast<__u32>(file_fd);
	cfg.info = info;
	if (::ioctl(loop_fd, LOOP_CONFIGURE, &cfg) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOTTY)
		return -errno;
	// Kernels before 5.8: the two-step, racy API.
	if (::ioctl(loop_fd, LOOP_SET_FD, file_fd) != 0)
		return -errno;
	if (::ioctl(loop_fd, LOOP_SET_STATUS64, &info) != 0) {
		const int err = -errno;
		::ioctl(loop_fd, LOOP_CLR_FD, 0);
		return err;
	}
	return 0;
}

// The kernel encodes dev_t for userspace as new_encode_dev(): 12-bit major, 20-bit minor.
std::uint64_t from_kernel_dev(std::uint64_t d)
{
	const auto major = static_cast<unsigned>((d & 0xfff00) >> 8);
	const auto minor = static_cast<unsigned>((d & 0xff) | ((d >> 12) & 0xfff00));
	return ::makedev(major, minor);
}

// What backs one bound loop device; nothing when it was unbound meanwhile.
Expected<std::optional<BoundLoop>> ask_loop(const std::string &name, unsigned major, unsigned minor)
{
	BoundLoop loop{"/dev/" + name, major, minor};
	UniqueFd fd(::open(loop.path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
	if (!fd.valid() && (errno == ENXIO || errno == ENODEV))
		return std::optional<BoundLoop>(); // removed meanwhile
	if (!fd.valid())
		return error_from_errno(errno, "open " + loop.path + " to see what backs it");
	struct stat st {
	};
	if (::fstat(fd.get(), &st) != 0 || !S_ISBLK(st.st_mode) ||
	    st.st_rdev != ::makedev(major, minor))
		return error_from_errno(ENODEV, loop.path + " is not the loop device " + name +
							" of /sys/block");
	loop_info64 info{};
	if (::ioctl(fd.get(), LOOP_GET_STATUS64, &info) != 0) {
		if (errno == ENXIO)
			return std::optional<BoundLoop>();
		return error_from_errno(errno, "read the status of " + loop.path);
	}
	loop.backing_dev = from_kernel_dev(info.lo_device);
	loop.backing_ino = info.lo_inode;
	loop.backing_rdev = from_kernel_dev(info.lo_rdevice);
	return std::optional<BoundLoop>(std::move(loop));
}

} // namespace

Expected<std::vector<BoundLoop>> bound_loop_devices()
{
	namespace fs = std::filesystem;
	std::vector<BoundLoop> out;
	std::error_code ec;
	for (const auto &entry : fs::directory_iterator("/sys/block", ec)) {
		const std::string name = entry.path().filename().string();
		if (name.rfind("loop", 0) != 0 || !fs::exists(entry.path() / "loop", ec))
			continue;
		const auto dev = read_text_file((entry.path() / "dev").string());
		unsigned major = 0, minor = 0;
		if (!dev || std::sscanf(dev->c_str(), "%u:%u", &major, &minor) != 2)
			return error_from_errno(EIO, "read " + (entry.path() / "dev").string());
		auto loop = ask_loop(name, major, minor);
		if (!loop)
			return loop.error();
		if (*loop)
			out.push_back(std::move(**loop));
	}
	if (ec)
		return error_from_errno(ec.value(), "list /sys/block");
	return out;
}

Expected<LoopDevice> LoopDevice::attach(const std::string &file, const Options &opts)
{
	UniqueFd file_fd(::open(file.c_str(), (opts.read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC));
	if (!file_fd.valid())
		return error_from_errno(errno, "open " + file);
	return attach_fd(file_fd.get(), file, opts); // the loop device holds its own reference
}

Expected<LoopDevice> LoopDevice::attach_fd(int file_fd, const std::string &file,
					   const Options &opts)
{
	UniqueFd ctl(::open("/dev/loop-control", O_RDWR | O_CLOEXEC));
	if (!ctl.valid())
		return error_from_errno(errno, "open /dev/loop-control",
					"load the loop module (modprobe loop)");

	// Another process may grab the same free device between GET_FREE and CONFIGURE: retry.
	for (int attempt = 0; attempt < 16; ++attempt) {
		const int n = ::ioctl(ctl.get(), LOOP_CTL_GET_FREE);
		if (n < 0)
			return error_from_errno(errno, "find a free loop device");
		std::string path = "/dev/loop" + std::to_string(n);
		UniqueFd loop_fd(
			::open(path.c_str(), (opts.read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC));
		if (!loop_fd.valid())
			return error_from_errno(errno, "open " + path);
		const int r = configure(loop_fd.get(), file_fd, opts, file);
		if (r == -EBUSY)
			continue;
		if (r < 0)
			return error_from_errno(r, "attach " + file + " to " + path);
		return LoopDevice(std::move(loop_fd), std::move(path));
	}
	return error_from_errno(EBUSY, "attach " + file + ": every free loop device was taken");
}

int LoopDevice::detach(const std::string &device)
{
	UniqueFd fd(::open(device.c_str(), O_RDONLY | O_CLOEXEC));
	if (!fd.valid())
		return -errno;
	return ::ioctl(fd.get(), LOOP_CLR_FD, 0) == 0 ? 0 : -errno;
}

LoopDevice &LoopDevice::operator=(LoopDevice &&other) noexcept
{
	if (this != &other) {
		detach_now();
		fd_ = std::move(other.fd_);
		path_ = std::move(other.path_);
	}
	return *this;
}

LoopDevice::~LoopDevice()
{
	detach_now();
}

void LoopDevice::detach_now() noexcept
{
	if (!fd_.valid())
		return;
	// With autoclear this is deferred by the kernel until the last opener closes.
	::ioctl(fd_.get(), LOOP_CLR_FD, 0);
	fd_.reset();
}

std::string LoopDevice::keep()
{
	loop_info64 info{};
	if (::ioctl(fd_.get(), LOOP_GET_STATUS64, &info) == 0 &&
	    (info.lo_flags & LO_FLAGS_AUTOCLEAR)) {
		info.lo_flags &= ~static_cast<__u32>(LO_FLAGS_AUTOCLEAR);
		::ioctl(fd_.get(), LOOP_SET_STATUS64, &info);
	}
	fd_.reset();
	return path_;
}

} // namespace luksfit::sys
