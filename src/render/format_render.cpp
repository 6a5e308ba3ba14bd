#include "render/format_render.hpp"

#include <cstdio>
#include <ostream>

#include "domain/format/param_source.hpp"
#include "domain/host/perf_flags.hpp"

namespace luksfit::render {

Json plan_json(const domain::FormatPlan &plan)
{
	Json pbkdf = {{"type", plan.pbkdf.type}};
	if (plan.pbkdf.type == "pbkdf2")
		pbkdf["hash"] = plan.pbkdf.hash;
	else
		pbkdf["memory_kib"] = plan.pbkdf.memory_kib;
	if (plan.pbkdf.iterations)
		pbkdf["iterations"] = plan.pbkdf.iterations;
	else
		pbkdf["iter_time_ms"] = plan.pbkdf.iter_time_ms;
	Json j = {
		{"cipher", plan.data.spec.text()},
		{"key_size", plan.data.key_bits},
		{"sector_size", plan.sector_size},
		{"keyslot_cipher", plan.keyslot.spec.text()},
		{"keyslot_key_size", plan.keyslot.key_bits},
		{"keyslot_fallback", plan.keyslot_fallback},
		{"pbkdf", pbkdf},
		{"perf_flags", plan.perf_flags},
		{"perf_flags_reason", plan.perf_flags_reason},
	};
	if (plan.label)
		j["label"] = *plan.label;
	if (!plan.notes.empty())
		j["notes"] = plan.notes;
	return j;
}

Json source_json(const domain::ParamSource &s)
{
	Json j = {{"kind", domain::source_kind_name(s.kind)}, {"detail", s.detail}};
	if (!s.cache_path.empty())
		j["cache"] = s.cache_path;
	if (s.measured_at)
		j["measured_at"] = s.measured_at;
	j["notes"] = s.notes;
	return j;
}

void plan_text(std::ostream &out, const domain::FormatPlan &plan)
{
	if (!plan.source.detail.empty())
		out << "  parameters:    " << plan.source.detail << '\n';
	for (const auto &n : plan.source.notes)
		out << "  note:          " << n << '\n';
	out << "  cipher:        " << plan.data.label() << '\n'
	    << "  sector size:   " << plan.sector_size << '\n'
	    << "  keyslots:      " << plan.keyslot.label()
	    << (plan.keyslot_fallback ? " (fallback: " + plan.keyslot_reason + ")" : "") << '\n'
	    << "  PBKDF:         " << plan.pbkdf.type;
	if (plan.pbkdf.iterations)
		out << ", " << plan.pbkdf.iterations << " iterations";
	else
		out << ", " << plan.pbkdf.iter_time_ms << " ms";
	if (plan.pbkdf.type != "pbkdf2")
		out << ", memory cap " << plan.pbkdf.memory_kib << " KiB";
	out << '\n';
	out << "  perf flags:    "
	    << domain::perf_flags_text({plan.perf_flags, plan.perf_flags_reason}) << '\n';
	for (const auto &n : plan.notes)
		out << "  note:          " << n << '\n';
}

std::string step_text(const std::string &name, double ms)
{
	char buf[128];
	std::snprintf(buf, sizeof buf, "  ok  %-28s %9.1f ms", name.c_str(), ms);
	return buf;
}

} // namespace luksfit::render
