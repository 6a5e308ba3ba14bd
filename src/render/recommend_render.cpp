#include "render/recommend_render.hpp"

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "domain/host/perf_flags.hpp"
#include "render/bench_render.hpp"

namespace luksfit::render {
namespace {

render::Json device_json(const std::optional<domain::RecommendDevice> &d)
{
	if (!d)
		return nullptr;
	return {{"path", d->path},
		{"name", d->name},
		{"disk", d->disk},
		{"rotational", d->rotational},
		{"logical_sector_size", d->logical_sector},
		{"physical_sector_size", d->physical_sector}};
}

// "/dev/sdb1 (partition of sdb): rotational, logical sector 512, physical 4096 bytes"
std::string device_line(const domain::RecommendDevice &d)
{
	std::string l = d.path;
	if (d.disk != d.name)
		l += " (partition of " + d.disk + ")";
	return l + ": " + (d.rotational ? "rotational" : "non-rotational") + ", logical sector " +
	       std::to_string(d.logical_sector) + ", physical " +
	       std::to_string(d.physical_sector) + " bytes";
}

} // namespace

render::Json recommend_json(const domain::Recommendation &r)
{
	render::Json others = render::Json::array();
	for (const auto &e : r.ranking.entries) {
		const auto &c = r.candidates[e.index].candidate;
		if (r.choice && c == *r.choice)
			continue;
		render::Json j = {{"label", c.label()},
				  {"status", domain::rank_status_name(e.status)},
				  {"reason", e.reason}};
		if (e.combined.count)
			j["combined"] = stats_json(e.combined);
		others.push_back(j);
	}
	render::Json choice = nullptr;
	if (r.choice)
		choice = {{"cipher", r.choice->spec.text()},
			  {"key_size", r.choice->key_bits},
			  {"label", r.choice->label()}};
	render::Json pbkdf = {{"type", r.pbkdf.type}, {"iter_time_ms", r.pbkdf.iter_time_ms}};
	if (!r.pbkdf.hash.empty())
		pbkdf["hash"] = r.pbkdf.hash;
	if (r.pbkdf.memory_kib) {
		pbkdf["memory_kib"] = r.pbkdf.memory_kib;
		pbkdf["parallel"] = r.pbkdf.parallel;
	}
	pbkdf["budget"] = r.pbkdf.budget;
	render::Json keyslot = nullptr;
	if (r.keyslot_cipher)
		keyslot = {{"cipher", r.keyslot_cipher->spec.text()},
			   {"key_size", r.keyslot_cipher->key_bits},
			   {"reason", r.keyslot_reason}};
	return {{"basis", r.basis},
		{"device", device_json(r.device)},
		{"choice", choice},
		{"reason", r.reason},
		{"others", others},
		{"sector_size", r.sector_size},
		{"sector_reason", r.sector_reason},
		{"perf_flags", r.perf_flags},
		{"flags_reason", r.flags_reason},
		{"pbkdf", pbkdf},
		{"keyslot_cipher", keyslot},
		{"luks_format", r.luks_format},
		{"crypttab_options", r.crypttab_options},
		{"notes", r.notes}};
}

void recommend_text(std::ostream &out, const domain::Recommendation &r)
{
	out << "based on: " << r.basis << '\n';
	if (r.device)
		out << "device:   " << device_line(*r.device) << '\n';
	out << '\n';
	if (!r.choice) {
		out << "no candidate is both safe and available here\n";
		for (const auto &e : r.ranking.entries)
			out << "  " << r.candidates[e.index].candidate.label() << ": " << e.reason
			    << '\n';
		return;
	}
	out << "cipher:       " << r.choice->label() << "\n  why: " << r.reason << '\n'
	    << "sector size:  " << r.sector_size << " (" << r.sector_reason << ")\n"
	    << "perf flags:   " << domain::perf_flags_text({r.perf_flags, r.flags_reason}) << '\n'
	    << "pbkdf:        " << r.pbkdf.type << " (" << r.pbkdf.budget << ")\n";
	if (r.keyslot_cipher)
		out << "keyslots:     " << r.keyslot_cipher->label() << " (" << r.keyslot_reason
		    << ")\n";
	out << "\n  " << r.luks_format << "\n\ncrypttab options: " << r.crypttab_options << '\n';
	bool header = false;
	for (const auto &e : r.ranking.entries) {
		const auto &c = r.candidates[e.index].candidate;
		if (c == *r.choice)
			continue;
		if (!header)
			out << "\nother candidates:\n";
		header = true;
		out << "  " << c.label() << ": " << e.reason << '\n';
	}
	for (const auto &n : r.notes)
		out << "note: " << n << '\n';
}

} // namespace luksfit::render
