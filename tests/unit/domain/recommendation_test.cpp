#include <catch2/catch.hpp>

#include "domain/recommendation.hpp"

using namespace luksfit::domain;

namespace {

Candidate c(const char *spec, unsigned bits)
{
	return Candidate{*parse_cipher_spec(spec), bits};
}

BenchReport dmcrypt_report(std::vector<double> base, std::vector<double> nowq_read,
			   std::vector<double> nowq_write)
{
	BenchReport r;
	r.engine = "dmcrypt";
	r.candidates = {
		CandidateResult{c("aes-xts-plain64", 512), true, "", "xts-aes-aesni", {base, base}},
		CandidateResult{c("serpent-xts-plain64", 512),
				true,
				"",
				"xts-serpent-avx2",
				{{20, 21, 19}, {20, 21, 19}}},
	};
	r.variants = {
		VariantResult{c("aes-xts-plain64", 512), 4096, false, true, "", {base, base}},
		VariantResult{
			c("aes-xts-plain64", 512), 4096, true, true, "", {nowq_write, nowq_read}},
	};
	return r;
}

} // namespace

TEST_CASE("no measurements: the preference order alone, and the basis says so")
{
	const Recommendation r = recommend(nullptr, "no measurements here", RecommendHostFacts{});
	REQUIRE(r.choice.has_value());
	CHECK(r.choice->label() == "aes-xts-plain64/512");
	CHECK(r.basis == "no measurements here");
	CHECK(r.reason.find("nothing was measured") != std::string::npos);
	CHECK(r.sector_size == 4096);
	CHECK(r.perf_flags.empty());
	CHECK(r.luks_format ==
	      "cryptsetup luksFormat --type luks2 --cipher aes-xts-plain64 --key-size 512 "
	      "--sector-size 4096 --pbkdf argon2id --iter-time 2000 --pbkdf-memory 1048576 "
	      "--pbkdf-parallel 4 DEVICE");
	CHECK(r.crypttab_options == "luks");
	CHECK_FALSE(r.keyslot_cipher.has_value());
}

TEST_CASE("workqueue flags only when the variant gained beyond the noise, per direction")
{
	// Reads gain 50 %, writes the same as the baseline.
	BenchReport rep = dmcrypt_report({40, 41, 39}, {60, 61, 59}, {40, 41, 40});
	Recommendation r = recommend(&rep, "measured", RecommendHostFacts{});
	REQUIRE(r.choice.has_value());
	CHECK(r.choice->label() == "aes-xts-plain64/512");
	CHECK(r.perf_flags == std::vector<std::string>{"no_read_workqueue"});
	CHECK(r.crypttab_options == "luks,no-read-workqueue");

	rep = dmcrypt_report({40, 50, 30}, {44, 54, 34}, {44, 54, 34}); // inside the noise
	r = recommend(&rep, "measured", RecommendHostFacts{});
	CHECK(r.perf_flags.empty());
	CHECK(r.flags_reason.find("no gain beyond the noise") != std::string::npos);

	// Rotational devices: never.
	rep = dmcrypt_report({40, 41, 39}, {60, 61, 59}, {60, 61, 59});
	RecommendHostFacts hdd;
	hdd.rotational = true;
	r = recommend(&rep, "measured", hdd);
	CHECK(r.perf_flags.empty());
	CHECK(r.flags_reason.find("rotational") != std::string::npos);

	// AF_ALG figures cannot show it.
	rep.engine = "afalg";
	r = recommend(&rep, "measured", RecommendHostFacts{});
	CHECK(r.perf_flags.empty());
}

TEST_CASE("kernel-only data ciphers get AES-XTS keyslots; FIPS restricts cipher and PBKDF")
{
	BenchReport rep;
	rep.engine = "afalg";
	rep.candidates = {
		CandidateResult{
			c("aes-xts-plain64", 512), true, "", "", {{40, 41, 39}, {40, 41, 39}}},
		CandidateResult{c("xchacha12,aes-adiantum-plain64", 256),
				true,
				"",
				"",
				{{90, 91, 89}, {90, 91, 89}}},
	};
	Recommendation r = recommend(&rep, "measured", RecommendHostFacts{});
	CHECK(r.choice->label() == "xchacha12,aes-adiantum-plain64/256");
	REQUIRE(r.keyslot_cipher.has_value());
	CHECK(r.keyslot_cipher->label() == "aes-xts-plain64/512");
	CHECK(r.luks_format.find("--keyslot-cipher aes-xts-plain64 --keyslot-key-size 512") !=
	      std::string::npos);

	RecommendHostFacts fips;
	fips.fips = true;
	r = recommend(&rep, "measured", fips);
	CHECK(r.choice->label() == "aes-xts-plain64/512");
	CHECK(r.pbkdf.type == "pbkdf2");
	CHECK(r.luks_format.find("--pbkdf pbkdf2 --hash sha256") != std::string::npos);
	CHECK(r.luks_format.find("argon2") == std::string::npos);
	const RankEntry *adiantum = r.ranking.find(1);
	REQUIRE(adiantum);
	CHECK(adiantum->status == RankStatus::Unsafe);
}

TEST_CASE("nothing safe and available: no choice")
{
	BenchReport rep;
	rep.engine = "afalg";
	rep.candidates = {CandidateResult{c("aes-xts-plain64", 512), false, "no xts", "", {}}};
	const Recommendation r = recommend(&rep, "measured", RecommendHostFacts{});
	CHECK_FALSE(r.choice.has_value());
	CHECK(r.luks_format.empty());
}

TEST_CASE("userspace keyslot capability follows FACTS.md")
{
	CHECK(assumed_userspace_keyslots(c("aes-xts-plain64", 256).spec));
	CHECK_FALSE(assumed_userspace_keyslots(c("serpent-xts-plain64", 512).spec));
	CHECK_FALSE(assumed_userspace_keyslots(c("xchacha20,aes-adiantum-plain64", 256).spec));
}
