#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "domain/crypto_driver.hpp"

using namespace luksfit::domain;

namespace {

std::string fixture(const char *name)
{
	std::ifstream in(std::string(LUKSFIT_FIXTURES) + "/proc-crypto/" + name);
	REQUIRE(in.good());
	std::stringstream ss;
	ss << in.rdbuf();
	return ss.str();
}

} // namespace

TEST_CASE("best_driver picks the highest-priority driver of an algorithm (host capture)")
{
	const std::string text = fixture("host-6.18-no-afalg.txt");
	// 'stdrng' has many drivers; the DRBG with priority 217 serves it.
	CHECK(best_driver(text, "stdrng") == "drbg_nopr_hmac_sha512");
	CHECK(best_driver(text, "cbc(aes)") == "cbc(ecb(aes-fixed-time))");
	// This kernel has no XTS: nothing serves it.
	CHECK(best_driver(text, "xts(aes)").empty());
}

TEST_CASE("best_driver: priority, not order, decides; failed self-tests are skipped")
{
	const std::string text = "name         : xts(aes)\n"
				 "driver       : xts(ecb(aes-generic))\n"
				 "priority     : 100\n"
				 "selftest     : passed\n"
				 "\n"
				 "name         : xts(aes)\n"
				 "driver       : broken-xts\n"
				 "priority     : 900\n"
				 "selftest     : failed\n"
				 "\n"
				 "name         : xts(aes)\n"
				 "driver       : xts-aes-aesni\n"
				 "priority     : 401\n";
	CHECK(best_driver(text, "xts(aes)") == "xts-aes-aesni");
	CHECK(best_driver("", "xts(aes)").empty());
}

TEST_CASE("best_driver on a lab kernel capture: AES-NI XTS beats the generic template")
{
	const std::string text = fixture("lab-6.1.0-56-stock.txt");
	CHECK(best_driver(text, "xts(aes)") == "xts-aes-aesni");
	CHECK(best_driver(text, "adiantum(xchacha12,aes)") ==
	      "adiantum(xchacha12-simd,aes-aesni,nhpoly1305-avx2)");
	CHECK(best_driver(text, "xts(serpent)") == "xts(ecb-serpent-avx2)");
}
