// Loop devices: attach a file, detach on destruction (also when unwinding after an error); and
// which bound loop devices a file or block device backs (by device and inode, not by name).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/expected.hpp"
#include "util/unique_fd.hpp"

namespace luksfit::sys {

class LoopDevice
{
public:
	struct Options {
		bool read_only = false;
		bool autoclear = true; // the kernel detaches when the last user closes the device
		bool direct_io = false;
	};

	// Takes a free loop device (LOOP_CTL_GET_FREE) and binds `file` with LOOP_CONFIGURE,
	// falling back to LOOP_SET_FD + LOOP_SET_STATUS64 on kernels before 5.8.
	static Expected<LoopDevice> attach(const std::string &file, const Options &opts);
	static Expected<LoopDevice> attach(const std::string &file)
	{
		return attach(file, Options{});
	}
	// The same for a file this process holds open, also one without a name (O_TMPFILE,
	// memfd); `name` is for messages and the loop device's file name field.
	static Expected<LoopDevice> attach_fd(int file_fd, const std::string &name,
					      const Options &opts);
	static Expected<LoopDevice> attach_fd(int file_fd, const std::string &name)
	{
		return attach_fd(file_fd, name, Options{});
	}

	// Detaches a loop device by path (luksfit image detach). 0 or -errno.
	static int detach(const std::string &device);

	LoopDevice(LoopDevice &&) noexcept = default;
	LoopDevice &operator=(LoopDevice &&) noexcept;
	LoopDevice(const LoopDevice &) = delete;
	LoopDevice &operator=(const LoopDevice &) = delete;
	~LoopDevice();

	const std::string &path() const noexcept { return path_; }

	// Leaves the device attached past this object's life (and turns autoclear off, or the
	// kernel would detach it as soon as we close our fd). Returns the device path.
	std::string keep();

private:
	LoopDevice(UniqueFd fd, std::string path) : fd_(std::move(fd)), path_(std::move(path)) {}
	void detach_now() noexcept;

	UniqueFd fd_;
	std::string path_;
};

// A bound loop device and what backs it, as LOOP_GET_STATUS64 reports it: the kernel's own
// stat of the backing file, so a hard link, a renamed or a deleted file still matches.
struct BoundLoop {
	std::string path; // "/dev/loop3"
	unsigned major = 0, minor = 0;
	std::uint64_t backing_dev = 0;	// st_dev of the backing file (glibc dev_t)
	std::uint64_t backing_ino = 0;	// st_ino of the backing file
	std::uint64_t backing_rdev = 0; // st_rdev when the backing file is a block device, else 0
};

// Every bound loop device (/sys/block/loop*/loop exists), each asked through its /dev node.
// Fails when one cannot be asked (no node, no permission): a loop device nobody could inspect
// must not be taken for an unused one.
Expected<std::vector<BoundLoop>> bound_loop_devices();

} // namespace luksfit::sys
