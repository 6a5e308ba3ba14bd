#include "system/kernel/kernel_info.hpp"

#include <cerrno>
#include <sys/utsname.h>

#include "system/kernel/proc_files.hpp"
#include "system/os/text_file.hpp"

namespace luksfit::sys {

Expected<std::string> kernel_release()
{
	struct utsname u {
	};
	if (::uname(&u) != 0)
		return error_from_errno(errno, "uname");
	return std::string(u.release);
}

Expected<bool> fips_mode()
{
	constexpr const char *kPath = "/proc/sys/crypto/fips_enabled";
	if (!path_exists(kPath))
		return false;
	auto text = read_text_file(kPath);
	if (!text)
		return text.error();
	return !text->empty() && (*text)[0] == '1';
}

} // namespace luksfit::sys
