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

namespace luksfit::util {

// The items (strings, or what `show` makes of each) with `sep` between them.
template <typename Range, typename Show>
std::string join(const Range &items, std::string_view sep, Show show)
{
	std::string out;
	for (const auto &item : items) {
		if (!out.empty())
			out += sep;
		out += show(item);
	}
	return out;
}

template <typename Range> std::string join(const Range &items, std::string_view sep)
{
	return join(
		items, sep, [](const auto &item) -> const auto & { return item; });
}

} // namespace luksfit::util
