#include "domain/boot/module_index.hpp"

#include <algorithm>
#include <fnmatch.h>

#include "util/text.hpp"

namespace luksfit::domain {
namespace {

// Calls `fn(line)` for each line of `text` without its newline, skipping blank lines.
template <typename Fn> void for_each_line(std::string_view text, char separator, Fn fn)
{
	while (!text.empty()) {
		const auto end = text.find(separator);
		const std::string_view line = text.substr(0, end);
		if (!line.empty())
			fn(line);
		if (end == std::string_view::npos)
			break;
		text.remove_prefix(end + 1);
	}
}

void push_unique(std::vector<std::string> &list, const std::string &name)
{
	if (std::find(list.begin(), list.end(), name) == list.end())
		list.push_back(name);
}

} // namespace

std::string module_name(std::string_view path_or_name)
{
	const auto slash = path_or_name.rfind('/');
	if (slash != std::string_view::npos)
		path_or_name.remove_prefix(slash + 1);
	const auto ko = path_or_name.find(".ko");
	std::string name(path_or_name.substr(0, ko));
	std::replace(name.begin(), name.end(), '-', '_');
	return name;
}

void parse_modules_dep(std::string_view text, ModuleIndex &index)
{
	for_each_line(text, '\n', [&](std::string_view line) {
		const auto colon = line.find(':');
		if (colon == std::string_view::npos || line.starts_with('#'))
			return;
		const std::string_view path = util::trim(line.substr(0, colon));
		if (path.empty())
			return;
		const std::string name = module_name(path);
		auto &deps = index.deps[name];
		index.paths[name] = std::string(path);
		std::string_view rest = line.substr(colon + 1);
		while (!(rest = util::trim(rest)).empty()) {
			const auto space = rest.find_first_of(" \t");
			deps.push_back(module_name(rest.substr(0, space)));
			if (space == std::string_view::npos)
				break;
			rest.remove_prefix(space);
		}
	});
}

void parse_modules_alias(std::string_view text, ModuleIndex &index)
{
	for_each_line(text, '\n', [&](std::string_view line) {
		line = util::trim(line);
		if (!line.starts_with("alias "))
			return;
		line.remove_prefix(6);
		line = util::trim(line);
		const auto space = line.find_first_of(" \t");
		if (space == std::string_view::npos)
			return;
		const std::string_view module = util::trim(line.substr(space));
		if (module.empty())
			return;
		index.aliases.emplace_back(std::string(line.substr(0, space)), module_name(module));
	});
}

void parse_modules_builtin(std::string_view text, ModuleIndex &index)
{
	for_each_line(text, '\n', [&](std::string_view line) {
		line = util::trim(line);
		if (!line.empty() && !line.starts_with('#'))
			index.builtin.insert(module_name(line));
	});
}

void parse_modules_builtin_modinfo(std::string_view data, ModuleIndex &index)
{
	for_each_line(data, '\0', [&](std::string_view record) {
		const auto dot = record.find('.');
		if (dot == std::string_view::npos)
			return;
		const std::string_view key = record.substr(dot + 1);
		if (!key.starts_with("alias="))
			return;
		index.builtin_aliases.emplace_back(std::string(key.substr(6)),
						   module_name(record.substr(0, dot)));
	});
}

std::vector<std::string> alias_providers(const ModuleIndex &index, std::string_view alias)
{
	const std::string wanted(alias);
	std::vector<std::string> found;
	for (const auto &[pattern, module] : index.aliases)
		if (fnmatch(pattern.c_str(), wanted.c_str(), 0) == 0)
			push_unique(found, module);
	return found;
}

std::vector<std::string> builtin_providers(const ModuleIndex &index, std::string_view alias)
{
	std::vector<std::string> found;
	for (const auto &[name, module] : index.builtin_aliases)
		if (name == alias)
			push_unique(found, module);
	return found;
}

std::vector<std::string> dependency_closure(const ModuleIndex &index, const std::string &module)
{
	std::vector<std::string> order;
	std::vector<std::string> todo{module};
	while (!todo.empty()) {
		const std::string name = todo.front();
		todo.erase(todo.begin());
		if (std::find(order.begin(), order.end(), name) != order.end())
			continue;
		order.push_back(name);
		const auto it = index.deps.find(name);
		if (it != index.deps.end())
			todo.insert(todo.end(), it->second.begin(), it->second.end());
	}
	return order;
}

ModuleIndex index_module_tree(std::string_view dep, std::string_view alias,
			      std::string_view builtin, std::string_view builtin_modinfo)
{
	ModuleIndex index;
	parse_modules_dep(dep, index);
	parse_modules_alias(alias, index);
	parse_modules_builtin(builtin, index);
	parse_modules_builtin_modinfo(builtin_modinfo, index);
	return index;
}

} // namespace luksfit::domain
