#pragma once

#include "commands/command.hpp"

namespace luksfit::commands {

commands::CommandFn setup_recommend(CLI::App &sub);

} // namespace luksfit::commands
