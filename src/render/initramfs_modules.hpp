// Rendering of `initramfs-modules`: one module name per line (what the hooks read), or JSON.
#pragma once

#include <iosfwd>

#include "cli/context.hpp"
#include "domain/cipher_modules.hpp"

namespace luksfit::render {

void module_lines(std::ostream &out, const domain::InitramfsModulesReport &report);
// A short header for -v, on stderr: where the list comes from.
void module_header(std::ostream &err, const domain::InitramfsModulesReport &report);
cli::Json module_json(const domain::InitramfsModulesReport &report);

} // namespace luksfit::render
