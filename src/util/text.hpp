// Small text helpers for the line-oriented kernel and cache files luksfit parses.
#pragma once

#include <string>
#include <string_view>

namespace luksfit::util {

// `s` without leading and trailing blanks (space, tab, CR).
constexpr std::string_view trim(std::string_view s)
{
	const auto first = s.find_first_not_of(" \t\r");
	if (first == std::string_view::npos)
		return {};
	return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

// `s` with every `from` replaced by `to` (e.g. "/proc/self/fd/5" by the path the user gave).
inline std::string replace_all(std::string s, std::string_view from, std::string_view to)
{
	if (from.empty())
		return s;
	for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
		s.replace(at, from.size(), to);
	return s;
}

} // namespace luksfit::util
