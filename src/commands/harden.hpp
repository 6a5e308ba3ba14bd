#pragma once

#include "commands/command.hpp"

namespace luksfit::commands {

// luksfit harden TARGET [--key-file F] [--key-slot N] [--persist-perf-flags]: rewrites the
// keyslot the key opens with aes-xts-plain64/512 keyslot encryption when it needs AF_ALG.
commands::CommandFn setup_harden(CLI::App &sub);

} // namespace luksfit::commands
