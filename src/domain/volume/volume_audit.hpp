// The audit of one LUKS volume against this host: will its keyslots unlock without AF_ALG, are
// its choices safe, does it leave performance on the table. Pure; the header facts come from
// the luks_header adapter (as a LuksVolume), the host facts from the host report.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "domain/host/dm_features.hpp"
#include "domain/host/findings.hpp"
#include "domain/host/proc_crypto.hpp"
#include "domain/volume/luks_volume.hpp"
#include "domain/volume/unlock_prediction.hpp"

namespace luksfit::domain {

// A keyslot's place when the volume is unlocked without naming a keyslot, as boot does.
struct BootSlot {
	int slot = 0;
	std::optional<unsigned> position; // 0: tried first; none: never tried (priority ignore)
	std::vector<int> blocked_by;	  // keyslots needing AF_ALG tried before it, in order
};

// A target that could not be read as a LUKS volume: its path and the error (message, hint).
struct TargetError {
	std::string path;
	std::string message;
	std::string hint;
};

// What the audit needs to know about the host.
struct AuditHost {
	bool afalg = false; // AF_ALG usable now
	bool fips = false;
	std::optional<TargetVersion> dm_crypt_version;
	// Can libcryptsetup process keyslots with (cipher, key_bits) without AF_ALG here?
	std::function<Tri(const std::string &cipher, unsigned key_bits)> keyslot_without_afalg;
	// The driver dm-crypt would use for a kernel algorithm ("xts(aes)"), if known.
	std::function<std::optional<CryptoAlg>(const std::string &kernel_alg)> driver_for;
	// Every way the probes tried for a keyslot (LUKS version, cipher); without it, the
	// userspace answer of keyslot_without_afalg and no dm-crypt fallback tried.
	KeyslotPathsFn keyslot_paths;
	Tri dm_crypt = Tri::Unknown; // a dm-crypt mapping can be made here
	std::string dm_detail;
	bool root = false;	   // running as root: the dm-crypt fallback was tried
	std::string libcryptsetup; // run-time version
};

// PBKDF2 below this many iterations is weak (cryptsetup benchmarks ~1-2 million per second
// on current CPUs for a 2 s unlock; OWASP 2023 asks 600,000 for PBKDF2-SHA256).
inline constexpr std::uint32_t kMinPbkdf2Iterations = 100000;

struct VolumeAudit {
	LuksVolume volume;
	std::vector<Finding> findings;
	std::vector<int> keyslots_at_risk; // do not open without AF_ALG (unlock.fail_without_afalg)
	std::vector<BootSlot> boot_order;  // every keyslot, in the order boot tries them
	UnlockForecast unlock;		   // per keyslot: opens here, and without AF_ALG
};

// The prediction's view of the audit's host.
UnlockHost unlock_host(const AuditHost &host);

VolumeAudit audit_volume(LuksVolume volume, const AuditHost &host);

} // namespace luksfit::domain
