#pragma once

#include "cli/command.hpp"

namespace luksfit::commands {

// luksfit format DEVICE [parameters] [--key-file PATH|-] [--force] [--yes] [--dry-run]
cli::CommandFn setup_format(CLI::App &sub);

} // namespace luksfit::commands
