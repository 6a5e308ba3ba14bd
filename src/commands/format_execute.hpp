// format's writing part: format, keyslot, flags, reload and verify, tracking how far it got so a
// failure can say exactly what state the device is in.
#pragma once

#include <string>

#include "domain/format_plan.hpp"
#include "system/crypt_device.hpp"
#include "util/secure_buffer.hpp"

namespace luksfit::commands {

struct FormatOutcome {
	sys::LuksInfo info;
	std::vector<sys::KeyslotInfo> keyslots;
	int unlocked_slot = -1;
};

// Writes the volume. A failure is rethrown with the device's state appended to its message.
FormatOutcome execute_format(const std::string &device, const domain::FormatPlan &plan,
			     const SecureBuffer &key);

} // namespace luksfit::commands
