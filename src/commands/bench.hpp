#pragma once

#include "commands/command.hpp"

namespace luksfit::commands {

commands::CommandFn setup_bench(CLI::App &sub);

} // namespace luksfit::commands
