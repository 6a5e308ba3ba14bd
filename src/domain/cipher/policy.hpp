// The safety policy of docs/policy.md: the default candidates, the rules that
// make a cipher "never chosen", and the preference order that breaks ties.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/cipher/cipher_spec.hpp"

namespace luksfit::domain {

// A data cipher with its key size, e.g. aes-xts-plain64 with a 512-bit key.
struct Candidate {
	CipherSpec spec;
	unsigned key_bits = 0;

	std::string label() const; // "aes-xts-plain64/512"
	bool operator==(const Candidate &) const = default;
};

// docs/policy.md's default candidate list, in preference order.
const std::vector<Candidate> &default_candidates();

// Position in the preference order (0 = most preferred); candidates outside the default
// list rank after all of them.
int preference_rank(const Candidate &c);

// Why a candidate must never be chosen, or nullopt when the rules allow it. `fips` applies the
// FIPS restriction (AES-XTS only).
std::optional<std::string> safety_violation(const Candidate &c, bool fips);

// Whether keyslots of this cipher can be processed without AF_ALG, when the keyslot probe
// (system/keyslot_probe) could not tell: Debian's libcryptsetup uses OpenSSL in userspace,
// which surely has AES-XTS; anything else is assumed kernel-only (the fallback costs nothing).
bool assumed_userspace_keyslots(const CipherSpec &spec);

// Keyslot encryption for a volume whose data cipher the userspace backend cannot process:
// aes-xts-plain64 with a 512-bit key keeps keyslots unlockable without AF_ALG
// (docs/compatibility.md, keyslots without AF_ALG).
const Candidate &fallback_keyslot_cipher();

} // namespace luksfit::domain
