#include <cstdint>
#include <limits>

#include "catch_compat.hpp"

#include "domain/bench/bench_cache.hpp"

using namespace luksfit::domain;

namespace {

BenchReport report(const char *engine, std::int64_t created)
{
	BenchReport r;
	r.engine = engine;
	r.method = "test";
	r.kernel = "6.1.0-56-cloud-amd64";
	r.cpu_model = "QEMU TCG CPU version 2.5+";
	r.version = "0.1.0";
	r.created = created;
	r.rounds = 3;
	r.stop_reason = "settled";
	r.candidates.push_back(CandidateResult{default_candidates()[0], true, "", "xts-aes-aesni",
					       Series{{40, 41, 39}, {42, 43, 41}}});
	r.candidates.push_back(CandidateResult{
		default_candidates()[4], false, "the kernel has no xts(serpent)", "", {}});
	return r;
}

const std::int64_t now = 1800000000;

} // namespace

TEST_CASE("cache key: kernel release, CPU model and luksfit version must all match")
{
	const BenchReport r = report("afalg", now - 60);
	CacheKey key = cache_key(r);
	CHECK(judge(r, key, now) == CacheVerdict::Usable);
	key.kernel = "6.1.0-57-cloud-amd64";
	CHECK(judge(r, key, now) == CacheVerdict::OtherKernel);
	key = cache_key(r);
	key.cpu_model = "AMD EPYC";
	CHECK(judge(r, key, now) == CacheVerdict::OtherCpu);
	key = cache_key(r);
	key.version = "0.2.0";
	CHECK(judge(r, key, now) == CacheVerdict::OtherVersion);
	CHECK(describe(CacheVerdict::OtherKernel).find("kernel") != std::string::npos);
}

TEST_CASE("cache expiry: older than the maximum age, or from the future")
{
	const BenchReport r = report("afalg", now - kCacheMaxAge - 1);
	CHECK(judge(r, cache_key(r), now) == CacheVerdict::Expired);
	CHECK(judge(r, cache_key(r), now, kCacheMaxAge + 10) == CacheVerdict::Usable);
	const BenchReport future = report("afalg", now + 3600);
	CHECK(judge(future, cache_key(future), now) == CacheVerdict::FromFuture);
}

TEST_CASE("the cache file round-trips reports and picks dmcrypt, then the newest")
{
	std::vector<BenchReport> reports;
	cache_store(reports, report("afalg", now - 100));
	cache_store(reports, report("afalg", now - 50)); // replaces the older afalg result
	CHECK(reports.size() == 1);
	const CacheKey key = cache_key(reports[0]);
	CHECK(cache_pick(reports, key, now)->created == now - 50);
	cache_store(reports, report("dmcrypt", now - 500));
	CHECK(reports.size() == 2);
	CHECK(cache_pick(reports, key, now)->engine == "dmcrypt");

	const auto back = cache_from_json(CacheJson::parse(cache_to_json(reports).dump()));
	REQUIRE(back.size() == 2);
	CHECK(back[0].candidates[0].samples.encrypt == std::vector<double>{40, 41, 39});
	CHECK(back[0].candidates[0].driver == "xts-aes-aesni");
	CHECK(back[0].candidates[1].unavailable == "the kernel has no xts(serpent)");
	CHECK(back[0].candidates[1].candidate == default_candidates()[4]);
	CHECK(back[1].engine == "dmcrypt");

	CacheKey other = key;
	other.kernel = "7.2.0";
	CHECK(cache_pick(back, other, now) == nullptr);
}

TEST_CASE("unreadable cache entries are skipped, not fatal")
{
	auto j = cache_to_json({report("afalg", now)});
	j["reports"].push_back({{"engine", "afalg"}}); // missing fields
	j["reports"].push_back(report_to_json(report("dmcrypt", now)));
	j["reports"][2]["candidates"][0]["cipher"] = "not a cipher";
	CHECK(cache_from_json(j).size() == 1);
	CHECK(cache_from_json(CacheJson::array()).empty());
}

