// A RAM-backed block device for dm-crypt benchmarks, removed on destruction: a memory-backed
// null_blk device when its configfs interface is there (null_blk loaded, configfs mounted),
// else a loop device over a memfd (shmem pages, nothing on any filesystem); note() says why
// null_blk was not used when its interface was there. luksfit never loads null_blk itself (a
// plain modprobe adds a default /dev/nullb0), nor uses brd (its size is a module parameter).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "system/block/loop_device.hpp"
#include "util/expected.hpp"

namespace luksfit::sys {

class RamDevice
{
public:
	static Expected<RamDevice> create(std::uint64_t bytes);

	RamDevice(RamDevice &&other) noexcept;
	RamDevice &operator=(RamDevice &&) = delete;
	RamDevice(const RamDevice &) = delete;
	RamDevice &operator=(const RamDevice &) = delete;
	~RamDevice();

	const std::string &path() const noexcept { return path_; }
	const std::string &kind() const noexcept { return kind_; } // "null_blk", "loop over memfd"
	std::uint64_t bytes() const noexcept { return bytes_; }
	const std::string &note() const noexcept { return note_; } // empty, or why not null_blk

private:
	RamDevice() = default;
	static Expected<RamDevice> create_null_blk(std::uint64_t bytes);
	static Expected<RamDevice> create_memfd_loop(std::uint64_t bytes);

	std::optional<LoopDevice> loop_;
	std::string nullb_dir_; // configfs folder of our null_blk device
	std::string path_;
	std::string kind_;
	std::string note_;
	std::uint64_t bytes_ = 0;
};

} // namespace luksfit::sys
