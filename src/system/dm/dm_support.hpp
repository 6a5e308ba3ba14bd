// Whether this kernel has device-mapper and can create dm-crypt mappings: the one place that
// reads /proc/devices for device-mapper and asks the module index for dm-mod and dm-crypt.
#pragma once

#include <optional>
#include <string>

namespace luksfit::sys {

// device-mapper is registered with the running kernel (a "device-mapper" block major in
// /proc/devices): dm_mod is built in or loaded now.
bool device_mapper_registered();

// What the kernel lacks for dm-crypt mappings, to follow "this kernel has no": "device-mapper
// (CONFIG_BLK_DEV_DM)" or "dm-crypt target (CONFIG_DM_CRYPT, module dm_crypt)"; nullopt when
// both are built in, loaded, or installed as modules (the kernel autoloads dm-crypt when a
// table asks for it).
std::optional<std::string> dmcrypt_lacks();

// 0 when dm-crypt mappings can be tried now: root, and device-mapper behind the control node
// (opening /dev/mapper/control autoloads dm_mod). -EPERM when not root, -ENODEV when the
// kernel has no device-mapper.
int dmcrypt_status();

} // namespace luksfit::sys
