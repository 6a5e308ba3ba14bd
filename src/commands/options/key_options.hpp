// The key of format, open and harden, read one way: from --key-file (or stdin, '-'), else
// asked on the terminal, with its warnings (e.g. a key file others can read) on stderr.
#pragma once

#include <optional>
#include <string>

#include "render/context.hpp"
#include "system/os/key_input.hpp"

namespace luksfit::commands {

// Prompts "Enter passphrase for DEVICE" (twice with `confirm`); fails as sys::read_key does.
sys::Key read_device_key(render::Context &ctx, const std::optional<std::string> &key_file,
			 const std::string &device, bool confirm = false);

} // namespace luksfit::commands
