// Reads the volumes `luksfit check TARGET...` audits (read-only) and answers the audit's
// questions about this host, probing keyslot ciphers the host report did not cover.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "domain/host/host_report.hpp"
#include "domain/volume/volume_audit.hpp"
#include "system/luks/keyslot_probe.hpp"

namespace luksfit::flows {

using VolumeOrError = std::variant<domain::LuksVolume, domain::TargetError>;

VolumeOrError read_volume(const std::string &path);

// The audit's view of the host; probes (in parallel) the keyslot ciphers of `volumes` that the
// report's candidates did not cover.
domain::AuditHost audit_host(const domain::HostReport &report,
			     const std::vector<VolumeOrError> &volumes);

// The keyslot probe's dm-crypt mode (in parallel) for ciphers its userspace mode refused; call
// it as root with dm-crypt usable. Per cipher, in order: dm_fallback and the detail to report.
std::vector<domain::KeyslotPaths> dm_fallback_paths(const std::vector<sys::KeyslotCipher> &refused);

} // namespace luksfit::flows
