// Facts about the running kernel that need a system call.
#pragma once

#include <string>

namespace luksfit::sys {

// uname(2) release, e.g. "6.1.0-56-cloud-amd64"; "unknown" if uname fails.
std::string kernel_release();

} // namespace luksfit::sys
