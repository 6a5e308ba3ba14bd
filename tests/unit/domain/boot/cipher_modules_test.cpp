#include <algorithm>

#include "catch_compat.hpp"

#include "domain/boot/cipher_modules.hpp"

using namespace luksfit;
using namespace luksfit::domain;

ModuleIndex lab_kernel_index(); // module_index_test.cpp: the lab kernel's real index

namespace {

ModuleResolution resolve(const ModuleIndex &index, const std::string &cipher)
{
	const auto spec = parse_cipher_spec(cipher);
	REQUIRE(spec);
	const auto needs = crypto_needs(*spec);
	REQUIRE(needs);
	return resolve_modules(index, {*needs});
}

std::vector<std::string> names(const std::vector<NeededModule> &list)
{
	std::vector<std::string> out;
	for (const auto &m : list)
		out.push_back(m.name);
	return out;
}

bool has(const std::vector<std::string> &list, const std::string &name)
{
	return std::find(list.begin(), list.end(), name) != list.end();
}

} // namespace

TEST_CASE("Adiantum needs its chacha, aes and nhpoly1305 parts (Debian's cryptroot misses them)")
{
	const auto r = resolve(lab_kernel_index(), "xchacha12,aes-adiantum-plain64");
	CHECK(r.missing.empty());
	CHECK(names(r.modules) ==
	      std::vector<std::string>{"dm_crypt", "dm_mod", "adiantum", "libpoly1305",
				       "chacha_x86_64", "libchacha", "chacha_generic",
				       "aesni_intel", "crypto_simd", "cryptd", "nhpoly1305_sse2",
				       "nhpoly1305", "nhpoly1305_avx2"});
	CHECK(names(r.builtin) == std::vector<std::string>{"aes_generic"});
	const auto &chacha = *std::find_if(r.modules.begin(), r.modules.end(), [](const auto &m) {
		return m.name == "chacha_generic";
	});
	CHECK(chacha.alias == "crypto-xchacha12");
	CHECK(chacha.reason == "component of adiantum(xchacha12,aes)");
	CHECK(chacha.path == "kernel/crypto/chacha_generic.ko");
	const auto &lib = *std::find_if(r.modules.begin(), r.modules.end(),
					[](const auto &m) { return m.name == "libchacha"; });
	CHECK(lib.required_by == "chacha_x86_64");
}

TEST_CASE("AES-XTS: xts, the ecb the generic template needs, aesni; aes_generic is built in")
{
	const auto r = resolve(lab_kernel_index(), "aes-xts-plain64");
	CHECK(names(r.modules) == std::vector<std::string>{"dm_crypt", "dm_mod", "xts",
							   "aesni_intel", "crypto_simd", "cryptd",
							   "ecb"});
	CHECK(r.missing.empty());
}

TEST_CASE("ESSIV pulls the essiv template and its hash; built-in parts are not listed")
{
	const auto r = resolve(lab_kernel_index(), "aes-cbc-essiv:sha256");
	const auto mods = names(r.modules);
	CHECK(has(mods, "essiv"));
	CHECK(has(mods, "sha256_ssse3"));
	CHECK_FALSE(has(mods, "cbc"));
	CHECK(names(r.builtin) == std::vector<std::string>{"cbc", "aes_generic", "sha256_generic"});
}

TEST_CASE("AF_ALG modules are never added (Debian's cryptroot adds algif_skcipher)")
{
	auto index = lab_kernel_index();
	// Even if a provider depended on AF_ALG, it would be left out and reported.
	index.deps["xts"].push_back("algif_skcipher");
	const auto r = resolve(index, "aes-xts-plain64");
	const auto mods = names(r.modules);
	CHECK_FALSE(has(mods, "algif_skcipher"));
	CHECK_FALSE(has(mods, "af_alg"));
	CHECK(r.excluded == std::vector<std::string>{"algif_skcipher", "af_alg"});
	CHECK(is_afalg_module("af_alg"));
	CHECK(is_afalg_module("algif_aead"));
	CHECK_FALSE(is_afalg_module("aesni_intel"));
}

TEST_CASE("a tree without a needed module reports it missing")
{
	auto index = lab_kernel_index();
	index.deps.erase("dm_crypt");
	std::erase_if(index.aliases, [](const auto &a) { return a.second == "adiantum"; });
	const auto r = resolve(index, "xchacha12,aes-adiantum-plain64");
	CHECK(r.missing == std::vector<std::string>{"dm_crypt", "crypto-adiantum"});
	CHECK_FALSE(has(names(r.modules), "adiantum"));
}

TEST_CASE("unknown ciphers, modes and IV generators are errors (exit 1)")
{
	for (const char *bad :
	     {"foo-xts-plain64", "aes-hctr3-plain64", "aes-cbc-frob", "aes-cbc-essiv"}) {
		INFO(bad);
		const auto spec = parse_cipher_spec(bad);
		REQUIRE(spec);
		const auto needs = crypto_needs(*spec);
		REQUIRE_FALSE(needs);
		CHECK(needs.error().code == ExitCode::Failed);
	}
}
