#pragma once

#include "commands/command.hpp"

namespace luksfit::commands {

// luksfit check [TARGET...] [--strict]: host compatibility report; with TARGETs, audits of
// those LUKS volumes (read-only).
commands::CommandFn setup_check(CLI::App &sub);

} // namespace luksfit::commands
