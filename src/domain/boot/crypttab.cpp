#include "domain/boot/crypttab.hpp"

#include <array>

namespace luksfit::domain {
namespace {

std::vector<std::string> fields(std::string_view line)
{
	std::vector<std::string> out;
	while (true) {
		const auto start = line.find_first_not_of(" \t\r");
		if (start == std::string_view::npos)
			return out;
		line.remove_prefix(start);
		const auto end = line.find_first_of(" \t\r");
		out.emplace_back(line.substr(0, end));
		if (end == std::string_view::npos)
			return out;
		line.remove_prefix(end);
	}
}

std::vector<std::pair<std::string, std::string>> parse_options(std::string_view text)
{
	std::vector<std::pair<std::string, std::string>> out;
	while (!text.empty()) {
		const auto comma = text.find(',');
		const std::string_view opt = text.substr(0, comma);
		if (!opt.empty()) {
			const auto eq = opt.find('=');
			out.emplace_back(std::string(opt.substr(0, eq)),
					 eq == std::string_view::npos
						 ? ""
						 : std::string(opt.substr(eq + 1)));
		}
		if (comma == std::string_view::npos)
			break;
		text.remove_prefix(comma + 1);
	}
	return out;
}

constexpr std::array<std::pair<std::string_view, DeviceRefKind>, 4> kTags = {{
	{"UUID=", DeviceRefKind::Uuid},
	{"PARTUUID=", DeviceRefKind::PartUuid},
	{"LABEL=", DeviceRefKind::Label},
	{"PARTLABEL=", DeviceRefKind::PartLabel},
}};

} // namespace

std::string DeviceRef::text() const
{
	for (const auto &[prefix, k] : kTags)
		if (k == kind)
			return std::string(prefix) + value;
	return value;
}

std::string DeviceRef::tag() const
{
	for (const auto &[prefix, k] : kTags)
		if (k == kind)
			return std::string(prefix.substr(0, prefix.size() - 1));
	return {};
}

DeviceRef parse_device_ref(std::string_view text)
{
	for (const auto &[prefix, kind] : kTags)
		if (text.starts_with(prefix))
			return DeviceRef{kind, std::string(text.substr(prefix.size()))};
	return DeviceRef{DeviceRefKind::Path, std::string(text)};
}

bool CrypttabEntry::has_option(std::string_view key) const
{
	return option(key).has_value();
}

std::optional<std::string> CrypttabEntry::option(std::string_view key) const
{
	for (const auto &[k, value] : options)
		if (k == key)
			return value;
	return std::nullopt;
}

Crypttab parse_crypttab(std::string_view text)
{
	Crypttab tab;
	int number = 0;
	while (!text.empty()) {
		const auto nl = text.find('\n');
		const std::string_view line = text.substr(0, nl);
		text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
		number++;
		const auto f = fields(line);
		if (f.empty() || f[0].starts_with('#'))
			continue;
		if (f.size() < 2) {
			tab.issues.push_back({number, "expected NAME DEVICE [KEYFILE [OPTIONS]]"});
			continue;
		}
		CrypttabEntry e;
		e.name = f[0];
		e.device = parse_device_ref(f[1]);
		e.line = number;
		if (f.size() > 2 && f[2] != "none" && f[2] != "-")
			e.keyfile = f[2];
		if (f.size() > 3)
			e.options = parse_options(f[3]);
		tab.entries.push_back(std::move(e));
	}
	return tab;
}

} // namespace luksfit::domain
