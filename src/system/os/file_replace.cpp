#include "system/os/file_replace.hpp"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "system/os/readable_file.hpp"
#include "util/eintr.hpp"
#include "util/unique_fd.hpp"

namespace luksfit::sys {
namespace {

constexpr const char *kLockSuffix = ".luksfit-lock";

std::string folder_of(const std::string &path)
{
	const auto slash = path.rfind('/');
	if (slash == std::string::npos)
		return ".";
	return slash == 0 ? "/" : path.substr(0, slash);
}

std::string resolved(const std::string &path)
{
	char buf[PATH_MAX];
	return ::realpath(path.c_str(), buf) ? std::string(buf) : path;
}

int write_all(int fd, const std::string &content)
{
	std::size_t done = 0;
	while (done < content.size()) {
		const ssize_t n = util::retry_eintr(
			[&] { return ::write(fd, content.data() + done, content.size() - done); });
		if (n < 0)
			return -errno;
		done += static_cast<std::size_t>(n);
	}
	return 0;
}

// The temporary file: unlinked on destruction unless it was renamed into place.
class TempFile
{
public:
	explicit TempFile(const std::string &target)
	{
		const auto slash = target.rfind('/');
		const std::string base =
			slash == std::string::npos ? target : target.substr(slash + 1);
		name_ = folder_of(target) + "/." + base + ".luksfit-XXXXXX";
		fd_.reset(::mkostemp(name_.data(), O_CLOEXEC));
		if (!fd_.valid())
			name_.clear();
	}
	~TempFile()
	{
		if (!name_.empty())
			::unlink(name_.c_str());
	}
	TempFile(const TempFile &) = delete;
	TempFile &operator=(const TempFile &) = delete;

	int fd() const { return fd_.get(); }
	bool valid() const { return fd_.valid(); }
	const std::string &name() const { return name_; }
	void keep() { name_.clear(); }
	int close() { return ::close(fd_.release()) == 0 ? 0 : -errno; }

private:
	UniqueFd fd_;
	std::string name_;
};

int fill(TempFile &tmp, const std::string &content, const FileSnapshot &like)
{
	if (::fchmod(tmp.fd(), like.mode & 07777) != 0)
		return -errno;
	if (like.exists && ::fchown(tmp.fd(), like.uid, like.gid) != 0)
		return -errno;
	if (const int r = write_all(tmp.fd(), content); r < 0)
		return r;
	if (::fsync(tmp.fd()) != 0)
		return -errno;
	return tmp.close();
}

// A rename is only durable once the folder is on disk.
Status sync_folder_of(const std::string &path)
{
	UniqueFd dir(::open(folder_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	if (!dir.valid() || ::fsync(dir.get()) != 0)
		return error_from_errno(errno, "fsync the folder of " + path);
	return Done{};
}

} // namespace

Expected<FileSnapshot> snapshot_file(const std::string &path)
{
	FileSnapshot s;
	s.path = resolved(path);
	ReadableFile f = open_readable(s.path);
	if (f.err == ENOENT)
		return s;
	if (f.err)
		return error_from_errno(f.err, "open " + path);
	if (f.wrong_kind || !S_ISREG(f.st.st_mode))
		return Error{ExitCode::Failed,
			     path + " is " + file_kind(f.st.st_mode) + ", not a regular file",
			     "give the path of a regular file"};
	const UniqueFd fd = std::move(f.fd);
	const struct stat &st = f.st;
	s.exists = true;
	s.mode = st.st_mode & 07777;
	s.uid = st.st_uid;
	s.gid = st.st_gid;
	char buf[8192];
	for (;;) {
		const ssize_t n =
			util::retry_eintr([&] { return ::read(fd.get(), buf, sizeof buf); });
		if (n < 0)
			return error_from_errno(errno, "read " + path);
		if (n == 0)
			return s;
		s.content.append(buf, static_cast<std::size_t>(n));
	}
}

Status write_file_atomically(const std::string &path, const std::string &content,
			     const FileSnapshot &like)
{
	TempFile tmp(path);
	if (!tmp.valid())
		return error_from_errno(errno, "create a temporary file next to " + path);
	if (const int r = fill(tmp, content, like); r < 0)
		return error_from_errno(r, "write " + tmp.name());
	if (::rename(tmp.name().c_str(), path.c_str()) != 0)
		return error_from_errno(errno, "rename " + tmp.name() + " to " + path);
	tmp.keep();
	return sync_folder_of(path);
}

Expected<ReplaceLock> ReplaceLock::acquire(const std::string &path)
{
	const std::string name = resolved(path) + kLockSuffix;
	UniqueFd fd(::open(name.c_str(),
			   O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC,
			   0600));
	if (!fd.valid())
		return error_from_errno(errno, "open the lock file " + name);
	struct stat st {
	};
	if (::fstat(fd.get(), &st) != 0)
		return error_from_errno(errno, "stat the lock file " + name);
	if (!S_ISREG(st.st_mode))
		return Error{ExitCode::Failed,
			     "the lock file " + name + " is " + file_kind(st.st_mode) +
				     ", not a regular file",
			     "remove it; luksfit creates it again"};
	if (::flock(fd.get(), LOCK_EX) != 0)
		return error_from_errno(errno, "lock " + name);
	return ReplaceLock(std::move(fd));
}

Status keep_file_as(const std::string &path, const std::string &aside)
{
	if (::rename(path.c_str(), aside.c_str()) != 0)
		return error_from_errno(errno, "rename " + path + " to " + aside);
	return sync_folder_of(path);
}

} // namespace luksfit::sys
