#pragma once

#include "commands/command.hpp"

namespace luksfit::commands {

// luksfit image create PATH --size SIZE | attach PATH [--read-only] | detach DEV|PATH
commands::CommandFn setup_image(CLI::App &sub);

} // namespace luksfit::commands
