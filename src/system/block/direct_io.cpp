#include "system/block/direct_io.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <string_view>
#include <unistd.h>
#include <unordered_set>
#include <vector>

#include "system/os/signals.hpp"
#include "util/eintr.hpp"
#include "util/pattern.hpp"
#include "util/unique_fd.hpp"
#include "util/unique_handle.hpp"

namespace luksfit::sys {
namespace {

constexpr std::size_t kBlock = 4096;
constexpr std::size_t kChunk = 1u << 20;

using AlignedBuf = util::UniqueHandle<unsigned char, util::free_memory>;

AlignedBuf aligned(std::size_t size)
{
	void *p = nullptr;
	if (::posix_memalign(&p, kBlock, size) != 0)
		throw std::bad_alloc();
	return AlignedBuf(static_cast<unsigned char *>(p));
}

// pread/pwrite until done; -errno on failure, -EIO on a short transfer at the end.
int full_io(bool write, int fd, unsigned char *buf, std::size_t len, std::uint64_t off)
{
	std::size_t done = 0;
	while (done < len) {
		const auto at = static_cast<off_t>(off + done);
		const ssize_t n = util::retry_eintr(
			[&] {
				return write ? ::pwrite(fd, buf + done, len - done, at)
					     : ::pread(fd, buf + done, len - done, at);
			},
			[] { return pending_interrupt() != 0; });
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		done += static_cast<std::size_t>(n);
	}
	return 0;
}

} // namespace

Status write_pattern_direct(const std::string &device, std::uint64_t bytes, std::uint64_t seed)
{
	UniqueFd fd(::open(device.c_str(), O_WRONLY | O_DIRECT | O_CLOEXEC));
	if (!fd.valid())
		return error_from_errno(errno, "open " + device + " with O_DIRECT");
	AlignedBuf buf = aligned(kChunk);
	for (std::uint64_t off = 0; off < bytes; off += kChunk) {
		if (auto e = interruption())
			return *e;
		const std::size_t len =
			static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, bytes - off));
		fill_pattern(seed, off, {buf.get(), len});
		if (const int r = full_io(true, fd.get(), buf.get(), len, off); r < 0)
			return error_from_errno(r, "O_DIRECT write to " + device);
	}
	if (::fsync(fd.get()) != 0)
		return error_from_errno(errno, "fsync " + device);
	return Done{};
}

Expected<std::optional<std::uint64_t>>
verify_pattern_direct(const std::string &device, std::uint64_t bytes, std::uint64_t seed)
{
	UniqueFd fd(::open(device.c_str(), O_RDONLY | O_DIRECT | O_CLOEXEC));
	if (!fd.valid())
		return error_from_errno(errno, "open " + device + " with O_DIRECT");
	AlignedBuf buf = aligned(kChunk);
	std::vector<unsigned char> want(kChunk);
	for (std::uint64_t off = 0; off < bytes; off += kChunk) {
		if (auto e = interruption())
			return *e;
		const std::size_t len =
			static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, bytes - off));
		if (const int r = full_io(false, fd.get(), buf.get(), len, off); r < 0)
			return error_from_errno(r, "O_DIRECT read from " + device);
		fill_pattern(seed, off, {want.data(), len});
		for (std::size_t b = 0; b < len; b += kBlock)
			if (std::memcmp(buf.get() + b, want.data() + b,
					std::min(kBlock, len - b)) != 0)
				return std::optional<std::uint64_t>(off + b);
	}
	return std::optional<std::uint64_t>();
}

Expected<bool> file_contains_pattern(const std::string &file, std::uint64_t bytes,
				     std::uint64_t seed)
{
	// Index the pattern's blocks by their first 8 bytes, compare candidates in full.
	std::unordered_set<std::uint64_t> heads;
	for (std::uint64_t off = 0; off < bytes; off += kBlock)
		heads.insert(pattern_word(seed, off / 8));
	UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
	if (!fd.valid())
		return error_from_errno(errno, "open " + file);
	std::vector<unsigned char> buf(kChunk + kBlock), want(kBlock);
	for (std::uint64_t off = 0;; off += kChunk) {
		if (auto e = interruption())
			return *e;
		const ssize_t n =
			::pread(fd.get(), buf.data(), buf.size(), static_cast<off_t>(off));
		if (n < 0)
			return error_from_errno(errno, "read " + file);
		const std::size_t got = static_cast<std::size_t>(n);
		for (std::size_t p = 0; p + kBlock <= got && p < kChunk; p += 512) {
			std::uint64_t head = 0;
			std::memcpy(&head, buf.data() + p, 8);
			if (!heads.count(head))
				continue;
			// Which pattern block starts with this word: search the index by brute
			// force.
			for (std::uint64_t b = 0; b < bytes; b += kBlock) {
				if (pattern_word(seed, b / 8) != head)
					continue;
				fill_pattern(seed, b, want);
				if (std::memcmp(buf.data() + p, want.data(), kBlock) == 0)
					return true;
			}
		}
		if (got < buf.size())
			return false;
	}
}

} // namespace luksfit::sys
