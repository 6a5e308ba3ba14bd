// The bench cache file: what load_cache says about a file it cannot use, and that --save
// keeps such a file as FILE.bad instead of silently writing over it.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "catch_compat.hpp"

#include "flows/bench/bench_run.hpp"
#include "temp_dir.hpp"

using namespace luksfit;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path &p)
{
	std::ifstream in(p, std::ios::binary);
	std::ostringstream s;
	s << in.rdbuf();
	return s.str();
}

domain::BenchReport sample(std::int64_t created)
{
	domain::BenchReport r;
	r.engine = "afalg";
	r.kernel = "6.1.0-56-cloud-amd64";
	r.cpu_model = "QEMU TCG CPU version 2.5+";
	r.version = "0.1.0";
	r.created = created;
	return r;
}

} // namespace

TEST_CASE("a missing cache file is an empty cache, without complaint")
{
	TempDir d;
	const auto c = flows::load_cache((d.path / "none.json").string());
	CHECK(c.reports.empty());
	CHECK(c.problem.empty());
}

TEST_CASE("a cache over the size limit is named, with why, and kept aside on --save")
{
	TempDir d;
	const fs::path cache = d.path / "bench.json";
	// Valid JSON, but padded beyond 8 MiB: once read truncated, discarded, overwritten.
	const std::string big = domain::cache_to_json({sample(1800000000)}).dump() +
				std::string((8u << 20) + 1, ' ');
	d.file("bench.json", big);
	const auto c = flows::load_cache(cache.string());
	CHECK(c.reports.empty());
	CHECK(c.problem == "bench cache " + cache.string() + " is larger than 8 MiB");

	std::ostringstream err;
	flows::save_to_cache(cache.string(), sample(1800000100), err);
	CHECK(slurp(cache.string() + ".bad") == big);
	CHECK(err.str() == "luksfit: warning: " + c.problem + "; kept it as " + cache.string() +
				   ".bad and started a new cache\n");
	const auto saved = flows::load_cache(cache.string());
	CHECK(saved.problem.empty());
	REQUIRE(saved.reports.size() == 1);
	CHECK(saved.reports[0].created == 1800000100);
}

TEST_CASE("a cache that is no cache document is kept aside too; a good one is merged")
{
	TempDir d;
	const fs::path cache = d.path / "bench.json";
	d.file("bench.json", "[1, 2, 3]\n");
	const auto c = flows::load_cache(cache.string());
	CHECK(c.problem.find("is not a luksfit bench cache") != std::string::npos);
	std::ostringstream err;
	flows::save_to_cache(cache.string(), sample(1800000000), err);
	CHECK(slurp(cache.string() + ".bad") == "[1, 2, 3]\n");

	std::ostringstream quiet;
	auto other = sample(1800000200);
	other.engine = "dmcrypt";
	flows::save_to_cache(cache.string(), other, quiet);
	CHECK(quiet.str().empty());
	CHECK(flows::load_cache(cache.string()).reports.size() == 2);
	CHECK(slurp(cache.string() + ".bad") == "[1, 2, 3]\n"); // untouched by a good save
}
