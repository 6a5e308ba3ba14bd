#include "catch_compat.hpp"

#include "domain/bench/recommendation.hpp"
#include "domain/format/param_source.hpp"
#include "fixture.hpp"

using namespace luksfit::domain;

namespace {

// The lab capture (stock 6.1 kernel, afalg and dmcrypt reports) and its own key.
std::vector<BenchReport> lab_cache()
{
	return cache_from_json(CacheJson::parse(fixture("bench/lab-6.1.0-56-stock.json")));
}

CacheKey key_of(const std::vector<BenchReport> &r)
{
	return cache_key(r.at(0));
}

bool contains(const std::string &s, const std::string &part)
{
	return s.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("a matching, recent cached result gives recommend's choice and says so")
{
	const auto cached = lab_cache();
	REQUIRE(cached.size() == 2);
	const BenchReport *pick = cache_pick(cached, key_of(cached), cached[1].created + 60);
	REQUIRE(pick);
	CHECK(pick->engine == "dmcrypt");
	const auto expected = recommend(pick, "", RecommendHostFacts{}).choice;
	REQUIRE(expected);

	const auto d =
		default_params(cached, key_of(cached), cached[1].created + 60, false, "/c.json");
	CHECK(d.choice == *expected);
	// In the capture dm-crypt ran aes-xts-plain64/256 clearly faster than /512.
	CHECK(d.choice.label() == "aes-xts-plain64/256");
	CHECK(d.source.kind == ParamSource::Kind::BenchCache);
	CHECK(d.source.measured_at == pick->created);
	CHECK(d.source.cache_path == "/c.json");
	CHECK(contains(d.source.detail, "recommended from dmcrypt bench results of " +
						utc_date(pick->created) + " (cache /c.json)"));
	CHECK(source_kind_name(d.source.kind) == "bench_cache");
	// The flags' evidence is recommend's, for format, open and crypttab to decide alike.
	CHECK(d.flags_evidence.measured ==
	      recommend(pick, "", RecommendHostFacts{}).flags_evidence.measured);
	CHECK(d.flags_evidence.measured.has_value());
}

TEST_CASE("a volume in the cached choice's cipher gets its flag evidence; another cipher none")
{
	const auto cached = lab_cache();
	const auto d =
		default_params(cached, key_of(cached), cached[1].created + 60, false, "/c.json");
	REQUIRE(d.choice.label() == "aes-xts-plain64/256");
	const FlagEvidence same = volume_flag_evidence(d, "aes-xts-plain64", 256);
	CHECK(same.measured == d.flags_evidence.measured);
	const FlagEvidence other = volume_flag_evidence(d, "aes-xts-plain64", 512);
	CHECK_FALSE(other.measured.has_value());
	CHECK(other.unmeasured_why == "the cached measurements chose aes-xts-plain64/256; this "
				      "volume uses aes-xts-plain64/512");
	const auto none = default_params({}, CacheKey{"6.18.0", "cpu", "0.1.0"}, 1000, false, "/n");
	CHECK(volume_flag_evidence(none, "aes-xts-plain64", 512).unmeasured_why ==
	      "no usable bench result");
}

TEST_CASE("no cache: the policy default, saying that nothing is cached")
{
	const auto d = default_params({}, CacheKey{"6.18.0", "cpu", "0.1.0"}, 1000, false, "/none");
	CHECK(d.choice.label() == "aes-xts-plain64/512");
	CHECK(d.source.kind == ParamSource::Kind::PolicyDefault);
	CHECK(d.source.detail ==
	      "policy default: no bench results cached for this host (cache /none)");
	CHECK(d.source.notes.empty());
	CHECK(source_kind_name(d.source.kind) == "policy_default");
}

TEST_CASE("an expired or other-host cache is ignored, with a note saying why")
{
	const auto cached = lab_cache();
	const auto key = key_of(cached);
	const auto old =
		default_params(cached, key, cached[1].created + kCacheMaxAge + 10, false, "/c");
	CHECK(old.choice.label() == "aes-xts-plain64/512");
	CHECK(old.source.kind == ParamSource::Kind::PolicyDefault);
	CHECK(contains(old.source.detail, "no usable bench result for this host in cache /c"));
	REQUIRE(old.source.notes.size() == 1);
	CHECK(contains(old.source.notes[0], "older than 7 days"));

	CacheKey other = key;
	other.kernel = "6.18.0-host";
	const auto foreign = default_params(cached, other, cached[1].created + 60, false, "/c");
	CHECK(foreign.source.kind == ParamSource::Kind::PolicyDefault);
	REQUIRE(foreign.source.notes.size() == 1);
	CHECK(contains(foreign.source.notes[0], "dmcrypt result of " + utc_date(cached[1].created) +
							" measured under another kernel release"));
	CHECK(contains(foreign.source.notes[0], "afalg result of"));
}

TEST_CASE("FIPS mode: the cached choice still passes the FIPS rule")
{
	const auto cached = lab_cache();
	const auto d = default_params(cached, key_of(cached), cached[1].created + 60, true, "/c");
	CHECK(d.choice.spec.cipher == "aes");
	CHECK(d.choice.spec.mode == "xts");
}
