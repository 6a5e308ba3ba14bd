// Whether this kernel can create dm-crypt mappings: device-mapper and its crypt target, built
// in, loaded, or loadable as modules (the kernel autoloads dm-crypt when a table asks for it).
#pragma once

#include <optional>
#include <string>

namespace luksfit::sys {

// nullopt when dm-crypt is usable here, else what is missing: "device-mapper" or
// "dm-crypt target (CONFIG_DM_CRYPT, module dm_crypt)", to follow "this kernel has no".
std::optional<std::string> dmcrypt_missing();

} // namespace luksfit::sys
