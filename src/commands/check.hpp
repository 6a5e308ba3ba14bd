#pragma once

#include "cli/command.hpp"

namespace luksfit::commands {

// luksfit check [TARGET...] [--strict]: host compatibility report; with TARGETs, audits of
// those LUKS volumes (read-only).
cli::CommandFn setup_check(CLI::App &sub);

} // namespace luksfit::commands
