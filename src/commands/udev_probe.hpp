// `luksfit udev-probe DEVNODE`: KEY=value facts about a LUKS device for udev's IMPORT{program}
// (udev/61-luksfit.rules). Reads the header only: never unlocks, prompts or loads modules.
#pragma once

#include "commands/command.hpp"

namespace luksfit::commands {

commands::CommandFn setup_udev_probe(CLI::App &sub);

} // namespace luksfit::commands
