#include "render/udev_render.hpp"

#include <algorithm>
#include <ostream>

namespace luksfit::render {
namespace {

constexpr std::size_t kMaxValue = 128;

bool safe_value_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == ':' || c == '-';
}

bool safe_key(std::string_view key)
{
	return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
		return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
	});
}

} // namespace

std::string udev_value(std::string_view raw)
{
	std::string v(raw.substr(0, kMaxValue));
	std::replace_if(
		v.begin(), v.end(), [](char c) { return !safe_value_char(c); }, '_');
	return v;
}

void udev_properties_text(std::ostream &out, const std::vector<domain::UdevProperty> &props)
{
	for (const auto &p : props)
		if (safe_key(p.key) && !p.value.empty())
			out << p.key << '=' << udev_value(p.value) << '\n';
}

Json udev_properties_json(const std::vector<domain::UdevProperty> &props)
{
	auto j = Json::object();
	for (const auto &p : props)
		if (safe_key(p.key) && !p.value.empty())
			j[p.key] = udev_value(p.value);
	return j;
}

} // namespace luksfit::render
