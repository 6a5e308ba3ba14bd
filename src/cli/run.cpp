#include "cli/run.hpp"

#include <map>
#include <new>
#include <ostream>
#include <string_view>

#include <CLI/CLI.hpp>

#include "cli/errors.hpp"
#include "commands/command.hpp"
#include "commands/version.hpp"
#include "render/context.hpp"
#include "system/os/signals.hpp"

namespace luksfit::cli {
namespace {

// --json must shape even the errors of a command line CLI11 cannot parse, so look ahead.
bool wants_json(int argc, const char *const *argv)
{
	for (int i = 1; i < argc; ++i) {
		const std::string_view arg = argv[i];
		if (arg == "--")
			break;
		if (arg == "--json")
			return true;
	}
	return false;
}

commands::CommandFn not_implemented(const char *name)
{
	return [name](render::Context &) -> ExitCode {
		fail(ExitCode::Failed, std::string("'") + name + "' is not implemented yet",
		     "see 'luksfit --help' for the commands available in this version");
	};
}

// The deepest subcommand the user named, for "luksfit image create --help"-style hints.
std::string command_path(const CLI::App &app)
{
	std::string path = app.get_name();
	const CLI::App *cur = &app;
	for (;;) {
		const auto subs = cur->get_subcommands();
		if (subs.empty())
			return path;
		cur = subs.front();
		path += " " + cur->get_name();
	}
}

// Ends the process by `sig` once the report is out (raise() skips the streams' flush).
[[noreturn]] void die_by(render::Context &ctx, int sig)
{
	ctx.out.flush();
	ctx.err.flush();
	sys::reraise(sig);
}

} // namespace

int run(int argc, const char *const *argv, std::ostream &out, std::ostream &err)
{
	render::Context ctx{render::GlobalOptions{wants_json(argc, argv), 0}, out, err, "luksfit"};
	CLI::App app{"luksfit picks, proves and applies the fastest safe dm-crypt/LUKS2 setup "
		     "for this machine.",
		     "luksfit"};
	sys::install_interrupt_handlers();
	try {
		bool version = false;
		app.add_flag("--json", ctx.options.json, "Print one JSON document on stdout");
		app.add_flag("-v,--verbose", ctx.options.verbose, "More diagnostics on stderr");
		app.add_flag("-V,--version", version,
			     "Print luksfit, libcryptsetup and kernel versions");
		app.require_subcommand(0, 1);
		app.fallthrough(); // global flags may follow the subcommand

		std::map<const CLI::App *, commands::CommandFn> runners;
		for (const commands::CommandEntry &entry : commands::command_table()) {
			CLI::App *sub = app.add_subcommand(entry.name, entry.summary);
			if (entry.setup) {
				runners.emplace(sub, entry.setup(*sub));
			} else {
				// Accept anything, so every invocation gets the same clear answer.
				sub->allow_extras();
				sub->fallthrough(false);
				runners.emplace(sub, not_implemented(entry.name));
			}
		}

		app.parse(argc, argv);

		const auto chosen = app.get_subcommands();
		if (chosen.empty()) {
			if (version)
				return static_cast<int>(commands::run_version(ctx));
			fail(ExitCode::Failed, "no command given",
			     "run 'luksfit --help' for the list of commands");
		}
		ctx.command = chosen.front()->get_name();
		return static_cast<int>(runners.at(chosen.front())(ctx));
	} catch (const CLI::CallForHelp &e) {
		return app.exit(e, out, err);
	} catch (const CLI::CallForAllHelp &e) {
		return app.exit(e, out, err);
	} catch (const CLI::ParseError &e) {
		return report(ctx, Error{ExitCode::Failed, e.what(),
					 "run '" + command_path(app) + " --help' for usage"});
	} catch (const sys::Interrupted &i) {
		report(ctx, i.error());
		die_by(ctx, i.signal()); // cleanup already ran while unwinding
	} catch (const Failure &f) {
		const int code = report(ctx, f.error());
		// A library call that swallowed the EINTR (libcryptsetup opens a device again after
		// one) failed instead of unwinding: still end by the signal, as the caller asked.
		if (const int sig = sys::pending_interrupt())
			die_by(ctx, sig);
		return code;
	} catch (const std::bad_alloc &) {
		return report(ctx, Error{ExitCode::NoMemory, "out of memory", {}});
	} catch (const std::exception &e) {
		return report(ctx,
			      Error{ExitCode::Failed, std::string("internal error: ") + e.what(),
				    "please report this as a bug"});
	}
}

} // namespace luksfit::cli
