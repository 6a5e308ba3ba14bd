// What `luksfit udev-probe` tells udev about a LUKS volume: the LUKSFIT_* properties, built
// from the volume audit (the same findings `luksfit check DEVICE` reports). Pure; the shell-safe
// KEY=value rendering is render/udev_render.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/volume/volume_audit.hpp"

namespace luksfit::domain {

struct UdevProperty {
	std::string key;   // LUKSFIT_CIPHER, ...
	std::string value; // raw; the renderer makes it shell-safe
};

// The audit's host view for udev: no probe, no module load. Keyslot ciphers are judged by the
// policy's assumed rule (assumed_userspace_keyslots), drivers and dm-crypt are left unknown.
AuditHost udev_audit_host(bool afalg, bool fips);

// A short code for what to do about a finding ("harden", "reencrypt", ...); "" when its id is
// not one the audit produces.
std::string_view udev_advice_code(std::string_view finding_id);

// LUKSFIT_LUKS_VERSION, _CIPHER, _KEY_SIZE (bits), _SECTOR_SIZE, _KEYSLOTS (count),
// _KEYSLOTS_WITHOUT_AFALG (1/0), _AUDIT (ok/info/warning/error), _FINDINGS (ids, ':'-joined)
// and _ADVICE (for the first finding of the worst severity, warnings and errors only).
std::vector<UdevProperty> udev_properties(const VolumeAudit &audit);

// For a device with a LUKS signature whose header could not be loaded (truncated, corrupted).
std::vector<UdevProperty> udev_invalid_header_properties(int luks_version);

} // namespace luksfit::domain
