// Reads a LUKS1/LUKS2 header read-only (libcryptsetup crypt_init + crypt_load, metadata locking
// off so not even a lock file is created). Nothing is ever written to the target.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/expected.hpp"

namespace luksfit::sys {

struct LuksKeyslot {
	int slot = 0;
	std::string pbkdf; // "argon2id", "argon2i", "pbkdf2"
	std::string hash;  // PBKDF2's hash ("sha256"); empty for argon2
	std::uint32_t iterations = 0;
	std::uint32_t memory_kb = 0;
	std::uint32_t parallel = 0;
	std::string encryption; // keyslot area cipher, e.g. "aes-xts-plain64"
	unsigned key_bits = 0;	// of the keyslot encryption
	// As libcryptsetup reads it (crypt_keyslot_get_priority): 2 prefer, 1 normal, 0 ignore;
	// LUKS1 has none (normal). Any other number is possible in a hostile header.
	int priority = 1;
	// Place in the LUKS2 header's JSON "keyslots" object, the order in which libcryptsetup
	// tries keyslots of one priority (LUKS1: the slot number); -1 when it could not be read.
	int position = -1;
};

struct LuksHeader {
	std::string path;
	int version = 0;	       // 1 or 2
	std::string cipher;	       // data segment, cryptsetup form "aes-xts-plain64"
	unsigned key_bits = 0;	       // volume key size
	unsigned sector_size = 512;    // encryption sector size in bytes
	std::uint64_t data_offset = 0; // bytes
	std::uint64_t device_size = 0; // bytes (file size or block device size)
	std::string uuid;
	std::string label;     // LUKS2 only
	std::string subsystem; // LUKS2 only
	std::vector<std::string>
		persistent_flags; // "no_read_workqueue", ... (LUKS2; dm-crypt's names)
	std::vector<LuksKeyslot> keyslots;
};

// The LUKS version (1 or 2) the primary header's magic announces, 0 when the first bytes are no
// LUKS signature (or the target is shorter than that); an Error when it cannot be opened.
// Reads 8 bytes and nothing else: no libcryptsetup, cheap enough for every udev event.
Expected<int> luks_signature(const std::string &path);

// The keyslot numbers in the order the LUKS2 metadata JSON (crypt_dump_json) lists them in its
// "keyslots" object; keys that are no keyslot number (0..31, as libcryptsetup writes them) are
// left out. Empty when the text is not a JSON object with a "keyslots" object.
std::vector<int> luks2_keyslot_order(std::string_view json);

// Errors: WrongDevice with a message telling "not a LUKS volume", "truncated" or "corrupted
// header" apart; Permission when the target cannot be opened for reading.
Expected<LuksHeader> read_luks_header(const std::string &path);

} // namespace luksfit::sys
