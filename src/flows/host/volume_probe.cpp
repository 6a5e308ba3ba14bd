#include "flows/host/volume_probe.hpp"

#include <map>
#include <memory>

#include "system/luks/keyslot_probe.hpp"
#include "system/luks/luks_header.hpp"

namespace luksfit::flows {
namespace {

using Key = std::pair<std::string, unsigned>;

} // namespace

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
	auto known = std::make_shared<std::map<Key, domain::Tri>>();
	for (const auto &c : report.facts.candidates)
		(*known)[{c.candidate.spec.text(), c.candidate.key_bits}] = c.keyslot_without_afalg;
	std::vector<sys::KeyslotCipher> missing;
	for (const auto &v : volumes) {
		if (const auto *vol = std::get_if<domain::LuksVolume>(&v))
			for (const auto &k : vol->keyslots)
				if (!known->count({k.encryption, k.key_bits})) {
					(*known)[{k.encryption, k.key_bits}] = domain::Tri::Unknown;
					missing.push_back({k.encryption, k.key_bits});
				}
	}
	for (const auto &r : sys::probe_keyslots_without_afalg(missing))
		(*known)[{r.cipher.cipher, r.cipher.key_bits}] =
			!r.known ? domain::Tri::Unknown
				 : (r.works ? domain::Tri::Yes : domain::Tri::No);

	auto drivers = std::make_shared<std::map<std::string, domain::CryptoAlg>>();
	for (const auto &c : report.facts.candidates)
		if (c.driver)
			(*drivers)[c.kernel_algorithm] = *c.driver;

	domain::AuditHost host;
	host.afalg = report.facts.afalg_family == 0;
	host.fips = report.facts.fips.value_or(false);
	host.dm_crypt_version = report.facts.dm_crypt_version;
	host.keyslot_without_afalg = [known](const std::string &cipher, unsigned bits) {
		const auto it = known->find({cipher, bits});
		return it == known->end() ? domain::Tri::Unknown : it->second;
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
