// libcryptsetup, library-wide facts (per-device handles live in their own adapter).
#pragma once

#include <string>

namespace luksfit::sys {

// Version of libcryptsetup luksfit was built against, e.g. "2.6.1".
std::string libcryptsetup_version();

} // namespace luksfit::sys
