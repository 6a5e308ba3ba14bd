#include "system/block/image_file.hpp"

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

#include "util/unique_fd.hpp"

namespace luksfit::sys {

Status create_sparse_image(const std::string &path, std::uint64_t size)
{
	UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
	if (!fd.valid()) {
		const int err = errno;
		if (err == EEXIST)
			return Error{
				ExitCode::Busy, path + " already exists",
				"luksfit never overwrites a file; pick another path or delete it"};
		return error_from_errno(err, "create " + path);
	}
	if (::ftruncate(fd.get(), static_cast<off_t>(size)) != 0) {
		const int err = errno;
		::unlink(path.c_str());
		return error_from_errno(
			err, "set the size of " + path,
			err == EFBIG ? "the filesystem cannot hold a file this large" : "");
	}
	return Done{};
}

Expected<std::uint64_t> allocated_bytes(const std::string &path)
{
	struct stat st {
	};
	if (::stat(path.c_str(), &st) != 0)
		return error_from_errno(errno, "stat " + path);
	return static_cast<std::uint64_t>(st.st_blocks) * 512;
}

Expected<TempImage> TempImage::create(const std::string &dir, std::uint64_t size)
{
	UniqueFd fd(::open(dir.c_str(), O_RDWR | O_TMPFILE | O_CLOEXEC, 0600));
	if (!fd.valid() && (errno == EOPNOTSUPP || errno == EISDIR)) {
		// No O_TMPFILE on this filesystem: a named file, unlinked at once.
		std::string tmpl = dir + "/luksfit-test-image.XXXXXX";
		fd.reset(::mkostemp(tmpl.data(), O_CLOEXEC));
		if (fd.valid())
			::unlink(tmpl.c_str());
	}
	if (!fd.valid())
		return error_from_errno(errno, "create a test image in " + dir,
					"give a writable directory with --dir");
	if (::ftruncate(fd.get(), static_cast<off_t>(size)) != 0)
		return error_from_errno(errno, "set the size of the test image in " + dir);
	return TempImage(std::move(fd));
}

TempImage::TempImage(UniqueFd fd)
    : fd_(std::move(fd)), path_("/proc/self/fd/" + std::to_string(fd_.get()))
{
}

int TempImage::remove()
{
	if (!fd_.valid())
		return 0;
	path_.clear();
	return ::close(fd_.release()) == 0 ? 0 : -errno;
}

} // namespace luksfit::sys
