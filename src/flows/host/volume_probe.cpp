#include "flows/host/volume_probe.hpp"

#include <map>
#include <memory>
#include <tuple>

#include "system/kernel/host_facilities.hpp"
#include "system/luks/luks_header.hpp"

namespace luksfit::flows {
namespace {

using domain::Tri;
using Key = std::tuple<int, std::string, unsigned>; // LUKS version, keyslot cipher, key bits
using PathMap = std::map<Key, domain::KeyslotPaths>;

Tri tri_of(const sys::KeyslotProbeResult &r)
{
	return !r.known ? Tri::Unknown : (r.works ? Tri::Yes : Tri::No);
}

sys::KeyslotCipher cipher_of(const Key &k)
{
	return sys::KeyslotCipher{std::get<1>(k), std::get<2>(k), std::get<0>(k)};
}

// The userspace mode for every keyslot cipher of `volumes` the report's candidates (LUKS2)
// did not cover, in parallel.
void probe_userspace(PathMap &known, const std::vector<VolumeOrError> &volumes)
{
	std::vector<sys::KeyslotCipher> missing;
	for (const auto &v : volumes) {
		const auto *vol = std::get_if<domain::LuksVolume>(&v);
		for (const auto &k : vol ? vol->keyslots : std::vector<domain::VolumeKeyslot>{}) {
			const Key key{vol->version, k.encryption, k.key_bits};
			if (known.count(key))
				continue;
			known[key] = {};
			missing.push_back(cipher_of(key));
		}
	}
	for (const auto &r : sys::probe_keyslots_without_afalg(missing)) {
		auto &p = known[{r.cipher.luks_version, r.cipher.cipher, r.cipher.key_bits}];
		p.userspace = tri_of(r);
		p.detail = r.message;
	}
}

// The dm-crypt mode, only where it can say something: as root, dm-crypt usable, for the
// ciphers of `volumes` the userspace mode refused. Elsewhere it says why it was not tried.
void probe_dm_fallback(PathMap &known, const std::vector<VolumeOrError> &volumes, bool root,
		       Tri dm_crypt)
{
	std::vector<sys::KeyslotCipher> refused;
	for (const auto &v : volumes) {
		const auto *vol = std::get_if<domain::LuksVolume>(&v);
		for (const auto &k : vol ? vol->keyslots : std::vector<domain::VolumeKeyslot>{}) {
			const Key key{vol->version, k.encryption, k.key_bits};
			auto &p = known[key];
			if (p.userspace != Tri::No || p.dm_fallback != Tri::Unknown)
				continue;
			if (!root || dm_crypt != Tri::Yes) {
				p.detail = !root ? "trying it needs root"
						 : "dm-crypt is not usable here";
				continue;
			}
			p.dm_fallback =
				Tri::No; // until the probe says otherwise; also marks it queued
			refused.push_back(cipher_of(key));
		}
	}
	const auto paths = dm_fallback_paths(refused);
	for (std::size_t i = 0; i < refused.size(); ++i) {
		const auto &c = refused[i];
		known[{c.luks_version, c.cipher, c.key_bits}] = paths[i];
	}
}

} // namespace

std::vector<domain::KeyslotPaths> dm_fallback_paths(const std::vector<sys::KeyslotCipher> &refused)
{
	std::vector<domain::KeyslotPaths> out;
	for (const auto &r : sys::probe_keyslots_with_dm_fallback(refused))
		out.push_back({Tri::No, tri_of(r),
			       "tried as root" + (r.message.empty() ? "" : ": " + r.message)});
	return out;
}

VolumeOrError read_volume(const std::string &path)
{
	auto h = sys::read_luks_header(path);
	if (!h)
		return domain::TargetError{path, h.error().message, h.error().hint};
	return std::move(*h);
}

domain::AuditHost audit_host(const domain::HostReport &report,
			     const std::vector<VolumeOrError> &volumes)
{
	const auto &facts = report.facts;
	auto known = std::make_shared<PathMap>();
	for (const auto &c : facts.candidates)
		(*known)[{2, c.candidate.spec.text(), c.candidate.key_bits}] = {
			c.keyslot_without_afalg, c.keyslot_dm_fallback, c.keyslot_detail};
	probe_userspace(*known, volumes);
	const bool root = sys::running_as_root();
	probe_dm_fallback(*known, volumes, root, facts.dm_crypt);

	auto drivers = std::make_shared<std::map<std::string, domain::CryptoAlg>>();
	for (const auto &c : facts.candidates)
		if (c.driver)
			(*drivers)[c.kernel_algorithm] = *c.driver;

	domain::AuditHost host;
	host.afalg = facts.afalg_family == 0;
	host.fips = facts.fips.value_or(false);
	host.dm_crypt_version = facts.dm_crypt_version;
	host.dm_crypt = facts.dm_crypt;
	host.dm_detail = facts.dm_detail;
	host.root = root;
	host.libcryptsetup = facts.libcryptsetup_version;
	host.keyslot_without_afalg = [known](const std::string &cipher, unsigned bits) {
		const auto it = known->find({2, cipher, bits});
		return it == known->end() ? Tri::Unknown : it->second.userspace;
	};
	host.keyslot_paths = [known](const domain::LuksVolume &v, const domain::VolumeKeyslot &k) {
		const auto it = known->find({v.version, k.encryption, k.key_bits});
		return it == known->end() ? domain::KeyslotPaths{} : it->second;
	};
	host.driver_for = [drivers](const std::string &alg) -> std::optional<domain::CryptoAlg> {
		const auto it = drivers->find(alg);
		if (it == drivers->end())
			return std::nullopt;
		return it->second;
	};
	return host;
}

} // namespace luksfit::flows
