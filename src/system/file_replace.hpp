// Replacing a small configuration file (/etc/crypttab) so that a crash or a full disk never
// leaves it half written: a temporary file in the same folder, fsync, rename(2) over the old
// one, fsync of the folder. The new file keeps the old one's mode and owner.
#pragma once

#include <string>
#include <sys/types.h>

#include "util/expected.hpp"

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

} // namespace luksfit::sys
