#include "system/block/target_lock.hpp"

#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace luksfit::sys {
namespace {

constexpr const char *kRunDirName = "luksfit";

Error unsafe_dir(const std::string &why)
{
	return Error{ExitCode::Refused,
		     std::string(kRunDir) + " " + why +
			     ": luksfit keeps its locks only in a folder "
			     "that root alone can change",
		     std::string("remove it (rm -r ") + kRunDir +
			     ") and run luksfit again as root"};
}

std::string octal_mode(mode_t mode)
{
	char text[8];
	std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
	return text;
}

} // namespace

Expected<UniqueFd> open_run_dir()
{
	// /run may be missing (initramfs, minimal systems): create it like systemd does.
	if (::mkdir("/run", 0755) != 0 && errno != EEXIST)
		return error_from_errno(errno, "create /run");
	UniqueFd run(::open("/run", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
	if (!run.valid())
		return error_from_errno(errno, "open /run");
	if (::mkdirat(run.get(), kRunDirName, 0700) != 0 && errno != EEXIST)
		return error_from_errno(errno, std::string("create ") + kRunDir,
					"luksfit format needs root");
	UniqueFd dir(
		::openat(run.get(), kRunDirName, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
	if (!dir.valid()) {
		if (errno == ELOOP || errno == ENOTDIR)
			return unsafe_dir("is not a folder (a symlink or another file)");
		return error_from_errno(errno, std::string("open ") + kRunDir,
					"luksfit format needs root");
	}
	struct stat st {
	};
	if (::fstat(dir.get(), &st) != 0)
		return error_from_errno(errno, std::string("stat ") + kRunDir);
	// root's folder, or the caller's own: another user could swap its lock files.
	if (st.st_uid != 0 && st.st_uid != ::geteuid())
		return unsafe_dir("belongs to user " + std::to_string(st.st_uid) + ", not to " +
				  std::to_string(::geteuid()));
	if (st.st_mode & 077)
		return unsafe_dir("has mode " + octal_mode(st.st_mode) + ", not 0700");
	return dir;
}

Expected<TargetLock> TargetLock::acquire(const std::string &name, const std::string &shown)
{
	auto dir = open_run_dir();
	if (!dir)
		return dir.error();
	const std::string where = std::string(kRunDir) + "/" + name;
	UniqueFd fd(::openat(dir->get(), name.c_str(),
			     O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600));
	if (!fd.valid())
		return error_from_errno(errno, "create the lock file " + where);
	struct stat st {
	};
	if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode))
		return unsafe_dir("holds " + name + ", which is not a regular file");
	if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
		if (errno == EWOULDBLOCK)
			return Error{ExitCode::Busy,
				     "another luksfit is already working on " + shown,
				     "wait for it to finish; nothing was changed by this run"};
		return error_from_errno(errno, "lock " + where);
	}
	return TargetLock(std::move(fd));
}

} // namespace luksfit::sys
