#include "system/block/direct_io_throughput.hpp"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <linux/fs.h>
#include <memory>
#include <sys/ioctl.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "util/eintr.hpp"
#include "util/unique_fd.hpp"
#include "util/unique_handle.hpp"

namespace luksfit::sys {
namespace {

struct Shared {
	int fd = -1;
	bool write = false;
	std::size_t block = 0;
	std::uint64_t blocks = 0;
	std::chrono::steady_clock::time_point deadline;
	std::atomic<std::uint64_t> next{0};
	std::atomic<std::uint64_t> bytes{0};
	std::atomic<int> error{0};
};

void worker(Shared &s)
{
	void *raw = nullptr;
	if (::posix_memalign(&raw, 4096, s.block) != 0) {
		s.error = -ENOMEM;
		return;
	}
	const util::UniqueHandle<void, util::free_memory> buf(raw);
	std::memset(buf.get(), 0x5a, s.block);
	do {
		const std::uint64_t n = s.next.fetch_add(1) % s.blocks;
		const auto off = static_cast<off_t>(n * s.block);
		const ssize_t r = util::retry_eintr([&] {
			return s.write ? ::pwrite(s.fd, buf.get(), s.block, off)
				       : ::pread(s.fd, buf.get(), s.block, off);
		});
		if (r != static_cast<ssize_t>(s.block)) {
			s.error = r < 0 ? -errno : -EIO;
			return;
		}
		s.bytes += s.block;
	} while (std::chrono::steady_clock::now() < s.deadline && s.error == 0);
}

} // namespace

Expected<double> direct_io_throughput(const std::string &device, bool write,
				      const DirectIoSpec &spec, double seconds)
{
	const std::string what = std::string(write ? "write " : "read ") + device;
	UniqueFd fd(::open(device.c_str(), (write ? O_WRONLY : O_RDONLY) | O_DIRECT | O_CLOEXEC));
	if (!fd.valid())
		return error_from_errno(errno, "open " + device + " (O_DIRECT)");
	std::uint64_t size = 0;
	if (::ioctl(fd.get(), BLKGETSIZE64, &size) != 0)
		return error_from_errno(errno, "size of " + device);
	if (spec.span_bytes && spec.span_bytes < size)
		size = spec.span_bytes;
	Shared s;
	s.fd = fd.get();
	s.write = write;
	s.block = spec.block_bytes;
	s.blocks = size / spec.block_bytes;
	if (s.blocks == 0)
		return error_from_errno(EINVAL, what + ": device smaller than one block");

	using clock = std::chrono::steady_clock;
	const auto start = clock::now();
	s.deadline = start + std::chrono::duration_cast<clock::duration>(
				     std::chrono::duration<double>(seconds));
	{
		std::vector<std::jthread> threads;
		for (unsigned i = 0; i < std::max(1u, spec.queue_depth); ++i)
			threads.emplace_back([&s] { worker(s); });
	}
	const double elapsed = std::chrono::duration<double>(clock::now() - start).count();
	if (s.error != 0)
		return error_from_errno(s.error, what);
	if (write && ::fsync(fd.get()) != 0)
		return error_from_errno(errno, "fsync " + device);
	return static_cast<double>(s.bytes.load()) / (1024.0 * 1024.0) / elapsed;
}

} // namespace luksfit::sys
