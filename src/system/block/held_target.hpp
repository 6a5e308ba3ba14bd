// The device or image file that format writes, opened once and held from the first check to
// the write: every check, libblkid's probe and libcryptsetup's writes reach this one inode,
// whatever happens to the path meanwhile. A block device is also claimed exclusively (O_EXCL:
// nothing can mount it or build on it while the claim is held), and so is every loop device
// backed by an image file (by device and inode, not by path).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <sys/types.h>
#include <vector>

#include "system/block/loop_device.hpp"
#include "util/expected.hpp"
#include "util/unique_fd.hpp"

namespace luksfit::sys {

// Who uses the target: the target itself or any loop device backed by it, transitively.
struct TargetUsage {
	std::vector<std::string> mount_points; // "/mnt" or "/mnt (through /dev/loop3)"
	std::vector<std::string> holders;      // "dm-0" or "dm-0 (on /dev/loop3)"
	std::string busy_device; // a device that someone else has open exclusively (empty: none)
};

class HeldTarget
{
public:
	// Opens PATH without side effects first (O_PATH: a tape or a FIFO is never opened for
	// real), refuses anything but a block device or a regular file (exit 4), then opens that
	// same inode (an image file read-write). A read-only file system or device: exit 2.
	static Expected<HeldTarget> open(const std::string &path);

	const std::string &path() const noexcept { return path_; }
	int fd() const noexcept { return fd_.get(); }
	bool is_block() const noexcept { return rdev_ != 0; }
	// "/proc/self/fd/N": opens the held inode, never what the path names now (for libraries
	// that open by path, libcryptsetup).
	std::string fd_path() const;
	// "blk-RDEV" or "file-DEV-INO": the name of its lock file.
	std::string identity_key() const;
	// Bytes, read now (BLKGETSIZE64 or st_size).
	Expected<std::uint64_t> size_bytes() const;

	// Exit 4 unless PATH still names the held inode: same st_dev and st_ino; for a block device
	// also the same st_rdev and the same disk (BLKGETDISKSEQ, where the kernel has it).
	Status check_path() const;

	// Mounts, holders and exclusive claims, read now. Claims that succeed are kept, so a
	// second call (the recheck) sees the same devices still held by this process.
	Expected<TargetUsage> usage();

	// The block device's own claim is given up right before crypt_format, whose in-use check
	// opens the device O_EXCL itself (libcryptsetup 2.6), and taken again right after it.
	void release_device_claim() noexcept { claim_.reset(); }
	Status reclaim_device();

	// The first `bytes` (fewer at the end of the target), read through the held descriptor.
	Expected<std::string> read_head(std::uint64_t bytes) const;

private:
	HeldTarget() = default;
	// One loop device backed by the target (or by such a loop device, `depth` levels down).
	Status add_loop_usage(TargetUsage &u, const std::vector<BoundLoop> &all,
			      const BoundLoop &loop, int depth);

	std::string path_;
	UniqueFd fd_;	 // read-write, not exclusive: the identity every check and write goes to
	UniqueFd claim_; // block device: O_EXCL on the same inode
	std::map<dev_t, UniqueFd> loop_claims_; // O_EXCL on each loop device backed by the target
	dev_t dev_ = 0, rdev_ = 0;
	ino_t ino_ = 0;
	std::uint64_t diskseq_ = 0; // 0: unknown (kernels before 5.15)
};

} // namespace luksfit::sys
