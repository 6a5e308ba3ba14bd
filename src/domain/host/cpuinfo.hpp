// /proc/cpuinfo: the CPU's model and the instruction set extensions that matter for disk
// encryption (x86 "flags", arm64 "Features").
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace luksfit::domain {

struct CpuInfo {
	std::string model;	     // "model name" (x86) or "CPU part"/"Hardware" fallback
	std::set<std::string> flags; // of the first processor
	unsigned processors = 0;
};

CpuInfo parse_cpuinfo(std::string_view text);

// The crypto-relevant extensions present, in a stable order: "aes", "vaes", "avx2", ...
std::vector<std::string> crypto_extensions(const CpuInfo &cpu);

} // namespace luksfit::domain