TEST_CASE("text from the cache file comes back escaped")
{
	auto j = cache_to_json({report("afalg", now)});
	j["reports"][0]["stop_reason"] = "settled\x1b]0;owned\x07";
	j["reports"][0]["candidates"][0]["driver"] = "xts-aes-aesni\nfake line";
	j["reports"][0]["candidates"][1]["unavailable"] = "\x1b[2J";
	const auto back = cache_from_json(j);
	REQUIRE(back.size() == 1);
	CHECK(back[0].stop_reason == "settled\\x1b]0;owned\\x07");
	CHECK(back[0].candidates[0].driver == "xts-aes-aesni\\x0afake line");
	CHECK(back[0].candidates[1].unavailable == "\\x1b[2J");
}

TEST_CASE("CPU model from /proc/cpuinfo text")
{
	CHECK(cpu_model_from_cpuinfo("processor\t: 0\nvendor_id\t: AuthenticAMD\n"
				     "model name\t: AMD EPYC\nflags\t\t: fpu\n") == "AMD EPYC");
	CHECK(cpu_model_from_cpuinfo("processor\t: 0\n") == "unknown");
}

TEST_CASE("an impossible date is never fresh, and never overflows the age computation")
{
	// INT64_MIN once made `now - created` overflow (UBSan) and the entry count as fresh.
	for (const std::int64_t created :
	     {std::numeric_limits<std::int64_t>::min(), std::int64_t{-1}, kCacheMaxCreated + 1,
	      std::numeric_limits<std::int64_t>::max()}) {
		const BenchReport r = report("dmcrypt", created);
		CHECK(judge(r, cache_key(r), now) == CacheVerdict::BadDate);
		CHECK(cache_pick({r}, cache_key(r), now) == nullptr);
	}
	CHECK(describe(CacheVerdict::BadDate) == "with an impossible date");
	const BenchReport epoch = report("afalg", 0);
	CHECK(judge(epoch, cache_key(epoch), now) == CacheVerdict::Expired);
}

TEST_CASE("a cached report with an impossible or non-integer date does not parse")
{
	const CacheJson good = report_to_json(report("afalg", now));
	CHECK(report_from_json(good));
	for (const CacheJson &created :
	     {CacheJson(std::numeric_limits<std::int64_t>::min()), CacheJson(-1),
	      CacheJson(std::numeric_limits<std::uint64_t>::max()), CacheJson(1e300),
	      CacheJson(1.8e9), CacheJson("1800000000"), CacheJson(nullptr)}) {
		CacheJson j = good;
		j["created"] = created;
		const auto r = report_from_json(j);
		REQUIRE(!r);
		CHECK(r.error().message.find("not a date between 1970 and 9999") !=
		      std::string::npos);
	}
	auto file = cache_to_json({report("afalg", now)});
	file["reports"][0]["created"] = std::numeric_limits<std::int64_t>::min();
	CHECK(cache_from_json(file).empty());
}

TEST_CASE("the disturbance of a run round-trips; absent is none; impossible figures do not parse")
{
	BenchReport r = report("dmcrypt", now);
	r.disturbance = Disturbance{40, 8, 0.5, false};
	auto j = cache_to_json({r});
	auto back = cache_from_json(j);
	REQUIRE(back.size() == 1);
	CHECK(back[0].disturbance.pairs == 40);
	CHECK(back[0].disturbance.left_out == 8);
	CHECK(back[0].disturbance.lowest_share == Approx(0.5));
	CHECK_FALSE(back[0].disturbance.unreliable);

	j["reports"][0].erase("disturbance"); // saved before luksfit screened samples
	back = cache_from_json(j);
	REQUIRE(back.size() == 1);
	CHECK(back[0].disturbance.pairs == 0);
	CHECK(back[0].disturbance.left_out == 0);

	for (const CacheJson &bad :
	     {CacheJson{
		      {"pairs", 4}, {"left_out", 5}, {"lowest_share", 0.5}, {"unreliable", false}},
	      CacheJson{
		      {"pairs", -4}, {"left_out", 0}, {"lowest_share", 0.5}, {"unreliable", false}},
	      CacheJson{{"pairs", 4},
			{"left_out", 0},
			{"lowest_share", 7.0},
			{"unreliable", false}}}) {
		j["reports"][0]["disturbance"] = bad;
		CHECK(cache_from_json(j).empty());
	}
}
