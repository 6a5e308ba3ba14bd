#include "domain/host/cpuinfo.hpp"

#include <array>

#include "util/text.hpp"

namespace luksfit::domain {
namespace {

void add_words(std::set<std::string> &out, std::string_view words)
{
	while (!words.empty()) {
		const auto sp = words.find(' ');
		const auto w = words.substr(0, sp);
		if (!w.empty())
			out.emplace(w);
		if (sp == std::string_view::npos)
			break;
		words.remove_prefix(sp + 1);
	}
}

} // namespace

CpuInfo parse_cpuinfo(std::string_view text)
{
	CpuInfo cpu;
	bool have_flags = false;
	while (!text.empty()) {
		const auto nl = text.find('\n');
		const std::string_view line = text.substr(0, nl);
		text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
		const auto colon = line.find(':');
		if (colon == std::string_view::npos)
			continue;
		const auto key = util::trim(line.substr(0, colon));
		const auto value = util::trim(line.substr(colon + 1));
		if (key == "processor")
			++cpu.processors;
		else if ((key == "model name" || key == "Hardware") && cpu.model.empty())
			cpu.model = value;
		else if ((key == "flags" || key == "Features") && !have_flags) {
			add_words(cpu.flags, value);
			have_flags = true;
		}
	}
	return cpu;
}

std::vector<std::string> crypto_extensions(const CpuInfo &cpu)
{
	// x86: AES-NI, VAES, carry-less multiply, vector units, SHA; arm64: ARMv8 CE and NEON.
	static constexpr std::array<const char *, 13> kRelevant = {
		"aes",	   "vaes",   "pclmulqdq", "vpclmulqdq", "ssse3", "avx",	 "avx2",
		"avx512f", "sha_ni", "pmull",	  "sha2",	"asimd", "neon",
	};
	std::vector<std::string> out;
	for (const char *f : kRelevant)
		if (cpu.flags.count(f))
			out.emplace_back(f);
	return out;
}

} // namespace luksfit::domain
