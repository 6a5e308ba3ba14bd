#pragma once

#include "commands/command.hpp"

namespace luksfit::commands {

// luksfit format DEVICE [parameters] [--key-file PATH|-] [--force] [--yes] [--dry-run]
commands::CommandFn setup_format(CLI::App &sub);

} // namespace luksfit::commands
