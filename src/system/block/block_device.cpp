#include "system/block/block_device.hpp"

#include <cerrno>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "system/os/text_file.hpp"
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

} // namespace

BlockUsage block_usage(unsigned major, unsigned minor)
{
	BlockUsage u;
	u.numbers = device_numbers(major, minor);
	u.mount_points = mounts_of(u.numbers);
	u.holders = holders_of(u.numbers);
	return u;
}

NodeState inspect_node(const std::string &path)
{
	NodeState s;
	struct stat st {
	};
	if (::stat(path.c_str(), &st) != 0) {
		s.stat_errno = errno == ENOENT || errno == ENOTDIR ? 0 : errno;
		return s;
	}
	if (S_ISDIR(st.st_mode))
		s.type = NodeType::Directory;
	else if (S_ISCHR(st.st_mode))
		s.type = NodeType::CharDevice;
	else if (S_ISREG(st.st_mode))
		s.type = NodeType::RegularFile;
	else if (S_ISBLK(st.st_mode))
		s.type = NodeType::BlockDevice;
	else
		s.type = NodeType::Other;
	return s;
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
