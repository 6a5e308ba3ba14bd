#include "catch_compat.hpp"

#include "domain/host/proc_crypto.hpp"
#include "fixture.hpp"

using namespace luksfit::domain;

TEST_CASE("parse /proc/crypto of the build host (6.18, no AF_ALG, no xts)")
{
	const auto algs = parse_proc_crypto(fixture("host-6.18/proc_crypto"));
	CHECK(algs.size() == 56);
	const auto cbc = best_cipher_driver(algs, "cbc(aes)");
	REQUIRE(cbc);
	CHECK(cbc->driver == "cbc(ecb(aes-fixed-time))");
	CHECK(cbc->type == "lskcipher");
	CHECK(cbc->priority == 101);
	CHECK(cbc->module == "kernel");
	CHECK(classify_driver(*cbc) == Acceleration::Generic);
	CHECK_FALSE(best_cipher_driver(algs, "xts(aes)"));
	CHECK_FALSE(best_cipher_driver(algs, "sha256")); // a hash, not a cipher
}

TEST_CASE("the highest-priority, non-internal, self-tested implementation wins")
{
	const auto algs = parse_proc_crypto(
		"name : xts(aes)\ndriver : xts-aes-generic\n"
		"module : kernel\npriority : 100\ntype : skcipher\n\n"
		"name : xts(aes)\ndriver : __xts-aes-aesni\nmodule : aesni_intel\n"
		"priority : 401\ntype : skcipher\ninternal : yes\n\n"
		"name : xts(aes)\ndriver : xts-aes-vaes-avx2\nmodule : aesni_intel\n"
		"priority : 600\ntype : skcipher\nselftest : unknown\n\n"
		"name : xts(aes)\ndriver : xts-aes-aesni\nmodule : aesni_intel\n"
		"priority : 401\ntype : skcipher\nselftest : passed\n");
	REQUIRE(algs.size() == 4);
	const auto best = best_cipher_driver(algs, "xts(aes)");
	REQUIRE(best);
	CHECK(best->driver == "xts-aes-aesni");
	CHECK(classify_driver(*best) == Acceleration::CpuInstructions);
}

TEST_CASE("drivers are classified by what their names say")
{
	auto cls = [](const char *driver, const char *module) {
		return classify_driver(CryptoAlg{"x", driver, module, "skcipher", 1, false, true});
	};
	CHECK(cls("adiantum(xchacha12-simd,aes-aesni,nhpoly1305-avx2)", "adiantum") ==
	      Acceleration::CpuInstructions);
	CHECK(cls("xts-aes-ce", "aes_ce_blk") == Acceleration::CpuInstructions);
	CHECK(cls("serpent-xts-avx2", "serpent_avx2") == Acceleration::CpuInstructions);
	CHECK(cls("xts-aes-ccp", "ccp_crypto") == Acceleration::OffCpu);
	CHECK(cls("qat_aes_xts", "intel_qat") == Acceleration::OffCpu);
	CHECK(cls("xts(ecb(aes-generic))", "kernel") == Acceleration::Generic);
	CHECK(cls("adiantum(xchacha12-generic,aes-generic,nhpoly1305-generic)", "adiantum") ==
	      Acceleration::Generic);
	CHECK(std::string(acceleration_name(Acceleration::OffCpu)) == "off-cpu");
}

TEST_CASE("lab stock 6.1.192 under TCG -cpu max: AES-NI, AVX2 and SIMD drivers win")
{
	const auto algs = parse_proc_crypto(fixture("lab-stock/proc_crypto"));
	CHECK(algs.size() == 90);
	const auto xts = best_cipher_driver(algs, "xts(aes)");
	REQUIRE(xts);
	CHECK(xts->driver == "xts-aes-aesni"); // 401 beats the xts(ecb-aes-aesni) template, 400
	CHECK(xts->module == "aesni_intel");
	CHECK(classify_driver(*xts) == Acceleration::CpuInstructions);
	const auto adiantum = best_cipher_driver(algs, "adiantum(xchacha12,aes)");
	REQUIRE(adiantum);
	CHECK(adiantum->driver == "adiantum(xchacha12-simd,aes-aesni,nhpoly1305-avx2)");
	CHECK(classify_driver(*adiantum) == Acceleration::CpuInstructions);
	const auto twofish = best_cipher_driver(algs, "xts(twofish)");
	REQUIRE(twofish);
	CHECK(twofish->driver == "xts(ecb-twofish-avx)");
}

TEST_CASE("lab no-afalg: nothing autoloaded the candidates' drivers")
{
	const auto algs = parse_proc_crypto(fixture("lab-no-afalg/proc_crypto"));
	CHECK(algs.size() == 21);
	CHECK_FALSE(best_cipher_driver(algs, "xts(aes)"));
	CHECK_FALSE(best_cipher_driver(algs, "adiantum(xchacha12,aes)"));
}

TEST_CASE("lab old 6.1.170 and no-dmcrypt list the same drivers as stock")
{
	for (const char *v : {"lab-old/proc_crypto", "lab-no-dmcrypt/proc_crypto"}) {
		INFO(v);
		const auto algs = parse_proc_crypto(fixture(v));
		const auto xts = best_cipher_driver(algs, "xts(aes)");
		REQUIRE(xts);
		CHECK(xts->driver == "xts-aes-aesni");
	}
}
