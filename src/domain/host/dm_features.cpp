#include "domain/host/dm_features.hpp"

#include <charconv>

namespace luksfit::domain {

std::string TargetVersion::text() const
{
	return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

std::optional<TargetVersion> parse_target_version(std::string_view text)
{
	TargetVersion v;
	unsigned *parts[] = {&v.major, &v.minor, &v.patch};
	const char *p = text.data();
	const char *end = text.data() + text.size();
	for (int i = 0; i < 3; ++i) {
		const auto r = std::from_chars(p, end, *parts[i]);
		if (r.ec != std::errc{})
			return std::nullopt;
		p = r.ptr;
		if (i < 2) {
			if (p == end || *p != '.')
				return std::nullopt;
			++p;
		}
	}
	if (p != end)
		return std::nullopt;
	return v;
}

const std::vector<DmFeature> &dm_crypt_features()
{
	static const std::vector<DmFeature> table = {
		{"allow_discards", {1, 11, 0}, "3.1", "pass TRIM/discard to the device", false},
		{"same_cpu_crypt",
		 {1, 14, 0},
		 "4.0",
		 "encrypt on the CPU that submitted the I/O",
		 false},
		{"submit_from_crypt_cpus",
		 {1, 14, 0},
		 "4.0",
		 "submit writes from the encryption threads",
		 false},
		{"sector_size",
		 {1, 17, 0},
		 "4.12",
		 "encryption sectors larger than 512 bytes",
		 true},
		{"keyring_key",
		 {1, 18, 1},
		 "4.15",
		 "volume key passed through the kernel keyring",
		 false},
		{"no_read_workqueue",
		 {1, 22, 0},
		 "5.9",
		 "decrypt reads inline instead of in a workqueue",
		 true},
		{"no_write_workqueue",
		 {1, 22, 0},
		 "5.9",
		 "encrypt writes inline instead of in a workqueue",
		 true},
		{"high_priority",
		 {1, 26, 0},
		 "6.10",
		 "encryption workqueues at high priority",
		 false},
	};
	return table;
}

std::vector<const DmFeature *> supported_features(const TargetVersion &v)
{
	std::vector<const DmFeature *> out;
	for (const DmFeature &f : dm_crypt_features())
		if (v >= f.since)
			out.push_back(&f);
	return out;
}

bool supports(const TargetVersion &v, std::string_view feature)
{
	for (const DmFeature &f : dm_crypt_features())
		if (feature == f.name)
			return v >= f.since;
	return false;
}

} // namespace luksfit::domain
