#include "commands/udev_probe.hpp"

#include <memory>
#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

#include "domain/boot/udev_properties.hpp"
#include "flows/host/host_facts.hpp"
#include "flows/host/volume_probe.hpp"
#include "render/udev_render.hpp"
#include "system/luks/luks_header.hpp"

namespace luksfit::commands {
namespace {

struct Options {
	std::string device;
};

// Not LUKS, or not readable (a device that vanished before its event was processed, a medium
// gone): exit 0 with no properties. udev runs this for every LUKS add/change event and logs
// each failing IMPORT{program}; nothing can act on such an error there, and `luksfit check
// DEVICE` is the tool that explains it. With -v the reason goes to stderr.
ExitCode nothing_to_report(render::Context &ctx, const Options &o, const std::string &why)
{
	if (ctx.options.verbose > 0)
		ctx.err << "udev-probe: " << o.device << ": " << why << '\n';
	if (ctx.options.json)
		ctx.emit_json({{"device", o.device}, {"luks", false}, {"reason", why}});
	return ExitCode::Ok;
}

// The audit with the policy's ASSUMED keyslot rule, not system/keyslot_probe: the live probe
// forks a child per keyslot cipher and runs libcryptsetup's crypto in it (tens of ms, and a
// kernel-only cipher there may make the kernel load crypto modules); udev needs an answer per
// event in about the time blkid takes. `luksfit check DEVICE` gives the probed answer.
// AF_ALG is judged from /sys/module (no socket: creating one autoloads af_alg).
std::vector<domain::UdevProperty> volume_properties(domain::LuksVolume volume)
{
	return domain::udev_properties(domain::audit_volume(std::move(volume), flows::udev_host()));
}

ExitCode run_udev_probe(render::Context &ctx, const Options &o)
{
	const auto version = sys::luks_signature(o.device);
	if (!version)
		return nothing_to_report(ctx, o, version.error().message);
	if (*version == 0)
		return nothing_to_report(ctx, o, "no LUKS signature");

	auto read = flows::read_volume(o.device);
	std::vector<domain::UdevProperty> props;
	if (auto *e = std::get_if<domain::TargetError>(&read)) {
		if (ctx.options.verbose > 0)
			ctx.err << "udev-probe: " << e->message << '\n';
		props = domain::udev_invalid_header_properties(*version);
	} else {
		props = volume_properties(std::get<domain::LuksVolume>(std::move(read)));
	}
	if (ctx.options.json)
		ctx.emit_json({{"device", o.device},
			       {"luks", true},
			       {"properties", render::udev_properties_json(props)}});
	else
		render::udev_properties_text(ctx.out, props);
	return ExitCode::Ok;
}

} // namespace

commands::CommandFn setup_udev_probe(CLI::App &sub)
{
	auto opts = std::make_shared<Options>();
	sub.add_option("DEVNODE", opts->device, "Block device (udev's $devnode) or image file")
		->required();
	sub.footer("Prints LUKSFIT_*=value lines for udev IMPORT{program}; nothing (exit 0) for a "
		   "device that holds no LUKS header or cannot be read.");
	return [opts](render::Context &ctx) { return run_udev_probe(ctx, *opts); };
}

} // namespace luksfit::commands
