#include "render/initramfs_modules_render.hpp"

#include <ostream>

namespace luksfit::render {
namespace {

render::Json module_entry(const domain::NeededModule &m)
{
	render::Json j = {{"name", m.name}};
	if (!m.path.empty())
		j["path"] = m.path;
	j["alias"] = m.alias;
	j["reason"] = m.reason;
	if (!m.required_by.empty())
		j["required_by"] = m.required_by;
	return j;
}

} // namespace

void initramfs_modules_text(std::ostream &out, const domain::InitramfsModulesReport &report)
{
	for (const auto &m : report.resolution.modules)
		out << m.name << '\n';
}

void initramfs_header_text(std::ostream &err, const domain::InitramfsModulesReport &report)
{
	err << "# modules from " << report.modules_dir << " for";
	for (const auto &v : report.volumes)
		err << ' ' << v.cipher << (v.device.empty() ? "" : " (" + v.device + ")");
	err << '\n';
	if (!report.resolution.builtin.empty()) {
		err << "# built into the kernel:";
		for (const auto &b : report.resolution.builtin)
			err << ' ' << b.name;
		err << '\n';
	}
	for (const auto &x : report.resolution.excluded)
		err << "# left out: " << x << " (AF_ALG is not needed to open a volume)\n";
}

render::Json initramfs_modules_json(const domain::InitramfsModulesReport &report)
{
	render::Json volumes = render::Json::array();
	for (const auto &v : report.volumes) {
		render::Json j = {{"source", v.source}};
		if (!v.name.empty())
			j["name"] = v.name;
		if (!v.device.empty())
			j["device"] = v.device;
		j["cipher"] = v.cipher;
		volumes.push_back(std::move(j));
	}
	render::Json modules = render::Json::array();
	for (const auto &m : report.resolution.modules)
		modules.push_back(module_entry(m));
	render::Json builtin = render::Json::array();
	for (const auto &m : report.resolution.builtin)
		builtin.push_back(module_entry(m));
	return {{"modules_dir", report.modules_dir},
		{"volumes", volumes},
		{"modules", modules},
		{"builtin", builtin},
		{"excluded", report.resolution.excluded}};
}

} // namespace luksfit::render
