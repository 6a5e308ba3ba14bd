#include "domain/format/device_refusal.hpp"

#include <algorithm>

#include "domain/format/size.hpp"
#include "util/text.hpp"

namespace luksfit::domain {
namespace {

Error refuse(std::string message, std::string hint)
{
	return Error{ExitCode::Refused, std::move(message), std::move(hint)};
}

Error wrong(std::string message, std::string hint)
{
	return Error{ExitCode::WrongDevice, std::move(message), std::move(hint)};
}

std::string join(const std::vector<std::string> &v)
{
	std::string out = util::join(v, ", ");
	return out;
}

} // namespace

std::optional<Error> kind_refusal(const TargetFacts &t)
{
	switch (t.kind) {
	case NodeKind::Missing:
		return wrong(t.path + " does not exist",
			     "check the device path (lsblk lists block devices)");
	case NodeKind::Directory:
		return wrong(t.path + " is a directory, not a block device or image file",
			     "give a block device (e.g. /dev/sdX) or an image file");
	case NodeKind::CharDevice:
		return wrong(t.path + " is a character device, not a block device",
			     "give a block device (lsblk lists them) or an image file");
	case NodeKind::Other:
		return wrong(t.path + " is neither a block device nor a regular file",
			     "give a block device (lsblk lists them) or an image file");
	case NodeKind::BlockDevice:
	case NodeKind::RegularFile:
		return std::nullopt;
	}
	return std::nullopt;
}

std::string describe(const Signature &s)
{
	std::string out = s.type;
	if (!s.usage.empty() && s.usage != "other")
		out += " " + s.usage;
	if (!s.label.empty())
		out += " labelled '" + s.label + "'";
	if (!s.uuid.empty())
		out += " (UUID " + s.uuid + ")";
	return out;
}

std::optional<Error> format_refusal(const TargetFacts &t, bool force, std::uint64_t min_bytes)
{
	if (auto e = kind_refusal(t))
		return e;
	if (!t.mount_points.empty())
		return refuse(t.path + " is mounted on " + join(t.mount_points),
			      "unmount it first; luksfit never formats a mounted device, even with "
			      "--force");
	if (!t.holders.empty())
		return refuse(
			t.path + " is in use by " + join(t.holders),
			"stop what holds it (dmsetup ls, cat /proc/mdstat) first; --force does not "
			"override this");
	if (t.exclusive_open_failed) {
		const std::string &dev = t.busy_device.empty() ? t.path : t.busy_device;
		return refuse(t.path + " is in use (" + (dev == t.path ? "it" : dev) +
				      " cannot be opened exclusively)",
			      "close whatever has it open (fuser -v " + dev +
				      "); --force does not override this");
	}
	if (!t.probe_error.empty())
		return refuse(
			"cannot tell what " + t.path + " holds: " + t.probe_error,
			"check that the device is readable; luksfit formats only what it could "
			"inspect");
	if (!t.signatures.empty() && !force) {
		std::string found =
			util::join(t.signatures, "; ", [&](const auto &s) { return describe(s); });
		return refuse(t.path + " holds data: " + found,
			      "if you really want to destroy it, run again with --force");
	}
	if (t.size_bytes < min_bytes)
		return wrong(t.path + " is too small (" + format_size(t.size_bytes) +
				     "): a LUKS2 volume "
				     "needs at least " +
				     format_size(min_bytes),
			     "use a larger device");
	return std::nullopt;
}

std::optional<Error> change_refusal(const TargetFacts &checked, const TargetFacts &now)
{
	const std::string hint = "run format again to check it anew";
	if (now.size_bytes != checked.size_bytes)
		return refuse(now.path + " changed size since it was checked (" +
				      format_size(checked.size_bytes) + ", now " +
				      format_size(now.size_bytes) + ")",
			      hint);
	auto same = [](const Signature &a, const Signature &b) {
		return a.type == b.type && a.usage == b.usage && a.uuid == b.uuid &&
		       a.label == b.label;
	};
	if (std::equal(now.signatures.begin(), now.signatures.end(), checked.signatures.begin(),
		       checked.signatures.end(), same))
		return std::nullopt;
	std::string found =
		util::join(now.signatures, "; ", [&](const auto &s) { return describe(s); });
	return refuse(now.path + " changed since it was checked: blkid now finds " +
			      (found.empty() ? "no signature" : found),
		      hint);
}

} // namespace luksfit::domain
