#include "system/kernel/modules.hpp"

#include <algorithm>
#include <string_view>

#include "system/kernel/proc_files.hpp"
#include "system/os/text_file.hpp"

namespace luksfit::sys {
namespace {

std::string modules_dir(const std::string &release)
{
	return "/lib/modules/" + release + "/";
}

// modprobe treats '-' and '_' in module names alike.
std::string canonical(std::string_view name)
{
	std::string s(name);
	std::replace(s.begin(), s.end(), '-', '_');
	return s;
}

// "kernel/drivers/md/dm-crypt.ko.xz" -> "dm_crypt"; "" when the path names no module file.
std::string module_of_path(std::string_view path)
{
	const auto slash = path.rfind('/');
	auto base = slash == std::string_view::npos ? path : path.substr(slash + 1);
	const auto ko = base.find(".ko");
	if (ko == std::string_view::npos)
		return {};
	const auto tail = base.substr(ko + 3); // "" or ".xz", ".zst", ".gz"
	if (!tail.empty() && tail.front() != '.')
		return {};
	return canonical(base.substr(0, ko));
}

// Calls `f(line)` for each line of `text` until it returns true; whether one did.
template <typename F> bool any_line(std::string_view text, F f)
{
	while (!text.empty()) {
		const auto nl = text.find('\n');
		if (f(text.substr(0, nl)))
			return true;
		text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
	}
	return false;
}

} // namespace

bool module_loaded(const std::string &name)
{
	return path_exists("/sys/module/" + canonical(name));
}

ModuleFiles module_files(const std::string &release, const std::string &name)
{
	const std::string dir = modules_dir(release), want = canonical(name);
	ModuleFiles f;
	if (const auto builtin = read_text_file(dir + "modules.builtin"))
		f.builtin = any_line(*builtin,
				     [&](std::string_view l) { return module_of_path(l) == want; });
	const auto dep = read_text_file(dir + "modules.dep");
	if (!dep)
		return f;
	std::string_view found;
	any_line(*dep, [&](std::string_view l) {
		const auto path = l.substr(0, l.find(':'));
		if (module_of_path(path) != want)
			return false;
		found = path;
		return true;
	});
	f.installed = !found.empty() && path_exists(dir + std::string(found));
	return f;
}

bool module_available(const std::string &release, const std::string &name)
{
	if (module_loaded(name))
		return true;
	const auto f = module_files(release, name);
	return f.builtin || f.installed == true;
}

std::vector<std::string> modules_for_alias(const std::string &release, const std::string &alias)
{
	std::vector<std::string> mods;
	const auto text = read_text_file(modules_dir(release) + "modules.alias");
	if (!text)
		return mods;
	const std::string prefix = "alias " + alias + " ";
	any_line(*text, [&](std::string_view line) {
		if (line.starts_with(prefix))
			mods.emplace_back(line.substr(prefix.size()));
		return false;
	});
	return mods;
}

} // namespace luksfit::sys
