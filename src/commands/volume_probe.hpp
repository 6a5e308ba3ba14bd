// Reads the volumes `luksfit check TARGET...` audits (read-only) and answers the audit's
// questions about this host, probing keyslot ciphers the host report did not cover.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "domain/host_report.hpp"
#include "domain/volume_audit.hpp"
#include "render/report_render.hpp"

namespace luksfit::commands {

using VolumeOrError = std::variant<domain::LuksVolume, render::TargetError>;

VolumeOrError read_volume(const std::string &path);

// The audit's view of the host; probes (in parallel) the keyslot ciphers of `volumes` that the
// report's candidates did not cover.
domain::AuditHost audit_host(const domain::HostReport &report,
			     const std::vector<VolumeOrError> &volumes);

} // namespace luksfit::commands
