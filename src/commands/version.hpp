#pragma once

#include "cli/context.hpp"
#include "util/error.hpp"

namespace luksfit::commands {

// luksfit --version: luksfit, libcryptsetup and kernel release.
ExitCode show_version(cli::Context &ctx);

} // namespace luksfit::commands
