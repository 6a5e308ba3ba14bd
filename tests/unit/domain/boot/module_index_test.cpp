#include <fstream>
#include <sstream>

#include "catch_compat.hpp"

#include "domain/boot/module_index.hpp"

using namespace luksfit::domain;

namespace {

std::string fixture(const std::string &name)
{
	std::ifstream in(std::string(LUKSFIT_FIXTURES) + "/modules/6.1.0-56-cloud-amd64/" + name,
			 std::ios::binary);
	REQUIRE(in);
	std::ostringstream s;
	s << in.rdbuf();
	return s.str();
}

} // namespace

ModuleIndex lab_kernel_index();
ModuleIndex lab_kernel_index()
{
	ModuleIndex index;
	parse_modules_dep(fixture("modules.dep"), index);
	parse_modules_alias(fixture("modules.alias"), index);
	parse_modules_builtin(fixture("modules.builtin"), index);
	parse_modules_builtin_modinfo(fixture("modules.builtin.modinfo"), index);
	return index;
}

TEST_CASE("module names are normalised as modprobe does")
{
	CHECK(module_name("kernel/drivers/md/dm-crypt.ko") == "dm_crypt");
	CHECK(module_name("kernel/arch/x86/crypto/nhpoly1305-avx2.ko.xz") == "nhpoly1305_avx2");
	CHECK(module_name("chacha-x86_64") == "chacha_x86_64");
}

TEST_CASE("modules.dep of the lab's 6.1 kernel: paths and dependencies")
{
	const auto index = lab_kernel_index();
	REQUIRE(index.loadable("dm_crypt"));
	CHECK(index.paths.at("dm_crypt") == "kernel/drivers/md/dm-crypt.ko");
	CHECK(index.deps.at("dm_crypt") == std::vector<std::string>{"dm_mod"});
	CHECK(index.deps.at("xts").empty());
	CHECK(index.deps.at("nhpoly1305_avx2") ==
	      std::vector<std::string>{"nhpoly1305", "libpoly1305"});
	CHECK(dependency_closure(index, "twofish_avx_x86_64") ==
	      std::vector<std::string>{"twofish_avx_x86_64", "crypto_simd", "cryptd",
				       "twofish_x86_64_3way", "twofish_x86_64", "twofish_common"});
}

TEST_CASE("modules.alias: every provider of an algorithm, generic and accelerated")
{
	const auto index = lab_kernel_index();
	CHECK(alias_providers(index, "crypto-xchacha12") ==
	      std::vector<std::string>{"chacha_x86_64", "chacha_generic"});
	CHECK(alias_providers(index, "crypto-nhpoly1305") ==
	      std::vector<std::string>{"nhpoly1305_sse2", "nhpoly1305_avx2", "nhpoly1305"});
	// aes_generic is built in: only the accelerated driver is in modules.alias.
	CHECK(alias_providers(index, "crypto-aes") == std::vector<std::string>{"aesni_intel"});
	CHECK(alias_providers(index, "crypto-nosuch").empty());
	CHECK(alias_providers(index, "net-pf-38") == std::vector<std::string>{"af_alg"});
}

TEST_CASE("modules.builtin and its modinfo aliases")
{
	const auto index = lab_kernel_index();
	CHECK(index.is_builtin("aes_generic"));
	CHECK(index.is_builtin("cbc"));
	CHECK_FALSE(index.is_builtin("xts"));
	CHECK(builtin_providers(index, "crypto-aes") == std::vector<std::string>{"aes_generic"});
	CHECK(builtin_providers(index, "crypto-sha256") ==
	      std::vector<std::string>{"sha256_generic"});
	CHECK(builtin_providers(index, "crypto-xts").empty());
}

TEST_CASE("malformed index lines are ignored")
{
	ModuleIndex index;
	parse_modules_dep("no colon here\n\n: empty\nkernel/a.ko: kernel/b.ko  kernel/c-d.ko\n",
			  index);
	CHECK(index.deps.size() == 1);
	CHECK(index.deps.at("a") == std::vector<std::string>{"b", "c_d"});
	parse_modules_alias("# comment\nalias onlyone\nalias crypto-x* xmod\n", index);
	CHECK(alias_providers(index, "crypto-xyz") == std::vector<std::string>{"xmod"});
	parse_modules_builtin_modinfo(std::string("m.alias=a\0m.description=x\0nodot\0", 26),
				      index);
	CHECK(builtin_providers(index, "a") == std::vector<std::string>{"m"});
}
