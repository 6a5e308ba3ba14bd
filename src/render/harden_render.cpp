#include "render/harden_render.hpp"

#include <ostream>

namespace luksfit::render {

Json harden_json(const domain::HardenReport &r)
{
	Json slots = Json::array();
	for (const auto &s : r.slots)
		slots.push_back({{"slot", s.slot},
				 {"encryption", s.encryption},
				 {"key_bits", s.key_bits},
				 {"state", domain::slot_state_name(s.state)},
				 {"fix", s.fix.empty() ? Json(nullptr) : Json(s.fix)},
				 {"priority", domain::priority_name(s.priority)}});
	Json changes = Json::array();
	for (const auto &c : r.priority_changes)
		changes.push_back({{"slot", c.slot},
				   {"from", domain::priority_name(c.from)},
				   {"to", domain::priority_name(c.to)}});
	return {{"path", r.path},
		{"key_slot", r.key_slot ? Json(*r.key_slot) : Json(nullptr)},
		{"keyslots", slots},
		{"priority_changes", changes},
		{"boot_slot", r.boot_slot ? Json(*r.boot_slot) : Json(nullptr)},
		{"steps", r.steps},
		{"perf_flags_stored", r.perf_flags_stored},
		{"error", r.error.empty() ? Json(nullptr) : Json(r.error)}};
}

void harden_text(std::ostream &out, const domain::HardenReport &r)
{
	out << "Harden " << r.path << '\n';
	for (const auto &step : r.steps)
		out << "  - " << step << '\n';
	out << "Keyslots\n";
	for (const auto &s : r.slots) {
		out << "  keyslot " << s.slot << ": " << s.encryption << "/" << s.key_bits << "  "
		    << domain::slot_state_name(s.state) << '\n';
		if (!s.fix.empty())
			out << "      still needs AF_ALG; fix: " << s.fix << '\n';
	}
	if (!r.priority_changes.empty()) {
		out << "Priorities (boot names no keyslot: prefer first, then normal)\n";
		for (const auto &c : r.priority_changes)
			out << "  keyslot " << c.slot << ": " << domain::priority_name(c.from)
			    << " -> " << domain::priority_name(c.to) << '\n';
	}
	if (r.boot_slot)
		out << "Boot unlock (no keyslot named, no AF_ALG): verified, the key opens keyslot "
		    << *r.boot_slot << '\n';
	if (r.perf_flags_stored)
		out << "Stored performance flags: no_read_workqueue no_write_workqueue\n";
	if (!r.error.empty())
		out << "FAILED: " << r.error << '\n';
}

} // namespace luksfit::render
