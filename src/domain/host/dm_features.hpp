// dm-crypt target features by target version (DM_LIST_VERSIONS / DM_GET_TARGET_VERSION), the
// same thresholds libcryptsetup uses; docs/compatibility.md cites the kernel release of each.
#pragma once

#include <array>
#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace luksfit::domain {

struct TargetVersion {
	unsigned major = 0, minor = 0, patch = 0;
	auto operator<=>(const TargetVersion &) const = default;
	std::string text() const;
};

std::optional<TargetVersion> parse_target_version(std::string_view text); // "1.22.0"

struct DmFeature {
	const char *name;    // dm-crypt table option, e.g. "no_read_workqueue"
	TargetVersion since; // first dm-crypt target version with it
	const char *kernel;  // first upstream kernel release with that target version
	const char *what;    // one line for humans
	bool performance;    // a flag luksfit recommends for speed
};

const std::vector<DmFeature> &dm_crypt_features();

// The features a dm-crypt target of version `v` supports, in table order.
std::vector<const DmFeature *> supported_features(const TargetVersion &v);
bool supports(const TargetVersion &v, std::string_view feature);

} // namespace luksfit::domain
