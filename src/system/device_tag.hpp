// Finds the block device a crypttab DEVICE field names (UUID=, PARTUUID=, LABEL=,
// PARTLABEL= or a path), through libblkid's tag evaluation (udev links, then a probe).
#pragma once

#include <string>

#include "domain/crypttab.hpp"
#include "util/expected.hpp"

namespace luksfit::sys {

// The path of the device; a path is returned as it is. Not found: exit 4.
Expected<std::string> resolve_device(const domain::DeviceRef &ref);

} // namespace luksfit::sys
