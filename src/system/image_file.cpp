#include "system/image_file.hpp"

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
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
			return Error{ExitCode::Busy, path + " already exists",
				     "luksfit never overwrites a file; pick another path or delete it"};
		return error_from_errno(err, "create " + path);
	}
	if (::ftruncate(fd.get(), static_cast<off_t>(size)) != 0) {
		const int err = errno;
		::unlink(path.c_str());
		return error_from_errno(err, "set the size of " + path,
					err == EFBIG ? "the filesystem cannot hold a file this large" : "");
	}
	return Done{};
}

Expected<std::uint64_t> allocated_bytes(const std::string &path)
{
	struct stat st{};
	if (::stat(path.c_str(), &st) != 0)
		return error_from_errno(errno, "stat " + path);
	return static_cast<std::uint64_t>(st.st_blocks) * 512;
}

Expected<TempImage> TempImage::create(const std::string &dir, std::uint64_t size)
{
	std::string tmpl = dir + "/luksfit-test-image.XXXXXX";
	UniqueFd fd(::mkostemp(tmpl.data(), O_CLOEXEC));
	if (!fd.valid())
		return error_from_errno(errno, "create a test image in " + dir,
					"give a writable directory with --dir");
	TempImage img(tmpl); // owns the path from here: unlinked on any failure below
	if (::ftruncate(fd.get(), static_cast<off_t>(size)) != 0)
		return error_from_errno(errno, "set the size of " + tmpl);
	return img;
}

TempImage::TempImage(TempImage &&other) noexcept : path_(std::exchange(other.path_, {})) {}

TempImage::~TempImage()
{
	remove();
}

int TempImage::remove()
{
	if (path_.empty())
		return 0;
	const int r = ::unlink(path_.c_str()) == 0 ? 0 : -errno;
	path_.clear();
	return r;
}

} // namespace luksfit::sys
