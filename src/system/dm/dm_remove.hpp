// Removing a device-mapper device by name (DM_DEV_REMOVE on /dev/mapper/control, no
// libdevmapper): the guard that clears a temporary mapping a killed libcryptsetup left behind.
#pragma once

#include <string>

namespace luksfit::sys {

// 0 when `name` was removed, -ENXIO when there is no such device, else -errno (-EBUSY: open).
int dm_remove_device(const std::string &name);

} // namespace luksfit::sys
