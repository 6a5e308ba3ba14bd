// format's and validate's default cipher and key size: recommend's choice from a matching,
// recent cached bench result, else the policy's default; and a line saying which.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "domain/bench/bench_cache.hpp"
#include "domain/format/format_plan.hpp"

namespace luksfit::domain {

struct DefaultParams {
	Candidate choice;
	ParamSource source;
	FlagEvidence flags_evidence; // recommend's, for this choice
};

// `cached`: the reports in `cache_path` (may be empty). A usable one (cache_pick) gives
// recommend's choice; otherwise the policy default (first safe candidate in preference
// order), with notes naming each cached result that was ignored and why.
DefaultParams default_params(const std::vector<BenchReport> &cached, const CacheKey &key,
			     std::int64_t now, bool fips, const std::string &cache_path);

// open's and crypttab's evidence on the flags for a volume in `cipher` (cryptsetup form,
// "aes-xts-plain64") with a `key_bits` volume key: recommend's, when `d` chose that cipher;
// else none, saying which cipher the measurements chose.
FlagEvidence volume_flag_evidence(const DefaultParams &d, const std::string &cipher,
				  unsigned key_bits);

// "options", "bench_cache", "policy_default" (the JSON spelling).
std::string source_kind_name(ParamSource::Kind kind);

// "2026-11-23 22:29 UTC"
std::string utc_date(std::int64_t unix_time);

// Why each cached report is not usable here, joined with "; " ("" when there are none).
std::string cache_rejections(const std::vector<BenchReport> &reports, const CacheKey &key,
			     std::int64_t now);

} // namespace luksfit::domain
