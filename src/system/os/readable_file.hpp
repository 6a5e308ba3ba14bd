// Opening a file or device the user named (a target, a key file, a crypttab, the bench cache)
// for reading, without ever hanging: a FIFO without a writer blocks open(2) for good, and a
// FIFO or terminal blocks read(2). Every reader of such a path opens it here.
#pragma once

#include <string>
#include <sys/stat.h>

#include "util/error.hpp"
#include "util/expected.hpp"
#include "util/unique_fd.hpp"

namespace luksfit::sys {

struct ReadableFile {
	UniqueFd fd; // open and blocking: only for a regular file or a block device
	struct stat st {
	};			 // fstat's answer (also when the kind was refused)
	int err = 0;		 // errno when open(2), fstat(2) or fcntl(2) failed
	bool wrong_kind = false; // opened, but neither a regular file nor a block device (closed)

	bool ok() const noexcept { return err == 0 && !wrong_kind; }
};

// open(O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC), fstat, refuse what is neither a
// regular file nor a block device, then clear O_NONBLOCK for the reads that follow.
ReadableFile open_readable(const std::string &path);

// "a FIFO", "a directory", "a character device", "a socket", ... for st_mode.
std::string file_kind(mode_t mode);

// The refusal of a wrong kind: "<what> is a FIFO, not a regular file or block device".
Error wrong_kind_error(const ReadableFile &f, const std::string &what, ExitCode code,
		       std::string hint);

// open_readable for readers that report any failure as an Error: an open/fstat error as
// error_from_errno(err, `what`, hint), a wrong kind as wrong_kind_error(f, path, wrong_kind,
// hint).
Expected<ReadableFile> open_readable(const std::string &path, const std::string &what,
				     ExitCode wrong_kind, const std::string &hint);

} // namespace luksfit::sys
