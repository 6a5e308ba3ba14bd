// Ranks benchmark results under the safety policy: unsafe and unavailable candidates lose
// outright; among the rest the fastest wins unless others are within the measured noise of
// it, in which case the policy's preference order decides. Every loser gets its reason.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/bench/bench_report.hpp"

namespace luksfit::domain {

enum class RankStatus { Winner, Tied, Slower, Unavailable, Unsafe };

const char *rank_status_name(RankStatus s);

struct RankEntry {
	std::size_t index = 0; // into the candidates ranked
	RankStatus status = RankStatus::Unavailable;
	std::string reason;
	SampleStats combined; // MiB/s; count 0 when not measured
};

struct Ranking {
	std::vector<RankEntry> entries; // winner first, then by median, unavailable, unsafe
	std::optional<std::size_t> winner;

	// The winner: what the stopping rule watches for changes.
	std::vector<std::vector<std::size_t>> key() const;
	const RankEntry *find(std::size_t index) const;
};

// `disturbed`: the figures cannot rank (Disturbance::unreliable): every measured candidate
// counts as tied with the fastest, so the preference order decides, and the reasons say so.
Ranking rank(const std::vector<CandidateResult> &results, bool fips, bool disturbed = false);

// Formats MiB/s for reasons and tables: "1234", "56.7", "0.85".
std::string format_mibs(double v);

} // namespace luksfit::domain
