// Image files: sparse creation, and a temporary image deleted when its owner goes away.
#pragma once

#include <cstdint>
#include <string>

#include "util/expected.hpp"
#include "util/unique_fd.hpp"

namespace luksfit::sys {

// Creates PATH as a sparse file of `size` bytes (O_EXCL: an existing file is never touched;
// exit 5 "already exists"). On failure nothing is left behind.
Status create_sparse_image(const std::string &path, std::uint64_t size);

// Bytes actually allocated on disk for PATH (st_blocks * 512), to show sparseness.
Expected<std::uint64_t> allocated_bytes(const std::string &path);

// A sparse test image in `dir` that has no name: an O_TMPFILE inode (or, where the filesystem
// lacks O_TMPFILE, a file unlinked right after creation). It lives while its fd (and a loop
// device on it) does, so nothing can be left behind: not on errors, and not after SIGKILL.
class TempImage
{
public:
	static Expected<TempImage> create(const std::string &dir, std::uint64_t size);

	TempImage(TempImage &&other) noexcept = default;
	TempImage &operator=(TempImage &&) = delete;
	TempImage(const TempImage &) = delete;
	TempImage &operator=(const TempImage &) = delete;
	~TempImage() = default;

	int fd() const noexcept { return fd_.get(); }
	// "/proc/self/fd/N": a path this process (and libraries it calls) can open the image by.
	const std::string &path() const noexcept { return path_; }
	// Closes it now (the kernel frees it once no loop device uses it); 0 or -errno.
	int remove();

private:
	explicit TempImage(UniqueFd fd);
	UniqueFd fd_;
	std::string path_;
};

} // namespace luksfit::sys
