// luksfit harden, the decisions: which keyslots are at risk (they need AF_ALG), what to say
// about LUKS1, and the per-keyslot outcome reported to the user. Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/volume/boot_unlock.hpp"
#include "domain/volume/volume_audit.hpp"

namespace luksfit::domain {

enum class SlotState {
	Safe,	   // opens without AF_ALG already
	Rewritten, // was at risk, now rewritten and verified
	AtRisk,	   // needs AF_ALG and was not rewritten (no key given for it)
	Failed,	   // a rewrite was attempted and did not complete
	Unknown,   // the probe could not tell
};
const char *slot_state_name(SlotState s);

struct HardenSlot {
	int slot = 0;
	std::string encryption; // before
	unsigned key_bits = 0;
	SlotState state = SlotState::Unknown;
	std::string fix;		// for AtRisk/Failed: the command that fixes it
	int priority = kPriorityNormal; // after harden
};

struct HardenReport {
	std::string path;
	std::vector<HardenSlot> slots;
	std::vector<std::string> steps; // what was done, in order
	std::optional<int> key_slot;	// the keyslot the given key opened
	// Made so that boot, which names no keyslot, reaches the key's keyslot without AF_ALG.
	std::vector<PriorityChange> priority_changes;
	// The keyslot the key opened without AF_ALG and without a keyslot named (verified).
	std::optional<int> boot_slot;
	bool perf_flags_stored = false;
	std::string error; // a failed step, said precisely
};

// The keyslots of an audited LUKS2 volume with their state before any change.
HardenReport harden_plan(const VolumeAudit &audit, const AuditHost &host);

// Is there anything harden could rewrite?
bool any_at_risk(const HardenReport &r);

// After rewriting `slot`: its new state; fixes for the others stay as they are.
void record_rewrite(HardenReport &r, int slot, bool ok, const std::string &cipher, unsigned bits);

// After the priority changes are stored: the report's priorities and one step per change.
void record_priority_changes(HardenReport &r, const std::vector<PriorityChange> &changes,
			     int key_slot);

std::string harden_command(const std::string &path, int slot);

// LUKS1 keyslots are always encrypted with the data cipher: harden cannot change one without
// converting the volume. The message and the command to convert.
std::string luks1_explanation(const LuksVolume &v);
std::string luks1_convert_command(const std::string &path);

} // namespace luksfit::domain
