// How a subcommand plugs into the CLI: it adds itself to the CLI11 app and returns the
// function to run once the command line was parsed.
#pragma once

#include <functional>
#include <vector>

#include "render/context.hpp"
#include "util/error.hpp"

namespace CLI {
class App;
}

namespace luksfit::commands {

using CommandFn = std::function<ExitCode(render::Context &)>;

// Adds a subcommand's options to `sub` (already named and described) and returns its runner.
// Options are bound to state the runner captures (shared_ptr), so the runner outlives setup.
using CommandSetup = CommandFn (*)(CLI::App &sub);

struct CommandEntry {
	const char *name;
	const char *summary;
	CommandSetup setup; // nullptr: registered, answers "not implemented yet" (exit 1)
};

// Every subcommand, in help order (commands/registry.cpp).
const std::vector<CommandEntry> &command_table();

} // namespace luksfit::commands
