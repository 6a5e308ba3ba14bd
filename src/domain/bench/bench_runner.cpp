#include "domain/bench/bench_runner.hpp"

#include <algorithm>

#include "domain/bench/disturbance.hpp"

namespace luksfit::domain {
namespace {

// One encryption and one decryption sample of `t` into `s`, in the order given.
void sample_pair(SampleEngine &engine, const BenchTarget &t, bool enc_first, Series &s,
		 const RunHooks &hooks)
{
	for (bool encrypt : {enc_first, !enc_first}) {
		const double v = engine.sample(t, encrypt);
		(encrypt ? s.encrypt : s.decrypt).push_back(v);
		if (hooks.between_samples)
			hooks.between_samples();
	}
}

// The CPU share of each pair (RunHooks::cpu_share), when there is a reader.
class ShareTrack
{
public:
	ShareTrack(const RunHooks &hooks, std::size_t targets)
	    : read_(hooks.cpu_share), values_(targets)
	{
		if (read_)
			read_(); // starts the account: each later reading covers one pair
	}

	// After target i's pair: records its share; false when that shows a disturbed CPU.
	bool after_pair(std::size_t i)
	{
		if (!read_)
			return true;
		values_[i].push_back(read_());
		return !disturbed(values_[i].back());
	}

	// Leaves out of `series` the pairs taken on a disturbed CPU (screen_disturbed).
	Disturbance screen(std::vector<Series> &series) const
	{
		return screen_disturbed(series, values_);
	}

private:
	std::function<double()> read_;
	std::vector<std::vector<double>> values_; // per target, per round: the pair's share
};

} // namespace

RunResult
run_rounds(SampleEngine &engine, const std::vector<BenchTarget> &targets, const StopRule &rule,
	   const RunHooks &hooks,
	   const std::function<std::vector<std::vector<std::size_t>>(const std::vector<Series> &)>
		   &ranking_key)
{
	RunResult res;
	const double start = hooks.now();
	res.series.resize(targets.size());
	res.drivers.resize(targets.size());
	for (const auto &t : targets) {
		res.unavailable.push_back(engine.prepare(t));
		if (hooks.between_samples)
			hooks.between_samples();
	}

	StopTracker tracker(rule);
	ShareTrack share(hooks, targets.size());
	double round_seconds = 0;
	for (;;) {
		res.stop = tracker.should_stop(hooks.now() - start, round_seconds);
		if (res.stop != StopReason::None)
			break;
		const double round_start = hooks.now();
		bool clean = true;
		for (std::size_t i = 0; i < targets.size(); ++i) {
			if (res.unavailable[i])
				continue;
			// Alternate which direction goes first, so neither always follows the
			// other.
			sample_pair(engine, targets[i], tracker.rounds() % 2 == 0, res.series[i],
				    hooks);
			clean = share.after_pair(i) && clean;
		}
		round_seconds = hooks.now() - round_start;
		// The ranking of the pairs that count, as the result will have it; too few of
		// them, and the run goes on.
		std::vector<Series> counted = res.series;
		clean = !share.screen(counted).unreliable && clean;
		tracker.round_done(ranking_key(counted), clean);
		if (hooks.progress) {
			const double by_rounds = static_cast<double>(tracker.rounds()) /
						 static_cast<double>(rule.max_rounds);
			const double by_time = (hooks.now() - start) / rule.time_budget;
			hooks.progress(std::min(1.0, std::max(by_rounds, by_time)));
		}
	}
	res.disturbance = share.screen(res.series);
	for (std::size_t i = 0; i < targets.size(); ++i) {
		if (!res.unavailable[i])
			res.drivers[i] = engine.driver(targets[i]);
		engine.release(targets[i]);
	}
	res.rounds = tracker.rounds();
	res.seconds = hooks.now() - start;
	return res;
}

} // namespace luksfit::domain
