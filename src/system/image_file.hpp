// Image files: sparse creation, and a temporary image deleted when its owner goes away.
#pragma once

#include <cstdint>
#include <string>

#include "util/expected.hpp"

namespace luksfit::sys {

// Creates PATH as a sparse file of `size` bytes (O_EXCL: an existing file is never touched;
// exit 5 "already exists"). On failure nothing is left behind.
Status create_sparse_image(const std::string &path, std::uint64_t size);

// Bytes actually allocated on disk for PATH (st_blocks * 512), to show sparseness.
Expected<std::uint64_t> allocated_bytes(const std::string &path);

// A sparse image in `dir` with a unique name, unlinked on destruction (also while unwinding).
class TempImage
{
public:
	static Expected<TempImage> create(const std::string &dir, std::uint64_t size);

	TempImage(TempImage &&other) noexcept;
	TempImage &operator=(TempImage &&) = delete;
	TempImage(const TempImage &) = delete;
	TempImage &operator=(const TempImage &) = delete;
	~TempImage();

	const std::string &path() const noexcept { return path_; }
	// Deletes it now; 0 or -errno.
	int remove();

private:
	explicit TempImage(std::string path) : path_(std::move(path)) {}
	std::string path_;
};

} // namespace luksfit::sys
