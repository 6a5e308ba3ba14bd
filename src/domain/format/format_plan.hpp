// The parameters of a LUKS2 format, decided from the user's options, the host and the device:
// pure, so every rule (safety policy, FIPS, sector size, keyslot fallback) is unit-tested.
// Shared by format and validate (which must test exactly what format will write).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/cipher/policy.hpp"
#include "domain/host/dm_features.hpp"
#include "domain/host/perf_flags.hpp"
#include "util/expected.hpp"

namespace luksfit::domain {

// LUKS2 header as libcryptsetup lays it out by default (2 x 16 KiB metadata + keyslots area).
inline constexpr std::uint64_t kLuks2HeaderBytes = 16u << 20;
// The smallest data area luksfit formats: less is a mistake, not a volume.
inline constexpr std::uint64_t kMinDataBytes = 1u << 20;

// Where the cipher and key size came from, told to the user (domain/param_source decides).
struct ParamSource {
	enum class Kind { Options, BenchCache, PolicyDefault };
	Kind kind = Kind::Options;
	std::string detail;	// one line, e.g. "recommended from dmcrypt bench results of ..."
	std::string cache_path; // the cache consulted ("" for Options)
	std::int64_t measured_at = 0;	// unix time of the cached result used (BenchCache)
	std::vector<std::string> notes; // cached results ignored, and why
};

// What the user asked for (unset: luksfit decides).
struct FormatRequest {
	std::string cipher = "aes-xts-plain64";
	unsigned key_bits = 512;
	std::optional<unsigned> sector_size;
	std::optional<std::string> pbkdf;    // "argon2id" or "pbkdf2"
	unsigned iter_time_ms = 2000;	     // cryptsetup's default unlock time
	unsigned pbkdf_memory_kib = 1048576; // cryptsetup's default cap (1 GiB)
	unsigned pbkdf_iterations = 0;	     // fixed PBKDF2 iterations (tests); 0: benchmark
	bool perf_flags = true;		     // store the recommended flags in the header
	// recommend's evidence on the flags for this cipher (decide_perf_flags).
	FlagEvidence flags_evidence{{}, "the parameters were given on the command line"};
	std::optional<std::string> label;
	// The keyslot probe's answer for this cipher (keyslots work without AF_ALG); unset when
	// the probe could not run: domain/policy's assumed_userspace_keyslots() decides then.
	std::optional<bool> userspace_keyslots;
	ParamSource source;
};

struct FormatHostFacts {
	bool fips = false;
	// The dm-crypt target's version (chooses the performance flags); unset when unknown,
	// with the reason in dm_crypt_unknown (no device-mapper, no dm-crypt, not root).
	std::optional<TargetVersion> dm_crypt;
	std::string dm_crypt_unknown;
};

// The device's block layer view; defaults describe an image file.
struct Topology {
	unsigned logical_sector = 512;
	unsigned physical_sector = 512;
	std::uint64_t alignment_offset = 0;
	std::uint64_t size_bytes = 0; // 0: unknown (validate's own image)
};

struct PbkdfChoice {
	std::string type; // "argon2id" or "pbkdf2"
	std::string hash = "sha256";
	unsigned iter_time_ms = 2000;
	unsigned memory_kib = 0; // argon2 only
	unsigned iterations = 0; // fixed cost; 0 = benchmark for iter_time_ms
};

struct FormatPlan {
	Candidate data;
	unsigned sector_size = 4096;
	Candidate keyslot; // keyslot encryption (== data unless the fallback applies)
	bool keyslot_fallback = false;
	std::string keyslot_reason; // why the fallback applies
	PbkdfChoice pbkdf;
	std::vector<std::string> perf_flags; // cryptsetup names, e.g. "no_read_workqueue"
	std::string perf_flags_reason;	     // why these flags (or none)
	std::optional<std::string> label;
	ParamSource source;
	std::vector<std::string> notes; // decisions worth telling the user
};

// Decides the plan or says why not (exit 1, with the reason): an unsafe cipher, a FIPS
// conflict, an impossible sector size.
Expected<FormatPlan> plan_format(const FormatRequest &req, const FormatHostFacts &host,
				 const Topology &topo);

// The equivalent cryptsetup command lines (luksFormat, and the `open --persistent` that stores
// the performance flags), shell-quoted. `key_file` empty: cryptsetup prompts.
std::vector<std::string> cryptsetup_commands(const FormatPlan &plan, const std::string &device,
					     const std::string &key_file);

// Single-quotes a word for a POSIX shell when it needs it.
std::string shell_quote(const std::string &word);

} // namespace luksfit::domain
