#include "system/kernel/proc_files.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "system/os/text_file.hpp"
#include "util/unique_fd.hpp"

namespace luksfit::sys {
namespace {

// gzFile owner: one wrapper per C handle type.
class GzFile
{
public:
	explicit GzFile(gzFile f) : f_(f) {}
	GzFile(const GzFile &) = delete;
	GzFile &operator=(const GzFile &) = delete;
	~GzFile()
	{
		if (f_)
			gzclose(f_);
	}
	gzFile get() const { return f_; }

private:
	gzFile f_;
};

constexpr int kSyslogActionReadAll = 3;
constexpr int kSyslogActionSizeBuffer = 10;

} // namespace

Expected<std::string> read_gzip_file(const std::string &path, std::size_t limit)
{
	UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
	if (!fd.valid())
		return error_from_errno(errno, "cannot read " + path);
	GzFile gz(gzdopen(fd.get(), "rb"));
	if (!gz.get())
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
	const std::string boot = "/boot/config-" + release;
	if (auto t = read_text_file(boot))
		return KernelConfigText{boot, std::move(*t)};
	if (auto t = read_gzip_file("/proc/config.gz"))
		return KernelConfigText{"/proc/config.gz", std::move(*t)};
	return error_from_errno(ENOENT,
				"no kernel configuration in " + boot + " or /proc/config.gz");
}

std::vector<std::string> modules_for_alias(const std::string &release, const std::string &alias)
{
	std::vector<std::string> mods;
	const auto text = read_text_file("/lib/modules/" + release + "/modules.alias");
	if (!text)
		return mods;
	const std::string prefix = "alias " + alias + " ";
	std::string_view rest = *text;
	while (!rest.empty()) {
		const auto nl = rest.find('\n');
		const auto line = rest.substr(0, nl);
		rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
		if (line.starts_with(prefix))
			mods.emplace_back(line.substr(prefix.size()));
	}
	return mods;
}

std::optional<bool> module_installed(const std::string &release, const std::string &name)
{
	const std::string dir = "/lib/modules/" + release + "/";
	const auto dep = read_text_file(dir + "modules.dep");
	if (!dep)
		return std::nullopt;
	const std::string needle = "/" + name + ".ko";
	std::string_view rest = *dep;
	while (!rest.empty()) {
		const auto nl = rest.find('\n');
		const auto line = rest.substr(0, nl);
		rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
		const auto path = line.substr(0, line.find(':'));
		const auto at = path.find(needle);
		if (at == std::string_view::npos)
			continue;
		const auto tail = path.substr(at + needle.size()); // "" or ".xz", ".zst", ".gz"
		if (!tail.empty() && tail.front() != '.')
			continue;
		return path_exists(dir + std::string(path));
	}
	return false;
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
