#include "domain/host/host_report.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>

namespace luksfit::domain {
namespace {

using Findings = std::vector<Finding>;

void add(Findings &f, Severity s, std::string id, std::string msg, std::string remedy)
{
	f.push_back(Finding{s, std::move(id), std::move(msg), std::move(remedy)});
}

// "not built" / "built as a module" / "" from the kernel configuration, for messages.
std::string config_note(const HostFacts &h, const char *option)
{
	switch (h.config.get(option)) {
	case Tristate::NotSet:
		return std::string(" (the kernel is built without ") + option + ")";
	case Tristate::Module:
		return std::string(" (") + option + "=m: built as a module that did not load)";
	case Tristate::Builtin:
		return std::string(" (") + option + "=y, yet unavailable)";
	case Tristate::Unknown:
		return "";
	}
	return "";
}

void kernel_findings(const HostFacts &h, Findings &f)
{
	if (h.config_source.empty())
		add(f, Severity::Info, "kernel-config-unknown",
		    "the kernel's build configuration is not readable: 'not loaded' and 'not "
		    "built' "
		    "cannot be told apart",
		    "install the kernel's /boot/config-" + h.kernel_release +
			    " (or /usr/lib/modules/" + h.kernel_release +
			    "/config) or enable CONFIG_IKCONFIG_PROC");
	if (h.fips.value_or(false))
		add(f, Severity::Info, "fips-mode",
		    "FIPS mode is on: only AES-XTS data encryption and PBKDF2 are allowed",
		    "nothing to do; luksfit restricts its candidates accordingly");
	for (const auto &line : h.afalg_log_lines)
		add(f, Severity::Warning, "afalg-deprecated-log", "kernel log: " + line,
		    "harden LUKS2 keyslots now: luksfit check TARGET, then luksfit harden TARGET");
}

// AF_ALG still works on Linux 7.2 and later, but the kernel documents it as deprecated and
// restricted to synchronous software implementations (Documentation/crypto/userspace-if.rst).
void afalg_deprecated_finding(const HostFacts &h, Findings &f)
{
	const auto v = kernel_version(h.kernel_release);
	if (!v || *v < std::pair<unsigned, unsigned>{7, 2})
		return;
	add(f, Severity::Info, "afalg-deprecated",
	    "AF_ALG is deprecated since Linux 7.2 (this kernel is " + h.kernel_release +
		    "; the kernel's Documentation/crypto/userspace-if.rst) and reaches only "
		    "synchronous software implementations: keyslots that need it are on borrowed "
		    "time",
	    "luksfit check TARGET for each volume; luksfit harden TARGET where a keyslot needs "
	    "AF_ALG");
}

void afalg_findings(const HostFacts &h, Findings &f)
{
	if (h.afalg_family != 0) {
		const bool absent = -h.afalg_family == EAFNOSUPPORT;
		add(f, Severity::Warning, "afalg-missing",
		    std::string("AF_ALG is ") + (absent ? "not available" : "not usable") +
			    config_note(h, "CONFIG_CRYPTO_USER_API") +
			    ": 'cryptsetup benchmark' fails and keyslots encrypted with a "
			    "kernel-only "
			    "cipher (Adiantum, Serpent, Twofish) cannot be unlocked",
		    "keep keyslot encryption on aes-xts-plain64 ('luksfit harden'), measure with "
		    "'luksfit bench --engine dmcrypt'");
		return;
	}
	afalg_deprecated_finding(h, f);
	static const std::pair<const char *, const char *> kTypes[] = {
		{"skcipher", "CONFIG_CRYPTO_USER_API_SKCIPHER"},
		{"aead", "CONFIG_CRYPTO_USER_API_AEAD"},
		{"hash", "CONFIG_CRYPTO_USER_API_HASH"},
	};
	for (const auto &[type, option] : kTypes) {
		const auto it = h.afalg_types.find(type);
		if (it == h.afalg_types.end() || it->second == 0)
			continue;
		const bool skcipher = std::strcmp(type, "skcipher") == 0;
		add(f, skcipher ? Severity::Warning : Severity::Info,
		    std::string("afalg-no-") + type,
		    std::string("AF_ALG ") + type + " sockets do not bind" +
			    config_note(h, option) +
			    (skcipher ? ": libcryptsetup cannot use the kernel for keyslot "
					"encryption"
				      : ""),
		    skcipher ? "keep keyslot encryption on aes-xts-plain64 ('luksfit harden')"
			     : "nothing to do for LUKS2 (libcryptsetup hashes in user space)");
	}
	if (h.splice == "zero-copy")
		add(f, Severity::Info, "afalg-splice-zero-copy",
		    "splice() into AF_ALG is zero-copy on this kernel (pages are read at "
		    "encryption "
		    "time)",
		    "nothing to do; kernels with the zero-copy removal copy instead");
}

void dm_findings(const HostFacts &h, Findings &f)
{
	if (!h.device_mapper && h.device_mapper_available == Tri::No) {
		add(f, Severity::Error, "dm-missing",
		    "device-mapper is not available" + config_note(h, "CONFIG_BLK_DEV_DM") +
			    ": no LUKS volume can be opened on this kernel",
		    "boot a kernel with CONFIG_BLK_DEV_DM and CONFIG_DM_CRYPT (or load dm_mod)");
		return;
	}
	if (h.dm_crypt == Tri::No) {
		add(f, Severity::Error, "dm-crypt-missing",
		    "the dm-crypt target is not available" + config_note(h, "CONFIG_DM_CRYPT") +
			    ": no LUKS volume can be opened",
		    h.config.get("CONFIG_DM_CRYPT") == Tristate::NotSet
			    ? "boot a kernel built with CONFIG_DM_CRYPT"
			    : "install the dm-crypt module for this kernel ('modprobe dm_crypt')");
		return;
	}
	if (h.dm_crypt == Tri::Unknown) {
		add(f, Severity::Info, "dm-crypt-unknown",
		    "dm-crypt target version unknown: " + h.dm_detail,
		    "run 'luksfit check' as root for the dm-crypt version and its features");
		return;
	}
	if (h.dm_crypt_version && !supports(*h.dm_crypt_version, "no_read_workqueue"))
		add(f, Severity::Info, "dm-crypt-old",
		    "dm-crypt " + h.dm_crypt_version->text() +
			    " predates no_read_workqueue/no_write_workqueue (dm-crypt 1.22.0, "
			    "Linux 5.9)",
		    "a kernel of 5.9 or later lowers dm-crypt latency with these flags");
}

void helper_findings(const HostFacts &h, Findings &f)
{
	if (h.loop == Tri::No)
		add(f, Severity::Warning, "loop-missing",
		    "loop devices are not available" + config_note(h, "CONFIG_BLK_DEV_LOOP") +
			    ": image files cannot be validated or opened",
		    "load the loop module ('modprobe loop') or enable CONFIG_BLK_DEV_LOOP");
	if (h.keyring == Tri::No)
		add(f, Severity::Warning, "keyring-missing",
		    "the kernel keyring is not available: volume keys go into the dm table instead",
		    "use a kernel built with CONFIG_KEYS");
	if (h.lock_dir == Tri::No)
		add(f, Severity::Warning, "lock-dir-unusable",
		    "cryptsetup's lock directory is not usable: " + h.lock_dir_detail,
		    "make /run/cryptsetup a writable directory (tmpfs /run)");
}

void candidate_findings(const HostFacts &h, Findings &f)
{
	for (const CandidateFacts &c : h.candidates) {
		const std::string label = c.candidate.label();
		if (c.unsafe)
			continue; // not a candidate here; the policy explains why in the table
		const bool aes_xts =
			c.candidate.spec.cipher == "aes" && c.candidate.spec.mode == "xts";
		if (c.keyslot_without_afalg == Tri::No) {
			if (aes_xts)
				add(f, h.afalg_family != 0 ? Severity::Error : Severity::Warning,
				    "keyslot-userspace-missing",
				    "libcryptsetup cannot process " + label +
					    " keyslots without AF_ALG: " + c.keyslot_detail,
				    "install a libcryptsetup built with a crypto backend that has "
				    "AES-XTS (OpenSSL, gcrypt)");
			else
				add(f, Severity::Info, "keyslot-needs-afalg",
				    label + " keyslots need AF_ALG here",
				    "format with --keyslot-cipher aes-xts-plain64 "
				    "--keyslot-key-size 512 "
				    "(luksfit format does)");
		}
		if (c.afalg_reaches_driver == Tri::No && c.driver)
			add(f, Severity::Warning, "afalg-not-dm-driver",
			    "AF_ALG cannot reach " + c.driver->driver +
				    ", the driver dm-crypt uses for " + c.kernel_algorithm +
				    ": AF_ALG benchmarks measure something else",
			    "measure with 'luksfit bench --engine dmcrypt'");
		if (aes_xts && c.candidate.key_bits == 512 && c.driver &&
		    classify_driver(*c.driver) == Acceleration::Generic)
			add(f, Severity::Warning, "aes-not-accelerated",
			    "AES-XTS runs in generic C here (" + c.driver->driver + ")",
			    "load the accelerated driver (aesni_intel, aes_ce_blk) or prefer "
			    "Adiantum on "
			    "CPUs without AES instructions");
	}
}

} // namespace

const char *verdict_name(Verdict v)
{
	switch (v) {
	case Verdict::Ready:
		return "ready";
	case Verdict::Degraded:
		return "degraded";
	case Verdict::Unsupported:
		return "unsupported";
	}
	return "unsupported";
}

Verdict verdict_of(const std::vector<Finding> &findings)
{
	switch (worst(findings)) {
	case Severity::Error:
		return Verdict::Unsupported;
	case Severity::Warning:
		return Verdict::Degraded;
	case Severity::Info:
		return Verdict::Ready;
	}
	return Verdict::Unsupported;
}

HostReport evaluate_host(HostFacts facts)
{
	HostReport r;
	kernel_findings(facts, r.findings);
	afalg_findings(facts, r.findings);
	dm_findings(facts, r.findings);
	helper_findings(facts, r.findings);
	candidate_findings(facts, r.findings);
	r.verdict = verdict_of(r.findings);
	r.facts = std::move(facts);
	return r;
}

std::vector<std::string> afalg_deprecation_lines(std::string_view log)
{
	std::vector<std::string> out;
	while (!log.empty()) {
		const auto nl = log.find('\n');
		const auto line = log.substr(0, nl);
		log.remove_prefix(nl == std::string_view::npos ? log.size() : nl + 1);
		const bool afalg = line.find("AF_ALG") != std::string_view::npos ||
				   line.find("af_alg") != std::string_view::npos ||
				   line.find("algif") != std::string_view::npos;
		const bool deprecated = line.find("deprecat") != std::string_view::npos ||
					line.find("obsolete") != std::string_view::npos ||
					line.find("will be removed") != std::string_view::npos;
		if (afalg && deprecated)
			out.emplace_back(line);
	}
	return out;
}

std::optional<std::pair<unsigned, unsigned>> kernel_version(std::string_view release)
{
	unsigned major = 0, minor = 0;
	const char *p = release.data(), *end = release.data() + release.size();
	auto r = std::from_chars(p, end, major);
	if (r.ec != std::errc{} || r.ptr == end || *r.ptr != '.')
		return std::nullopt;
	r = std::from_chars(r.ptr + 1, end, minor);
	if (r.ec != std::errc{})
		return std::nullopt;
	return std::pair{major, minor};
}

std::string libcryptsetup_version_text(const std::string &version, bool runtime,
				       const std::string &build)
{
	if (!runtime)
		return version + " (built against; the library did not report its version)";
	std::string text = version + " (reported by the library at run time";
	if (version != build)
		text += "; built against " + build;
	return text + ")";
}

} // namespace luksfit::domain
