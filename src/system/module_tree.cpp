#include "system/module_tree.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "system/text_file.hpp"
#include "util/unique_fd.hpp"

namespace luksfit::sys {

std::string modules_dir_for(const std::string &release)
{
	return "/lib/modules/" + release;
}

Expected<domain::ModuleIndex> read_module_tree(const std::string &dir)
{
	struct stat st {};
	if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
		return Error{ExitCode::Unsupported, "no kernel module tree at " + dir,
			     "install the kernel's modules, or pass --modules-dir DIR or "
			     "--kernel-release KVER"};
	domain::ModuleIndex index;
	for (const char *required : {"modules.dep", "modules.alias"}) {
		auto text = read_text_file(dir + "/" + required);
		if (!text)
			return Error{ExitCode::Unsupported,
				     "the module tree " + dir + " has no readable " + required,
				     "index it with depmod (depmod -b ROOT KVER for a tree under "
				     "ROOT/lib/modules/KVER)"};
		if (std::string(required) == "modules.dep")
			domain::parse_modules_dep(*text, index);
		else
			domain::parse_modules_alias(*text, index);
	}
	if (auto text = read_text_file(dir + "/modules.builtin"))
		domain::parse_modules_builtin(*text, index);
	if (auto data = read_text_file(dir + "/modules.builtin.modinfo"))
		domain::parse_modules_builtin_modinfo(*data, index);
	return index;
}

} // namespace luksfit::sys
