// luksfit's own lock against two runs on one target, in a root-only folder of /run that is
// opened without following symlinks and checked before anything is created in it.
#pragma once

#include <string>

#include "util/expected.hpp"
#include "util/unique_fd.hpp"

namespace luksfit::sys {

// The folder of luksfit's lock files: root's, mode 0700, never in world-writable /run/lock
// (another local user could plant a symlink or a folder of their own there).
inline constexpr const char *kRunDir = "/run/luksfit";

// Opens kRunDir, creating it (0700) if missing. Refuses (exit 6) a symlink, anything but a
// folder, a folder owned by another user, or one that group or others may access.
Expected<UniqueFd> open_run_dir();

// An exclusive flock on kRunDir/NAME (NAME: the target's identity, e.g. "blk-1792"), held for
// a whole format: a second luksfit on the same target fails at once (exit 5) instead of racing.
// A lock file, not the target itself: libcryptsetup flocks image files during format, and would
// wait for us forever.
class TargetLock
{
public:
	static Expected<TargetLock> acquire(const std::string &name, const std::string &shown);
	int fd() const noexcept { return fd_.get(); }

private:
	explicit TargetLock(UniqueFd fd) : fd_(std::move(fd)) {}
	UniqueFd fd_;
};

} // namespace luksfit::sys
