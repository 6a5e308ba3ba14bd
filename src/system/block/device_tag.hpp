// Finds the block device carrying a tag (UUID, PARTUUID, LABEL, PARTLABEL) through libblkid's
// tag evaluation (udev links, then a probe), as a crypttab DEVICE field names it.
#pragma once

#include <string>

#include "util/expected.hpp"

namespace luksfit::sys {

// The path of the device with tag=value. Not found: exit 4.
Expected<std::string> find_device_by_tag(const std::string &tag, const std::string &value);

} // namespace luksfit::sys
