// Rendering of `initramfs-modules`: one module name per line (what the hooks read), or JSON.
#pragma once

#include <iosfwd>

#include "domain/boot/cipher_modules.hpp"
#include "render/json.hpp"

namespace luksfit::render {

void initramfs_modules_text(std::ostream &out, const domain::InitramfsModulesReport &report);
// A short header for -v, on stderr: where the list comes from.
void initramfs_header_text(std::ostream &err, const domain::InitramfsModulesReport &report);
render::Json initramfs_modules_json(const domain::InitramfsModulesReport &report);

} // namespace luksfit::render
