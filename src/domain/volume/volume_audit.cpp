#include "domain/volume/volume_audit.hpp"

#include <algorithm>

#include "domain/cipher/cipher_spec.hpp"
#include "domain/cipher/policy.hpp"
#include "domain/volume/boot_unlock.hpp"
#include "util/text.hpp"

namespace luksfit::domain {
namespace {

using Findings = std::vector<Finding>;

void add(Findings &f, Severity s, std::string id, std::string msg, std::string remedy)
{
	f.push_back(Finding{s, std::move(id), std::move(msg), std::move(remedy)});
}

bool has_flag(const LuksVolume &v, const char *flag)
{
	return std::find(v.persistent_flags.begin(), v.persistent_flags.end(), flag) !=
	       v.persistent_flags.end();
}

const KeyslotUnlock *unlock_of(const VolumeAudit &a, int slot)
{
	for (const auto &k : a.unlock.keyslots)
		if (k.slot == slot)
			return &k;
	return nullptr;
}

// A newer libcryptsetup would open it: LUKS2, older than 2.8.7, and dm-crypt here (as root).
bool upgrade_helps(const LuksVolume &v, const AuditHost &host)
{
	return v.version == 2 && host.dm_crypt != Tri::No &&
	       version_at_least(host.libcryptsetup, kLuks2DmFallbackSince) == false;
}

std::string needs_afalg_remedy(const LuksVolume &v, const VolumeKeyslot &k, const AuditHost &host)
{
	if (v.version == 1)
		return "LUKS1 keyslots always use the data cipher: convert first (cryptsetup "
		       "convert --type luks2 " +
		       v.path + "), then luksfit harden " + v.path;
	std::string fix = "luksfit harden " + v.path + " --key-slot " + std::to_string(k.slot) +
			  " (on a host with AF_ALG)";
	if (upgrade_helps(v, host))
		fix += ", or upgrade cryptsetup to " + std::string(kLuks2DmFallbackSince) +
		       " or later (libcryptsetup " + host.libcryptsetup +
		       " here): it falls back to a temporary dm-crypt mapping, as root";
	return fix;
}

void needs_afalg_finding(VolumeAudit &a, const AuditHost &host, const VolumeKeyslot &k,
			 const KeyslotUnlock &u)
{
	const std::string slot = "keyslot " + std::to_string(k.slot) + " (" + k.encryption + ")";
	const std::string fix = needs_afalg_remedy(a.volume, k, host);
	if (host.afalg)
		add(a.findings, Severity::Warning, "keyslot-needs-afalg",
		    slot + " will not unlock once AF_ALG is gone: " + u.without_afalg.why, fix);
	else
		add(a.findings, Severity::Error, "keyslot-needs-afalg",
		    slot + " cannot be unlocked on this host without AF_ALG: " +
			    u.without_afalg.why,
		    fix);
}

// Opens without AF_ALG only through a temporary dm-crypt mapping: only as root.
void dm_fallback_finding(VolumeAudit &a, const VolumeKeyslot &k, const KeyslotUnlock &u)
{
	const LuksVolume &v = a.volume;
	add(a.findings, Severity::Info, "keyslot-needs-root",
	    "keyslot " + std::to_string(k.slot) + " (" + k.encryption +
		    ") opens without AF_ALG only through a temporary dm-crypt mapping, so only as "
		    "root" +
		    (u.without_afalg.processed == Tri::Unknown ? " (expected; not tried)" : ""),
	    v.version == 1 ? "cryptsetup convert --type luks2 " + v.path +
				     ", then luksfit harden " + v.path
			   : "luksfit harden " + v.path + " --key-slot " + std::to_string(k.slot) +
				     " (its keyslot then opens in userspace, also unprivileged)");
}

// The probes' answers; without keyslot_paths, the userspace answer alone (nothing else tried).
KeyslotPathsFn paths_of(const AuditHost &host)
{
	if (host.keyslot_paths)
		return host.keyslot_paths;
	return [&host](const LuksVolume &, const VolumeKeyslot &k) {
		KeyslotPaths p;
		if (host.keyslot_without_afalg)
			p.userspace = host.keyslot_without_afalg(k.encryption, k.key_bits);
		return p;
	};
}

void keyslot_findings(VolumeAudit &a, const AuditHost &host)
{
	const LuksVolume &v = a.volume;
	a.unlock = predict_unlock(v, unlock_host(host), paths_of(host));
	a.keyslots_at_risk = a.unlock.fail_without_afalg;
	for (const VolumeKeyslot &k : v.keyslots) {
		const std::string slot = "keyslot " + std::to_string(k.slot);
		const KeyslotUnlock *u = unlock_of(a, k.slot);
		if (u && u->without_afalg.processed == Tri::No)
			needs_afalg_finding(a, host, k, *u);
		else if (u && u->without_afalg.path == UnlockPath::DmCrypt)
			dm_fallback_finding(a, k, *u);
		if (k.pbkdf == "pbkdf2" && k.iterations < kMinPbkdf2Iterations)
			add(a.findings, Severity::Warning, "pbkdf2-weak",
			    slot + ": PBKDF2 with only " + std::to_string(k.iterations) +
				    " iterations makes passphrase guessing cheap",
			    v.version == 2 && !host.fips
				    ? "cryptsetup luksConvertKey --pbkdf argon2id --key-slot " +
					      std::to_string(k.slot) + " " + v.path
				    : "cryptsetup luksChangeKey --pbkdf-force-iterations 1000000 "
				      "--key-slot " +
					      std::to_string(k.slot) + " " + v.path);
	}
}

const VolumeKeyslot *keyslot(const LuksVolume &v, int slot)
{
	for (const auto &k : v.keyslots)
		if (k.slot == slot)
			return &k;
	return nullptr;
}

std::string slot_list(const std::vector<int> &slots)
{
	std::string s = util::join(slots, ", ", [&](const int n) { return std::to_string(n); });
	return s;
}

// How to let the search reach `b`: luksfit harden with its key, or the priorities by hand.
std::string unblock_remedy(const LuksVolume &v, const BootSlot &b)
{
	const std::string n = std::to_string(b.slot);
	std::string r = "luksfit harden " + v.path + " --key-slot " + n + " (with keyslot " + n +
			"'s key), or cryptsetup config --priority prefer --key-slot " + n + " " +
			v.path;
	for (const int s : b.blocked_by)
		if (const auto *k = keyslot(v, s); k && k->priority == kPriorityPrefer)
			r += " and cryptsetup config --priority normal --key-slot " +
			     std::to_string(s) + " " + v.path;
	return r;
}

// A keyslot that opens without AF_ALG is no use at boot when the search stops before it.
void boot_findings(VolumeAudit &a, const AuditHost &host)
{
	const LuksVolume &v = a.volume;
	a.boot_order = boot_search(v.keyslots, a.keyslots_at_risk);
	for (const BootSlot &b : a.boot_order) {
		const auto *k = keyslot(v, b.slot);
		if (b.blocked_by.empty() || !k ||
		    std::find(a.keyslots_at_risk.begin(), a.keyslots_at_risk.end(), b.slot) !=
			    a.keyslots_at_risk.end())
			continue;
		const std::string slot =
			"keyslot " + std::to_string(b.slot) + " (" + k->encryption + ")";
		const std::string blockers = (b.blocked_by.size() == 1 ? "keyslot " : "keyslots ") +
					     slot_list(b.blocked_by);
		const std::string why =
			"unlocking without a key slot (systemd-cryptsetup, cryptroot, cryptsetup "
			"open) tries " +
			blockers + " first, which need" + (b.blocked_by.size() == 1 ? "s" : "") +
			" AF_ALG, and that failure ends the search";
		if (host.afalg)
			add(a.findings, Severity::Warning, "keyslot-blocked-at-boot",
			    slot + " will not unlock at boot once AF_ALG is gone: " + why,
			    unblock_remedy(v, b));
		else
			add(a.findings, Severity::Error, "keyslot-blocked-at-boot",
			    slot + " cannot be unlocked here without a key slot (as at boot): " +
				    why,
			    unblock_remedy(v, b));
	}
}

void safety_findings(VolumeAudit &a, const AuditHost &host)
{
	const LuksVolume &v = a.volume;
	const auto spec = parse_cipher_spec(v.cipher);
	const std::string reencrypt =
		"cryptsetup reencrypt --cipher aes-xts-plain64 --key-size 512 " + v.path;
	if (!spec) {
		add(a.findings, Severity::Warning, "cipher-unknown",
		    "data cipher '" + v.cipher + "' is not one luksfit can reason about",
		    reencrypt);
		return;
	}
	if (const auto why = safety_violation(Candidate{*spec, v.key_bits}, host.fips))
		add(a.findings, Severity::Error, "cipher-unsafe",
		    "data cipher " + v.cipher + "/" + std::to_string(v.key_bits) + ": " + *why,
		    reencrypt);
	if (v.version == 1)
		add(a.findings, Severity::Warning, "luks1",
		    "LUKS1: PBKDF2 only, keyslots always encrypted with the data cipher, no header "
		    "checksums or redundancy, 512-byte sectors",
		    "back up the header, then cryptsetup convert --type luks2 " + v.path);
}

void size_findings(VolumeAudit &a)
{
	const LuksVolume &v = a.volume;
	if (v.device_size > 0 && v.data_offset > 0 && v.device_size <= v.data_offset)
		add(a.findings, Severity::Error, "truncated",
		    "truncated: " + std::to_string(v.device_size) +
			    " bytes end before the data area at " + std::to_string(v.data_offset),
		    "the image is incomplete; copy it again from its source");
}

void performance_findings(VolumeAudit &a, const AuditHost &host)
{
	const LuksVolume &v = a.volume;
	if (v.version != 2)
		return;
	const std::uint64_t data =
		v.device_size > v.data_offset ? v.device_size - v.data_offset : 0;
	if (v.sector_size == 512 && data > 0 && data % 4096 == 0 && v.data_offset % 4096 == 0)
		add(a.findings, Severity::Info, "sector-size-512",
		    "512-byte encryption sectors where 4096 fit: eight times the per-sector work",
		    "cryptsetup reencrypt --sector-size 4096 " + v.path +
			    " (LUKS2, offline or online)");
	if (host.dm_crypt_version && supports(*host.dm_crypt_version, "no_read_workqueue") &&
	    !(has_flag(v, "no_read_workqueue") && has_flag(v, "no_write_workqueue")))
		add(a.findings, Severity::Info, "perf-flags-missing",
		    "no_read_workqueue/no_write_workqueue are not stored, though this kernel's "
		    "dm-crypt " +
			    host.dm_crypt_version->text() + " supports them",
		    "luksfit harden " + v.path + " --persist-perf-flags");
	const auto spec = parse_cipher_spec(v.cipher);
	if (!spec || !host.driver_for)
		return;
	const auto mine = host.driver_for(kernel_algorithm(*spec));
	const auto aes = host.driver_for("xts(aes)");
	if (mine && aes && classify_driver(*mine) == Acceleration::Generic &&
	    classify_driver(*aes) == Acceleration::CpuInstructions)
		add(a.findings, Severity::Warning, "cipher-not-accelerated",
		    v.cipher + " runs in generic C here (" + mine->driver +
			    ") while aes-xts-plain64 "
			    "is accelerated (" +
			    aes->driver + ")",
		    "cryptsetup reencrypt --cipher aes-xts-plain64 --key-size 512 " + v.path);
}

} // namespace

UnlockHost unlock_host(const AuditHost &host)
{
	return UnlockHost{host.afalg, host.dm_crypt, host.dm_detail, host.root, host.libcryptsetup};
}

VolumeAudit audit_volume(LuksVolume volume, const AuditHost &host)
{
	VolumeAudit a;
	a.volume = std::move(volume);
	keyslot_findings(a, host);
	boot_findings(a, host);
	safety_findings(a, host);
	size_findings(a);
	performance_findings(a, host);
	return a;
}

} // namespace luksfit::domain
