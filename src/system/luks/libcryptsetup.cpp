#include "system/luks/libcryptsetup.hpp"

#include <sys/mman.h>

#include <libcryptsetup.h>

#include "luksfit_config.h"
#include "util/unique_fd.hpp"
#include "util/unique_handle.hpp"

namespace luksfit::sys {
namespace {

constexpr std::string_view kMarker = "initialized in cryptsetup library version ";

bool version_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '.' || c == '-' || c == '+' || c == '~';
}

void capture_version(int level, const char *msg, void *usrptr)
{
	if (level != CRYPT_LOG_DEBUG || !msg || !usrptr)
		return;
	if (auto v = version_from_log_line(msg))
		*static_cast<std::string *>(usrptr) = *v;
}

} // namespace

std::optional<std::string> version_from_log_line(std::string_view line)
{
	const auto at = line.find(kMarker);
	if (at == std::string_view::npos)
		return std::nullopt;
	line.remove_prefix(at + kMarker.size());
	std::size_t n = 0;
	while (n < line.size() && n < 32 && version_char(line[n]))
		++n;
	std::string v(line.substr(0, n));
	while (!v.empty() && v.back() == '.') // the sentence's full stop
		v.pop_back();
	if (v.empty() || v.front() < '0' || v.front() > '9' || v.find('.') == std::string::npos)
		return std::nullopt;
	return v;
}

LibcryptsetupVersion query_libcryptsetup_version()
{
	LibcryptsetupVersion v{LIBCRYPTSETUP_BUILD_VERSION, false, LIBCRYPTSETUP_BUILD_VERSION};
	// An empty memfd: crypt_load starts the crypto backend (which logs the version), then
	// finds no header. Nothing is locked or written.
	UniqueFd mem(::memfd_create("luksfit-version", MFD_CLOEXEC));
	if (!mem.valid())
		return v;
	std::string found;
	crypt_set_log_callback(nullptr, capture_version, &found);
	crypt_set_debug_level(CRYPT_DEBUG_ALL);
	util::UniqueHandle<crypt_device, crypt_free> cd;
	const std::string path = "/proc/self/fd/" + std::to_string(mem.get());
	if (crypt_init(cd.out(), path.c_str()) == 0)
		(void)crypt_load(cd.get(), CRYPT_LUKS, nullptr);
	else
		cd.release(); // nothing to free after a failed crypt_init
	crypt_set_debug_level(CRYPT_DEBUG_NONE);
	crypt_set_log_callback(nullptr, nullptr, nullptr);
	if (!found.empty()) {
		v.version = found;
		v.runtime = true;
	}
	return v;
}

const LibcryptsetupVersion &libcryptsetup_version()
{
	static const LibcryptsetupVersion v = query_libcryptsetup_version();
	return v;
}

} // namespace luksfit::sys
