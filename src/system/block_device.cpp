#include "system/block_device.hpp"

#include <cerrno>
#include <charconv>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <linux/fs.h>
#include <optional>
#include <sstream>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "system/text_file.hpp"
#include "util/untrusted_text.hpp"

namespace luksfit::sys {
namespace {

namespace fs = std::filesystem;

std::string sysfs_dir(unsigned major, unsigned minor)
{
	return "/sys/dev/block/" + std::to_string(major) + ":" + std::to_string(minor);
}

// "M:m" of the device and each partition under it.
std::vector<std::string> device_numbers(unsigned major, unsigned minor)
{
	std::vector<std::string> out{std::to_string(major) + ":" + std::to_string(minor)};
	std::error_code ec;
	const fs::path dir = fs::canonical(sysfs_dir(major, minor), ec);
	if (ec)
		return out;
	for (const auto &entry : fs::directory_iterator(dir, ec)) {
		std::ifstream dev(entry.path() / "dev");
		std::ifstream part(entry.path() / "partition");
		std::string mm;
		if (part && dev >> mm)
			out.push_back(mm);
	}
	return out;
}

std::vector<std::string> mounts_of(const std::vector<std::string> &numbers)
{
	std::vector<std::string> out;
	std::ifstream in("/proc/self/mountinfo");
	std::string line;
	while (std::getline(in, line)) {
		std::istringstream f(line);
		std::string id, parent, mm, root, point;
		f >> id >> parent >> mm >> root >> point;
		for (const auto &n : numbers)
			if (mm == n) // a mount point may carry a label (udisks: /media/USER/LABEL)
				out.push_back(util::printable(point));
	}
	return out;
}

std::vector<std::string> holders_of(const std::vector<std::string> &numbers)
{
	std::vector<std::string> out;
	std::error_code ec;
	for (const auto &n : numbers)
		for (const auto &h : fs::directory_iterator("/sys/dev/block/" + n + "/holders", ec))
			out.push_back(h.path().filename().string());
	return out;
}

// The loop device backed by `file`, if any (its mounts and holders count for the file).
bool loop_backing(const std::string &file, unsigned &major, unsigned &minor)
{
	std::error_code ec;
	const fs::path want = fs::weakly_canonical(file, ec);
	for (const auto &entry : fs::directory_iterator("/sys/block", ec)) {
		std::ifstream backing(entry.path() / "loop" / "backing_file");
		std::string b;
		if (!std::getline(backing, b) || fs::path(b) != want)
			continue;
		std::ifstream dev(entry.path() / "dev");
		char colon = 0;
		if (dev >> major >> colon >> minor)
			return true;
	}
	return false;
}

// A number from a disk's queue/ folder in sysfs; nothing when missing or not a number.
std::optional<unsigned> queue_number(const fs::path &disk, const char *attr)
{
	const auto text = read_text_file((disk / "queue" / attr).string());
	if (!text)
		return std::nullopt;
	unsigned value = 0;
	const char *end = text->data() + text->size();
	const auto [ptr, err] = std::from_chars(text->data(), end, value);
	if (err != std::errc() || ptr == text->data() || (ptr != end && *ptr != '\n'))
		return std::nullopt;
	return value;
}

void fill_usage(NodeState &s, unsigned major, unsigned minor)
{
	const auto numbers = device_numbers(major, minor);
	s.mount_points = mounts_of(numbers);
	s.holders = holders_of(numbers);
}

} // namespace

NodeState inspect_node(const std::string &path)
{
	NodeState s;
	struct stat st{};
	if (::stat(path.c_str(), &st) != 0) {
		s.stat_errno = errno == ENOENT || errno == ENOTDIR ? 0 : errno;
		return s;
	}
	if (S_ISDIR(st.st_mode)) {
		s.type = NodeType::Directory;
	} else if (S_ISCHR(st.st_mode)) {
		s.type = NodeType::CharDevice;
	} else if (S_ISREG(st.st_mode)) {
		s.type = NodeType::RegularFile;
		s.size_bytes = static_cast<std::uint64_t>(st.st_size);
		unsigned ma = 0, mi = 0;
		if (loop_backing(path, ma, mi))
			fill_usage(s, ma, mi);
	} else if (S_ISBLK(st.st_mode)) {
		s.type = NodeType::BlockDevice;
		s.major = ::major(st.st_rdev);
		s.minor = ::minor(st.st_rdev);
		fill_usage(s, s.major, s.minor);
		const int fd = ::open(path.c_str(), O_RDONLY | O_EXCL | O_CLOEXEC);
		if (fd < 0) {
			s.exclusive_open_failed = errno == EBUSY;
		} else {
			std::uint64_t bytes = 0;
			if (::ioctl(fd, BLKGETSIZE64, &bytes) == 0)
				s.size_bytes = bytes;
			::close(fd);
		}
	} else {
		s.type = NodeType::Other;
	}
	return s;
}

Expected<TargetLock> TargetLock::acquire(const std::string &path)
{
	// A lock file named after the target's identity, not the target itself: libcryptsetup
	// flocks image files during format, and would wait for us forever.
	struct stat st{};
	if (::stat(path.c_str(), &st) != 0)
		return error_from_errno(errno, path);
	const bool block = S_ISBLK(st.st_mode);
	// /run/lock may not exist yet (initramfs, minimal systems): create it like systemd does.
	const std::string dir = "/run/lock/luksfit";
	::mkdir("/run/lock", 0755);
	::mkdir(dir.c_str(), 0700);
	const std::string name = block ? "blk-" + std::to_string(st.st_rdev)
				       : "file-" + std::to_string(st.st_dev) + "-" + std::to_string(st.st_ino);
	UniqueFd fd(::open((dir + "/" + name).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
	if (!fd.valid())
		return error_from_errno(errno, "create lock file in " + dir);
	if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
		if (errno == EWOULDBLOCK)
			return Error{ExitCode::Busy, "another luksfit is already working on " + path,
				     "wait for it to finish; nothing was changed by this run"};
		return error_from_errno(errno, "lock " + path);
	}
	return TargetLock(std::move(fd));
}

Expected<BlockTopology> block_topology(const std::string &device)
{
	struct stat st {
	};
	if (::stat(device.c_str(), &st) != 0)
		return error_from_errno(errno, device,
					"check the path; lsblk lists the block devices");
	if (!S_ISBLK(st.st_mode))
		return error_from_errno(ENOTBLK, device,
					"give the block device to be formatted, e.g. /dev/sdb "
					"(an image file has no device topology)");
	std::error_code ec;
	const fs::path node =
		fs::canonical(sysfs_dir(::major(st.st_rdev), ::minor(st.st_rdev)), ec);
	if (ec)
		return error_from_errno(ec.value(), "sysfs entry of " + device);
	BlockTopology t;
	t.name = node.filename().string();
	// A partition has no queue/ of its own: its parent disk's applies.
	const fs::path disk = fs::exists(node / "partition", ec) ? node.parent_path() : node;
	t.disk = disk.filename().string();
	const auto rotational = queue_number(disk, "rotational");
	const auto logical = queue_number(disk, "logical_block_size");
	const auto physical = queue_number(disk, "physical_block_size");
	if (!rotational || !logical || !physical)
		return error_from_errno(EIO, "read " + (disk / "queue").string() + " of " + device);
	t.rotational = *rotational != 0;
	t.logical_sector = *logical;
	t.physical_sector = *physical;
	return t;
}

} // namespace luksfit::sys
