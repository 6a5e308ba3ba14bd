#include "commands/format_checks.hpp"

#include "system/blkid_probe.hpp"
#include "system/block_device.hpp"

namespace luksfit::commands {
namespace {

domain::NodeKind kind_of(sys::NodeType t)
{
	switch (t) {
	case sys::NodeType::Missing: return domain::NodeKind::Missing;
	case sys::NodeType::Directory: return domain::NodeKind::Directory;
	case sys::NodeType::CharDevice: return domain::NodeKind::CharDevice;
	case sys::NodeType::BlockDevice: return domain::NodeKind::BlockDevice;
	case sys::NodeType::RegularFile: return domain::NodeKind::RegularFile;
	case sys::NodeType::Other: return domain::NodeKind::Other;
	}
	return domain::NodeKind::Other;
}

} // namespace

domain::TargetFacts inspect_kind(const std::string &path)
{
	const sys::NodeState node = sys::inspect_node(path);
	if (node.stat_errno)
		throw Failure(error_from_errno(node.stat_errno, path, "check the device path"));
	domain::TargetFacts f;
	f.path = path;
	f.kind = kind_of(node.type);
	f.size_bytes = node.size_bytes;
	f.mount_points = node.mount_points;
	f.holders = node.holders;
	f.exclusive_open_failed = node.exclusive_open_failed;
	return f;
}

TargetReport inspect_target(const std::string &path)
{
	TargetReport r;
	r.facts = inspect_kind(path);
	if (r.facts.kind != domain::NodeKind::BlockDevice && r.facts.kind != domain::NodeKind::RegularFile)
		return r;
	auto probe = sys::blkid_probe_path(path);
	if (!probe) {
		r.facts.probe_error = probe.error().message;
		return r;
	}
	for (const auto &s : probe->signatures)
		r.facts.signatures.push_back({s.type, s.usage, s.uuid, s.label});
	r.topology.logical_sector = probe->topology.logical_sector;
	r.topology.physical_sector = probe->topology.physical_sector;
	r.topology.alignment_offset = probe->topology.alignment_offset;
	r.topology.size_bytes = r.facts.size_bytes;
	return r;
}

void enforce_refusals(const domain::TargetFacts &facts, bool force)
{
	if (auto e = domain::format_refusal(facts, force,
					    domain::kLuks2HeaderBytes + domain::kMinDataBytes))
		throw Failure(*e);
}

} // namespace luksfit::commands
