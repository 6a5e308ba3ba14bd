// Can this host's libcryptsetup process a LUKS keyslot encrypted with cipher X WITHOUT AF_ALG?
// Found out by trying, not from a table: a child process that cannot create AF_ALG sockets
// (seccomp: socket(AF_ALG) fails with EAFNOSUPPORT) and cannot fall back to a temporary
// dm-crypt mapping (device-mapper and loop ioctls fail with EPERM) formats a tiny LUKS2 header
// (LUKS1: a LUKS1 header with X as its cipher, LUKS1 keyslots use the volume cipher) in a
// memfd, adds a keyslot with that keyslot encryption and opens it again. Nothing outside the
// child's memory changes. PBKDF2 with 1000 iterations keeps it to milliseconds.
//
// The second mode (probe_keyslots_with_dm_fallback) blocks only socket(AF_ALG): libcryptsetup
// may then fall back to a temporary dm-crypt mapping over a loop device on the memfd (LUKS1
// always; LUKS2 since libcryptsetup 2.8.7), which needs root and dm-crypt. libcryptsetup removes
// that mapping ("temporary-cryptsetup-PID") itself; if the child is killed before, the parent
// removes it, and the loop device (autoclear) goes with it.
#pragma once

#include <string>
#include <vector>

#include "util/secure_buffer.hpp"

namespace luksfit::sys {

struct KeyslotCipher {
	std::string cipher; // cryptsetup form, e.g. "xchacha12,aes-adiantum-plain64"
	unsigned key_bits = 0;
	int luks_version = 2; // 1: a LUKS1 header whose volume cipher is `cipher`
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

// Several ciphers with only AF_ALG blocked: the dm-crypt fallback allowed. Call it as root with
// dm-crypt usable, for ciphers the first mode refused.
std::vector<KeyslotProbeResult>
probe_keyslots_with_dm_fallback(const std::vector<KeyslotCipher> &ciphers);

const char *keyslot_probe_stage_name(KeyslotProbeStage s);

} // namespace luksfit::sys
