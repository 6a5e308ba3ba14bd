// `luksfit crypttab DEVICE NAME`: the /etc/crypttab line for a LUKS volume; added to the file
// only with --write (atomically, keeping a backup, refusing a duplicate).
#pragma once

#include "commands/command.hpp"

namespace luksfit::commands {

commands::CommandFn setup_crypttab(CLI::App &sub);

} // namespace luksfit::commands
