#include "system/kernel/kernel_info.hpp"

#include <sys/utsname.h>

namespace luksfit::sys {

std::string kernel_release()
{
	struct utsname u{};
	if (uname(&u) != 0)
		return "unknown";
	return u.release;
}

} // namespace luksfit::sys
