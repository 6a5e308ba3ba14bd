// The statistics of round-robin sampling: median and spread of short samples, the "tie" test
// (a difference inside the measured noise) and the stopping rule of a benchmark run.
#pragma once

#include <cstddef>
#include <vector>

namespace luksfit::domain {

// Summary of one series of throughput samples (MiB/s).
struct SampleStats {
	std::size_t count = 0;
	double median = 0;
	double q1 = 0; // lower quartile (linear interpolation between order statistics)
	double q3 = 0; // upper quartile
	double min = 0;
	double max = 0;

	double iqr() const { return q3 - q1; }
};

SampleStats summarize(std::vector<double> samples);

// Below this relative difference two medians are never called different, even when both
// series have no spread yet (one sample each): run-to-run swings are never zero.
inline constexpr double kNoiseFloor = 0.02;

// True when the medians of `a` and `b` differ by no more than the measured noise: half the sum
// of their interquartile ranges, and at least kNoiseFloor of the larger median.
bool within_noise(const SampleStats &a, const SampleStats &b);

// Throughput of encrypting and decrypting the same amount of data: the harmonic mean.
double combined_throughput(double encrypt, double decrypt);

// When a run stops: the ranking is settled, or limits are reached.
struct StopRule {
	std::size_t min_rounds = 3; // never settle before every candidate has this many samples
	std::size_t stable_rounds =
		2; // settled once the ranking did not change for this many rounds
	std::size_t max_rounds = 15;
	double time_budget = 20; // seconds for the whole run
};

enum class StopReason { None, Settled, MaxRounds, TimeBudget };

const char *stop_reason_name(StopReason r);

// Tracks the rounds of a run and says when to stop. `ranking_key` is the ranking after each
// round, as an opaque comparable value (e.g. the winner and the order of tie groups).
class StopTracker
{
public:
	explicit StopTracker(StopRule rule) : rule_(rule) {}

	// Records a finished round and the ranking it produced. A round that is not `clean`
	// (samples taken on a disturbed CPU) does not count towards a settled ranking.
	void round_done(const std::vector<std::vector<std::size_t>> &ranking, bool clean = true);

	// Whether to start another round at `elapsed` seconds, given that rounds take about
	// `round_seconds` each (0 before the first round is done).
	StopReason should_stop(double elapsed, double round_seconds) const;

	std::size_t rounds() const { return rounds_; }
	std::size_t unchanged() const { return unchanged_; }

private:
	StopRule rule_;
	std::size_t rounds_ = 0;
	std::size_t unchanged_ = 0;
	std::vector<std::vector<std::size_t>> last_;
};

} // namespace luksfit::domain
