// luksfit crypttab DEVICE NAME [--write] [--initrd] [--discard] [--no-perf-flags]
//                  [--key-file FILE] [--crypttab FILE] [--cache FILE]
// Reads only the LUKS header (UUID, cipher, persistent flags) and the bench cache. Exit 4: DEVICE
// is not LUKS; 1: bad NAME or key file; 5 (cryptsetup's "already exists"): with --write, the file
// already has NAME or this volume.
#include "commands/crypttab.hpp"

#include <algorithm>
#include <memory>
#include <ostream>

#include <CLI/CLI.hpp>

#include "domain/boot/crypttab_line.hpp"
#include "domain/host/perf_flags.hpp"
#include "flows/bench/bench_run.hpp"
#include "flows/format/params.hpp"
#include "flows/host/host_facts.hpp"
#include "render/crypttab_render.hpp"
#include "system/luks/luks_header.hpp"
#include "system/os/file_replace.hpp"
#include "system/os/signals.hpp"
#include "util/untrusted_text.hpp"

namespace luksfit::commands {
namespace {

constexpr const char *kDefaultCrypttab = "/etc/crypttab";
constexpr const char *kBackupSuffix = ".luksfit-bak";

struct CrypttabOptions {
	std::string device;
	std::string name;
	std::optional<std::string> key_file;
	std::string file = kDefaultCrypttab;
	bool write = false;
	bool initrd = false;
	bool discard = false;
	bool no_perf_flags = false;
	std::string cache = flows::kDefaultCache;
};

void check_fields(const CrypttabOptions &o)
{
	if (auto problem = domain::crypttab_name_problem(o.name))
		fail(ExitCode::Failed,
		     "invalid name '" + util::printable(o.name) + "': " + *problem,
		     "give a plain name; the volume appears as /dev/mapper/NAME");
	if (o.key_file)
		if (auto problem = domain::crypttab_keyfile_problem(*o.key_file))
			fail(ExitCode::Failed,
			     "invalid key file '" + util::printable(*o.key_file) + "': " + *problem,
			     "give an absolute path without blanks or control characters, or leave "
			     "--key-file out");
}

domain::CrypttabResult build(const CrypttabOptions &o)
{
	check_fields(o);
	const auto header = sys::read_luks_header(o.device).or_fail();
	domain::CrypttabResult r;
	r.device = o.device;
	r.name = o.name;
	r.uuid = header.uuid;
	r.file = o.file;
	domain::CrypttabLineRequest req{
		o.name, header.uuid, o.key_file, {}, header.persistent_flags, o.discard, o.initrd};
	if (!o.no_perf_flags) {
		// The decision open applies, so the boot-time line matches.
		auto k = flows::volume_perf_flags(o.cache, header.cipher, header.key_bits);
		req.perf_flags = std::move(k.flags);
		r.flags_basis = std::move(k.reason);
	} else {
		r.flags_basis = "none (--no-perf-flags)";
	}
	r.line = domain::build_crypttab_line(req);
	return r;
}

int count_lines(const std::string &text)
{
	return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

void write_line(domain::CrypttabResult &r)
{
	// From reading to renaming: concurrent writers would otherwise drop each other's lines.
	auto lock = sys::ReplaceLock::acquire(r.file);
	sys::throw_if_interrupted();
	const sys::ReplaceLock held = std::move(lock).or_fail();
	const auto old = sys::snapshot_file(r.file).or_fail();
	if (auto c = domain::find_crypttab_conflict(domain::parse_crypttab(old.content), r.name,
						    r.uuid))
		fail(ExitCode::Busy, r.file + ": " + c->message + "; nothing was written",
		     "pick another NAME, or edit or remove that line first");
	const std::string text = domain::append_crypttab_line(old.content, r.line.text);
	if (old.exists) {
		r.backup = old.path + kBackupSuffix;
		sys::write_file_atomically(r.backup, old.content, old).or_fail();
	}
	sys::write_file_atomically(old.path, text, old).or_fail();
	r.written = true;
	r.created = !old.exists;
	r.line_number = count_lines(text);
}

// Without --write the file is only read, to warn about a line --write would refuse; when it
// cannot be read (not a regular file, no permission), the warning says so.
void look_for_conflict(domain::CrypttabResult &r, std::ostream &err)
{
	const auto old = sys::snapshot_file(r.file);
	if (!old)
		err << "luksfit: warning: cannot check " << r.file
		    << " for a conflicting line: " << old.error().message << '\n';
	if (old && old->exists)
		r.conflict = domain::find_crypttab_conflict(domain::parse_crypttab(old->content),
							    r.name, r.uuid);
}

ExitCode run_crypttab(render::Context &ctx, const CrypttabOptions &o)
{
	auto r = build(o);
	if (o.write)
		write_line(r);
	else
		look_for_conflict(r, ctx.err);
	if (ctx.options.json) {
		ctx.emit_json(render::crypttab_json(r));
		return ExitCode::Ok;
	}
	render::crypttab_text(ctx.out, ctx.err, r, ctx.options.verbose > 0);
	return ExitCode::Ok;
}

} // namespace

commands::CommandFn setup_crypttab(CLI::App &sub)
{
	auto o = std::make_shared<CrypttabOptions>();
	sub.add_option("DEVICE", o->device, "LUKS device or image file (only its header is read)")
		->required();
	sub.add_option("NAME", o->name, "Mapping name (/dev/mapper/NAME)")->required();
	sub.add_flag("--write", o->write,
		     "Add the line to the crypttab file (atomically, keeping FILE.luksfit-bak)");
	sub.add_flag("--initrd", o->initrd,
		     "Add x-initrd.attach (set the volume up in the initramfs)");
	sub.add_flag("--discard", o->discard, "Add discard (pass TRIM to the device)");
	sub.add_flag("--no-perf-flags", o->no_perf_flags,
		     "Leave out no-read-workqueue/no-write-workqueue");
	sub.add_option("--key-file", o->key_file, "Key file field (default: none, ask at boot)")
		->type_name("FILE");
	sub.add_option("--crypttab", o->file, "The crypttab file (default: /etc/crypttab)")
		->type_name("FILE");
	sub.add_option("--cache", o->cache,
		       "Bench cache whose measurements decide the performance flags")
		->capture_default_str();
	return [o](render::Context &ctx) { return run_crypttab(ctx, *o); };
}

} // namespace luksfit::commands
