// Reads a kernel module tree's depmod index (/lib/modules/KVER or any folder laid out the
// same way, e.g. a kernel package extracted by the kernel lab and indexed with `depmod -b`).
#pragma once

#include <string>

#include "util/expected.hpp"

namespace luksfit::sys {

// "/lib/modules/<release>".
std::string modules_dir_for(const std::string &release);

// The index files of a module tree, as text (domain::index_module_tree parses them).
struct ModuleTreeFiles {
	std::string dep, alias;		      // modules.dep, modules.alias
	std::string builtin, builtin_modinfo; // "" when the tree has none
};

// modules.dep and modules.alias are required (exit 7 with a depmod hint when absent);
// modules.builtin and modules.builtin.modinfo are read when present.
Expected<ModuleTreeFiles> read_module_tree(const std::string &dir);

} // namespace luksfit::sys
