#pragma once

#include "cli/command.hpp"

namespace luksfit::commands {

cli::CommandFn setup_bench(CLI::App &sub);

} // namespace luksfit::commands
