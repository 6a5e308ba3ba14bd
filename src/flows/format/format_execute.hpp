// format's writing part: format, keyslot, flags, reload and verify through the held target,
// tracking how far it got so a failure can say exactly what state the device is in.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "domain/format/format_plan.hpp"
#include "domain/volume/luks_volume.hpp"
#include "system/block/held_target.hpp"
#include "system/luks/crypt_device.hpp"
#include "util/secure_buffer.hpp"

namespace luksfit::flows {

struct FormatOutcome {
	domain::LuksVolume header; // as read back
	int unlocked_slot = -1;
};

// Writes the volume through `target`. `last_check` runs right before the first write (it
// throws to stop). A failure is rethrown with the device's state appended to its message: a
// failed crypt_format is judged by reading back the first `header_reach` bytes (what it may
// write) and comparing them with what was there before.
FormatOutcome execute_format(sys::HeldTarget &target, std::uint64_t header_reach,
			     const domain::FormatPlan &plan, const SecureBuffer &key,
			     const std::function<void()> &last_check);

} // namespace luksfit::flows
