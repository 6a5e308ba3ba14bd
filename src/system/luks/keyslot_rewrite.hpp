// Rewrites one LUKS2 keyslot with another keyslot encryption, keeping its passphrase, its
// PBKDF and its priority, without ever leaving fewer working keyslots than before: add the new
// keyslot, verify it opens WITHOUT AF_ALG (keyslot_probe's filtered child), only then destroy the
// old one; then move it back to the old slot number the same way, so crypttab's key-slot= stays
// right. Uses CryptDevice (issue 5's adapter) and its handle for the three calls it lacks.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "system/luks/crypt_device.hpp"
#include "util/expected.hpp"
#include "util/secure_buffer.hpp"

namespace luksfit::sys {

// The keyslot `key` opens: `slot` itself when given (exit 2 if it does not open it).
Expected<int> keyslot_opened_by(CryptDevice &dev, const SecureBuffer &key, std::optional<int> slot);

struct RewriteStep {
	std::string what; // "added keyslot 3 (aes-xts-plain64/512, argon2id)", ...
	bool ok = true;
};

struct RewriteResult {
	int old_slot = -1;
	int final_slot = -1;	// where the key lives now (old_slot when moved back)
	bool rewritten = false; // the old, at-risk keyslot is gone and a verified one replaced it
	std::vector<RewriteStep> steps;
	std::string error; // what failed, when !rewritten or a later step failed
};

// Never throws for a failed step: the result says exactly what happened.
RewriteResult rewrite_keyslot(CryptDevice &dev, int slot, const SecureBuffer &key,
			      const std::string &cipher, std::size_t key_bytes);

} // namespace luksfit::sys
