// The LUKS2 parameter options format and validate share (so validate tests exactly what
// format would write), and the conversions between the plan and libcryptsetup's terms.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "domain/format/format_plan.hpp"
#include "domain/volume/luks_volume.hpp"
#include "system/luks/crypt_device.hpp"

namespace luksfit::flows {

struct ParamOptions {
	domain::FormatRequest request;
	// Unset (and no --sector-size): recommend's choice from the bench cache, else the policy's.
	std::optional<std::string> cipher;
	std::optional<unsigned> key_bits;
	std::string cache; // the bench cache consulted for defaults
	std::optional<unsigned> sector_size;
	std::optional<std::string> pbkdf;
	bool no_perf_flags = false;
};

// The request with the optional values folded in; without --cipher/--key-size/--sector-size
// the cipher and key size come from a usable cached bench result (recommend's choice), else
// from the policy default, and request.source says which.
domain::FormatRequest to_request(const ParamOptions &o);

// open and crypttab: the flags for a volume in `cipher`/`key_bits`, decided as recommend and
// format decide them: the cached measurements' flags when they chose this cipher, else the
// dm-crypt target's, the reason saying why.
domain::PerfFlagChoice volume_perf_flags(const std::string &cache, const std::string &cipher,
					 unsigned key_bits);

// crypt_format's terms for a plan.
sys::LuksFormatParams luks_params(const domain::FormatPlan &plan);

// CRYPT_ACTIVATE_* bits of the plan's performance flags.
std::uint32_t activation_flags(const domain::FormatPlan &plan);

// What the header says, compared with the plan: "" when it matches, else the differences.
std::string header_mismatch(const domain::FormatPlan &plan, const domain::LuksVolume &header);

} // namespace luksfit::flows
