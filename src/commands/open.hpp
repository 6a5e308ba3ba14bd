#pragma once

#include "cli/command.hpp"

namespace luksfit::commands {

// luksfit open DEVICE NAME [--key-file PATH|-] [--readonly] [--no-perf-flags]
cli::CommandFn setup_open(CLI::App &sub);
// luksfit close NAME
cli::CommandFn setup_close(CLI::App &sub);

} // namespace luksfit::commands
