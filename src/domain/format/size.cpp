#include "domain/format/size.hpp"

#include <cctype>
#include <cstdio>
#include <limits>

namespace luksfit::domain {
namespace {

Error bad_size(std::string_view text, const std::string &why)
{
	return Error{ExitCode::Failed, "invalid size '" + std::string(text) + "': " + why,
		     "give a whole number with an optional unit K, M, G or T, e.g. 64M or 1G"};
}

int unit_shift(char c)
{
	switch (std::toupper(static_cast<unsigned char>(c))) {
	case 'K':
		return 10;
	case 'M':
		return 20;
	case 'G':
		return 30;
	case 'T':
		return 40;
	default:
		return -1;
	}
}

bool iequals(std::string_view a, std::string_view b)
{
	if (a.size() != b.size())
		return false;
	for (std::size_t i = 0; i < a.size(); ++i)
		if (std::tolower(static_cast<unsigned char>(a[i])) !=
		    std::tolower(static_cast<unsigned char>(b[i])))
			return false;
	return true;
}

} // namespace

Expected<std::uint64_t> parse_size(std::string_view text)
{
	std::size_t i = 0;
	std::uint64_t n = 0;
	constexpr std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
	while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
		const unsigned d = static_cast<unsigned>(text[i] - '0');
		if (n > (max - d) / 10)
			return bad_size(text, "too large");
		n = n * 10 + d;
		++i;
	}
	if (i == 0)
		return bad_size(text, "it does not start with a number");
	std::string_view rest = text.substr(i);
	int shift = 0;
	if (!rest.empty()) {
		shift = unit_shift(rest[0]);
		if (shift < 0)
			return bad_size(text, "unknown unit '" + std::string(rest) + "'");
		rest.remove_prefix(1);
		if (!rest.empty() && !iequals(rest, "iB") && !iequals(rest, "B"))
			return bad_size(text, "unknown unit '" + std::string(text.substr(i)) + "'");
	}
	if (n == 0)
		return bad_size(text, "it must be larger than zero");
	if (shift && n > (max >> shift))
		return bad_size(text, "too large");
	return n << shift;
}

std::string format_size(std::uint64_t bytes)
{
	static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	int u = 0;
	double v = static_cast<double>(bytes);
	while (v >= 1024.0 && u < 4) {
		v /= 1024.0;
		++u;
	}
	char buf[32];
	if (u == 0 || v == static_cast<double>(static_cast<std::uint64_t>(v)))
		std::snprintf(buf, sizeof buf, "%.0f %s", v, units[u]);
	else
		std::snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
	return buf;
}

} // namespace luksfit::domain
