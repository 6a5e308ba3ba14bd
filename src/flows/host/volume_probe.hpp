// Reads the volumes `luksfit check TARGET...` audits (read-only) and answers the audit's
// questions about this host, probing keyslot ciphers the host report did not cover.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "domain/host/host_report.hpp"
#include "domain/volume/volume_audit.hpp"

namespace luksfit::flows {

using VolumeOrError = std::variant<domain::LuksVolume, domain::TargetError>;

VolumeOrError read_volume(const std::string &path);

// The audit's view of the host; probes (in parallel) the keyslot ciphers of `volumes` that the
// report's candidates did not cover.
domain::AuditHost audit_host(const domain::HostReport &report,
			     const std::vector<VolumeOrError> &volumes);

} // namespace luksfit::flows
