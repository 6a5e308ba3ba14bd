// Unlocking a LUKS volume without naming a keyslot, as boot does it (systemd-cryptsetup,
// Debian's cryptroot, `cryptsetup open` without --key-slot): libcryptsetup tries the keyslots
// with priority prefer, then those with normal, each class in the order of the LUKS2 header's
// JSON "keyslots" object (LUKS1: by number), never those with ignore; and the FIRST keyslot
// that fails for another reason than a wrong key ends the whole search. A keyslot that needs
// AF_ALG fails that way on a kernel without it, for any key: every keyslot tried after it is
// out of reach, even one that opens without AF_ALG. Pure.
#pragma once

#include <string>
#include <vector>

#include "domain/volume/volume_audit.hpp"

namespace luksfit::domain {

// "prefer", "normal", "ignore", or "other (N)" for a number libcryptsetup does not define.
std::string priority_name(int priority);

// Every keyslot in the order the search tries them (those never tried last, by number), each
// with the keyslots in `at_risk` tried before it. An unknown position (-1) counts as "maybe
// earlier" within a class: the prediction then errs towards a warning.
std::vector<BootSlot> boot_search(const std::vector<VolumeKeyslot> &slots,
				  const std::vector<int> &at_risk);

struct PriorityChange {
	int slot = 0;
	int from = kPriorityNormal;
	int to = kPriorityNormal;
};

// The priority changes that let the search reach `slot` past every keyslot in `at_risk`:
// `slot` becomes prefer, and keyslots in `at_risk` with prefer that would still come first
// become normal. Nothing when nothing blocks it, or when `slot` has priority ignore (the
// owner's choice: boot then uses it only when crypttab names it).
std::vector<PriorityChange> boot_priority_fix(const std::vector<VolumeKeyslot> &slots,
					      const std::vector<int> &at_risk, int slot);

} // namespace luksfit::domain
