// FIPS mode of the running kernel (/proc/sys/crypto/fips_enabled).
#pragma once

namespace luksfit::sys {

// True when /proc/sys/crypto/fips_enabled reads 1; false when it is 0 or absent.
bool fips_enabled();

} // namespace luksfit::sys
