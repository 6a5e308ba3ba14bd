#include "catch_compat.hpp"

#include "domain/cipher/policy.hpp"

using namespace luksfit::domain;

namespace {

Candidate c(const char *spec, unsigned bits)
{
	return Candidate{*parse_cipher_spec(spec), bits};
}

bool allowed(const char *spec, unsigned bits, bool fips = false)
{
	return !safety_violation(c(spec, bits), fips).has_value();
}

std::string why(const char *spec, unsigned bits, bool fips = false)
{
	return safety_violation(c(spec, bits), fips).value_or("");
}

} // namespace

TEST_CASE("every default candidate passes the rules, in docs/policy.md's preference order")
{
	const auto &list = default_candidates();
	REQUIRE(list.size() == 6);
	CHECK(list[0].label() == "aes-xts-plain64/512");
	CHECK(list[1].label() == "aes-xts-plain64/256");
	CHECK(list[2].label() == "xchacha12,aes-adiantum-plain64/256");
	CHECK(list[4].label() == "serpent-xts-plain64/512");
	CHECK(list[5].label() == "twofish-xts-plain64/512");
	for (std::size_t i = 0; i < list.size(); ++i) {
		INFO(list[i].label());
		CHECK_FALSE(safety_violation(list[i], false).has_value());
		CHECK(preference_rank(list[i]) == static_cast<int>(i));
	}
	CHECK(preference_rank(c("aes-cbc-essiv:sha256", 256)) == 6);
}

TEST_CASE("each safety rule rejects what docs/policy.md says is never chosen")
{
	CHECK(why("cipher_null-ecb", 0).find("null cipher") != std::string::npos);
	CHECK(why("aes-ecb", 256).find("ECB") != std::string::npos);
	CHECK(why("aes-cbc-plain", 256).find("CBC with a predictable IV") != std::string::npos);
	CHECK(why("aes-cbc-plain64", 256).find("CBC with a predictable IV") != std::string::npos);
	CHECK(why("aes-cbc-null", 256).find("CBC with a predictable IV") != std::string::npos);
	CHECK(why("des3_ede-cbc-essiv:sha256", 192).find("64-bit block") != std::string::npos);
	CHECK(why("blowfish-cbc-essiv:sha256", 256).find("64-bit block") != std::string::npos);
	CHECK(why("cast5-cbc-essiv:sha256", 128).find("64-bit block") != std::string::npos);
	CHECK(why("aes-xts-plain64", 128).find("under the 128-bit minimum") != std::string::npos);
	CHECK(why("aes-cbc-essiv:sha256", 64).find("under the 128-bit minimum") !=
	      std::string::npos);
	CHECK(why("aes-xts-plain", 512).find("plain64") != std::string::npos);
	CHECK(why("xchacha12,aes-adiantum-plain64", 512).find("256-bit") != std::string::npos);
	CHECK(why("frob-xts-plain64", 512).find("unknown cipher") != std::string::npos);
	CHECK(why("aes-ctr-plain64", 256).find("chaining mode") != std::string::npos);
}

TEST_CASE("safe non-default choices stay allowed")
{
	CHECK(allowed("aes-cbc-essiv:sha256", 256));
	CHECK(allowed("aes-xts-plain64", 384));
	CHECK(allowed("camellia-xts-plain64", 512));
}

TEST_CASE("FIPS mode allows AES-XTS only")
{
	CHECK(allowed("aes-xts-plain64", 512, true));
	CHECK(allowed("aes-xts-plain64", 256, true));
	CHECK(why("xchacha12,aes-adiantum-plain64", 256, true).find("FIPS") != std::string::npos);
	CHECK(why("serpent-xts-plain64", 512, true).find("FIPS") != std::string::npos);
	CHECK(why("aes-cbc-essiv:sha256", 256, true).find("FIPS") != std::string::npos);
}

TEST_CASE("the keyslot fallback is aes-xts-plain64 with a 512-bit key")
{
	CHECK(fallback_keyslot_cipher().label() == "aes-xts-plain64/512");
}
