#include "system/libcryptsetup.hpp"

#include "luksfit_config.h"

namespace luksfit::sys {

std::string libcryptsetup_version()
{
	// libcryptsetup 2.6 exports no version query: this is the version we were built against
	// (Debian rebuilds dependents on ABI changes, so it matches the installed library).
	return LIBCRYPTSETUP_BUILD_VERSION;
}

} // namespace luksfit::sys
