// A whole benchmark run, shared by `bench` and `recommend`: choose the engine, measure the
// candidates round-robin, then (dm-crypt) the variants of the leader; and the bench cache.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "domain/bench/bench_cache.hpp"
#include "domain/bench/bench_report.hpp"
#include "render/context.hpp"

namespace luksfit::flows {

inline constexpr const char *kDefaultCache = "/var/lib/luksfit/bench.json";

struct BenchOptions {
	std::string engine = "auto";
	std::vector<std::string> ciphers;
	std::vector<unsigned> key_sizes;
	double time_budget = 20;
	double sample_ms = 0; // 0: the engine's default
	std::size_t max_rounds = 15;
	bool splice = false;
	std::string cache = kDefaultCache;
	bool save = false;
};

// The candidates to measure: the defaults, or --cipher/--key-size.
std::vector<domain::Candidate> bench_candidates(const BenchOptions &o);

// Why this host cannot be measured with `engine` ("" when it can), e.g. naming AF_ALG and
// dm-crypt as missing.
std::string cannot_measure(const std::string &engine);

// Runs the benchmark; fails with exit 7 (naming what is missing) when nothing can measure.
domain::BenchReport run_bench(render::Context &ctx, const BenchOptions &o, bool fips);

domain::CacheKey host_cache_key();
std::int64_t unix_now();

// An unusable cache file is kept as PATH.bad when --save writes a new one.
inline constexpr const char *kCacheAsideSuffix = ".bad";

struct CacheFile {
	std::vector<domain::BenchReport> reports;
	std::string problem; // why an existing file was ignored, "" when read (or missing)
};

// Reads the cache file. A missing file is an empty cache; one that exists but cannot be used
// (unreadable, not a regular file, larger than 8 MiB, not a cache document) is an empty cache
// with `problem` naming the file and why, for the caller to warn. Reports that do not parse
// (e.g. an impossible date) are skipped.
CacheFile load_cache(const std::string &path);

// Adds `r` to the cache file. An existing file load_cache could not use is renamed to
// PATH.bad first (replacing an older one), with a warning on `err`; if that fails, nothing
// is written and the command fails.
void save_to_cache(const std::string &path, const domain::BenchReport &r, std::ostream &err);

} // namespace luksfit::flows
