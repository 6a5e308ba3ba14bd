#include "domain/boot/udev_properties.hpp"

#include <algorithm>
#include <utility>

#include "domain/cipher/cipher_spec.hpp"
#include "domain/cipher/policy.hpp"
#include "util/text.hpp"

namespace luksfit::domain {
namespace {

struct Advice {
	std::string_view finding;
	std::string_view code;
};

// One code per remedy the audit's findings name, one finding a line.
// clang-format off
constexpr Advice kAdvice[] = {
	{"keyslot-needs-afalg", "harden"},
	{"keyslot-blocked-at-boot", "harden"},
	{"perf-flags-missing", "harden"},
	{"pbkdf2-weak", "convert-key"},
	{"luks1", "convert-luks2"},
	{"cipher-unsafe", "reencrypt"},
	{"cipher-unknown", "reencrypt"},
	{"cipher-not-accelerated", "reencrypt"},
	{"sector-size-512", "reencrypt"},
	{"truncated", "restore"},
};
// clang-format on

std::string join_ids(const std::vector<Finding> &findings)
{
	std::string ids = util::join(findings, ":", [&](const auto &f) { return f.id; });
	return ids;
}

// The first finding of the worst severity, if it is at least a warning.
const Finding *advised(const std::vector<Finding> &findings)
{
	const Severity w = worst(findings);
	if (w == Severity::Info)
		return nullptr;
	const auto it = std::find_if(findings.begin(), findings.end(),
				     [w](const Finding &f) { return f.severity == w; });
	return it == findings.end() ? nullptr : &*it;
}

} // namespace

AuditHost udev_audit_host(bool afalg, bool fips)
{
	AuditHost host;
	host.afalg = afalg;
	host.fips = fips;
	host.keyslot_without_afalg = [](const std::string &cipher, unsigned) {
		const auto spec = parse_cipher_spec(cipher);
		return spec && assumed_userspace_keyslots(*spec) ? Tri::Yes : Tri::No;
	};
	// udev tries nothing: a keyslot outside the rule counts as lost without AF_ALG, also
	// LUKS1's (whose dm-crypt fallback works only as root, with dm-crypt and the cipher).
	host.keyslot_paths = [rule = host.keyslot_without_afalg](const LuksVolume &,
								 const VolumeKeyslot &k) {
		const Tri userspace = rule(k.encryption, k.key_bits);
		return KeyslotPaths{userspace, userspace == Tri::No ? Tri::No : Tri::Unknown,
				    "udev-probe's assumption, nothing tried"};
	};
	return host;
}

std::string_view udev_advice_code(std::string_view finding_id)
{
	for (const auto &a : kAdvice)
		if (a.finding == finding_id)
			return a.code;
	return {};
}

std::vector<UdevProperty> udev_properties(const VolumeAudit &audit)
{
	const LuksVolume &v = audit.volume;
	std::vector<UdevProperty> p = {
		{"LUKSFIT_LUKS_VERSION", std::to_string(v.version)},
		{"LUKSFIT_CIPHER", v.cipher},
		{"LUKSFIT_KEY_SIZE", std::to_string(v.key_bits)},
		{"LUKSFIT_SECTOR_SIZE", std::to_string(v.sector_size)},
		{"LUKSFIT_KEYSLOTS", std::to_string(v.keyslots.size())},
		{"LUKSFIT_KEYSLOTS_WITHOUT_AFALG", audit.keyslots_at_risk.empty() ? "1" : "0"},
	};
	if (audit.findings.empty()) {
		p.push_back({"LUKSFIT_AUDIT", "ok"});
		return p;
	}
	p.push_back({"LUKSFIT_AUDIT", severity_name(worst(audit.findings))});
	p.push_back({"LUKSFIT_FINDINGS", join_ids(audit.findings)});
	if (const Finding *f = advised(audit.findings))
		if (const auto code = udev_advice_code(f->id); !code.empty())
			p.push_back({"LUKSFIT_ADVICE", std::string(code)});
	return p;
}

std::vector<UdevProperty> udev_invalid_header_properties(int luks_version)
{
	return {
		{"LUKSFIT_LUKS_VERSION", std::to_string(luks_version)},
		{"LUKSFIT_AUDIT", "error"},
		{"LUKSFIT_FINDINGS", "header-invalid"},
		{"LUKSFIT_ADVICE", "restore"},
	};
}

} // namespace luksfit::domain
