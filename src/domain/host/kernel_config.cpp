#include "domain/host/kernel_config.hpp"

namespace luksfit::domain {

KernelConfig KernelConfig::parse(std::string_view text)
{
	KernelConfig cfg;
	cfg.known_ = true;
	while (!text.empty()) {
		const auto nl = text.find('\n');
		const std::string_view line = text.substr(0, nl);
		text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
		if (line.starts_with("# CONFIG_") && line.ends_with(" is not set")) {
			const auto name = line.substr(2, line.find(' ', 2) - 2);
			cfg.values_.insert_or_assign(std::string(name.begin(), name.end()),
						     std::string(1, 'n'));
			continue;
		}
		if (!line.starts_with("CONFIG_"))
			continue;
		const auto eq = line.find('=');
		if (eq == std::string_view::npos)
			continue;
		cfg.values_[std::string(line.substr(0, eq))] = std::string(line.substr(eq + 1));
	}
	return cfg;
}

Tristate KernelConfig::get(std::string_view option) const
{
	if (!known_)
		return Tristate::Unknown;
	const auto it = values_.find(option);
	if (it == values_.end() || it->second == "n")
		return Tristate::NotSet;
	if (it->second == "m")
		return Tristate::Module;
	return Tristate::Builtin;
}

const char *tristate_name(Tristate t)
{
	switch (t) {
	case Tristate::Builtin:
		return "builtin";
	case Tristate::Module:
		return "module";
	case Tristate::NotSet:
		return "not-set";
	case Tristate::Unknown:
		return "unknown";
	}
	return "unknown";
}

} // namespace luksfit::domain
