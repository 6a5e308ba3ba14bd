// dm-crypt performance flags luksfit recommends, chosen from the dm-crypt target version the
// kernel reports (domain/dm_features), not from the kernel release: distributions backport.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/host/dm_features.hpp"

namespace luksfit::domain {

// The recommended flags (cryptsetup's names without "--perf-"): no_read_workqueue and
// no_write_workqueue, which bypass dm-crypt's workqueues (dm-crypt 1.22.0).
const std::vector<std::string> &recommended_perf_flags();

struct PerfFlagChoice {
	std::vector<std::string> flags; // those of the recommended flags this target supports
	std::string reason;		// one line: why these (or why none)

	bool operator==(const PerfFlagChoice &) const = default;
};

// The recommended flags a dm-crypt target of version `v` supports. `v` unset (no
// device-mapper, no dm-crypt, no permission): none, since a table with a flag the target does
// not know is refused; `unknown_why` says why the version is unknown.
PerfFlagChoice choose_perf_flags(const std::optional<TargetVersion> &v,
				 const std::string &unknown_why = "");

// What measurements (or the device) said about the flags for one cipher, before the kernel's
// limits: recommend finds it, format, open and crypttab take it from the cached result.
struct FlagEvidence {
	std::optional<PerfFlagChoice> measured; // unset: nothing measured them
	std::string unmeasured_why;		// then why not, e.g. "no usable bench result"
};

// The one decision on the flags, which recommend prints and format (so validate), open and
// crypttab apply: the measured flags where dm-crypt `v` supports them (the reason names any
// left out; `v` unset keeps them, measured under this kernel); without a measurement the
// target's version decides (choose_perf_flags), and the reason adds why nothing measured them.
// The reason of an empty set starts with "none".
PerfFlagChoice decide_perf_flags(const FlagEvidence &evidence,
				 const std::optional<TargetVersion> &v,
				 const std::string &unknown_why = "");

// One line for reports: "no_read_workqueue no_write_workqueue (REASON)", or the reason alone
// (prefixed "none (" where it does not start with "none") for an empty set.
std::string perf_flags_text(const PerfFlagChoice &c);

// crypttab(5)'s spelling of such a flag: "no_read_workqueue" -> "no-read-workqueue".
std::string crypttab_flag_name(std::string_view cryptsetup_name);

} // namespace luksfit::domain
