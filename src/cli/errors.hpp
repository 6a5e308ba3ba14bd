// Rendering of errors: human text on stderr, or the JSON error document on stdout.
#pragma once

#include "render/context.hpp"
#include "util/error.hpp"

namespace luksfit::cli {

// Prints the error in the mode the context asks for and returns its exit code.
int report(const render::Context &ctx, const Error &error);

} // namespace luksfit::cli
