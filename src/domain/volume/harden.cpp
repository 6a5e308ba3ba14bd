#include "domain/volume/harden.hpp"

#include <algorithm>

namespace luksfit::domain {

const char *slot_state_name(SlotState s)
{
	switch (s) {
	case SlotState::Safe:
		return "safe";
	case SlotState::Rewritten:
		return "rewritten";
	case SlotState::AtRisk:
		return "at-risk";
	case SlotState::Failed:
		return "failed";
	case SlotState::Unknown:
		return "unknown";
	}
	return "unknown";
}

HardenReport harden_plan(const VolumeAudit &audit, const AuditHost &host)
{
	HardenReport r;
	r.path = audit.volume.path;
	for (const VolumeKeyslot &k : audit.volume.keyslots) {
		HardenSlot s{k.slot, k.encryption, k.key_bits, SlotState::Unknown, {}, k.priority};
		const Tri ok = host.keyslot_without_afalg
				       ? host.keyslot_without_afalg(k.encryption, k.key_bits)
				       : Tri::Unknown;
		if (ok == Tri::Yes)
			s.state = SlotState::Safe;
		else if (ok == Tri::No)
			s.state = SlotState::AtRisk;
		if (s.state == SlotState::AtRisk)
			s.fix = harden_command(r.path, k.slot);
		r.slots.push_back(std::move(s));
	}
	return r;
}

bool any_at_risk(const HardenReport &r)
{
	return std::any_of(r.slots.begin(), r.slots.end(),
			   [](const HardenSlot &s) { return s.state == SlotState::AtRisk; });
}

void record_rewrite(HardenReport &r, int slot, bool ok, const std::string &cipher, unsigned bits)
{
	for (HardenSlot &s : r.slots) {
		if (s.slot != slot)
			continue;
		s.state = ok ? SlotState::Rewritten : SlotState::Failed;
		if (ok) {
			s.fix.clear();
			s.encryption = cipher;
			s.key_bits = bits;
		}
	}
}

void record_priority_changes(HardenReport &r, const std::vector<PriorityChange> &changes,
			     int key_slot)
{
	for (const PriorityChange &c : changes) {
		for (HardenSlot &s : r.slots)
			if (s.slot == c.slot)
				s.priority = c.to;
		const std::string what = "keyslot " + std::to_string(c.slot) + ": priority " +
					 priority_name(c.from) + " -> " + priority_name(c.to);
		r.priority_changes.push_back(c);
		if (c.slot == key_slot)
			r.steps.push_back(what + " (boot, which names no keyslot, now tries it "
						 "before the keyslots that need AF_ALG)");
		else
			r.steps.push_back(what +
					  " (it needs AF_ALG; tried first at boot, its "
					  "failure would end the search before keyslot " +
					  std::to_string(key_slot) + ")");
	}
}

std::string harden_command(const std::string &path, int slot)
{
	return "luksfit harden " + path + " --key-slot " + std::to_string(slot) +
	       " --key-file FILE (or at the prompt)";
}

std::string luks1_explanation(const LuksVolume &v)
{
	return v.path + " is LUKS1: its keyslots are always encrypted with the data cipher (" +
	       v.cipher +
	       "), so they cannot be given their own encryption without converting the "
	       "volume to LUKS2";
}

std::string luks1_convert_command(const std::string &path)
{
	return "cryptsetup luksHeaderBackup " + path + " --header-backup-file " + path +
	       ".luks1-header && cryptsetup convert --type luks2 " + path +
	       ", then luksfit harden " + path;
}

} // namespace luksfit::domain
