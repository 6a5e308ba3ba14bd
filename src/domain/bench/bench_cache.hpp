// Saved benchmark results: a file of reports, each keyed by kernel release, CPU model and
// luksfit version; a report is reused only when its key matches this host and it is recent.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/bench/bench_report.hpp"
#include "util/expected.hpp"

namespace luksfit::domain {

using CacheJson = nlohmann::ordered_json;

struct CacheKey {
	std::string kernel;
	std::string cpu_model;
	std::string version;
	bool operator==(const CacheKey &) const = default;
};

CacheKey cache_key(const BenchReport &r);

// Results older than this are measured again: kernels and firmware change under a release.
inline constexpr std::int64_t kCacheMaxAge = 7 * 24 * 3600;

// The dates a cached report may carry: from 1970 to the end of year 9999. Anything else is
// hostile or corrupt (and INT64_MIN would overflow the age computation).
inline constexpr std::int64_t kCacheMinCreated = 0;
inline constexpr std::int64_t kCacheMaxCreated = 253402300799; // 9999-12-31 23:59:59 UTC

enum class CacheVerdict {
	Usable,
	OtherKernel,
	OtherCpu,
	OtherVersion,
	Expired,
	FromFuture,
	BadDate
};

// Whether `r` may be reused on a host with `key` at unix time `now` (a clock reading: between
// kCacheMinCreated and kCacheMaxCreated).
CacheVerdict judge(const BenchReport &r, const CacheKey &key, std::int64_t now,
		   std::int64_t max_age = kCacheMaxAge);
std::string describe(CacheVerdict v);

// The "model name" of the first processor in /proc/cpuinfo text, "unknown" if absent.
std::string cpu_model_from_cpuinfo(std::string_view cpuinfo);

// Persistence (the cache file), not output rendering.
CacheJson report_to_json(const BenchReport &r);
Expected<BenchReport> report_from_json(const CacheJson &j);

// The cache file: {"schema":1,"reports":[...]}. Unreadable entries are skipped.
std::vector<BenchReport> cache_from_json(const CacheJson &j);
CacheJson cache_to_json(const std::vector<BenchReport> &reports);

// Adds `r`, replacing a report with the same key and engine.
void cache_store(std::vector<BenchReport> &reports, BenchReport r);

// The best usable report for `key`: dmcrypt before afalg (it measures what disks get),
// then the newest. nullptr when none.
const BenchReport *cache_pick(const std::vector<BenchReport> &reports, const CacheKey &key,
			      std::int64_t now, std::int64_t max_age = kCacheMaxAge);

} // namespace luksfit::domain
