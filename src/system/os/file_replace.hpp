// Replacing a small configuration file (/etc/crypttab) so that a crash or a full disk never
// leaves it half written: a temporary file in the same folder, fsync, rename(2) over the old
// one, fsync of the folder. The new file keeps the old one's mode and owner.
#pragma once

#include <string>
#include <sys/types.h>

#include "util/expected.hpp"
#include "util/unique_fd.hpp"

namespace luksfit::sys {

struct FileSnapshot {
	std::string path;    // symlinks resolved: the file that gets replaced
	bool exists = false; // false: ENOENT (content empty, mode 0644, owner: whoever writes)
	std::string content;
	mode_t mode = 0644;
	uid_t uid = 0;
	gid_t gid = 0;
};

// The file's bytes and attributes; a missing file is not an error (exists = false).
Expected<FileSnapshot> snapshot_file(const std::string &path);

// Writes `content` to `path` atomically, with `like`'s mode and, when it existed, its owner.
Status write_file_atomically(const std::string &path, const std::string &content,
			     const FileSnapshot &like);

// An exclusive flock(2) held from reading a file to replacing it, so that concurrent
// read-modify-replace runs (crypttab --write) serialize and none loses another's change. It
// is on "<file>.luksfit-lock" next to the (symlink-resolved) file, never on the file itself:
// the rename replaces that inode, and a second writer would lock the old one. The lock file
// (mode 0600, opened with O_NOFOLLOW, refused unless a regular file) stays for later runs.
class ReplaceLock
{
public:
	// Waits for the lock. A signal (EINTR) while waiting returns an error; the caller checks
	// sys::pending_interrupt().
	static Expected<ReplaceLock> acquire(const std::string &path);

private:
	explicit ReplaceLock(UniqueFd fd) : fd_(std::move(fd)) {}
	UniqueFd fd_;
};

// Renames `path` to `aside` (replacing it), durably: e.g. a file that must not be overwritten.
Status keep_file_as(const std::string &path, const std::string &aside);

} // namespace luksfit::sys
