#include "system/ram_device.hpp"

#include <cerrno>
#include <fcntl.h>
#include <fstream>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/unique_fd.hpp"

namespace luksfit::sys {
namespace {

const char *const kNullbConfig = "/sys/kernel/config/nullb";

int write_attr(const std::string &path, const std::string &value)
{
	UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
	if (!fd.valid())
		return -errno;
	if (::write(fd.get(), value.data(), value.size()) != static_cast<ssize_t>(value.size()))
		return -errno;
	return 0;
}

std::string read_attr(const std::string &path)
{
	std::ifstream in(path);
	std::string v;
	std::getline(in, v);
	return v;
}

} // namespace

RamDevice::RamDevice(RamDevice &&o) noexcept
    : loop_(std::move(o.loop_)), nullb_dir_(std::move(o.nullb_dir_)), path_(std::move(o.path_)),
      kind_(std::move(o.kind_)), bytes_(o.bytes_)
{
	o.loop_.reset();
	o.nullb_dir_.clear();
}

RamDevice::~RamDevice()
{
	if (!nullb_dir_.empty()) {
		write_attr(nullb_dir_ + "/power", "0");
		::rmdir(nullb_dir_.c_str());
	}
}

Expected<RamDevice> RamDevice::create_null_blk(std::uint64_t bytes)
{
	RamDevice d;
	d.nullb_dir_ = std::string(kNullbConfig) + "/luksfit-" + std::to_string(::getpid());
	if (::mkdir(d.nullb_dir_.c_str(), 0700) != 0) {
		const int err = errno;
		d.nullb_dir_.clear();
		return error_from_errno(err, "create a null_blk device");
	}
	const std::string mib = std::to_string(bytes >> 20);
	for (const auto &[attr, value] :
	     {std::pair<const char *, std::string>{"memory_backed", "1"},
	      {"size", mib},
	      {"blocksize", "512"},
	      {"power", "1"}}) {
		const int r = write_attr(d.nullb_dir_ + "/" + attr, value);
		if (r < 0)
			return error_from_errno(r, "configure null_blk " + std::string(attr));
	}
	const std::string index = read_attr(d.nullb_dir_ + "/index");
	d.path_ = "/dev/nullb" + index;
	d.kind_ = "null_blk";
	d.bytes_ = bytes;
	return d;
}

Expected<RamDevice> RamDevice::create(std::uint64_t bytes)
{
	struct stat st {
	};
	if (::stat(kNullbConfig, &st) == 0) {
		if (auto d = create_null_blk(bytes))
			return d;
	}
	UniqueFd mem(::memfd_create("luksfit-bench", MFD_CLOEXEC));
	if (!mem.valid())
		return error_from_errno(errno, "memfd_create");
	if (::ftruncate(mem.get(), static_cast<off_t>(bytes)) != 0)
		return error_from_errno(errno, "size the RAM device");
	// Allocate every page now, so no sample pays for it (or reads holes).
	if (::fallocate(mem.get(), 0, 0, static_cast<off_t>(bytes)) != 0)
		return error_from_errno(errno, "allocate the RAM device");
	auto loop = LoopDevice::attach("/proc/self/fd/" + std::to_string(mem.get()));
	if (!loop)
		return loop.error();
	RamDevice d;
	d.path_ = loop->path();
	d.loop_.emplace(std::move(*loop));
	d.kind_ = "loop over memfd";
	d.bytes_ = bytes;
	return d;
}

} // namespace luksfit::sys
