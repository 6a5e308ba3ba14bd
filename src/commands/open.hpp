#pragma once

#include "commands/command.hpp"

namespace luksfit::commands {

// luksfit open DEVICE NAME [--key-file PATH|-] [--readonly] [--no-perf-flags]
commands::CommandFn setup_open(CLI::App &sub);
// luksfit close NAME
commands::CommandFn setup_close(CLI::App &sub);

} // namespace luksfit::commands
