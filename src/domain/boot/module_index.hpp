// The target kernel's module index, as depmod writes it under /lib/modules/KVER:
// modules.dep (module -> modules it needs), modules.alias (alias pattern -> module),
// modules.builtin (modules compiled into the kernel) and modules.builtin.modinfo (the aliases
// of those built-in modules, NUL-separated "name.alias=value" records).
//
// Module names are normalised as modprobe does: file name without ".ko[.xz|.zst|.gz]",
// '-' replaced by '_' ("kernel/drivers/md/dm-crypt.ko" -> "dm_crypt").
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace luksfit::domain {

struct ModuleIndex {
	std::map<std::string, std::vector<std::string>> deps; // loadable module -> its deps
	std::map<std::string, std::string> paths;	      // loadable module -> relative path
	std::vector<std::pair<std::string, std::string>> aliases; // pattern, module (in file order)
	std::set<std::string> builtin;				  // built-in module names
	std::vector<std::pair<std::string, std::string>> builtin_aliases; // alias, module

	bool loadable(const std::string &module) const { return deps.contains(module); }
	bool is_builtin(const std::string &module) const { return builtin.contains(module); }
};

// "kernel/drivers/md/dm-crypt.ko.xz" -> "dm_crypt"; "dm-crypt" -> "dm_crypt".
std::string module_name(std::string_view path_or_name);

// Each parser adds what its file holds to `index`; malformed lines are ignored, as kmod does.
void parse_modules_dep(std::string_view text, ModuleIndex &index);
void parse_modules_alias(std::string_view text, ModuleIndex &index);
void parse_modules_builtin(std::string_view text, ModuleIndex &index);
void parse_modules_builtin_modinfo(std::string_view data, ModuleIndex &index);

// The index of a module tree from its files' text (builtin files may be "": absent).
ModuleIndex index_module_tree(std::string_view dep, std::string_view alias,
			      std::string_view builtin, std::string_view builtin_modinfo);

// Loadable modules whose alias pattern (fnmatch-style, as in modules.alias) matches `alias`,
// in file order, each once.
std::vector<std::string> alias_providers(const ModuleIndex &index, std::string_view alias);
// Built-in modules declaring `alias` (exact match; modinfo aliases are not patterns).
std::vector<std::string> builtin_providers(const ModuleIndex &index, std::string_view alias);

// `module` and everything it needs, transitively, dependencies after their users, each once.
std::vector<std::string> dependency_closure(const ModuleIndex &index, const std::string &module);

} // namespace luksfit::domain
