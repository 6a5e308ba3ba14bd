// Small text helpers for the line-oriented kernel and cache files luksfit parses.
#pragma once

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

} // namespace luksfit::util
