#include "system/dm/dm_targets.hpp"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <linux/dm-ioctl.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <vector>

#include "util/unique_fd.hpp"

namespace luksfit::sys {
namespace {

constexpr const char *kControl = "/dev/mapper/control";
constexpr std::size_t kBufSize = 16384;

Expected<UniqueFd> open_control()
{
	UniqueFd fd(::open(kControl, O_RDWR | O_CLOEXEC));
	if (!fd.valid())
		return error_from_errno(errno, std::string("cannot open ") + kControl);
	return fd;
}

// The ioctl buffer: struct dm_ioctl followed by the payload, 8-byte aligned.
std::vector<std::uint64_t> make_buffer(dm_ioctl *&io)
{
	std::vector<std::uint64_t> buf(kBufSize / sizeof(std::uint64_t), 0);
	io = reinterpret_cast<dm_ioctl *>(buf.data());
	io->version[0] = DM_VERSION_MAJOR;
	io->version[1] = 0;
	io->version[2] = 0;
	io->data_size = kBufSize;
	io->data_start = sizeof(dm_ioctl);
	return buf;
}

DmTargetVersion from(const dm_target_versions &t)
{
	return DmTargetVersion{t.name, t.version[0], t.version[1], t.version[2]};
}

} // namespace

Expected<std::vector<DmTargetVersion>> dm_list_versions()
{
	auto fd = open_control();
	if (!fd)
		return fd.error();
	dm_ioctl *io = nullptr;
	auto buf = make_buffer(io);
	if (::ioctl(fd->get(), DM_LIST_VERSIONS, io) != 0)
		return error_from_errno(errno, "DM_LIST_VERSIONS");
	std::vector<DmTargetVersion> out;
	if (io->flags & DM_BUFFER_FULL_FLAG)
		return error_from_errno(ENOSPC, "DM_LIST_VERSIONS");
	const char *base = reinterpret_cast<const char *>(io) + io->data_start;
	const char *end = reinterpret_cast<const char *>(io) + io->data_size;
	for (const char *p = base; p + sizeof(dm_target_versions) <= end;) {
		const auto *t = reinterpret_cast<const dm_target_versions *>(p);
		out.push_back(from(*t));
		if (t->next == 0)
			break;
		p += t->next;
	}
	return out;
}

Expected<DmTargetVersion> dm_target_version(const std::string &name)
{
	auto fd = open_control();
	if (!fd)
		return fd.error();
	dm_ioctl *io = nullptr;
	auto buf = make_buffer(io);
	// The kernel takes the target's name from dm_ioctl.name and answers in the payload.
	std::strncpy(io->name, name.c_str(), sizeof(io->name) - 1);
	if (::ioctl(fd->get(), DM_GET_TARGET_VERSION, io) != 0)
		return error_from_errno(errno, "DM_GET_TARGET_VERSION " + name);
	if (io->data_size < io->data_start + sizeof(dm_target_versions))
		return error_from_errno(EIO, "DM_GET_TARGET_VERSION " + name);
	return from(*reinterpret_cast<const dm_target_versions *>(
		reinterpret_cast<const char *>(io) + io->data_start));
}

Expected<DmTargetVersion> dm_target_version_or_listed(const std::string &name)
{
	auto v = dm_target_version(name);
	if (v || v.error().code == ExitCode::Permission || ::access(kControl, F_OK) != 0)
		return v;
	// Older kernels lack DM_GET_TARGET_VERSION: look among the targets already loaded.
	if (auto all = dm_list_versions())
		for (const auto &t : *all)
			if (t.name == name)
				return t;
	return v;
}

} // namespace luksfit::sys
