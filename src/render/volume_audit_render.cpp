#include "render/volume_audit_render.hpp"

#include <iomanip>
#include <ostream>

#include "domain/volume/boot_unlock.hpp"
#include "render/host_report_render.hpp"
#include "util/text.hpp"
#include "util/untrusted_text.hpp"

namespace luksfit::render {
namespace {

std::string keyslot_text(const domain::VolumeKeyslot &k)
{
	std::string s = k.pbkdf;
	if (k.pbkdf == "pbkdf2")
		s += "-" + k.hash + ", " + std::to_string(k.iterations) + " iterations";
	else
		s += ", " + std::to_string(k.iterations) + " passes, " +
		     std::to_string(k.memory_kb) + " KiB, " + std::to_string(k.parallel) +
		     " threads";
	return s + "; encryption " + k.encryption + "/" + std::to_string(k.key_bits) +
	       "; priority " + domain::priority_name(k.priority);
}

const domain::BootSlot *boot_slot(const domain::VolumeAudit &a, int slot)
{
	for (const auto &b : a.boot_order)
		if (b.slot == slot)
			return &b;
	return nullptr;
}

// The keyslots in the order unlocking without a named keyslot tries them.
std::vector<int> boot_tried(const domain::VolumeAudit &a)
{
	std::vector<int> out;
	for (const auto &b : a.boot_order)
		if (b.position)
			out.push_back(b.slot);
	return out;
}

std::string boot_order_text(const domain::VolumeAudit &a)
{
	std::string s = util::join(boot_tried(a), ", ",
				   [&](const int slot) { return std::to_string(slot); });
	return s.empty() ? "(no keyslot is tried)" : s;
}

const domain::KeyslotUnlock *unlock_of(const domain::VolumeAudit &a, int slot)
{
	for (const auto &k : a.unlock.keyslots)
		if (k.slot == slot)
			return &k;
	return nullptr;
}

Json prediction_json(const domain::UnlockPrediction &p)
{
	return {{"opens", p.opens ? Json(*p.opens) : Json(nullptr)},
		{"path", p.path ? Json(domain::unlock_path_name(*p.path)) : Json(nullptr)},
		{"why", p.why}};
}

// "opens via AF_ALG; without AF_ALG: opens via a temporary dm-crypt mapping (root only)".
std::string unlock_text(const domain::KeyslotUnlock &u)
{
	const std::string here = domain::unlock_summary(u.here);
	const std::string gone = domain::unlock_summary(u.without_afalg);
	return here + "; without AF_ALG: " + (gone == here ? "the same" : gone);
}

} // namespace

Json volume_audit_json(const domain::VolumeAudit &a)
{
	const auto &v = a.volume;
	Json slots = Json::array();
	for (const auto &k : v.keyslots) {
		const auto *b = boot_slot(a, k.slot);
		const auto *u = unlock_of(a, k.slot);
		slots.push_back(
			{{"slot", k.slot},
			 {"pbkdf", k.pbkdf},
			 {"hash", k.hash.empty() ? Json(nullptr) : Json(k.hash)},
			 {"iterations", k.iterations},
			 {"memory_kb", k.memory_kb},
			 {"parallel", k.parallel},
			 {"encryption", k.encryption},
			 {"key_bits", k.key_bits},
			 {"priority", domain::priority_name(k.priority)},
			 {"boot_position", b && b->position ? Json(*b->position) : Json(nullptr)},
			 {"boot_blocked_by", b ? Json(b->blocked_by) : Json::array()},
			 {"unlock", u ? prediction_json(u->here) : Json(nullptr)},
			 {"unlock_without_afalg",
			  u ? prediction_json(u->without_afalg) : Json(nullptr)}});
	}
	return {{"path", v.path},
		{"readable", true},
		{"version", v.version},
		{"cipher", v.cipher},
		{"key_bits", v.key_bits},
		{"sector_size", v.sector_size},
		{"data_offset", v.data_offset},
		{"size", v.device_size},
		{"uuid", v.uuid},
		{"label", v.label},
		{"subsystem", v.subsystem},
		{"persistent_flags", v.persistent_flags},
		{"keyslots", slots},
		{"keyslots_at_risk", a.keyslots_at_risk},
		{"boot_order", boot_tried(a)},
		{"findings", findings_json(a.findings)}};
}

Json target_error_json(const domain::TargetError &e)
{
	return {{"path", e.path},
		{"readable", false},
		{"error", {{"message", e.message}, {"hint", e.hint}}}};
}

void volume_audit_text(std::ostream &out, const domain::VolumeAudit &a)
{
	const auto &v = a.volume;
	auto row = [&out](const char *k, const std::string &val) {
		out << "  " << std::left << std::setw(18) << k << val << '\n';
	};
	out << "Volume " << v.path << '\n';
	row("format", "LUKS" + std::to_string(v.version));
	row("cipher", v.cipher + ", " + std::to_string(v.key_bits) + "-bit key");
	row("sector size", std::to_string(v.sector_size));
	row("UUID", v.uuid);
	if (v.version == 2) {
		row("label", v.label.empty() ? "(none)" : v.label);
		std::string flags = util::join(v.persistent_flags, " ");
		row("flags", flags.empty() ? "(none)" : flags);
	}
	for (const auto &k : v.keyslots) {
		row(("keyslot " + std::to_string(k.slot)).c_str(), keyslot_text(k));
		if (const auto *u = unlock_of(a, k.slot))
			row("  unlock", util::printable(unlock_text(*u)));
	}
	row("boot order", boot_order_text(a));
	out << "  findings:\n";
	if (a.findings.empty())
		out << "  none\n";
	findings_text(out, a.findings);
}

// Like cli's error report: the message may quote the header, so it is shown escaped.
void target_error_text(std::ostream &out, const domain::TargetError &e)
{
	out << "Volume " << e.path << "\n  ERROR   " << util::printable(e.message) << '\n';
	if (!e.hint.empty())
		out << "          fix: " << util::printable(e.hint) << '\n';
}

} // namespace luksfit::render
