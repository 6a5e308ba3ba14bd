// The host compatibility report: the facts `luksfit check` gathered (filled in by the command
// from the system adapters), the findings they lead to and the verdict. Pure: unit-tested with
// hand-built facts and real /proc captures.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/cipher/policy.hpp"
#include "domain/host/dm_features.hpp"
#include "domain/host/findings.hpp"
#include "domain/host/kernel_config.hpp"
#include "domain/host/proc_crypto.hpp"

namespace luksfit::domain {

struct CandidateFacts {
	Candidate candidate;
	std::string kernel_algorithm;		 // "xts(aes)"
	std::optional<CryptoAlg> driver;	 // what dm-crypt would get (highest priority)
	std::vector<std::string> modules;	 // modules.alias candidates when nothing is loaded
	Tri afalg_reaches_driver = Tri::Unknown; // AF_ALG binds the driver dm-crypt would use
	std::string afalg_detail;
	Tri keyslot_without_afalg = Tri::Unknown; // libcryptsetup processes such keyslots alone
	// Where it cannot: through a temporary dm-crypt mapping (libcryptsetup 2.8.7+, as root);
	// tried only as root with dm-crypt usable, else Unknown.
	Tri keyslot_dm_fallback = Tri::Unknown;
	std::string keyslot_detail;
	std::optional<std::string> unsafe; // safety_violation() on this host
};

struct HostFacts {
	std::string kernel_release;
	std::optional<bool> fips; // nullopt: /proc/sys/crypto/fips_enabled exists but is unreadable
	std::string config_source; // empty: kernel configuration not readable
	KernelConfig config;
	Tri kernel_log_readable = Tri::Unknown;
	std::vector<std::string> afalg_log_lines; // kernel log lines about AF_ALG deprecation

	int afalg_family = 0;			// 0 or -errno of socket(AF_ALG)
	std::map<std::string, int> afalg_types; // "skcipher" -> 0 or -errno of bind
	std::string splice = "unavailable";	// copied, zero-copy, unavailable, inconclusive
	std::string splice_detail;

	bool device_mapper = false; // /proc/devices lists device-mapper (loaded now)
	Tri device_mapper_available = Tri::Unknown; // loaded, or installed as a module
	Tri dm_crypt = Tri::Unknown;		    // the crypt target is available
	std::optional<TargetVersion> dm_crypt_version;
	std::string dm_detail; // why unknown/no

	Tri loop = Tri::Unknown;
	Tri keyring = Tri::Unknown;
	Tri lock_dir = Tri::Unknown; // /run/cryptsetup usable (or creatable)
	std::string lock_dir_detail;

	std::string libcryptsetup_version;
	bool libcryptsetup_runtime = false; // reported by the library in use (else: built against)
	std::string libcryptsetup_build;    // the version luksfit was built against
	std::string cpu_model;
	std::vector<std::string> cpu_extensions;
	std::vector<CandidateFacts> candidates;
};

enum class Verdict { Ready, Degraded, Unsupported };
const char *verdict_name(Verdict v);

struct HostReport {
	HostFacts facts;
	std::vector<Finding> findings;
	Verdict verdict = Verdict::Ready;
};

// Findings in the order: kernel, AF_ALG, device-mapper, helpers, libcryptsetup, candidates.
HostReport evaluate_host(HostFacts facts);

// Error -> Unsupported, Warning -> Degraded, otherwise Ready.
Verdict verdict_of(const std::vector<Finding> &findings);

// Lines of a kernel log that speak about AF_ALG being deprecated or restricted.
std::vector<std::string> afalg_deprecation_lines(std::string_view log);

// (major, minor) of a kernel release ("7.2.0-1-cloud-amd64" -> 7, 2); nullopt if unparsable.
std::optional<std::pair<unsigned, unsigned>> kernel_version(std::string_view release);

// How `check` and `--version` show the libcryptsetup version and where it comes from:
// "2.7.5 (reported by the library at run time)", with "; built against X" when X differs, or
// "2.6.1 (built against; the library did not report its version)".
std::string libcryptsetup_version_text(const std::string &version, bool runtime,
				       const std::string &build);

} // namespace luksfit::domain
