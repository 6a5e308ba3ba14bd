#include <algorithm>

#include "catch_compat.hpp"

#include "domain/host/cpuinfo.hpp"
#include "fixture.hpp"

using namespace luksfit::domain;

TEST_CASE("parse /proc/cpuinfo of the build host (AMD EPYC, 2 vCPUs)")
{
	const auto cpu = parse_cpuinfo(fixture("host-6.18/cpuinfo"));
	CHECK(cpu.processors == 2);
	CHECK(cpu.model == "AMD EPYC");
	CHECK(cpu.flags.count("aes"));
	CHECK(cpu.flags.count("avx2"));
	CHECK_FALSE(cpu.flags.count("avx512f"));
	const auto ext = crypto_extensions(cpu);
	CHECK(ext == std::vector<std::string>{"aes", "vaes", "pclmulqdq", "vpclmulqdq", "ssse3",
					      "avx", "avx2", "sha_ni"});
}

TEST_CASE("arm64 cpuinfo: Features carry the ARMv8 crypto extensions")
{
	const auto cpu = parse_cpuinfo("processor\t: 0\nBogoMIPS\t: 48.00\n"
				       "Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32\n"
				       "CPU part\t: 0xd08\n\nprocessor\t: 1\n"
				       "Features\t: fp asimd\n");
	CHECK(cpu.processors == 2);
	CHECK(crypto_extensions(cpu) == std::vector<std::string>{"aes", "pmull", "sha2", "asimd"});
}

TEST_CASE("lab guest cpuinfo: qemu TCG -cpu max emulates AES-NI, VAES and AVX2, one vCPU")
{
	for (const char *v : {"lab-stock/cpuinfo", "lab-old/cpuinfo", "lab-no-afalg/cpuinfo"}) {
		INFO(v);
		const auto cpu = parse_cpuinfo(fixture(v));
		CHECK(cpu.model == "QEMU TCG CPU version 2.5+");
		CHECK(cpu.processors == 1);
		const auto ext = crypto_extensions(cpu);
		CHECK(std::find(ext.begin(), ext.end(), "aes") != ext.end());
		CHECK(std::find(ext.begin(), ext.end(), "vaes") != ext.end());
		CHECK(std::find(ext.begin(), ext.end(), "avx2") != ext.end());
		CHECK(std::find(ext.begin(), ext.end(), "avx512f") == ext.end());
	}
}
