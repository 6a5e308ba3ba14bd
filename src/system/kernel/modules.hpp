// Where a kernel module stands on this host: loaded (/sys/module), built in or installed for a
// kernel release (its depmod index), and which modules serve an alias. The one place that
// reads these files; module names match with '-' and '_' alike, as modprobe does.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace luksfit::sys {

// /sys/module/NAME exists: loaded, or built in with parameters.
bool module_loaded(const std::string &name);

struct ModuleFiles {
	bool builtin = false;	       // listed in modules.builtin
	std::optional<bool> installed; // listed in modules.dep and its file present; nullopt
				       // when modules.dep cannot be read
};

// What /lib/modules/RELEASE says about module NAME ("dm-crypt" or "dm_crypt").
ModuleFiles module_files(const std::string &release, const std::string &name);

// Loaded, built in, or installed: modprobe (or the kernel's autoload) can have it.
bool module_available(const std::string &release, const std::string &name);

// Modules that serve a modalias, from /lib/modules/RELEASE/modules.alias, e.g.
// "crypto-xts(aes)" -> {"aesni_intel"}: what the kernel would autoload. Empty if unknown.
std::vector<std::string> modules_for_alias(const std::string &release, const std::string &alias);

} // namespace luksfit::sys
