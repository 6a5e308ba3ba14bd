// The host facts each command needs, gathered here and nowhere else (each read through its one
// system probe): the small views of format, open, crypttab, recommend and udev-probe. The
// full report of `luksfit check` is gather_host_facts() (host_probe.hpp).
#pragma once

#include <optional>
#include <string>

#include "domain/bench/recommendation.hpp"
#include "domain/format/format_plan.hpp"
#include "domain/host/perf_flags.hpp"
#include "domain/volume/volume_audit.hpp"

namespace luksfit::flows {

// FIPS mode as the safety rules apply it. An unreadable /proc/sys/crypto/fips_enabled counts as
// off: in FIPS mode the kernel itself refuses an unapproved algorithm when it is used, so a
// wrong guess fails loudly there instead of weakening anything.
bool fips_restricted();

// The running kernel's release for reports, or "unknown (uname: ...)" saying why not.
std::string kernel_release_text();

// format, validate, open and crypttab: FIPS and the dm-crypt target version.
domain::FormatHostFacts format_host_facts();

// recommend: FIPS (or `force_fips`), the dm-crypt target version, the --device topology (a wrong
// --device fails, exit 4) and which candidates' keyslots work without AF_ALG, found by trying (in
// parallel).
domain::RecommendHostFacts recommend_host_facts(const std::string &device, bool force_fips);

// udev-probe: the audit with the policy's assumed keyslot rule, AF_ALG judged from
// /sys/module (no socket: creating one autoloads af_alg), and FIPS.
domain::AuditHost udev_host();

} // namespace luksfit::flows
