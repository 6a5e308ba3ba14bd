#pragma once

#include "cli/command.hpp"

namespace luksfit::commands {

cli::CommandFn setup_recommend(CLI::App &sub);

} // namespace luksfit::commands
