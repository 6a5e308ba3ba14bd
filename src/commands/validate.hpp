#pragma once

#include "cli/command.hpp"

namespace luksfit::commands {

// luksfit validate [parameters] [--size SIZE] [--dir DIR]
cli::CommandFn setup_validate(CLI::App &sub);

} // namespace luksfit::commands
