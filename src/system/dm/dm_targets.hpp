// Device-mapper target versions straight from the kernel (DM_LIST_VERSIONS and
// DM_GET_TARGET_VERSION on /dev/mapper/control, <linux/dm-ioctl.h>; no libdevmapper).
#pragma once

#include <string>
#include <vector>

#include "util/expected.hpp"

namespace luksfit::sys {

struct DmTargetVersion {
	std::string name; // "crypt"
	unsigned major = 0, minor = 0, patch = 0;
};

// Every target the kernel has loaded. Needs /dev/mapper/control (root): -EACCES otherwise,
// -ENOENT without device-mapper.
Expected<std::vector<DmTargetVersion>> dm_list_versions();

// One target's version; the kernel loads its module if needed (as a table load would).
// -ENOTTY/-EINVAL on kernels without DM_GET_TARGET_VERSION, -ENOENT if unknown.
Expected<DmTargetVersion> dm_target_version(const std::string &name);

// dm_target_version(), else (kernels without DM_GET_TARGET_VERSION) the target among those
// DM_LIST_VERSIONS reports as loaded.
Expected<DmTargetVersion> dm_target_version_or_listed(const std::string &name);

} // namespace luksfit::sys
