#include "commands/harden.hpp"

#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

#include "commands/options/key_options.hpp"
#include "domain/cipher/policy.hpp"
#include "domain/volume/harden.hpp"
#include "domain/volume/unlock_prediction.hpp"
#include "flows/host/host_probe.hpp"
#include "flows/host/volume_probe.hpp"
#include "render/harden_render.hpp"
#include "system/luks/crypt_device.hpp"
#include "system/luks/keyslot_probe.hpp"
#include "system/luks/keyslot_rewrite.hpp"
#include "system/luks/libcryptsetup.hpp"
#include "util/text.hpp"

namespace luksfit::commands {
namespace {

struct Options {
	std::string target;
	std::optional<std::string> key_file;
	std::optional<int> key_slot;
	bool persist_perf_flags = false;
};

void output(render::Context &ctx, const domain::HardenReport &r)
{
	if (ctx.options.json)
		ctx.emit_json({{"harden", render::harden_json(r)}});
	else
		render::harden_text(ctx.out, r);
}

// The perf flags are stored only where this kernel's dm-crypt is known to support them: an
// unsupported flag in the header makes every later activation fail.
void require_perf_support(const domain::HostReport &host)
{
	const auto &v = host.facts.dm_crypt_version;
	if (!v)
		fail(ExitCode::Unsupported,
		     "cannot tell whether this kernel's dm-crypt supports no_read_workqueue: "
		     "dm-crypt version unknown" +
			     (host.facts.dm_detail.empty() ? ""
							   : " (" + host.facts.dm_detail + ")"),
		     "run 'luksfit harden --persist-perf-flags' as root on the host that opens the "
		     "volume");
	if (!domain::supports(*v, "no_read_workqueue"))
		fail(ExitCode::Unsupported,
		     "dm-crypt " + v->text() +
			     " predates no_read_workqueue (dm-crypt 1.22.0, Linux 5.9)",
		     "leave the flags out on this kernel");
}

// Where a keyslot that needs AF_ALG can still be read: a kernel with it, or (LUKS2, as root)
// libcryptsetup 2.8.7+, which falls back to a temporary dm-crypt mapping.
std::string without_afalg_hint()
{
	std::string hint =
		"run luksfit harden on a kernel that still has AF_ALG (before upgrading)";
	const auto &lib = sys::libcryptsetup_version();
	if (domain::version_at_least(lib.version, domain::kLuks2DmFallbackSince) != true)
		hint += ", or as root with cryptsetup " +
			std::string(domain::kLuks2DmFallbackSince) +
			" or later (this is libcryptsetup " + lib.version +
			"), which reads such keyslots through a temporary dm-crypt mapping";
	return hint;
}

int unlock(sys::CryptDevice &dev, const sys::Key &key, const Options &o,
	   const domain::HostReport &host)
{
	auto slot = sys::keyslot_opened_by(dev, key.bytes, o.key_slot);
	if (slot)
		return *slot;
	if (slot.error().code != ExitCode::Permission && host.facts.afalg_family != 0)
		fail(ExitCode::Unsupported,
		     "cannot unlock " + o.target + " here: " + slot.error().message,
		     without_afalg_hint());
	fail(slot.error());
}

// Returns the keyslot that holds the key afterwards when the at-risk one is gone.
std::optional<int> rewrite(domain::HardenReport &plan, sys::CryptDevice &dev, const sys::Key &key,
			   int slot)
{
	const auto &fb = domain::fallback_keyslot_cipher();
	const auto res =
		sys::rewrite_keyslot(dev, slot, key.bytes, fb.spec.text(), fb.key_bits / 8);
	for (const auto &s : res.steps)
		plan.steps.push_back(std::string(s.ok ? "" : "FAILED: ") + s.what);
	domain::record_rewrite(plan, slot, res.rewritten, fb.spec.text(), fb.key_bits);
	if (res.rewritten && res.final_slot != slot)
		for (auto &s : plan.slots)
			if (s.slot == slot)
				s.slot = res.final_slot;
	plan.error = res.error;
	return res.rewritten ? std::optional<int>(res.final_slot) : std::nullopt;
}

// A later failure does not hide an earlier one.
void add_error(domain::HardenReport &plan, const std::string &error)
{
	plan.error += (plan.error.empty() ? "" : "; ") + error;
}

// Boot names no keyslot: libcryptsetup's search must reach the key's keyslot before any
// keyslot that needs AF_ALG (their failure ends it). Fixes the priorities from the header as
// written now, then proves it in the filtered child, the way boot unlocks.
void ensure_boot_unlock(domain::HardenReport &plan, sys::CryptDevice &dev, const sys::Key &key,
			int slot, const Options &o, const domain::AuditHost &view)
{
	auto now = flows::read_volume(o.target);
	if (const auto *e = std::get_if<domain::TargetError>(&now)) {
		add_error(plan, "reading the header again: " + e->message);
		return;
	}
	const auto audit = domain::audit_volume(std::get<domain::LuksVolume>(now), view);
	for (const auto &k : audit.volume.keyslots)
		if (k.slot == slot && k.priority != domain::kPriorityNormal &&
		    k.priority != domain::kPriorityPrefer) {
			plan.steps.push_back(
				"keyslot " + std::to_string(slot) + " has priority " +
				domain::priority_name(k.priority) +
				": boot uses it only when crypttab names it (key-slot=" +
				std::to_string(slot) + "); not tried without one");
			return;
		}
	for (const auto &c :
	     domain::boot_priority_fix(audit.volume.keyslots,
				       domain::keyslots_beyond_userspace(audit.unlock), slot)) {
		if (auto st = dev.set_keyslot_priority(c.slot, c.to); !st) {
			add_error(plan, st.error().message);
			return;
		}
		domain::record_priority_changes(plan, {c}, slot);
	}
	const auto v = sys::verify_boot_unlock_without_afalg(dev.device(), key.bytes);
	if (!v.works) {
		add_error(plan, "without a keyslot named (as at boot) and without AF_ALG the key "
				"does not open " +
					o.target + ": " + v.message);
		return;
	}
	plan.boot_slot = v.slot;
	plan.steps.push_back("verified: without a keyslot named (as at boot) and without AF_ALG "
			     "the key opens keyslot " +
			     std::to_string(v.slot));
}

ExitCode run_harden(render::Context &ctx, const Options &o)
{
	const auto host = domain::evaluate_host(flows::gather_host_facts());
	std::vector<flows::VolumeOrError> read{flows::read_volume(o.target)};
	if (const auto *e = std::get_if<domain::TargetError>(&read.front()))
		fail(ExitCode::WrongDevice, e->message, e->hint);
	const auto &volume = std::get<domain::LuksVolume>(read.front());
	if (volume.version == 1)
		fail(ExitCode::Unsupported, domain::luks1_explanation(volume),
		     domain::luks1_convert_command(o.target));
	if (o.persist_perf_flags)
		require_perf_support(host);

	const auto audit_view = flows::audit_host(host, read);
	auto plan = domain::harden_plan(domain::audit_volume(volume, audit_view), audit_view);
	if (!domain::any_at_risk(plan) && !o.persist_perf_flags) {
		plan.steps.push_back("every keyslot already opens without AF_ALG: nothing to do");
		output(ctx, plan);
		return ExitCode::Ok;
	}

	auto dev = sys::CryptDevice::init(o.target).or_fail();
	dev.load().or_fail();
	if (domain::any_at_risk(plan)) {
		const auto key = read_device_key(ctx, o.key_file, o.target);
		const int slot = unlock(dev, key, o, host);
		plan.key_slot = slot;
		bool at_risk = false;
		for (const auto &s : plan.slots)
			at_risk |= s.slot == slot && s.state == domain::SlotState::AtRisk;
		std::optional<int> now = slot;
		if (at_risk)
			now = rewrite(plan, dev, key, slot);
		else
			plan.steps.push_back("keyslot " + std::to_string(slot) +
					     " (opened by this key) already opens without AF_ALG");
		if (now)
			ensure_boot_unlock(plan, dev, key, *now, o, audit_view);
	}
	if (o.persist_perf_flags && plan.error.empty()) {
		const std::uint32_t flags = dev.persistent_flags().or_fail() |
					    sys::activation_flag("no-read-workqueue") |
					    sys::activation_flag("no-write-workqueue");
		dev.set_persistent_flags(flags).or_fail();
		plan.perf_flags_stored = true;
		plan.steps.push_back(
			"stored no-read-workqueue and no-write-workqueue in the header");
	}
	if (!plan.error.empty()) {
		if (!ctx.options.json)
			render::harden_text(ctx.out, plan);
		std::string done = util::join(plan.steps, "; ");
		fail(ExitCode::Failed,
		     "harden " + o.target + ": " + plan.error + " [steps: " + done + "]",
		     "the volume has at least as many working keyslots as before; see the steps");
	}
	output(ctx, plan);
	return ExitCode::Ok;
}

} // namespace

commands::CommandFn setup_harden(CLI::App &sub)
{
	auto opts = std::make_shared<Options>();
	sub.add_option("TARGET", opts->target, "LUKS2 device or image file")->required();
	sub.add_option("--key-file", opts->key_file,
		       "Read the key from FILE ('-' for stdin) instead of prompting");
	sub.add_option("--key-slot", opts->key_slot, "The keyslot the key must open")
		->check(CLI::Range(0, 31));
	sub.add_flag("--persist-perf-flags", opts->persist_perf_flags,
		     "Store no-read-workqueue/no-write-workqueue in the LUKS2 header");
	return [opts](render::Context &ctx) { return run_harden(ctx, *opts); };
}

} // namespace luksfit::commands
