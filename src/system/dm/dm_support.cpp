#include "system/dm/dm_support.hpp"

#include <filesystem>
#include <fstream>
#include <string>

#include "system/kernel/kernel_info.hpp"

namespace luksfit::sys {
namespace {

bool file_has_line_part(const std::string &path, const std::string &needle)
{
	std::ifstream in(path);
	std::string line;
	while (std::getline(in, line))
		if (line.find(needle) != std::string::npos)
			return true;
	return false;
}

// Loaded, built in, or present as a module file modprobe can load.
bool module_available(const std::string &name, const std::string &file)
{
	namespace fs = std::filesystem;
	std::error_code ec;
	if (fs::exists("/sys/module/" + name, ec))
		return true;
	const std::string dir = "/lib/modules/" + kernel_release();
	if (file_has_line_part(dir + "/modules.builtin", "/" + file + ".ko"))
		return true;
	return file_has_line_part(dir + "/modules.dep", "/" + file + ".ko");
}

} // namespace

std::optional<std::string> dmcrypt_missing()
{
	const bool dm = file_has_line_part("/proc/devices", "device-mapper") ||
			module_available("dm_mod", "dm-mod");
	if (!dm)
		return "device-mapper (CONFIG_BLK_DEV_DM)";
	if (!module_available("dm_crypt", "dm-crypt"))
		return "dm-crypt target (CONFIG_DM_CRYPT, module dm_crypt)";
	return std::nullopt;
}

} // namespace luksfit::sys
