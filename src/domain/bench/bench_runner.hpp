// The round-robin benchmark loop, independent of how a sample is taken: each round takes one
// short encryption and one decryption sample of every target in turn, so machine drift hits
// all alike; the run stops when the ranking is settled or the budget is spent.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "domain/bench/bench_report.hpp"
#include "domain/bench/sampler.hpp"

namespace luksfit::domain {

// What one sampling engine measures: a candidate, and for dm-crypt a sector size and flags.
struct BenchTarget {
	Candidate candidate;
	unsigned sector_size = 4096;
	bool no_workqueue = false;
};

// Implemented by the system layer (AF_ALG sockets, dm-crypt mappings) and by fakes in tests.
class SampleEngine
{
public:
	virtual ~SampleEngine() = default;
	// Sets the target up (outside any timed region). nullopt when ready, else why it cannot
	// be measured here.
	virtual std::optional<std::string> prepare(const BenchTarget &t) = 0;
	// One timed sample of a prepared target, in MiB/s. Throws Failure on errors.
	virtual double sample(const BenchTarget &t, bool encrypt) = 0;
	// The driver that served the target, once sampled ("" if unknown).
	virtual std::string driver(const BenchTarget &t) = 0;
	// Releases what prepare() set up for a target (optional).
	virtual void release(const BenchTarget &) {}
};

struct RunHooks {
	std::function<double()> now;		       // seconds, monotonic
	std::function<void()> between_samples;	       // e.g. throw_if_interrupted
	std::function<void(double fraction)> progress; // 0..1, may be empty
	// The share of a CPU luksfit had since the previous call (0..1, sys::CpuShareMeter),
	// called once before the first pair and after each pair; may be empty (no screening).
	std::function<double()> cpu_share;
};

struct RunResult {
	std::vector<Series> series; // per target, parallel to the targets given
	std::vector<std::optional<std::string>> unavailable;
	std::vector<std::string> drivers;
	std::size_t rounds = 0;
	StopReason stop = StopReason::None;
	double seconds = 0;
	// Pairs taken on a disturbed CPU are left out of `series` (screen_disturbed); a round
	// with one does not count towards settling, so a disturbed run measures longer.
	Disturbance disturbance;
};

// Runs rounds over `targets` until `rule` says stop. `ranking_key` turns the series so far
// into the ranking the stopping rule watches.
RunResult
run_rounds(SampleEngine &engine, const std::vector<BenchTarget> &targets, const StopRule &rule,
	   const RunHooks &hooks,
	   const std::function<std::vector<std::vector<std::size_t>>(const std::vector<Series> &)>
		   &ranking_key);

} // namespace luksfit::domain
