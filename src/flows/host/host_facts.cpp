#include "flows/host/host_facts.hpp"

#include "domain/boot/udev_properties.hpp"
#include "domain/cipher/policy.hpp"
#include "system/block/block_device.hpp"
#include "system/dm/dm_support.hpp"
#include "system/dm/dm_targets.hpp"
#include "system/kernel/kernel_info.hpp"
#include "system/kernel/modules.hpp"
#include "system/luks/keyslot_probe.hpp"

namespace luksfit::flows {

bool fips_restricted()
{
	const auto fips = sys::fips_mode();
	return fips && *fips;
}

std::string kernel_release_text()
{
	const auto release = sys::kernel_release();
	return release ? *release : "unknown (" + release.error().message + ")";
}

domain::FormatHostFacts format_host_facts()
{
	domain::FormatHostFacts h;
	h.fips = fips_restricted();
	// Asking for the target by name loads dm-crypt, as the table load will anyway.
	const auto v = sys::dm_target_version_or_listed("crypt");
	if (v)
		h.dm_crypt = domain::TargetVersion{v->major, v->minor, v->patch};
	else if (v.error().code == ExitCode::Permission)
		h.dm_crypt_unknown = "reading it needs root";
	else if (!sys::device_mapper_registered())
		h.dm_crypt_unknown = "no device-mapper on this kernel";
	else
		h.dm_crypt_unknown = "no dm-crypt target: " + v.error().message;
	return h;
}

domain::RecommendHostFacts recommend_host_facts(const std::string &device, bool force_fips)
{
	domain::RecommendHostFacts h;
	// The device first: a wrong --device fails before the slower keyslot probe.
	if (!device.empty()) {
		auto t = sys::block_topology(device);
		if (!t)
			fail(t.error().code, "--device " + t.error().message, t.error().hint);
		h.device = domain::RecommendDevice{
			device,	       t->name,		  t->disk,
			t->rotational, t->logical_sector, t->physical_sector};
	}
	h.fips = force_fips || fips_restricted();
	const domain::FormatHostFacts target = format_host_facts();
	h.dm_crypt = target.dm_crypt;
	h.dm_crypt_unknown = target.dm_crypt_unknown;
	std::vector<sys::KeyslotCipher> ciphers;
	for (const auto &c : domain::default_candidates())
		ciphers.push_back({c.spec.text(), c.key_bits});
	for (const auto &r : sys::probe_keyslots_without_afalg(ciphers))
		if (r.known)
			h.userspace_keyslots[r.cipher.cipher + "/" +
					     std::to_string(r.cipher.key_bits)] = r.works;
	return h;
}

domain::AuditHost udev_host()
{
	return domain::udev_audit_host(sys::module_loaded("af_alg"), fips_restricted());
}

} // namespace luksfit::flows
