#include "domain/format/param_source.hpp"

#include "domain/bench/recommendation.hpp"
#include "util/text.hpp"
#include "util/time_text.hpp"

namespace luksfit::domain {

std::string source_kind_name(ParamSource::Kind kind)
{
	switch (kind) {
	case ParamSource::Kind::Options:
		return "options";
	case ParamSource::Kind::BenchCache:
		return "bench_cache";
	case ParamSource::Kind::PolicyDefault:
		return "policy_default";
	}
	return "options";
}

std::string utc_date(std::int64_t unix_time)
{
	return util::utc_time_text(unix_time, util::TimeStyle::Readable);
}

std::string cache_rejections(const std::vector<BenchReport> &reports, const CacheKey &key,
			     std::int64_t now)
{
	std::string why = util::join(reports, "; ", [&](const auto &r) {
		return r.engine + " result of " + utc_date(r.created) + " " +
		       describe(judge(r, key, now));
	});
	return why;
}

DefaultParams default_params(const std::vector<BenchReport> &cached, const CacheKey &key,
			     std::int64_t now, bool fips, const std::string &cache_path)
{
	RecommendHostFacts host;
	host.fips = fips;
	DefaultParams d;
	d.source.cache_path = cache_path;
	if (const BenchReport *pick = cache_pick(cached, key, now)) {
		const Recommendation rec = recommend(pick, "", host);
		if (rec.choice) {
			d.choice = *rec.choice;
			d.flags_evidence = rec.flags_evidence;
			d.source.kind = ParamSource::Kind::BenchCache;
			d.source.measured_at = pick->created;
			d.source.detail = "recommended from " + pick->engine +
					  " bench results of " + utc_date(pick->created) +
					  " (cache " + cache_path + "): " + rec.reason;
			return d;
		}
		d.source.notes.push_back("the cached " + pick->engine + " result of " +
					 utc_date(pick->created) +
					 " has no candidate the policy allows here");
	}
	const Recommendation rec = recommend(nullptr, "", host);
	d.choice = rec.choice.value_or(fallback_keyslot_cipher());
	d.flags_evidence.unmeasured_why = "no usable bench result";
	d.source.kind = ParamSource::Kind::PolicyDefault;
	const std::string rejected = cache_rejections(cached, key, now);
	if (d.source.notes.empty())
		d.source.detail = cached.empty()
					  ? "policy default: no bench results cached for "
					    "this host (cache " +
						    cache_path + ")"
					  : "policy default: no usable bench result for this "
					    "host in cache " +
						    cache_path;
	else
		d.source.detail = "policy default: " + d.source.notes.front();
	if (!rejected.empty())
		d.source.notes.push_back("ignored cached bench results: " + rejected);
	return d;
}

FlagEvidence volume_flag_evidence(const DefaultParams &d, const std::string &cipher,
				  unsigned key_bits)
{
	if (d.source.kind != ParamSource::Kind::BenchCache)
		return d.flags_evidence;
	if (d.choice.spec.text() == cipher && d.choice.key_bits == key_bits)
		return d.flags_evidence;
	return {{},
		"the cached measurements chose " + d.choice.label() + "; this volume uses " +
			cipher + "/" + std::to_string(key_bits)};
}

} // namespace luksfit::domain
