// The audit of one LUKS volume against this host: will its keyslots unlock without AF_ALG, are
// its choices safe, does it leave performance on the table. Pure; the header facts come from
// the luks_header adapter, the host facts from the host report.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "domain/host/dm_features.hpp"
#include "domain/host/findings.hpp"
#include "domain/host/proc_crypto.hpp"

namespace luksfit::domain {

// LUKS2 keyslot priorities as libcryptsetup stores them (crypt_keyslot_priority). A hostile
// header may hold any other number: libcryptsetup then never tries that keyslot unasked.
inline constexpr int kPriorityIgnore = 0;
inline constexpr int kPriorityNormal = 1;
inline constexpr int kPriorityPrefer = 2;

struct VolumeKeyslot {
	int slot = 0;
	std::string pbkdf; // "argon2id", "argon2i", "pbkdf2"
	std::string hash;
	std::uint32_t iterations = 0;
	std::uint32_t memory_kb = 0;
	std::uint32_t parallel = 0;
	std::string encryption; // keyslot cipher
	unsigned key_bits = 0;
	int priority = kPriorityNormal;
	int position = -1; // in the header's JSON keyslot order (LUKS1: slot number); -1 unknown
};

// A keyslot's place when the volume is unlocked without naming a keyslot, as boot does.
struct BootSlot {
	int slot = 0;
	std::optional<unsigned> position; // 0: tried first; none: never tried (priority ignore)
	std::vector<int> blocked_by;	  // keyslots needing AF_ALG tried before it, in order
};

struct LuksVolume {
	std::string path;
	int version = 2;
	std::string cipher;
	unsigned key_bits = 0;
	unsigned sector_size = 512;
	std::uint64_t data_offset = 0;
	std::uint64_t device_size = 0;
	std::string uuid, label, subsystem;
	std::vector<std::string> persistent_flags;
	std::vector<VolumeKeyslot> keyslots;
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
};

// PBKDF2 below this many iterations is weak (cryptsetup benchmarks ~1-2 million per second
// on current CPUs for a 2 s unlock; OWASP 2023 asks 600,000 for PBKDF2-SHA256).
inline constexpr std::uint32_t kMinPbkdf2Iterations = 100000;

struct VolumeAudit {
	LuksVolume volume;
	std::vector<Finding> findings;
	std::vector<int> keyslots_at_risk; // need AF_ALG
	std::vector<BootSlot> boot_order;  // every keyslot, in the order boot tries them
};

VolumeAudit audit_volume(LuksVolume volume, const AuditHost &host);

} // namespace luksfit::domain
