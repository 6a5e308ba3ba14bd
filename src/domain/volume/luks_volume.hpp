// The one model of a LUKS header: what luksfit reads from a LUKS1/LUKS2 volume. The system
// adapter (system/luks/luks_header.hpp) fills it, the audit, udev-probe, crypttab and the
// format checks read it. Plain data with standard types only: the system layer sees this
// header (and no other of domain/; src/meson.build).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace luksfit::domain {

// LUKS2 keyslot priorities as libcryptsetup stores them (crypt_keyslot_priority). A hostile
// header may hold any other number: libcryptsetup then never tries that keyslot unasked.
inline constexpr int kPriorityIgnore = 0;
inline constexpr int kPriorityNormal = 1;
inline constexpr int kPriorityPrefer = 2;

struct VolumeKeyslot {
	int slot = 0;
	std::string pbkdf; // "argon2id", "argon2i", "pbkdf2"
	std::string hash;  // PBKDF2's hash ("sha256"); empty for argon2
	std::uint32_t iterations = 0;
	std::uint32_t memory_kb = 0;
	std::uint32_t parallel = 0;
	std::string encryption; // keyslot area cipher, e.g. "aes-xts-plain64"
	unsigned key_bits = 0;	// of the keyslot encryption
	// As libcryptsetup reads it (crypt_keyslot_get_priority); LUKS1 has none (normal).
	int priority = kPriorityNormal;
	int position = -1; // in the header's JSON keyslot order (LUKS1: slot number); -1 unknown
};

struct LuksVolume {
	std::string path;
	int version = 2;		    // 1 or 2
	std::string cipher;		    // data segment, cryptsetup form "aes-xts-plain64"
	unsigned key_bits = 0;		    // volume key size
	unsigned sector_size = 512;	    // encryption sector size in bytes
	std::uint64_t data_offset = 0;	    // bytes
	std::uint64_t device_size = 0;	    // bytes (file size or block device size)
	std::string uuid, label, subsystem; // label and subsystem: LUKS2 only
	std::vector<std::string> persistent_flags; // "no_read_workqueue", ... (LUKS2; dm-crypt's)
	std::vector<VolumeKeyslot> keyslots;
};

} // namespace luksfit::domain
