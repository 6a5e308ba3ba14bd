// `luksfit initramfs-modules`: the kernel modules the listed volumes need to open at boot.
#pragma once

#include "commands/command.hpp"

namespace luksfit::commands {

commands::CommandFn setup_initramfs_modules(CLI::App &sub);

} // namespace luksfit::commands
