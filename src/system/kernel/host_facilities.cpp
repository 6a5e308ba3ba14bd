#include "system/kernel/host_facilities.hpp"

#include <cerrno>
#include <linux/keyctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "system/kernel/proc_files.hpp"
#include "system/os/text_file.hpp"

namespace luksfit::sys {

bool kernel_list_names(const std::string &path, const std::string &name)
{
	const auto t = read_text_file(path);
	if (!t)
		return false;
	std::string_view rest = *t;
	while (!rest.empty()) {
		const auto nl = rest.find('\n');
		std::string_view line = rest.substr(0, nl);
		rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
		const auto sp = line.find_last_of(' ');
		if (sp != std::string_view::npos && line.substr(sp + 1) == name)
			return true;
	}
	return false;
}

bool misc_device_registered(const std::string &name)
{
	return kernel_list_names("/proc/misc", name);
}

AccessState path_access(const std::string &path)
{
	AccessState s;
	s.exists = path_exists(path);
	s.usable = s.exists && ::access(path.c_str(), R_OK | W_OK) == 0;
	return s;
}

int keyring_status()
{
	const long r = ::syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0);
	return r < 0 ? -errno : 0;
}

bool running_as_root()
{
	return ::geteuid() == 0;
}

} // namespace luksfit::sys
