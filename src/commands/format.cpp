// format DEVICE: pre-checks, plan, validation on a loopback image, confirmation, then write.
#include "commands/format.hpp"

#include <cstdlib>
#include <memory>
#include <ostream>

#include <CLI/CLI.hpp>

#include "commands/options/key_options.hpp"
#include "commands/options/param_options.hpp"
#include "domain/format/size.hpp"
#include "flows/format/format_checks.hpp"
#include "flows/format/format_confirm.hpp"
#include "flows/format/format_execute.hpp"
#include "flows/format/roundtrip.hpp"
#include "flows/host/host_facts.hpp"
#include "render/format_render.hpp"
#include "system/block/held_target.hpp"
#include "system/block/target_lock.hpp"
#include "system/dm/dm_support.hpp"
#include "system/os/key_input.hpp"
#include "system/os/signals.hpp"

namespace luksfit::commands {
namespace {

struct Options {
	std::string device;
	flows::ParamOptions params;
	std::optional<std::string> key_file;
	bool force = false;
	bool yes = false;
	bool dry_run = false;
	std::string dir;
};

render::Json signatures_json(const domain::TargetFacts &f)
{
	render::Json a = render::Json::array();
	for (const auto &s : f.signatures)
		a.push_back({{"type", s.type}, {"usage", s.usage}, {"uuid", s.uuid}});
	return a;
}

ExitCode dry_run(render::Context &ctx, const Options &o, const flows::TargetReport &t,
		 const domain::FormatPlan &plan)
{
	const auto lines = domain::cryptsetup_commands(plan, o.device, o.key_file.value_or(""));
	if (ctx.options.json) {
		ctx.emit_json({{"dry_run", true},
			       {"device", o.device},
			       {"size_bytes", t.facts.size_bytes},
			       {"found", signatures_json(t.facts)},
			       {"parameters", render::plan_json(plan)},
			       {"parameters_source", render::source_json(plan.source)},
			       {"cryptsetup", lines}});
		return ExitCode::Ok;
	}
	ctx.out << "dry run: would format " << o.device << " ("
		<< domain::format_size(t.facts.size_bytes) << ") as LUKS2 with:\n";
	render::plan_text(ctx.out, plan);
	ctx.out << "equivalent cryptsetup commands:\n";
	for (const auto &l : lines)
		ctx.out << "  " << l << '\n';
	ctx.out << "nothing was written\n";
	return ExitCode::Ok;
}

// Validation on a loopback test image with the exact plan: the full round trip when dm-crypt
// is here, else format + keyslot unlock + read back (all libcryptsetup does without it).
flows::RoundTripResult validate_plan(render::Context &ctx, const Options &o,
				     const domain::FormatPlan &plan, std::string &limit)
{
	flows::RoundTripOptions rt;
	const char *tmp = std::getenv("TMPDIR");
	rt.dir = !o.dir.empty() ? o.dir : (tmp && *tmp ? tmp : "/tmp");
	if (auto missing = sys::dmcrypt_lacks()) {
		rt.keyslot_only = true;
		limit = "this kernel has no " + *missing +
			": validated format and keyslot unlock only, "
			"not the data path";
		ctx.err << "luksfit: warning: " << limit << '\n';
	}
	if (!ctx.options.json)
		ctx.out << "validating the parameters on a loopback test image:\n";
	return run_roundtrip(plan, rt, [&](const flows::Step &s) {
		if (!ctx.options.json)
			ctx.out << render::step_text(s.name, s.ms) << std::endl;
	});
}

void report(render::Context &ctx, const Options &o, const domain::FormatPlan &plan,
	    const flows::FormatOutcome &r, const flows::RoundTripResult &v,
	    const std::string &limit)
{
	if (ctx.options.json) {
		render::Json slots = render::Json::array();
		for (const auto &s : r.header.keyslots)
			slots.push_back({{"slot", s.slot},
					 {"cipher", s.encryption},
					 {"key_size", s.key_bits}});
		render::Json validation = {{"data_path_tested", v.data_path_tested},
					   {"total_ms", v.total_ms}};
		if (!limit.empty())
			validation["limit"] = limit;
		ctx.emit_json({{"device", o.device},
			       {"uuid", r.header.uuid},
			       {"parameters", render::plan_json(plan)},
			       {"parameters_source", render::source_json(plan.source)},
			       {"keyslots", slots},
			       {"persistent_flags", r.header.persistent_flags},
			       {"validation", validation}});
		return;
	}
	ctx.out << "formatted " << o.device << " as LUKS2, UUID " << r.header.uuid << '\n';
	render::plan_text(ctx.out, plan);
	ctx.out << "verified: keyslot " << r.unlocked_slot << " opens with your key\n";
}

ExitCode run_format(render::Context &ctx, const Options &o)
{
	if (o.key_file == "-")
		sys::require_stdin().or_fail(); // before any open() could reuse a closed fd 0
	// Cheap checks first: a wrong path fails before anything is opened, locked or probed.
	if (auto e = domain::kind_refusal(flows::inspect_kind(o.device)))
		fail(*e);
	// Opened once: every check and the write reach this inode, whatever the path names later.
	sys::HeldTarget held = sys::HeldTarget::open(o.device).or_fail();
	const auto lock = sys::TargetLock::acquire(held.identity_key(), o.device).or_fail();
	sys::throw_if_interrupted();
	const flows::TargetReport target =
		flows::inspect_target(held); // under the lock: no other run races
	flows::enforce_refusals(target.facts, o.force);
	sys::throw_if_interrupted();
	const domain::FormatPlan plan =
		domain::plan_format(flows::to_request(o.params), flows::format_host_facts(),
				    target.topology)
			.or_fail();
	if (o.dry_run)
		return dry_run(ctx, o, target, plan);

	// A key from a file or stdin is read before the long validation, so bad input fails fast;
	// a typed passphrase is asked after the confirmation, as cryptsetup does.
	std::optional<sys::Key> key;
	if (o.key_file)
		key = read_device_key(ctx, o.key_file, o.device, true);
	std::string limit;
	const flows::RoundTripResult validation = validate_plan(ctx, o, plan, limit);
	flows::confirm_format(ctx.err, target, plan, o.yes);
	if (!key)
		key = read_device_key(ctx, o.key_file, o.device, true);
	sys::throw_if_interrupted();
	// Everything is checked again right before the first write: the key prompt, the validation
	// and the confirmation leave time for the path, its mounts and its contents to change.
	const flows::FormatOutcome outcome =
		flows::execute_format(held, target.header_reach, plan, key->bytes,
				      [&] { recheck_target(held, target, o.force); });
	report(ctx, o, plan, outcome, validation, limit);
	return ExitCode::Ok;
}

} // namespace

commands::CommandFn setup_format(CLI::App &sub)
{
	auto o = std::make_shared<Options>();
	sub.add_option("DEVICE", o->device, "Block device or image file to format")->required();
	add_param_options(sub, o->params);
	sub.add_option("--key-file", o->key_file, "Read the key from this file ('-': stdin)");
	sub.add_flag("--force", o->force,
		     "Format even if blkid finds a signature (never when in use)");
	sub.add_flag("-y,--yes", o->yes, "Do not ask for confirmation");
	sub.add_flag("--dry-run", o->dry_run,
		     "Print the plan and the cryptsetup commands, write nothing");
	sub.add_option("--dir", o->dir,
		       "Directory for the validation image (default $TMPDIR or /tmp)");
	return [o](render::Context &ctx) { return run_format(ctx, *o); };
}

} // namespace luksfit::commands
