// `luksfit image detach`: detach a loop device named by its node or by its backing image.
#pragma once

#include <string>
#include <sys/stat.h>

#include "util/expected.hpp"

namespace luksfit::sys {

struct LoopDetach {
	std::string device;
	bool deferred = false; // still open by someone: the kernel detaches on last close
};

// `target`: /dev/loopN, or an image file attached to exactly one loop device. Anything else is
// exit 4; a device that is not attached is exit 4 too ("not attached").
Expected<LoopDetach> detach_loop(const std::string &target);

// The loop device backed by the inode `image` describes (the one scan of bound loop devices,
// loop_device.hpp), or "" when none is (first match).
Expected<std::string> loop_for_image(const struct stat &image);

} // namespace luksfit::sys
