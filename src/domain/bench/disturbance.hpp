// A busy machine during a benchmark: which samples were taken while other programs held the
// CPUs (the share of a CPU luksfit had over each pair of samples), and whether enough
// undisturbed samples remain to rank by speed.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "domain/bench/bench_report.hpp"

namespace luksfit::domain {

// A pair (one target's encryption and decryption samples of one round) during which luksfit's
// share of a CPU fell below this was taken on a disturbed CPU, and is left out.
inline constexpr double kDisturbedShare = 0.85;
// Too many pairs left out, or a target left with fewer than kMinCleanPairs of several: the
// figures can no longer rank the candidates, and the policy's preference order decides.
inline constexpr double kUnreliableShare = 0.5;
inline constexpr std::size_t kMinCleanPairs = 2;

// True when a CPU `share` (0..1) is below kDisturbedShare.
bool disturbed(double share);

// Leaves out of `series` the pairs whose CPU share (parallel to the series: per target, one
// value per round, read over the pair) shows a disturbed CPU, and says
// what it did. When that leaves too little (Disturbance::unreliable) nothing is removed: the
// figures stay, to be shown, and the preference order ranks them. Without readings nothing
// changes.
Disturbance screen_disturbed(std::vector<Series> &series,
			     const std::vector<std::vector<double>> &share);

// Both phases of a run (candidates, then dm-crypt variants) in one account.
Disturbance merge(const Disturbance &a, const Disturbance &b);

// One line for reports, "" when nothing was left out: how many pairs were left out and why,
// and, when unreliable, that the preference order decides.
std::string disturbance_summary(const Disturbance &d);

} // namespace luksfit::domain
