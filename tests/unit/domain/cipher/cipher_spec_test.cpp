#include "catch_compat.hpp"

#include "domain/cipher/cipher_spec.hpp"

using namespace luksfit;
using namespace luksfit::domain;

TEST_CASE("cryptsetup cipher strings parse into cipher, mode and IV")
{
	const auto xts = parse_cipher_spec("aes-xts-plain64");
	REQUIRE(xts);
	CHECK(xts->cipher == "aes");
	CHECK(xts->mode == "xts");
	CHECK(xts->iv == "plain64");
	CHECK(xts->text() == "aes-xts-plain64");

	const auto adiantum = parse_cipher_spec("xchacha12,aes-adiantum-plain64");
	REQUIRE(adiantum);
	CHECK(adiantum->cipher == "xchacha12,aes");
	CHECK(adiantum->mode == "adiantum");
	CHECK(kernel_algorithm(*adiantum) == "adiantum(xchacha12,aes)");

	const auto essiv = parse_cipher_spec("aes-cbc-essiv:sha256");
	REQUIRE(essiv);
	CHECK(essiv->iv == "essiv:sha256");
	CHECK(iv_generator(*essiv) == "essiv");

	const auto ecb = parse_cipher_spec("aes-ecb");
	REQUIRE(ecb);
	CHECK(ecb->iv.empty());
	CHECK(ecb->text() == "aes-ecb");
}

TEST_CASE("malformed cipher strings are rejected with a reason")
{
	for (const char *bad : {"", "aes", "aes-", "aes-xts-", "AES-XTS-plain64", "aes xts",
				"capi:xts(aes)-plain64"}) {
		const auto r = parse_cipher_spec(bad);
		INFO(bad);
		CHECK_FALSE(r);
		CHECK(r.error().code == ExitCode::Failed);
		CHECK(r.error().message.find("invalid cipher specification") != std::string::npos);
	}
}

TEST_CASE("block size and key strength")
{
	CHECK(block_bits(*parse_cipher_spec("aes-xts-plain64")) == 128);
	CHECK(block_bits(*parse_cipher_spec("blowfish-cbc-essiv:sha256")) == 64);
	CHECK(block_bits(*parse_cipher_spec("des3_ede-cbc-plain")) == 64);
	CHECK(block_bits(*parse_cipher_spec("frobnicate-xts-plain64")) == 0);
	// XTS uses half the key for the tweak.
	CHECK(key_strength_bits(*parse_cipher_spec("aes-xts-plain64"), 512) == 256);
	CHECK(key_strength_bits(*parse_cipher_spec("aes-cbc-essiv:sha256"), 256) == 256);
}
