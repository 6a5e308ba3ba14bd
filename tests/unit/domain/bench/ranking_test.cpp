#include "catch_compat.hpp"

#include "domain/bench/ranking.hpp"

using namespace luksfit::domain;

namespace {

Candidate c(const char *spec, unsigned bits)
{
	return Candidate{*parse_cipher_spec(spec), bits};
}

CandidateResult measured(const char *spec, unsigned bits, std::vector<double> enc,
			 std::vector<double> dec)
{
	return CandidateResult{c(spec, bits), true, "", "drv",
			       Series{std::move(enc), std::move(dec)}};
}

const RankEntry &entry(const Ranking &r, std::size_t index)
{
	const RankEntry *e = r.find(index);
	REQUIRE(e != nullptr);
	return *e;
}

} // namespace

TEST_CASE("the fastest wins when beyond the noise of all others")
{
	const std::vector<CandidateResult> in = {
		measured("aes-xts-plain64", 512, {100, 101, 99}, {100, 101, 99}),
		measured("xchacha12,aes-adiantum-plain64", 256, {150, 151, 149}, {150, 152, 149}),
		measured("serpent-xts-plain64", 512, {50, 51, 49}, {50, 51, 49}),
	};
	const Ranking r = rank(in, false);
	REQUIRE(r.winner.has_value());
	CHECK(*r.winner == 1);
	CHECK(r.entries.front().status == RankStatus::Winner);
	CHECK(r.entries.front().reason.find("fastest") != std::string::npos);
	CHECK(entry(r, 0).status == RankStatus::Slower);
	CHECK(entry(r, 0).reason.find("slower: 100 MiB/s vs 150 MiB/s") != std::string::npos);
	// Order after the winner: by median.
	CHECK(r.entries[1].index == 0);
	CHECK(r.entries[2].index == 2);
}

TEST_CASE("inside the noise, the policy's preference order breaks the tie")
{
	// Adiantum is nominally faster, but within the spread: AES-XTS-512 comes first.
	const std::vector<CandidateResult> in = {
		measured("xchacha12,aes-adiantum-plain64", 256, {104, 90, 118}, {104, 90, 118}),
		measured("aes-xts-plain64", 512, {100, 85, 115}, {100, 85, 115}),
		measured("aes-xts-plain64", 256, {101, 86, 116}, {101, 86, 116}),
	};
	const Ranking r = rank(in, false);
	REQUIRE(r.winner.has_value());
	CHECK(*r.winner == 1);
	CHECK(entry(r, 0).status == RankStatus::Tied);
	CHECK(entry(r, 0).reason.find("within the measured noise") != std::string::npos);
	CHECK(entry(r, 0).reason.find("aes-xts-plain64/512 comes first") != std::string::npos);
	CHECK(entry(r, 2).status == RankStatus::Tied);
	CHECK(r.entries.front().reason.find("policy's preference order") != std::string::npos);
	const auto key = r.key();
	REQUIRE(key.size() == 1);
	CHECK(key[0] == std::vector<std::size_t>{1});
}

TEST_CASE("unsafe and unavailable candidates lose with their reason, whatever their speed")
{
	std::vector<CandidateResult> in = {
		measured("aes-ecb", 256, {900}, {900}),
		measured("aes-xts-plain64", 512, {100}, {100}),
		CandidateResult{c("serpent-xts-plain64", 512),
				false,
				"the kernel has no xts(serpent)",
				"",
				{}},
		measured("twofish-xts-plain64", 512, {300}, {300}),
	};
	Ranking r = rank(in, false);
	CHECK(*r.winner == 3);
	CHECK(entry(r, 0).status == RankStatus::Unsafe);
	CHECK(entry(r, 0).reason.find("never chosen: ECB") != std::string::npos);
	CHECK(entry(r, 2).status == RankStatus::Unavailable);
	CHECK(entry(r, 2).reason.find("xts(serpent)") != std::string::npos);
	CHECK(r.entries.back().index == 0); // unsafe last

	// FIPS: only AES-XTS may win, even when slower.
	r = rank(in, true);
	CHECK(*r.winner == 1);
	CHECK(entry(r, 3).status == RankStatus::Unsafe);
	CHECK(entry(r, 3).reason.find("FIPS") != std::string::npos);
}

TEST_CASE("each policy rule rejects a measured candidate in the ranking")
{
	const std::vector<std::pair<const char *, unsigned>> bad = {
		{"cipher_null-ecb", 256},	    {"aes-ecb", 256},
		{"des3_ede-cbc-essiv:sha256", 192}, {"blowfish-cbc-essiv:sha256", 256},
		{"aes-cbc-plain64", 256},	    {"aes-xts-plain", 512},
		{"aes-xts-plain64", 128},	    {"xchacha12,aes-adiantum-plain64", 128},
	};
	for (const auto &[spec, bits] : bad) {
		INFO(spec << "/" << bits);
		const std::vector<CandidateResult> in = {
			measured(spec, bits, {999}, {999}),
			measured("aes-xts-plain64", 512, {10}, {10})};
		const Ranking r = rank(in, false);
		CHECK(*r.winner == 1);
		CHECK(entry(r, 0).status == RankStatus::Unsafe);
	}
}

TEST_CASE("nothing measured: no winner")
{
	const std::vector<CandidateResult> in = {
		CandidateResult{c("aes-xts-plain64", 512), false, "no AF_ALG", "", {}}};
	const Ranking r = rank(in, false);
	CHECK_FALSE(r.winner.has_value());
	CHECK(r.key().empty());
	CHECK(r.entries.size() == 1);
	CHECK(format_mibs(1234.4) == "1234");
	CHECK(format_mibs(41.26) == "41.3");
}
