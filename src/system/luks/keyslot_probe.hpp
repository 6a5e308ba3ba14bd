// Can this host's libcryptsetup process a LUKS2 keyslot encrypted with cipher X WITHOUT AF_ALG?
// Found out by trying, not from a table: a child process that cannot create AF_ALG sockets
// (seccomp: socket(AF_ALG) fails with EAFNOSUPPORT) and cannot fall back to a temporary
// dm-crypt mapping (device-mapper and loop ioctls fail with EPERM) formats a tiny LUKS2 header
// in a memfd, adds a keyslot with that keyslot encryption and opens it again. Nothing outside
// the child's memory changes. PBKDF2 with 1000 iterations keeps it to milliseconds.
#pragma once

#include <string>
#include <vector>

#include "util/secure_buffer.hpp"

namespace luksfit::sys {

struct KeyslotCipher {
	std::string cipher; // cryptsetup form, e.g. "xchacha12,aes-adiantum-plain64"
	unsigned key_bits = 0;
};

enum class KeyslotProbeStage {
	Setup,	// memfd, header format: the probe itself could not run (result unknown)
	AddKey, // adding a keyslot with this encryption failed
	Open,	// the keyslot was written but could not be opened again
	Done,	// both worked: keyslots with this cipher work without AF_ALG
};

struct KeyslotProbeResult {
	KeyslotCipher cipher;
	bool works = false; // stage == Done
	bool known = false; // false: the probe could not run (Setup failure, timeout)
	KeyslotProbeStage stage = KeyslotProbeStage::Setup;
	std::string message; // libcryptsetup's last error, or why the probe failed
	int slot = -1;	     // verifications: the keyslot that opened
};

// One cipher, in one child process.
KeyslotProbeResult probe_keyslot_without_afalg(const KeyslotCipher &cipher);

// Several ciphers, one child each, run in parallel; results in the order given.
std::vector<KeyslotProbeResult>
probe_keyslots_without_afalg(const std::vector<KeyslotCipher> &ciphers);

// Opens keyslot `slot` of an existing LUKS device with `key`, read-only, in a child under the
// same filter: proves that this keyslot unlocks without AF_ALG (luksfit harden's check). The
// verification runs the keyslot's real PBKDF, so it takes the volume's unlock time (limit 60 s).
KeyslotProbeResult verify_keyslot_without_afalg(const std::string &device, int slot,
						const SecureBuffer &key);

// The same, the way boot unlocks (systemd-cryptsetup, cryptroot, `cryptsetup open`): no keyslot
// named (CRYPT_ANY_SLOT), so libcryptsetup searches by priority and header order and stops at
// the first keyslot that fails for another reason than a wrong key. `slot` in the result says
// which keyslot opened.
KeyslotProbeResult verify_boot_unlock_without_afalg(const std::string &device,
						    const SecureBuffer &key);

const char *keyslot_probe_stage_name(KeyslotProbeStage s);

} // namespace luksfit::sys
