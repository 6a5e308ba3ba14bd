#include "flows/host/host_probe.hpp"

#include <cerrno>
#include <cstring>

#include "domain/cipher/cipher_spec.hpp"
#include "domain/host/cpuinfo.hpp"
#include "flows/host/host_facts.hpp"
#include "flows/host/volume_probe.hpp"
#include "system/afalg/afalg.hpp"
#include "system/afalg/afalg_probe.hpp"
#include "system/dm/dm_support.hpp"
#include "system/dm/dm_targets.hpp"
#include "system/kernel/host_facilities.hpp"
#include "system/kernel/kernel_info.hpp"
#include "system/kernel/modules.hpp"
#include "system/kernel/proc_files.hpp"
#include "system/luks/keyslot_probe.hpp"
#include "system/luks/libcryptsetup.hpp"
#include "system/os/text_file.hpp"

namespace luksfit::flows {
namespace {

using domain::Tri;

void kernel_facts(domain::HostFacts &h)
{
	h.kernel_release = kernel_release_text();
	const auto fips = sys::fips_mode();
	h.fips = fips ? std::optional<bool>(*fips) : std::nullopt; // unreadable: unknown
	if (auto cfg = sys::read_kernel_config(h.kernel_release)) {
		h.config_source = cfg->source;
		h.config = domain::KernelConfig::parse(cfg->text);
	}
	if (auto log = sys::read_kernel_log()) {
		h.kernel_log_readable = Tri::Yes;
		h.afalg_log_lines = domain::afalg_deprecation_lines(*log);
	} else {
		h.kernel_log_readable = Tri::No;
	}
	if (auto cpu = sys::read_text_file("/proc/cpuinfo")) {
		const auto info = domain::parse_cpuinfo(*cpu);
		h.cpu_model = info.model;
		h.cpu_extensions = domain::crypto_extensions(info);
	}
}

void afalg_facts(domain::HostFacts &h)
{
	h.afalg_family = sys::afalg_family_status();
	if (h.afalg_family != 0) {
		h.splice = "unavailable";
		h.splice_detail = std::string("AF_ALG: ") + std::strerror(-h.afalg_family);
		return;
	}
	h.afalg_types["skcipher"] = sys::afalg_bind_status("skcipher", "cbc(aes)");
	h.afalg_types["aead"] = sys::afalg_bind_status("aead", "gcm(aes)");
	h.afalg_types["hash"] = sys::afalg_bind_status("hash", "sha256");
	const auto splice = sys::probe_splice_zero_copy();
	h.splice = sys::splice_outcome_name(splice.outcome);
	h.splice_detail = splice.detail;
}

// Without /dev/mapper/control or root the target version is unknown; module files and the
// kernel configuration still tell "loads on first use" from "missing".
void dm_facts_without_version(domain::HostFacts &h, const Error &why)
{
	const auto dm_mod = sys::module_files(h.kernel_release, "dm-mod").installed;
	const auto dm_crypt = sys::module_files(h.kernel_release, "dm-crypt").installed;
	const bool crypt_loaded = sys::module_loaded("dm-crypt");
	const auto cfg_dm = h.config.get("CONFIG_BLK_DEV_DM");
	const auto cfg_crypt = h.config.get("CONFIG_DM_CRYPT");
	using domain::Tristate;
	if (!h.device_mapper &&
	    (cfg_dm == Tristate::NotSet || (cfg_dm != Tristate::Builtin && dm_mod == false))) {
		h.device_mapper_available = Tri::No;
		h.dm_crypt = Tri::No;
		h.dm_detail = "device-mapper is neither registered nor installed as a module";
		return;
	}
	h.device_mapper_available = Tri::Yes;
	if (crypt_loaded || cfg_crypt == Tristate::Builtin) {
		h.dm_crypt = Tri::Yes;
		h.dm_detail = "version needs root (" + why.message + ")";
		return;
	}
	if (cfg_crypt == Tristate::NotSet || dm_crypt == false) {
		h.dm_crypt = Tri::No;
		h.dm_detail = cfg_crypt == Tristate::NotSet
				      ? "kernel built without CONFIG_DM_CRYPT"
				      : "the dm-crypt module is not installed";
		return;
	}
	h.dm_crypt = Tri::Unknown;
	h.dm_detail = std::string(h.device_mapper ? "" : "device-mapper not loaded yet; ") +
		      (dm_crypt ? "dm-crypt module installed, loads on first use"
				: "dm-crypt not loaded") +
		      " (" + why.message + ")";
}

void dm_facts(domain::HostFacts &h)
{
	h.device_mapper = sys::device_mapper_registered();
	// Asks for the target by name: the kernel loads dm-crypt as a table load would.
	auto v = sys::dm_target_version_or_listed("crypt");
	h.device_mapper = sys::device_mapper_registered(); // the ioctl may load it
	if (v) {
		h.device_mapper_available = Tri::Yes;
		h.dm_crypt = Tri::Yes;
		h.dm_crypt_version = domain::TargetVersion{v->major, v->minor, v->patch};
		return;
	}
	dm_facts_without_version(h, v.error());
}

void helper_facts(domain::HostFacts &h)
{
	const auto loop = sys::path_access("/dev/loop-control");
	if (!loop.exists)
		h.loop = sys::misc_device_registered("loop-control") ? Tri::Unknown : Tri::No;
	else
		h.loop = loop.usable ? Tri::Yes : Tri::Unknown; // exists; opening it needs root
	const int k = sys::keyring_status();
	h.keyring = k == 0 ? Tri::Yes : (k == -ENOSYS || k == -EOPNOTSUPP ? Tri::No : Tri::Unknown);
	const auto lock = sys::path_access("/run/cryptsetup");
	if (lock.usable) {
		h.lock_dir = Tri::Yes;
	} else if (!lock.exists) {
		const auto run = sys::path_access("/run");
		h.lock_dir =
			run.usable ? Tri::Yes : (sys::running_as_root() ? Tri::No : Tri::Unknown);
		h.lock_dir_detail = "/run/cryptsetup does not exist (libcryptsetup creates it)";
	} else {
		h.lock_dir = sys::running_as_root() ? Tri::No : Tri::Unknown;
		h.lock_dir_detail = "/run/cryptsetup is not writable by this user";
	}
}

// The keyslot ciphers libcryptsetup cannot process alone, tried again with a temporary dm-crypt
// mapping allowed: only as root with dm-crypt usable (the fallback needs both).
void dm_fallback_facts(domain::HostFacts &h, const std::vector<sys::KeyslotProbeResult> &probes)
{
	if (!sys::running_as_root() || h.dm_crypt != Tri::Yes)
		return;
	std::vector<sys::KeyslotCipher> refused;
	std::vector<std::size_t> at;
	for (std::size_t i = 0; i < probes.size(); ++i)
		if (probes[i].known && !probes[i].works) {
			refused.push_back(probes[i].cipher);
			at.push_back(i);
		}
	const auto paths = dm_fallback_paths(refused);
	for (std::size_t j = 0; j < paths.size(); ++j) {
		h.candidates[at[j]].keyslot_dm_fallback = paths[j].dm_fallback;
		h.candidates[at[j]].keyslot_detail = paths[j].detail;
	}
}

void candidate_facts(domain::HostFacts &h)
{
	// Binding by algorithm name makes the kernel autoload its best module, as dm-crypt would.
	const bool afalg = h.afalg_family == 0;
	std::vector<sys::KeyslotCipher> ks;
	for (const auto &c : domain::default_candidates()) {
		domain::CandidateFacts f;
		f.candidate = c;
		f.kernel_algorithm = domain::kernel_algorithm(c.spec);
		f.unsafe = domain::safety_violation(c, h.fips.value_or(false));
		if (afalg)
			sys::afalg_bind_status("skcipher", f.kernel_algorithm);
		h.candidates.push_back(std::move(f));
		ks.push_back({c.spec.text(), c.key_bits});
	}
	const auto probes = sys::probe_keyslots_without_afalg(ks);
	dm_fallback_facts(h, probes);
	const auto crypto_text = sys::read_text_file("/proc/crypto");
	const auto algs = domain::parse_proc_crypto(crypto_text ? *crypto_text : std::string());
	for (std::size_t i = 0; i < h.candidates.size(); ++i) {
		auto &f = h.candidates[i];
		f.keyslot_without_afalg =
			!probes[i].known ? Tri::Unknown : (probes[i].works ? Tri::Yes : Tri::No);
		f.keyslot_detail = probes[i].message;
		f.driver = domain::best_cipher_driver(algs, f.kernel_algorithm);
		if (!f.driver)
			f.modules = sys::modules_for_alias(h.kernel_release,
							   "crypto-" + f.kernel_algorithm);
		if (!afalg || !f.driver) {
			f.afalg_detail = afalg ? "no driver loaded" : "no AF_ALG";
			continue;
		}
		const int r = sys::afalg_bind_status("skcipher", f.driver->driver);
		f.afalg_reaches_driver = r == 0 ? Tri::Yes : Tri::No;
		if (r != 0)
			f.afalg_detail =
				std::string("bind ") + f.driver->driver + ": " + std::strerror(-r);
	}
}

} // namespace

domain::HostFacts gather_host_facts()
{
	domain::HostFacts h;
	kernel_facts(h);
	afalg_facts(h);
	dm_facts(h);
	helper_facts(h);
	const auto &lib = sys::libcryptsetup_version();
	h.libcryptsetup_version = lib.version;
	h.libcryptsetup_runtime = lib.runtime;
	h.libcryptsetup_build = lib.build;
	candidate_facts(h);
	return h;
}

} // namespace luksfit::flows
