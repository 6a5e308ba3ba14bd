#include "system/os/readable_file.hpp"

#include <cerrno>
#include <fcntl.h>

namespace luksfit::sys {

ReadableFile open_readable(const std::string &path)
{
	ReadableFile f;
	// O_NONBLOCK: opening a FIFO without a writer returns at once instead of waiting for one.
	f.fd.reset(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
	if (!f.fd.valid() || ::fstat(f.fd.get(), &f.st) != 0) {
		f.err = errno;
		f.fd.reset();
		return f;
	}
	if (!S_ISREG(f.st.st_mode) && !S_ISBLK(f.st.st_mode)) {
		f.wrong_kind = true;
		f.fd.reset();
		return f;
	}
	const int flags = ::fcntl(f.fd.get(), F_GETFL);
	if (flags < 0 || ::fcntl(f.fd.get(), F_SETFL, flags & ~O_NONBLOCK) != 0) {
		f.err = errno;
		f.fd.reset();
	}
	return f;
}

std::string file_kind(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return "a regular file";
	case S_IFBLK:
		return "a block device";
	case S_IFDIR:
		return "a directory";
	case S_IFCHR:
		return "a character device";
	case S_IFIFO:
		return "a FIFO";
	case S_IFSOCK:
		return "a socket";
	case S_IFLNK:
		return "a symbolic link";
	}
	return "an unknown kind of file";
}

Error wrong_kind_error(const ReadableFile &f, const std::string &what, ExitCode code,
		       std::string hint)
{
	return Error{code,
		     what + " is " + file_kind(f.st.st_mode) +
			     ", not a regular file or block device",
		     std::move(hint)};
}

Expected<ReadableFile> open_readable(const std::string &path, const std::string &what,
				     ExitCode wrong_kind, const std::string &hint)
{
	ReadableFile f = open_readable(path);
	if (f.err)
		return error_from_errno(f.err, what, hint);
	if (f.wrong_kind)
		return wrong_kind_error(f, path, wrong_kind, hint);
	return f;
}

} // namespace luksfit::sys
