#include "catch_compat.hpp"

#include "domain/bench/recommendation.hpp"

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

// A host whose dm-crypt (Debian 6.1's 1.24.0) supports both flags.
RecommendHostFacts dmcrypt_host()
{
	RecommendHostFacts h;
	h.dm_crypt = TargetVersion{1, 24, 0};
	return h;
}

RecommendDevice device(const char *path, bool rotational, unsigned logical, unsigned physical)
{
	return RecommendDevice{path, "sdb", "sdb", rotational, logical, physical};
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
	Recommendation r = recommend(&rep, "measured", dmcrypt_host());
	REQUIRE(r.choice.has_value());
	CHECK(r.choice->label() == "aes-xts-plain64/512");
	CHECK(r.perf_flags == std::vector<std::string>{"no_read_workqueue"});
	CHECK(r.crypttab_options == "luks,no-read-workqueue");

	rep = dmcrypt_report({40, 50, 30}, {44, 54, 34}, {44, 54, 34}); // inside the noise
	r = recommend(&rep, "measured", dmcrypt_host());
	CHECK(r.perf_flags.empty());
	CHECK(r.flags_reason ==
	      "none: bypassing the workqueues showed no gain beyond the measured noise");

	// Rotational devices: never.
	rep = dmcrypt_report({40, 41, 39}, {60, 61, 59}, {60, 61, 59});
	RecommendHostFacts hdd = dmcrypt_host();
	hdd.device = device("/dev/sdb", true, 512, 4096);
	r = recommend(&rep, "measured", hdd);
	CHECK(r.perf_flags.empty());
	CHECK(r.flags_reason ==
	      "none: the device is rotational, where bypassing the workqueues does not pay");
	CHECK(r.crypttab_options == "luks");

	// The same figures on a non-rotational device: both flags, and the reason names it.
	RecommendHostFacts ssd = dmcrypt_host();
	ssd.device = device("/dev/nvme0n1", false, 512, 512);
	r = recommend(&rep, "measured", ssd);
	CHECK(r.perf_flags == std::vector<std::string>{"no_read_workqueue", "no_write_workqueue"});
	CHECK(r.flags_reason == "bypassing the workqueues was faster beyond the measured noise; "
				"the device is not rotational");

	// AF_ALG figures cannot show it: the dm-crypt target decides, and the reason says so.
	rep.engine = "afalg";
	r = recommend(&rep, "measured", dmcrypt_host());
	CHECK(r.perf_flags == std::vector<std::string>{"no_read_workqueue", "no_write_workqueue"});
	CHECK(r.flags_reason == "dm-crypt 1.24.0 supports them; not measured (only dm-crypt "
				"measurements can show a gain from them)");
	CHECK_FALSE(r.flags_evidence.measured.has_value());
}

TEST_CASE("measured flags the kernel's dm-crypt cannot apply are left out, and the reason says so")
{
	const BenchReport rep = dmcrypt_report({40, 41, 39}, {60, 61, 59}, {60, 61, 59});
	RecommendHostFacts old = dmcrypt_host();
	old.dm_crypt = TargetVersion{1, 21, 0};
	const Recommendation r = recommend(&rep, "measured", old);
	REQUIRE(r.flags_evidence.measured.has_value());
	CHECK(r.flags_evidence.measured->flags.size() == 2);
	CHECK(r.perf_flags.empty());
	CHECK(r.flags_reason ==
	      "none: bypassing the workqueues was faster beyond the measured noise; left out "
	      "no_read_workqueue no_write_workqueue: dm-crypt 1.21.0 does not support them");
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

TEST_CASE("userspace keyslot capability follows docs/compatibility.md")
{
	CHECK(assumed_userspace_keyslots(c("aes-xts-plain64", 256).spec));
	CHECK_FALSE(assumed_userspace_keyslots(c("serpent-xts-plain64", 512).spec));
	CHECK_FALSE(assumed_userspace_keyslots(c("xchacha20,aes-adiantum-plain64", 256).spec));
}

TEST_CASE("reasons do not repeat the value they explain")
{
	const Recommendation r = recommend(nullptr, "no measurements here", RecommendHostFacts{});
	CHECK(r.sector_reason == "fewer, larger crypto requests; the policy's default");
	CHECK(r.flags_reason == "none: the dm-crypt target version is unknown here; not measured "
				"(only dm-crypt measurements can show a gain from them)");
	BenchReport rep = dmcrypt_report({40, 50, 30}, {44, 54, 34}, {44, 54, 34});
	const Recommendation m = recommend(&rep, "measured", RecommendHostFacts{});
	CHECK(m.flags_reason ==
	      "none: bypassing the workqueues showed no gain beyond the measured noise");
	rep.variants.pop_back();
	CHECK(recommend(&rep, "measured", dmcrypt_host()).flags_reason ==
	      "dm-crypt 1.24.0 supports them; not measured (the workqueue variants of "
	      "aes-xts-plain64/512 were not measured)");
}

TEST_CASE("--device: kept in the recommendation, its logical sector steers the sector size")
{
	CHECK_FALSE(recommend(nullptr, "", RecommendHostFacts{}).device.has_value());

	RecommendHostFacts h;
	h.device = device("/dev/sdb", false, 512, 4096);
	Recommendation r = recommend(nullptr, "", h);
	REQUIRE(r.device.has_value());
	CHECK(r.device->path == "/dev/sdb");
	CHECK(r.device->physical_sector == 4096);
	CHECK(r.sector_size == 4096);
	CHECK(r.sector_reason == "fewer, larger crypto requests; the policy's default; the "
				 "device's 512-byte logical sectors allow it");

	h.device = device("/dev/sdc", false, 8192, 8192);
	r = recommend(nullptr, "", h);
	CHECK(r.sector_size == 8192);
	CHECK(r.sector_reason == "the device's logical sector size, larger than the policy's 4096");
	CHECK(r.luks_format.find("--sector-size 8192") != std::string::npos);

	// Nothing measured and the target's version unknown: no flags, and the reason says why.
	CHECK(r.perf_flags.empty());
	CHECK(r.flags_reason.find("; not measured (only dm-crypt") != std::string::npos);
	// A rotational device rules them out even without measurements.
	h = dmcrypt_host();
	h.device = device("/dev/sdd", true, 512, 512);
	r = recommend(nullptr, "", h);
	CHECK(r.perf_flags.empty());
	CHECK(r.flags_reason.find("none: the device is rotational") == 0);
}
