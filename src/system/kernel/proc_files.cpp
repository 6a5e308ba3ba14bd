#include "system/kernel/proc_files.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "system/os/text_file.hpp"
#include "util/unique_fd.hpp"
#include "util/unique_handle.hpp"

namespace luksfit::sys {
namespace {

using GzFile = util::UniqueHandle<gzFile_s, gzclose>;

constexpr int kSyslogActionReadAll = 3;
constexpr int kSyslogActionSizeBuffer = 10;

} // namespace

Expected<std::string> read_gzip_file(const std::string &path, std::size_t limit)
{
	UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
	if (!fd.valid())
		return error_from_errno(errno, "cannot read " + path);
	GzFile gz(gzdopen(fd.get(), "rb"));
	if (!gz)
		return error_from_errno(ENOMEM, "cannot read " + path);
	fd.release(); // gzclose closes it
	std::string text;
	char buf[16384];
	for (;;) {
		const int n = gzread(gz.get(), buf, sizeof(buf));
		if (n < 0)
			return error_from_errno(EIO, "cannot decompress " + path);
		if (n == 0 || text.size() >= limit)
			break;
		text.append(buf, static_cast<std::size_t>(n));
	}
	return text;
}

Expected<KernelConfigText> read_kernel_config(const std::string &release)
{
	// Debian's 7.x packages install it under /usr/lib/modules only (no /boot/config-*).
	const std::string boot = "/boot/config-" + release;
	const std::string modules = "/usr/lib/modules/" + release + "/config";
	for (const std::string &path : {boot, modules})
		if (auto t = read_text_file(path))
			return KernelConfigText{path, std::move(*t)};
	if (auto t = read_gzip_file("/proc/config.gz"))
		return KernelConfigText{"/proc/config.gz", std::move(*t)};
	return error_from_errno(ENOENT, "no kernel configuration in " + boot + ", " + modules +
						" or /proc/config.gz");
}

Expected<std::string> read_kernel_log()
{
	const int size = ::klogctl(kSyslogActionSizeBuffer, nullptr, 0);
	if (size < 0)
		return error_from_errno(errno, "cannot read the kernel log");
	std::string buf(static_cast<std::size_t>(size), '\0');
	const int n = ::klogctl(kSyslogActionReadAll, buf.data(), size);
	if (n < 0)
		return error_from_errno(errno, "cannot read the kernel log");
	buf.resize(static_cast<std::size_t>(n));
	return buf;
}

bool path_exists(const std::string &path)
{
	struct stat st {
	};
	return ::stat(path.c_str(), &st) == 0;
}

} // namespace luksfit::sys
