// validate's round trip on a fresh loopback image, also run by format before it touches the
// device. Everything set up (image, loop device, mapping) is owned by RAII objects, so failures
// and SIGINT/SIGTERM leave nothing behind; the image has no name (sys::TempImage) and the loop
// device clears itself when its last fd closes, so even SIGKILL leaves neither (a dm-crypt
// mapping open at that moment stays, holding both, until removed).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "domain/format/format_plan.hpp"

namespace luksfit::flows {

struct Step {
	std::string name;
	double ms = 0;
	std::string detail;
};

struct RoundTripOptions {
	std::string dir = "/tmp";	       // the filesystem the (unnamed) test image lives on
	std::uint64_t image_bytes = 64u << 20; // LUKS2 header (16 MiB) + data
	std::uint64_t pattern_bytes = 8u << 20;
	bool keyslot_only = false; // dm-crypt missing: format + unlock + read back, no data path
};

struct RoundTripResult {
	std::vector<Step> steps;
	std::string uuid;
	bool data_path_tested = false;
	double total_ms = 0;
};

using StepObserver = std::function<void(const Step &)>;

// Runs the round trip. A failing step throws Failure with exit 8 (ValidationFailed), naming the
// step; `on_step` sees each step as it completes (for live output).
RoundTripResult run_roundtrip(const domain::FormatPlan &plan, const RoundTripOptions &opts,
			      const StepObserver &on_step);

} // namespace luksfit::flows
