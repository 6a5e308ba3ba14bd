#include "flows/format/format_checks.hpp"

#include <algorithm>

#include "system/block/blkid_probe.hpp"
#include "system/block/block_device.hpp"
#include "util/text.hpp"

namespace luksfit::flows {
namespace {

domain::NodeKind kind_of(sys::NodeType t)
{
	switch (t) {
	case sys::NodeType::Missing:
		return domain::NodeKind::Missing;
	case sys::NodeType::Directory:
		return domain::NodeKind::Directory;
	case sys::NodeType::CharDevice:
		return domain::NodeKind::CharDevice;
	case sys::NodeType::BlockDevice:
		return domain::NodeKind::BlockDevice;
	case sys::NodeType::RegularFile:
		return domain::NodeKind::RegularFile;
	case sys::NodeType::Other:
		return domain::NodeKind::Other;
	}
	return domain::NodeKind::Other;
}

// crypt_format writes [0, data offset): LUKS2's default 16 MiB header area, rounded up to the
// device's alignment (optimal I/O size, at least 1 MiB), plus the alignment offset.
std::uint64_t header_reach(const sys::BlkidTopology &t, std::uint64_t size)
{
	const std::uint64_t align = std::max<std::uint64_t>(t.optimal_io, 1u << 20);
	const std::uint64_t reach =
		(domain::kLuks2HeaderBytes + align - 1) / align * align + t.alignment_offset;
	return std::min(reach, size);
}

} // namespace

domain::TargetFacts inspect_kind(const std::string &path)
{
	const sys::NodeState node = sys::inspect_node(path);
	if (node.stat_errno)
		fail(error_from_errno(node.stat_errno, path, "check the device path"));
	domain::TargetFacts f;
	f.path = path;
	f.kind = kind_of(node.type);
	return f;
}

TargetReport inspect_target(sys::HeldTarget &target)
{
	TargetReport r;
	domain::TargetFacts &f = r.facts;
	f.path = target.path();
	f.kind = target.is_block() ? domain::NodeKind::BlockDevice : domain::NodeKind::RegularFile;
	f.size_bytes = target.size_bytes().or_fail();
	sys::TargetUsage usage = target.usage().or_fail();
	f.mount_points = std::move(usage.mount_points);
	f.holders = std::move(usage.holders);
	f.exclusive_open_failed = !usage.busy_device.empty();
	f.busy_device = std::move(usage.busy_device);
	// libblkid opens by path: the held inode's, not what the path names by now.
	auto probe = sys::blkid_probe_path(target.fd_path());
	if (!probe) {
		f.probe_error = util::replace_all(probe.error().message, target.fd_path(), f.path);
		return r;
	}
	for (const auto &s : probe->signatures)
		f.signatures.push_back({s.type, s.usage, s.uuid, s.label});
	r.topology.logical_sector = probe->topology.logical_sector;
	r.topology.physical_sector = probe->topology.physical_sector;
	r.topology.alignment_offset = probe->topology.alignment_offset;
	r.topology.size_bytes = f.size_bytes;
	r.header_reach = header_reach(probe->topology, f.size_bytes);
	return r;
}

void enforce_refusals(const domain::TargetFacts &facts, bool force)
{
	if (auto e = domain::format_refusal(facts, force,
					    domain::kLuks2HeaderBytes + domain::kMinDataBytes))
		fail(*e);
}

void recheck_target(sys::HeldTarget &target, const TargetReport &checked, bool force)
{
	target.check_path().or_fail();
	const TargetReport now = inspect_target(target);
	enforce_refusals(now.facts, force);
	if (auto e = domain::change_refusal(checked.facts, now.facts))
		fail(*e);
}

} // namespace luksfit::flows
