// `luksfit recommend`: the safety policy applied to measurements and host facts, turned into
// parameters, a `cryptsetup luksFormat` line and crypttab options.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/bench/bench_report.hpp"
#include "domain/bench/ranking.hpp"
#include "domain/host/perf_flags.hpp"

namespace luksfit::domain {

// What was read about `recommend --device`: shown in the output, and it steers the sector
// size and the workqueue flags.
struct RecommendDevice {
	std::string path; // as given
	std::string name; // kernel name, e.g. "loop0p1"
	std::string disk; // whose queue was read: the disk of a partition, else `name`
	bool rotational = false;
	unsigned logical_sector = 0;  // bytes
	unsigned physical_sector = 0; // bytes
};

struct RecommendHostFacts {
	bool fips = false;
	std::optional<RecommendDevice> device; // with --device
	// The keyslot probe's answers by Candidate::label() (keyslots work without AF_ALG);
	// a candidate missing here falls back to domain/policy's assumed_userspace_keyslots().
	std::map<std::string, bool> userspace_keyslots;
	// The dm-crypt target's version (unset: unknown, and why): the flags it cannot apply
	// are left out of the decision.
	std::optional<TargetVersion> dm_crypt;
	std::string dm_crypt_unknown;
};

struct Pbkdf {
	std::string type; // "argon2id" or "pbkdf2"
	std::string hash; // for pbkdf2
	unsigned iter_time_ms = 2000;
	unsigned memory_kib = 0; // argon2 only
	unsigned parallel = 0;	 // argon2 only
	std::string budget;	 // the stated unlock budget, one line
};

struct Recommendation {
	std::string basis;		       // what the choice is based on
	std::optional<RecommendDevice> device; // the --device considered, if any
	std::vector<CandidateResult> candidates;
	Ranking ranking;
	std::optional<Candidate> choice;
	std::string reason;
	unsigned sector_size = 4096;
	std::string sector_reason;
	std::vector<std::string> perf_flags; // cryptsetup names, e.g. "no_read_workqueue"
	std::string flags_reason;	     // decide_perf_flags' reason
	FlagEvidence flags_evidence;	     // what decided them, for format, open, crypttab
	Pbkdf pbkdf;
	std::optional<Candidate> keyslot_cipher; // set when the data cipher needs the fallback
	std::string keyslot_reason;
	std::string luks_format;      // the equivalent cryptsetup command line
	std::string crypttab_options; // the options field of /etc/crypttab
	std::vector<std::string> notes;
};

// `report` may be null: the choice then follows the policy's preference order alone, and the
// basis says so. `basis` describes where the report came from (measured now, cached...).
Recommendation recommend(const BenchReport *report, std::string basis,
			 const RecommendHostFacts &host);

} // namespace luksfit::domain
