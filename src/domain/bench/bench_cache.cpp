#include "domain/bench/bench_cache.hpp"

#include <algorithm>

#include "util/text.hpp"
#include "util/untrusted_text.hpp"

namespace luksfit::domain {
namespace {

CacheJson series_to_json(const Series &s)
{
	return {{"encrypt", s.encrypt}, {"decrypt", s.decrypt}};
}

Series series_from_json(const CacheJson &j)
{
	Series s;
	s.encrypt = j.at("encrypt").get<std::vector<double>>();
	s.decrypt = j.at("decrypt").get<std::vector<double>>();
	return s;
}

// A string of the cache file, escaped for display (the file is outside data: anyone who could
// write it chooses what `bench` and `recommend` print).
std::string text(const CacheJson &j, const char *key, const char *fallback)
{
	return util::printable(j.value(key, fallback));
}

Candidate candidate_from_json(const CacheJson &j)
{
	return Candidate{parse_cipher_spec(j.at("cipher").get<std::string>()).or_fail(),
			 j.at("key_size").get<unsigned>()};
}

CacheJson disturbance_to_json(const Disturbance &d)
{
	return {{"pairs", d.pairs},
		{"left_out", d.left_out},
		{"lowest_share", d.lowest_share},
		{"unreliable", d.unreliable}};
}

// Absent (a result saved before luksfit screened samples): nothing known, nothing left out.
Disturbance disturbance_from_json(const CacheJson &j)
{
	Disturbance d;
	if (!j.contains("disturbance"))
		return d;
	const CacheJson &o = j.at("disturbance");
	const CacheJson &pairs = o.at("pairs"), &left_out = o.at("left_out");
	if (!pairs.is_number_unsigned() || !left_out.is_number_unsigned())
		fail(ExitCode::Failed, "disturbance counts are not unsigned integers");
	d.pairs = pairs.get<std::size_t>();
	d.left_out = left_out.get<std::size_t>();
	d.lowest_share = o.at("lowest_share").get<double>();
	d.unreliable = o.at("unreliable").get<bool>();
	if (d.left_out > d.pairs || !(d.lowest_share >= 0 && d.lowest_share <= 1))
		fail(ExitCode::Failed, "disturbance figures out of range");
	return d;
}

} // namespace

CacheKey cache_key(const BenchReport &r)
{
	return CacheKey{r.kernel, r.cpu_model, r.version};
}

CacheVerdict judge(const BenchReport &r, const CacheKey &key, std::int64_t now,
		   std::int64_t max_age)
{
	if (r.kernel != key.kernel)
		return CacheVerdict::OtherKernel;
	if (r.cpu_model != key.cpu_model)
		return CacheVerdict::OtherCpu;
	if (r.version != key.version)
		return CacheVerdict::OtherVersion;
	// Checked first: with `created` in range, the subtractions below cannot overflow.
	if (r.created < kCacheMinCreated || r.created > kCacheMaxCreated)
		return CacheVerdict::BadDate;
	if (r.created - now > 300)
		return CacheVerdict::FromFuture;
	if (now - r.created > max_age)
		return CacheVerdict::Expired;
	return CacheVerdict::Usable;
}

std::string describe(CacheVerdict v)
{
	switch (v) {
	case CacheVerdict::Usable:
		return "matches this host";
	case CacheVerdict::OtherKernel:
		return "measured under another kernel release";
	case CacheVerdict::OtherCpu:
		return "measured on another CPU model";
	case CacheVerdict::OtherVersion:
		return "measured by another luksfit version";
	case CacheVerdict::Expired:
		return "older than " + std::to_string(kCacheMaxAge / 86400) + " days";
	case CacheVerdict::FromFuture:
		return "dated in the future (clock changed?)";
	case CacheVerdict::BadDate:
		return "with an impossible date";
	}
	return "unknown";
}

std::string cpu_model_from_cpuinfo(std::string_view cpuinfo)
{
	std::size_t pos = 0;
	while (pos < cpuinfo.size()) {
		const auto end = std::min(cpuinfo.find('\n', pos), cpuinfo.size());
		const std::string_view line = cpuinfo.substr(pos, end - pos);
		pos = end + 1;
		const auto colon = line.find(':');
		if (colon == std::string_view::npos ||
		    util::trim(line.substr(0, colon)) != "model name")
			continue;
		const std::string v(util::trim(line.substr(colon + 1)));
		if (!v.empty())
			return v;
	}
	return "unknown";
}

CacheJson report_to_json(const BenchReport &r)
{
	CacheJson cands = CacheJson::array();
	for (const auto &c : r.candidates) {
		CacheJson j = {{"cipher", c.candidate.spec.text()},
			       {"key_size", c.candidate.key_bits},
			       {"available", c.available}};
		if (!c.available)
			j["unavailable"] = c.unavailable;
		j["driver"] = c.driver;
		j["samples"] = series_to_json(c.samples);
		cands.push_back(j);
	}
	CacheJson vars = CacheJson::array();
	for (const auto &v : r.variants) {
		CacheJson j = {{"cipher", v.candidate.spec.text()},
			       {"key_size", v.candidate.key_bits},
			       {"sector_size", v.sector_size},
			       {"no_workqueue", v.no_workqueue},
			       {"supported", v.supported}};
		if (!v.supported)
			j["unsupported"] = v.unsupported;
		j["samples"] = series_to_json(v.samples);
		vars.push_back(j);
	}
	return {{"engine", r.engine},
		{"method", r.method},
		{"kernel", r.kernel},
		{"cpu_model", r.cpu_model},
		{"luksfit_version", r.version},
		{"created", r.created},
		{"seconds", r.seconds},
		{"rounds", r.rounds},
		{"stop_reason", r.stop_reason},
		{"candidates", cands},
		{"variants", vars},
		{"disturbance", disturbance_to_json(r.disturbance)}};
}

Expected<BenchReport> report_from_json(const CacheJson &j)
{
	try {
		BenchReport r;
		r.engine = util::printable(j.at("engine").get<std::string>());
		r.method = text(j, "method", "");
		r.kernel = j.at("kernel").get<std::string>();
		r.cpu_model = j.at("cpu_model").get<std::string>();
		r.version = j.at("luksfit_version").get<std::string>();
		// An integer in range: a float like 1e300 would not even convert (undefined).
		const CacheJson &created = j.at("created");
		if (created.is_number_integer())
			r.created = created.get<std::int64_t>();
		if (!created.is_number_integer() || r.created < kCacheMinCreated ||
		    r.created > kCacheMaxCreated)
			return Error{ExitCode::Failed,
				     "bad cached result: created " + created.dump() +
					     " is not a date between 1970 and 9999",
				     {}};
		r.seconds = j.value("seconds", 0.0);
		r.rounds = j.value("rounds", std::size_t{0});
		r.stop_reason = text(j, "stop_reason", "");
		for (const auto &c : j.at("candidates")) {
			CandidateResult cr;
			cr.candidate = candidate_from_json(c);
			cr.available = c.at("available").get<bool>();
			cr.unavailable = text(c, "unavailable", "");
			cr.driver = text(c, "driver", "");
			cr.samples = series_from_json(c.at("samples"));
			r.candidates.push_back(std::move(cr));
		}
		for (const auto &v : j.value("variants", CacheJson::array())) {
			VariantResult vr;
			vr.candidate = candidate_from_json(v);
			vr.sector_size = v.at("sector_size").get<unsigned>();
			vr.no_workqueue = v.at("no_workqueue").get<bool>();
			vr.supported = v.value("supported", true);
			vr.unsupported = text(v, "unsupported", "");
			vr.samples = series_from_json(v.at("samples"));
			r.variants.push_back(std::move(vr));
		}
		r.disturbance = disturbance_from_json(j);
		return r;
	} catch (const Failure &f) {
		return Error{ExitCode::Failed, "bad cached result: " + f.error().message, {}};
	} catch (const std::exception &e) {
		return Error{ExitCode::Failed, std::string("bad cached result: ") + e.what(), {}};
	}
}

std::vector<BenchReport> cache_from_json(const CacheJson &j)
{
	std::vector<BenchReport> out;
	if (!j.is_object() || !j.contains("reports") || !j["reports"].is_array())
		return out;
	for (const auto &r : j["reports"])
		if (auto rep = report_from_json(r))
			out.push_back(std::move(*rep));
	return out;
}

CacheJson cache_to_json(const std::vector<BenchReport> &reports)
{
	CacheJson arr = CacheJson::array();
	for (const auto &r : reports)
		arr.push_back(report_to_json(r));
	return {{"schema", 1}, {"reports", arr}};
}

void cache_store(std::vector<BenchReport> &reports, BenchReport r)
{
	std::erase_if(reports, [&](const BenchReport &o) {
		return cache_key(o) == cache_key(r) && o.engine == r.engine;
	});
	reports.push_back(std::move(r));
}

const BenchReport *cache_pick(const std::vector<BenchReport> &reports, const CacheKey &key,
			      std::int64_t now, std::int64_t max_age)
{
	const BenchReport *best = nullptr;
	for (const auto &r : reports) {
		if (judge(r, key, now, max_age) != CacheVerdict::Usable)
			continue;
		if (!best || (r.engine == "dmcrypt" && best->engine != "dmcrypt") ||
		    (r.engine == best->engine && r.created > best->created))
			best = &r;
	}
	return best;
}

} // namespace luksfit::domain
