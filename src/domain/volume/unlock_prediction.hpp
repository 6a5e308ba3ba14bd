// What happens when a volume is opened here with one keyslot's key, as boot opens it (as root,
// no keyslot named: boot_unlock.hpp), now and once AF_ALG is gone: does it open, and which way
// does libcryptsetup process that keyslot. The one place deciding it; the facts come from the
// keyslot probes (system/luks/keyslot_probe), which only try. Pure.
//
// "path" is how the keyslot itself is processed; "opens" also needs the keyslot to be reached
// in the boot order and the data segment to be activated by dm-crypt. So a keyslot may have a
// path and still not open (opens false, why: no dm-crypt); a keyslot that cannot be processed
// at all has no path.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "domain/host/findings.hpp"
#include "domain/volume/luks_volume.hpp"

namespace luksfit::domain {

// afalg: kernel crypto through AF_ALG; userspace: libcryptsetup's crypto backend (OpenSSL,
// gcrypt...), tried before AF_ALG; dm_crypt: a temporary dm-crypt mapping (root only).
enum class UnlockPath { Afalg, Userspace, DmCrypt };
const char *unlock_path_name(UnlockPath p); // "afalg", "userspace", "dm-crypt"

// What the probes found for one keyslot cipher (with its LUKS version) on this host.
struct KeyslotPaths {
	Tri userspace = Tri::Unknown; // processed with AF_ALG, device-mapper and loop blocked
	// Processed with only AF_ALG blocked (a temporary dm-crypt mapping allowed); tried as root
	// with dm-crypt usable, only when `userspace` is No. Unknown: not tried.
	Tri dm_fallback = Tri::Unknown;
	std::string detail; // the probe's message when refused or not run
};

// The host as the prediction sees it.
struct UnlockHost {
	bool afalg = false;	     // AF_ALG usable now
	Tri dm_crypt = Tri::Unknown; // a dm-crypt mapping can be made (the data segment, fallback)
	std::string dm_detail;	     // why not / why unknown
	bool root = false;	     // the probes ran as root (the dm-crypt fallback was tried)
	std::string libcryptsetup;   // run-time version, "2.6.1"; empty: unknown
};

struct UnlockPrediction {
	std::optional<bool> opens;	// nullopt: cannot tell
	std::optional<UnlockPath> path; // nullopt: the keyslot cannot be processed (or unknown)
	std::string why;		// one sentence
	Tri processed = Tri::Unknown;	// the keyslot itself (no boot order, no data segment)
	std::vector<int> blocked_by;	// keyslots tried first that fail for any key
};

struct KeyslotUnlock {
	int slot = 0;
	UnlockPrediction here;		// opened now on this host
	UnlockPrediction without_afalg; // the same kernel and libcryptsetup, AF_ALG gone
};

struct UnlockForecast {
	std::vector<KeyslotUnlock> keyslots; // in header order
	std::vector<int> fail_here;	     // keyslots not processed here (any key)
	std::vector<int> fail_without_afalg; // the same without AF_ALG: the keyslots at risk
};

using KeyslotPathsFn = std::function<KeyslotPaths(const LuksVolume &, const VolumeKeyslot &)>;

// The first libcryptsetup release that falls back to a temporary dm-crypt mapping for LUKS2
// keyslots (as root) when neither its userspace backend nor AF_ALG can process them.
inline constexpr const char *kLuks2DmFallbackSince = "2.8.7";

// Does `version` ("2.7.5") come at or after `since`? nullopt when either does not parse.
std::optional<bool> version_at_least(const std::string &version, const std::string &since);

UnlockForecast predict_unlock(const LuksVolume &v, const UnlockHost &host,
			      const KeyslotPathsFn &paths);

// The keyslots libcryptsetup's userspace backend alone cannot process once AF_ALG is gone
// (they need a temporary dm-crypt mapping: root and libcryptsetup 2.8.7+; or fail), unknown
// ones included: harden puts the keyslot it rewrote before them, so that boot reaches it with
// any cryptsetup, not only with the one here.
std::vector<int> keyslots_beyond_userspace(const UnlockForecast &f);

// "opens via AF_ALG", "does not open: ...", "unknown: ..." for the text report.
std::string unlock_summary(const UnlockPrediction &p);

} // namespace luksfit::domain
