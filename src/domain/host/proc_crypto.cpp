#include "domain/host/proc_crypto.hpp"

#include <array>
#include <charconv>

#include "util/text.hpp"

namespace luksfit::domain {
namespace {

void set_field(CryptoAlg &a, std::string_view key, std::string_view value)
{
	if (key == "name")
		a.name = value;
	else if (key == "driver")
		a.driver = value;
	else if (key == "module")
		a.module = value;
	else if (key == "type")
		a.type = value;
	else if (key == "priority")
		std::from_chars(value.data(), value.data() + value.size(), a.priority);
	else if (key == "internal")
		a.internal = value == "yes";
	else if (key == "selftest")
		a.selftest_passed = value == "passed";
}

bool contains(std::string_view hay, std::string_view needle)
{
	return hay.find(needle) != std::string_view::npos;
}

} // namespace

std::vector<CryptoAlg> parse_proc_crypto(std::string_view text)
{
	std::vector<CryptoAlg> algs;
	CryptoAlg cur;
	bool open = false;
	while (!text.empty()) {
		const auto nl = text.find('\n');
		const std::string_view line = text.substr(0, nl);
		text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
		const auto colon = line.find(':');
		if (util::trim(line).empty() || colon == std::string_view::npos) {
			if (open && !cur.name.empty())
				algs.push_back(std::move(cur));
			cur = CryptoAlg{};
			open = false;
			continue;
		}
		set_field(cur, util::trim(line.substr(0, colon)),
			  util::trim(line.substr(colon + 1)));
		open = true;
	}
	if (open && !cur.name.empty())
		algs.push_back(std::move(cur));
	return algs;
}

std::optional<CryptoAlg> best_cipher_driver(const std::vector<CryptoAlg> &algs,
					    std::string_view name)
{
	std::optional<CryptoAlg> best;
	for (const CryptoAlg &a : algs) {
		if (a.name != name || a.internal || !a.selftest_passed)
			continue;
		if (a.type != "skcipher" && a.type != "lskcipher")
			continue;
		if (!best || a.priority > best->priority)
			best = a;
	}
	return best;
}

Acceleration classify_driver(const CryptoAlg &alg)
{
	// Drivers of crypto engines outside the CPU, by module or driver name prefix.
	static constexpr std::array<std::string_view, 16> kOffCpu = {
		"ccp",		 "qat",	      "caam",  "hisi",	   "talitos", "mv_cesa",
		"marvell",	 "omap",      "atmel", "safexcel", "sun8i",   "stm32",
		"virtio_crypto", "crypto4xx", "nx_",   "sahara",
	};
	for (const auto p : kOffCpu)
		if (alg.module.starts_with(p) || alg.driver.starts_with(p) ||
		    contains(alg.driver, std::string("-") + std::string(p)))
			return Acceleration::OffCpu;
	// CPU instruction set extensions, as the x86 and arm64 drivers name themselves.
	static constexpr std::array<std::string_view, 10> kCpu = {
		"aesni", "vaes", "avx", "sse", "ssse3", "simd", "-ce", "_ce", "neon", "clmul",
	};
	for (const auto p : kCpu)
		if (contains(alg.driver, p) || contains(alg.module, p))
			return Acceleration::CpuInstructions;
	return Acceleration::Generic;
}

const char *acceleration_name(Acceleration a)
{
	switch (a) {
	case Acceleration::CpuInstructions:
		return "cpu-instructions";
	case Acceleration::OffCpu:
		return "off-cpu";
	case Acceleration::Generic:
		return "generic";
	}
	return "generic";
}

} // namespace luksfit::domain
