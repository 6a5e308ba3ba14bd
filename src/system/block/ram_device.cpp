#include "system/block/ram_device.hpp"

#include <cerrno>
#include <chrono>
#include <fcntl.h>
#include <fstream>
#include <sys/mman.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

#include "system/block/direct_io.hpp"
#include "util/unique_fd.hpp"

namespace luksfit::sys {
namespace {

const char *const kNullbConfig = "/sys/kernel/config/nullb";

int write_attr(const std::string &path, const std::string &value)
{
	UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
	if (!fd.valid())
		return -errno;
	const ssize_t n = ::write(fd.get(), value.data(), value.size());
	if (n < 0)
		return -errno;
	return n == static_cast<ssize_t>(value.size()) ? 0 : -EIO;
}

std::string read_attr(const std::string &path)
{
	std::ifstream in(path);
	std::string v;
	std::getline(in, v);
	return v;
}

// devtmpfs adds the node while the device registers; udev may still be replacing it.
int wait_for_block_node(const std::string &path)
{
	using namespace std::chrono_literals;
	for (int i = 0; i < 100; ++i) {
		struct stat st {
		};
		if (::stat(path.c_str(), &st) == 0 && S_ISBLK(st.st_mode))
			return 0;
		std::this_thread::sleep_for(20ms);
	}
	return -ENOENT;
}

// Linux 6.0 and later name the disk after the configfs folder, earlier ones nullb<index>.
Expected<std::string> null_blk_disk_name(const std::string &config_dir)
{
	const std::string folder = config_dir.substr(config_dir.rfind('/') + 1);
	const std::string index = read_attr(config_dir + "/index");
	for (const std::string &name : {folder, "nullb" + index}) {
		struct stat st {
		};
		if (::stat(("/sys/block/" + name).c_str(), &st) == 0)
			return name;
	}
	return error_from_errno(ENOENT, "find the disk of " + config_dir + " in /sys/block");
}

} // namespace

RamDevice::RamDevice(RamDevice &&o) noexcept
    : loop_(std::move(o.loop_)), nullb_dir_(std::move(o.nullb_dir_)), path_(std::move(o.path_)),
      kind_(std::move(o.kind_)), note_(std::move(o.note_)), bytes_(o.bytes_)
{
	o.loop_.reset();
	o.nullb_dir_.clear();
}

RamDevice::~RamDevice()
{
	if (nullb_dir_.empty())
		return;
	// power=0 removes the disk; rmdir then frees the configfs item (and its pages).
	write_attr(nullb_dir_ + "/power", "0");
	::rmdir(nullb_dir_.c_str());
}

Expected<RamDevice> RamDevice::create_null_blk(std::uint64_t bytes)
{
	RamDevice d;
	const std::string path =
		std::string(kNullbConfig) + "/luksfit-" + std::to_string(::getpid());
	if (::mkdir(path.c_str(), 0700) != 0) {
		const int err = errno;
		return error_from_errno(err, "mkdir " + path);
	}
	// From here on, d's destructor removes the folder on every failure path.
	d.nullb_dir_ = path;
	const std::string dir = d.nullb_dir_ + "/";
	// zoned=0: a zoned default set by the module's parameters would fail our rewrites.
	if (const int r = write_attr(dir + "zoned", "0"); r < 0 && r != -ENOENT)
		return error_from_errno(r, "configure null_blk zoned");
	for (const auto &[attr, value] :
	     {std::pair<const char *, std::string>{"memory_backed", "1"},
	      {"size", std::to_string(bytes >> 20)},
	      {"blocksize", "512"},
	      {"power", "1"}}) {
		if (const int r = write_attr(dir + attr, value); r < 0)
			return error_from_errno(r, "configure null_blk " + std::string(attr));
	}
	const auto name = null_blk_disk_name(path);
	if (!name)
		return name.error();
	d.path_ = "/dev/" + *name;
	if (const int r = wait_for_block_node(d.path_); r < 0)
		return error_from_errno(r, "wait for " + d.path_);
	// Write every page once, so no sample pays for null_blk's page allocation.
	if (auto filled = write_pattern_direct(d.path_, bytes, 0); !filled)
		return filled.error();
	d.kind_ = "null_blk";
	d.bytes_ = bytes;
	return d;
}

Expected<RamDevice> RamDevice::create_memfd_loop(std::uint64_t bytes)
{
	UniqueFd mem(::memfd_create("luksfit-bench", MFD_CLOEXEC));
	if (!mem.valid())
		return error_from_errno(errno, "memfd_create");
	if (::ftruncate(mem.get(), static_cast<off_t>(bytes)) != 0)
		return error_from_errno(errno, "size the RAM device");
	// Allocate every page now, so no sample pays for it (or reads holes).
	if (::fallocate(mem.get(), 0, 0, static_cast<off_t>(bytes)) != 0)
		return error_from_errno(errno, "allocate the RAM device");
	auto loop = LoopDevice::attach_fd(mem.get(), "luksfit-bench (memfd)");
	if (!loop)
		return loop.error();
	RamDevice d;
	d.path_ = loop->path();
	d.loop_.emplace(std::move(*loop));
	d.kind_ = "loop over memfd";
	d.bytes_ = bytes;
	return d;
}

Expected<RamDevice> RamDevice::create(std::uint64_t bytes)
{
	struct stat st {
	};
	if (::stat(kNullbConfig, &st) != 0)
		return create_memfd_loop(bytes);
	auto nullb = create_null_blk(bytes);
	if (nullb)
		return nullb;
	auto d = create_memfd_loop(bytes);
	if (d)
		d->note_ = "null_blk not used: " + nullb.error().message;
	return d;
}

} // namespace luksfit::sys
