// format's pre-checks: what the target is and holds (system adapters), judged by the domain's
// refusal rules, once before the plan and once more right before the first write. Nothing here
// writes.
#pragma once

#include <cstdint>
#include <string>

#include "domain/format/device_refusal.hpp"
#include "domain/format/format_plan.hpp"
#include "system/block/held_target.hpp"

namespace luksfit::flows {

struct TargetReport {
	domain::TargetFacts facts;
	domain::Topology topology;
	// How far from the start crypt_format may write (its header area): what a failed format
	// is compared over, to tell whether it wrote anything.
	std::uint64_t header_reach = 0;
};

// Only the node kind (exists? block device? file?): stat, nothing opened, before the lock.
domain::TargetFacts inspect_kind(const std::string &path);

// Everything, through the held target: kind, size, mounts, holders, exclusive claims (of the
// device or of the loop devices backed by the image), every blkid signature, topology.
TargetReport inspect_target(sys::HeldTarget &target);

// Throws the refusal (exit 4 or 6) if format must not touch the target.
void enforce_refusals(const domain::TargetFacts &facts, bool force);

// The last check, right before the first byte is written: the path still names the held inode
// (else exit 4), nothing mounts, holds or claims it, and it holds what was checked and
// confirmed (else exit 6). Throws.
void recheck_target(sys::HeldTarget &target, const TargetReport &checked, bool force);

} // namespace luksfit::flows
