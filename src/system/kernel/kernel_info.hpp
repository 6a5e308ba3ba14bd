// Facts about the running kernel itself: its release and whether it runs in FIPS mode.
#pragma once

#include <string>

#include "util/expected.hpp"

namespace luksfit::sys {

// uname(2) release, e.g. "6.1.0-56-cloud-amd64".
Expected<std::string> kernel_release();

// /proc/sys/crypto/fips_enabled reads 1. A kernel without CONFIG_CRYPTO_FIPS has no such file:
// not in FIPS mode (false). An Error when the file exists but cannot be read.
Expected<bool> fips_mode();

} // namespace luksfit::sys
