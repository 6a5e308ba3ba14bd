// open / close: activation with the header's persistent flags plus the performance flags
// decided as recommend and format decide them (the cached measurements for this cipher, else
// what the kernel's dm-crypt supports).
#include "commands/open.hpp"

#include <filesystem>
#include <memory>
#include <ostream>

#include <CLI/CLI.hpp>

#include "commands/options/key_options.hpp"
#include "domain/host/perf_flags.hpp"
#include "flows/bench/bench_run.hpp"
#include "flows/format/params.hpp"
#include "flows/host/host_facts.hpp"
#include "system/dm/dm_support.hpp"
#include "system/luks/crypt_device.hpp"
#include "system/luks/luks_header.hpp"
#include "system/os/signals.hpp"

namespace luksfit::commands {
namespace {

struct OpenOptions {
	std::string device;
	std::string name;
	std::optional<std::string> key_file;
	bool readonly = false;
	bool no_perf_flags = false;
	std::string cache = flows::kDefaultCache;
};

struct CloseOptions {
	std::string name;
};

void require_dmcrypt(const std::string &what)
{
	if (auto missing = sys::dmcrypt_lacks())
		fail(ExitCode::Unsupported, "cannot " + what + ": this kernel has no " + *missing,
		     "load the module (modprobe dm_crypt) or use a kernel built with dm-crypt");
}

ExitCode run_open(render::Context &ctx, const OpenOptions &o)
{
	if (o.name.empty() || o.name.find('/') != std::string::npos)
		fail(ExitCode::Failed, "invalid mapping name '" + o.name + "'",
		     "give a plain name; the mapping appears as /dev/mapper/NAME");
	if (o.key_file == "-")
		sys::require_stdin().or_fail(); // before any open() could reuse a closed fd 0
	auto cd = sys::CryptDevice::init(o.device).or_fail();
	cd.load().or_fail();
	require_dmcrypt("open " + o.device);
	std::error_code ec;
	if (std::filesystem::exists("/dev/mapper/" + o.name, ec))
		fail(ExitCode::Busy, "a mapping named " + o.name + " already exists",
		     "close it first ('luksfit close " + o.name + "') or pick another name");

	std::uint32_t flags = o.readonly ? sys::kActivateReadOnly : 0;
	domain::PerfFlagChoice perf;
	if (o.no_perf_flags)
		perf.reason = "none: --no-perf-flags";
	else {
		const auto header = sys::loaded_header(cd);
		perf = flows::volume_perf_flags(o.cache, header.cipher, header.key_bits);
	}
	for (const auto &f : perf.flags)
		flags |= sys::activation_flag(f);

	const sys::Key key = read_device_key(ctx, o.key_file, o.device);
	sys::throw_if_interrupted();
	const int slot = cd.activate(o.name, key.bytes, flags).or_fail();
	const auto persistent = sys::loaded_header(cd).persistent_flags;
	if (ctx.options.json) {
		ctx.emit_json({{"device", o.device},
			       {"name", o.name},
			       {"path", "/dev/mapper/" + o.name},
			       {"keyslot", slot},
			       {"readonly", o.readonly},
			       {"perf_flags", perf.flags},
			       {"perf_flags_reason", perf.reason},
			       {"persistent_flags", persistent}});
		return ExitCode::Ok;
	}
	ctx.out << "opened " << o.device << " as /dev/mapper/" << o.name << " (keyslot " << slot
		<< ")\n";
	return ExitCode::Ok;
}

ExitCode run_close(render::Context &ctx, const CloseOptions &o)
{
	const std::string &name = o.name;
	require_dmcrypt("close " + name);
	sys::CryptDevice::deactivate(name).or_fail();
	if (ctx.options.json) {
		ctx.emit_json({{"name", name}});
		return ExitCode::Ok;
	}
	ctx.out << "closed " << name << '\n';
	return ExitCode::Ok;
}

} // namespace

commands::CommandFn setup_open(CLI::App &sub)
{
	auto o = std::make_shared<OpenOptions>();
	sub.add_option("DEVICE", o->device, "LUKS device or image file")->required();
	sub.add_option("NAME", o->name, "Mapping name (/dev/mapper/NAME)")->required();
	sub.add_option("--key-file", o->key_file, "Read the key from this file ('-': stdin)");
	sub.add_flag("--readonly", o->readonly, "Activate read-only");
	sub.add_flag("--no-perf-flags", o->no_perf_flags,
		     "Do not add the recommended performance flags (the header's persistent flags "
		     "still apply)");
	sub.add_option("--cache", o->cache,
		       "Bench cache whose measurements decide the performance flags")
		->capture_default_str();
	return [o](render::Context &ctx) { return run_open(ctx, *o); };
}

commands::CommandFn setup_close(CLI::App &sub)
{
	auto o = std::make_shared<CloseOptions>();
	sub.add_option("NAME", o->name, "Mapping name")->required();
	return [o](render::Context &ctx) { return run_close(ctx, *o); };
}

} // namespace luksfit::commands
