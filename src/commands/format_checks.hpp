// format's pre-checks: what the target is and holds (system adapters), judged by the domain's
// refusal rules. Nothing here writes.
#pragma once

#include <string>

#include "domain/device_refusal.hpp"
#include "domain/format_plan.hpp"

namespace luksfit::commands {

struct TargetReport {
	domain::TargetFacts facts;
	domain::Topology topology;
};

// Only the node kind (exists? block device? file?): cheap, before taking the lock.
domain::TargetFacts inspect_kind(const std::string &path);

// Everything: kind, size, mounts, holders, exclusive open, every blkid signature, topology.
TargetReport inspect_target(const std::string &path);

// Throws the refusal (exit 4 or 6) if format must not touch the target.
void enforce_refusals(const domain::TargetFacts &facts, bool force);

} // namespace luksfit::commands
