// The kernel's build configuration (/boot/config-RELEASE, /usr/lib/modules/RELEASE/config or
// /proc/config.gz): tells "built as a
// module, not loaded" from "not built at all".
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace luksfit::domain {

enum class Tristate { Builtin, Module, NotSet, Unknown };

class KernelConfig
{
public:
	static KernelConfig parse(std::string_view text);

	// "y" -> Builtin, "m" -> Module, "# ... is not set" -> NotSet; absent -> NotSet when the
	// config was read (Kconfig omits options whose dependencies are off), Unknown otherwise.
	Tristate get(std::string_view option) const;
	bool known() const noexcept { return known_; }

private:
	std::map<std::string, std::string, std::less<>> values_;
	bool known_ = false;
};

const char *tristate_name(Tristate t); // "builtin", "module", "not-set", "unknown"

} // namespace luksfit::domain
