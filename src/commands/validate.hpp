#pragma once

#include "commands/command.hpp"

namespace luksfit::commands {

// luksfit validate [parameters] [--size SIZE] [--dir DIR]
commands::CommandFn setup_validate(CLI::App &sub);

} // namespace luksfit::commands
