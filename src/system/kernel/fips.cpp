#include "system/kernel/fips.hpp"

#include <fstream>

namespace luksfit::sys {

bool fips_enabled()
{
	std::ifstream in("/proc/sys/crypto/fips_enabled");
	int v = 0;
	return in >> v && v == 1;
}

} // namespace luksfit::sys
