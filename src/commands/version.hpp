#pragma once

#include "render/context.hpp"
#include "util/error.hpp"

namespace luksfit::commands {

// luksfit --version: luksfit, libcryptsetup and kernel release.
ExitCode run_version(render::Context &ctx);

} // namespace luksfit::commands
