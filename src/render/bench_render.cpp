#include "render/bench_render.hpp"

#include <cstdio>
#include <ostream>

#include "domain/bench/disturbance.hpp"
#include "util/time_text.hpp"

namespace luksfit::render {
namespace {

std::string cell(const domain::SampleStats &s)
{
	if (s.count == 0)
		return "-";
	return domain::format_mibs(s.median) + " (" + domain::format_mibs(s.q1) + "-" +
	       domain::format_mibs(s.q3) + ")";
}

std::string pad(const std::string &s, std::size_t w)
{
	return s.size() >= w ? s + " " : s + std::string(w - s.size(), ' ');
}

} // namespace

render::Json stats_json(const domain::SampleStats &s)
{
	return {{"median", s.median}, {"q1", s.q1},   {"q3", s.q3},
		{"min", s.min},	      {"max", s.max}, {"samples", s.count}};
}

render::Json bench_json(const domain::BenchReport &r, const domain::Ranking &ranking)
{
	render::Json cands = render::Json::array();
	for (std::size_t i = 0; i < r.candidates.size(); ++i) {
		const auto &c = r.candidates[i];
		render::Json j = {{"cipher", c.candidate.spec.text()},
				  {"key_size", c.candidate.key_bits},
				  {"label", c.candidate.label()},
				  {"available", c.available}};
		if (!c.available)
			j["unavailable"] = c.unavailable;
		j["driver"] = c.driver;
		if (c.available) {
			j["encrypt"] = stats_json(c.samples.encrypt_stats());
			j["decrypt"] = stats_json(c.samples.decrypt_stats());
			j["combined"] = stats_json(c.samples.combined_stats());
			j["samples"] = {{"encrypt", c.samples.encrypt},
					{"decrypt", c.samples.decrypt}};
		}
		if (const auto *e = ranking.find(i)) {
			j["rank_status"] = domain::rank_status_name(e->status);
			j["reason"] = e->reason;
		}
		cands.push_back(j);
	}
	render::Json vars = render::Json::array();
	for (const auto &v : r.variants) {
		render::Json j = {{"label", v.label()},
				  {"cipher", v.candidate.spec.text()},
				  {"key_size", v.candidate.key_bits},
				  {"sector_size", v.sector_size},
				  {"no_workqueue", v.no_workqueue},
				  {"supported", v.supported}};
		if (!v.supported)
			j["unsupported"] = v.unsupported;
		else {
			j["encrypt"] = stats_json(v.samples.encrypt_stats());
			j["decrypt"] = stats_json(v.samples.decrypt_stats());
		}
		vars.push_back(j);
	}
	render::Json doc = {{"engine", r.engine},
			    {"method", r.method},
			    {"unit", "MiB/s"},
			    {"kernel", r.kernel},
			    {"cpu_model", r.cpu_model},
			    {"luksfit_version", r.version},
			    {"created", util::utc_time_text(r.created, util::TimeStyle::Iso8601)},
			    {"seconds", r.seconds},
			    {"rounds", r.rounds},
			    {"stop_reason", r.stop_reason},
			    {"candidates", cands},
			    {"variants", vars},
			    {"disturbance",
			     {{"pairs", r.disturbance.pairs},
			      {"left_out", r.disturbance.left_out},
			      {"lowest_share", r.disturbance.lowest_share},
			      {"unreliable", r.disturbance.unreliable},
			      {"summary", domain::disturbance_summary(r.disturbance)}}}};
	doc["winner"] = ranking.winner
				? render::Json(r.candidates[*ranking.winner].candidate.label())
				: render::Json(nullptr);
	return doc;
}

void bench_text(std::ostream &out, const domain::BenchReport &r, const domain::Ranking &ranking)
{
	char secs[32];
	std::snprintf(secs, sizeof(secs), "%.1f", r.seconds);
	out << "engine " << r.engine << ": " << r.method << '\n'
	    << "kernel " << r.kernel << ", CPU " << r.cpu_model << '\n'
	    << r.rounds << " rounds in " << secs << " s (" << r.stop_reason
	    << "); MiB/s as median (interquartile range)\n\n";
	out << pad("candidate", 36) << pad("encrypt", 22) << pad("decrypt", 22) << "driver\n";
	for (const auto &e : ranking.entries) {
		const auto &c = r.candidates[e.index];
		out << pad(c.candidate.label(), 36);
		if (c.available) {
			out << pad(cell(c.samples.encrypt_stats()), 22)
			    << pad(cell(c.samples.decrypt_stats()), 22)
			    << (c.driver.empty() ? "?" : c.driver) << '\n';
		} else {
			out << "unavailable: " << c.unavailable << '\n';
		}
	}
	if (!r.variants.empty()) {
		out << "\nvariants of " << r.variants.front().candidate.label() << ":\n";
		for (const auto &v : r.variants) {
			out << "  " << pad(v.label(), 34);
			if (!v.supported)
				out << "unsupported: " << v.unsupported << '\n';
			else
				out << pad(cell(v.samples.encrypt_stats()), 22)
				    << cell(v.samples.decrypt_stats()) << '\n';
		}
	}
	if (r.disturbance.left_out)
		out << "\nnote: " << domain::disturbance_summary(r.disturbance) << '\n';
	if (ranking.winner)
		out << "\nfastest safe: " << r.candidates[*ranking.winner].candidate.label()
		    << " — " << ranking.entries.front().reason << '\n';
	else
		out << "\nnothing could be measured\n";
}

} // namespace luksfit::render
