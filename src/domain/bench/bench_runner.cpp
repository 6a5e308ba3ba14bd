#include "domain/bench/bench_runner.hpp"

namespace luksfit::domain {

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
	double round_seconds = 0;
	for (;;) {
		res.stop = tracker.should_stop(hooks.now() - start, round_seconds);
		if (res.stop != StopReason::None)
			break;
		const double round_start = hooks.now();
		for (std::size_t i = 0; i < targets.size(); ++i) {
			if (res.unavailable[i])
				continue;
			// Alternate which direction goes first, so neither always follows the
			// other.
			const bool enc_first = tracker.rounds() % 2 == 0;
			for (bool encrypt : {enc_first, !enc_first}) {
				const double v = engine.sample(targets[i], encrypt);
				(encrypt ? res.series[i].encrypt : res.series[i].decrypt)
					.push_back(v);
				if (hooks.between_samples)
					hooks.between_samples();
			}
		}
		round_seconds = hooks.now() - round_start;
		tracker.round_done(ranking_key(res.series));
		if (hooks.progress) {
			const double by_rounds = static_cast<double>(tracker.rounds()) /
						 static_cast<double>(rule.max_rounds);
			const double by_time = (hooks.now() - start) / rule.time_budget;
			hooks.progress(std::min(1.0, std::max(by_rounds, by_time)));
		}
	}
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
