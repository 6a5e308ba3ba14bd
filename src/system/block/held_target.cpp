#include "system/block/held_target.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "system/block/block_device.hpp"
#include "system/block/loop_device.hpp"
#include "util/eintr.hpp"

namespace luksfit::sys {
namespace {

#ifndef BLKGETDISKSEQ
#define BLKGETDISKSEQ _IOR(0x12, 128, __u64)
#endif

constexpr int kMaxLoopDepth = 8; // loop devices stacked on loop devices: deeper than any setup

std::string proc_fd(int fd)
{
	return "/proc/self/fd/" + std::to_string(fd);
}

// The kernel's sequence number of the disk (new for every disk and every loop binding).
std::uint64_t disk_sequence(int fd)
{
	__u64 seq = 0;
	return ::ioctl(fd, BLKGETDISKSEQ, &seq) == 0 ? seq : 0;
}

std::string numbers_of(std::uint64_t dev)
{
	return std::to_string(::major(dev)) + ":" + std::to_string(::minor(dev));
}

Error changed(const std::string &path, const std::string &what)
{
	return Error{ExitCode::WrongDevice, path + " " + what + " since it was checked",
		     "run format again: it checks what the path names now"};
}

// O_EXCL on a block device: EBUSY while anyone else (a mount, dm, md, another O_EXCL) has it.
Expected<UniqueFd> claim(const std::string &path, dev_t rdev)
{
	UniqueFd fd(::open(path.c_str(), O_RDONLY | O_EXCL | O_CLOEXEC | O_NONBLOCK));
	if (!fd.valid())
		return errno == EBUSY ? Expected<UniqueFd>(UniqueFd())
				      : error_from_errno(errno, "open " + path + " exclusively");
	struct stat st {
	};
	if (::fstat(fd.get(), &st) != 0 || !S_ISBLK(st.st_mode) || st.st_rdev != rdev)
		return error_from_errno(ENODEV, path + " is not the device " + numbers_of(rdev));
	return fd;
}

} // namespace

Expected<HeldTarget> HeldTarget::open(const std::string &path)
{
	UniqueFd node(::open(path.c_str(), O_PATH | O_CLOEXEC));
	if (!node.valid())
		return error_from_errno(errno, path, "check the device path");
	struct stat st {
	};
	if (::fstat(node.get(), &st) != 0)
		return error_from_errno(errno, "stat " + path);
	if (!S_ISBLK(st.st_mode) && !S_ISREG(st.st_mode))
		return Error{ExitCode::WrongDevice,
			     path + " is neither a block device nor a regular file",
			     "give a block device (lsblk lists them) or an image file"};
	HeldTarget t;
	t.path_ = path;
	t.dev_ = st.st_dev;
	t.ino_ = st.st_ino;
	t.rdev_ = S_ISBLK(st.st_mode) ? st.st_rdev : 0;
	// Through /proc/self/fd: the inode just checked, whatever the path names by now. A block
	// device is only read through it (a writer's close makes udev probe the device again);
	// libcryptsetup opens /proc/self/fd/N for writing itself, and BLKROGET tells read-only.
	const int mode = t.is_block() ? O_RDONLY : O_RDWR;
	t.fd_.reset(::open(proc_fd(node.get()).c_str(), mode | O_CLOEXEC | O_NOCTTY));
	if (!t.fd_.valid())
		return error_from_errno(errno,
					"open " + path + (t.is_block() ? "" : " for writing"));
	if (!t.is_block())
		return t;
	int read_only = 0;
	if (::ioctl(t.fd_.get(), BLKROGET, &read_only) == 0 && read_only)
		return error_from_errno(EROFS, path,
					"it is a read-only device (blockdev --getro " + path + ")");
	t.diskseq_ = disk_sequence(t.fd_.get());
	return t;
}

std::string HeldTarget::fd_path() const
{
	return proc_fd(fd_.get());
}

std::string HeldTarget::identity_key() const
{
	if (is_block())
		return "blk-" + std::to_string(rdev_);
	return "file-" + std::to_string(dev_) + "-" + std::to_string(ino_);
}

Expected<std::uint64_t> HeldTarget::size_bytes() const
{
	if (is_block()) {
		std::uint64_t bytes = 0;
		if (::ioctl(fd_.get(), BLKGETSIZE64, &bytes) != 0)
			return error_from_errno(errno, "read the size of " + path_);
		return bytes;
	}
	struct stat st {
	};
	if (::fstat(fd_.get(), &st) != 0)
		return error_from_errno(errno, "stat " + path_);
	return static_cast<std::uint64_t>(st.st_size);
}

Status HeldTarget::check_path() const
{
	struct stat st {
	};
	if (::stat(path_.c_str(), &st) != 0)
		return changed(path_, errno == ENOENT ? "vanished"
						      : std::string("cannot be found (") +
								std::strerror(errno) + ")");
	if (st.st_dev != dev_ || st.st_ino != ino_ || (is_block() && st.st_rdev != rdev_))
		return changed(path_, is_block() ? "names another device" : "names another file");
	if (!is_block() || !diskseq_)
		return Done{};
	// The device number could now lead to another disk (unplugged, another one plugged in).
	UniqueFd now(::open(fd_path().c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
	if (!now.valid() || disk_sequence(now.get()) != diskseq_)
		return changed(path_, "holds another disk");
	return Done{};
}

Expected<TargetUsage> HeldTarget::usage()
{
	TargetUsage u;
	std::vector<std::string> backers; // "M:m" a loop device would be backed by
	if (is_block()) {
		BlockUsage b = block_usage(::major(rdev_), ::minor(rdev_));
		u.mount_points = std::move(b.mount_points);
		u.holders = std::move(b.holders);
		backers = std::move(b.numbers);
		if (!claim_.valid()) {
			auto c = claim(fd_path(), rdev_);
			if (!c)
				return c.error();
			claim_ = std::move(*c);
		}
		if (!claim_.valid())
			u.busy_device = path_;
	}
	auto loops = bound_loop_devices();
	if (!loops)
		return loops.error();
	for (const auto &l : *loops) {
		const bool backed = is_block() ? l.backing_rdev != 0 &&
							 std::count(backers.begin(), backers.end(),
								    numbers_of(l.backing_rdev))
					       : l.backing_dev == dev_ && l.backing_ino == ino_ &&
							 l.backing_rdev == 0;
		if (!backed)
			continue;
		if (auto r = add_loop_usage(u, *loops, l, 1); !r)
			return r.error();
	}
	return u;
}

Status HeldTarget::add_loop_usage(TargetUsage &u, const std::vector<BoundLoop> &all,
				  const BoundLoop &loop, int depth)
{
	if (depth > kMaxLoopDepth)
		return Error{ExitCode::Refused,
			     "loop devices are stacked deeper than " +
				     std::to_string(kMaxLoopDepth) + " on " + path_,
			     "detach the loop devices (losetup -D) first"};
	const dev_t rdev = ::makedev(loop.major, loop.minor);
	BlockUsage b = block_usage(loop.major, loop.minor);
	for (const auto &m : b.mount_points)
		u.mount_points.push_back(m + " (through " + loop.path + ")");
	for (const auto &h : b.holders)
		u.holders.push_back(h + " (on " + loop.path + ")");
	if (!loop_claims_.count(rdev)) {
		auto c = claim(loop.path, rdev);
		if (!c)
			return c.error();
		if (c->valid())
			loop_claims_.emplace(rdev, std::move(*c));
		else if (u.busy_device.empty())
			u.busy_device = loop.path;
	}
	for (const auto &next : all)
		if (next.backing_rdev != 0 &&
		    std::count(b.numbers.begin(), b.numbers.end(), numbers_of(next.backing_rdev)))
			if (auto r = add_loop_usage(u, all, next, depth + 1); !r)
				return r;
	return Done{};
}

Status HeldTarget::reclaim_device()
{
	if (!is_block() || claim_.valid())
		return Done{};
	auto c = claim(fd_path(), rdev_);
	if (!c)
		return c.error();
	if (!c->valid())
		return Error{ExitCode::Busy,
			     "something opened " + path_ + " exclusively during the format",
			     "find it with 'fuser -v " + path_ + "' or lsblk"};
	claim_ = std::move(*c);
	return Done{};
}

Expected<std::string> HeldTarget::read_head(std::uint64_t bytes) const
{
	std::string out(bytes, '\0');
	std::uint64_t done = 0;
	while (done < bytes) {
		const ssize_t n = util::retry_eintr([&] {
			return ::pread(fd_.get(), out.data() + done, bytes - done,
				       static_cast<off_t>(done));
		});
		if (n < 0)
			return error_from_errno(errno, "read " + path_);
		if (n == 0)
			break;
		done += static_cast<std::uint64_t>(n);
	}
	out.resize(done);
	return out;
}

} // namespace luksfit::sys
