#include "system/kernel/module_tree.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

#include "system/os/text_file.hpp"
#include "util/unique_fd.hpp"

namespace luksfit::sys {

std::string modules_dir_for(const std::string &release)
{
	return "/lib/modules/" + release;
}

Expected<ModuleTreeFiles> read_module_tree(const std::string &dir)
{
	struct stat st {
	};
	if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
		return Error{ExitCode::Unsupported, "no kernel module tree at " + dir,
			     "install the kernel's modules, or pass --modules-dir DIR or "
			     "--kernel-release KVER"};
	ModuleTreeFiles files;
	for (auto [name, text] :
	     {std::pair{"modules.dep", &files.dep}, {"modules.alias", &files.alias}}) {
		auto read = read_text_file(dir + "/" + name);
		if (!read)
			return Error{ExitCode::Unsupported,
				     "the module tree " + dir + " has no readable " + name,
				     "index it with depmod (depmod -b ROOT KVER for a tree under "
				     "ROOT/lib/modules/KVER)"};
		*text = std::move(*read);
	}
	if (auto read = read_text_file(dir + "/modules.builtin"))
		files.builtin = std::move(*read);
	if (auto read = read_text_file(dir + "/modules.builtin.modinfo"))
		files.builtin_modinfo = std::move(*read);
	return files;
}

} // namespace luksfit::sys
