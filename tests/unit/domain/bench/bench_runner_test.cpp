#include <map>

#include "catch_compat.hpp"

#include "domain/bench/bench_runner.hpp"
#include "domain/bench/disturbance.hpp"
#include "domain/bench/ranking.hpp"

using namespace luksfit::domain;

namespace {

// A fake engine: fixed speeds per candidate, a fake clock that each sample advances.
class FakeEngine : public SampleEngine
{
public:
	std::map<std::string, double> speed;
	std::map<std::string, std::string> missing;
	std::vector<std::string> calls;
	double clock = 0;
	double sample_cost = 0.1;
	int wobble = 0;

	std::optional<std::string> prepare(const BenchTarget &t) override
	{
		auto it = missing.find(t.candidate.label());
		if (it != missing.end())
			return it->second;
		return std::nullopt;
	}
	double sample(const BenchTarget &t, bool encrypt) override
	{
		calls.push_back(t.candidate.label() + (encrypt ? "+e" : "+d"));
		clock += sample_cost;
		// Alternating +-wobble % around the nominal speed.
		const double f = 1 + (calls.size() % 2 ? wobble : -wobble) / 100.0;
		return speed.at(t.candidate.label()) * f;
	}
	std::string driver(const BenchTarget &) override { return "fake-driver"; }
};

std::vector<BenchTarget> targets()
{
	std::vector<BenchTarget> t;
	for (const auto &c : default_candidates())
		t.push_back({c, 4096, false});
	return t;
}

RunHooks hooks(FakeEngine &e)
{
	RunHooks h;
	h.now = [&e] { return e.clock; };
	return h;
}

auto ranker(const std::vector<BenchTarget> &t)
{
	return [t](const std::vector<Series> &series) {
		std::vector<CandidateResult> r;
		for (std::size_t i = 0; i < t.size(); ++i)
			r.push_back({t[i].candidate, !series[i].empty(), "", "", series[i]});
		return rank(r, false).key();
	};
}

} // namespace

TEST_CASE("round-robin: every candidate once per round, both directions, interleaved")
{
	FakeEngine e;
	const auto t = targets();
	for (std::size_t i = 0; i < t.size(); ++i)
		e.speed[t[i].candidate.label()] = 100.0 + 50.0 * static_cast<double>(i);
	e.missing["serpent-xts-plain64/512"] = "the kernel has no xts(serpent)";
	StopRule rule;
	rule.time_budget = 1000;
	const RunResult r = run_rounds(e, t, rule, hooks(e), ranker(t));
	CHECK(r.stop == StopReason::Settled);
	CHECK(r.rounds == 3);
	// 5 measurable candidates x 2 directions x 3 rounds.
	CHECK(e.calls.size() == 30);
	CHECK(e.calls[0] == "aes-xts-plain64/512+e");
	CHECK(e.calls[1] == "aes-xts-plain64/512+d");
	CHECK(e.calls[2] == "aes-xts-plain64/256+e");
	// Second round: decryption first.
	CHECK(e.calls[10] == "aes-xts-plain64/512+d");
	REQUIRE(r.unavailable[4].has_value());
	CHECK(*r.unavailable[4] == "the kernel has no xts(serpent)");
	CHECK(r.series[4].empty());
	CHECK(r.series[0].encrypt.size() == 3);
	CHECK(r.drivers[0] == "fake-driver");
	CHECK(r.drivers[4].empty());
}

TEST_CASE("the time budget stops a run whose ranking does not settle")
{
	FakeEngine e;
	const auto t = targets();
	for (const auto &x : t)
		e.speed[x.candidate.label()] = 100;
	e.speed["xchacha12,aes-adiantum-plain64/256"] = 102;
	e.wobble = 0;
	StopRule rule;
	rule.time_budget = 3.5; // a round costs 1.2 s of fake time
	rule.min_rounds = 10;
	const RunResult r = run_rounds(e, t, rule, hooks(e), ranker(t));
	CHECK(r.stop == StopReason::TimeBudget);
	CHECK(r.rounds == 2); // a third would end at 3.6 s
	CHECK(r.seconds == Approx(2.4));
}

TEST_CASE("the round limit stops a run")
{
	FakeEngine e;
	const auto t = targets();
	for (const auto &x : t)
		e.speed[x.candidate.label()] = 100;
	StopRule rule;
	rule.min_rounds = 100;
	rule.max_rounds = 4;
	rule.time_budget = 1e9;
	const RunResult r = run_rounds(e, t, rule, hooks(e), ranker(t));
	CHECK(r.stop == StopReason::MaxRounds);
	CHECK(r.rounds == 4);
}

namespace {

// The first two default candidates; `busy_rounds` of aes-xts-plain64/512's pairs run on a
// disturbed CPU: its samples at a third of the speed, luksfit's CPU share at half.
class LoadedEngine : public SampleEngine
{
public:
	FakeEngine e;
	std::size_t busy_rounds = 0;
	bool busy = false;

	std::optional<std::string> prepare(const BenchTarget &x) override { return e.prepare(x); }
	double sample(const BenchTarget &x, bool encrypt) override
	{
		const std::size_t round = e.calls.size() / 4; // 2 targets x 2 directions
		busy = x.candidate.key_bits == 512 && round < busy_rounds;
		const double v = e.sample(x, encrypt);
		return busy ? v / 3 : v;
	}
	std::string driver(const BenchTarget &x) override { return e.driver(x); }
};

struct LoadedRun {
	LoadedEngine engine;
	std::vector<BenchTarget> t{targets()[0], targets()[1]};

	LoadedRun()
	{
		engine.e.speed["aes-xts-plain64/512"] = 120;
		engine.e.speed["aes-xts-plain64/256"] = 100;
	}
	RunResult run(const StopRule &rule)
	{
		RunHooks h = hooks(engine.e);
		h.cpu_share = [this] { return engine.busy ? 0.5 : 1.0; };
		return run_rounds(engine, t, rule, h, ranker(t));
	}
	Ranking ranking(const RunResult &r) const
	{
		std::vector<CandidateResult> results;
		for (std::size_t i = 0; i < t.size(); ++i)
			results.push_back({t[i].candidate, true, "", "", r.series[i]});
		return rank(results, false, r.disturbance.unreliable);
	}
};

} // namespace

TEST_CASE("pairs taken on a disturbed CPU are left out, and the run measures longer")
{
	LoadedRun l;
	l.engine.busy_rounds = 4;
	StopRule rule; // min_rounds 3, settled after 2 unchanged rounds
	rule.max_rounds = 20;
	rule.time_budget = 1e9;
	const RunResult r = l.run(rule);
	// Disturbed rounds never settle it, and the ranking it watches is that of the pairs left:
	// until round 5 aes-xts-plain64/512 keeps fewer than 2 (unreliable, all kept); from then
	// on the undisturbed pairs rank, and hold for two rounds.
	CHECK(r.stop == StopReason::Settled);
	CHECK(r.rounds == 8);
	CHECK(r.disturbance.pairs == 16);
	CHECK(r.disturbance.left_out == 4); // the busy 512-bit pairs of rounds 0-3
	CHECK(r.disturbance.lowest_share == Approx(0.5));
	CHECK_FALSE(r.disturbance.unreliable);
	CHECK(r.series[0].encrypt.size() == 4);
	CHECK(r.series[0].decrypt.size() == 4);
	CHECK(r.series[1].encrypt.size() == 8);
	// What is left is the idle speed: 120 MiB/s for aes-xts-plain64/512, never 40.
	CHECK(r.series[0].combined_stats().min == Approx(120));
	const Ranking rk = l.ranking(r);
	REQUIRE(rk.winner);
	CHECK(*rk.winner == 0);
	CHECK(rk.entries.front().reason.find("fastest") == 0);
}

TEST_CASE("a run disturbed throughout is unreliable: figures kept, the preference order decides")
{
	LoadedRun l;
	l.engine.busy_rounds = 1000;
	l.engine.e.speed["aes-xts-plain64/256"] = 200; // far faster than the loaded 512 (40)
	StopRule rule;
	rule.max_rounds = 6;
	rule.time_budget = 1e9;
	const RunResult r = l.run(rule);
	CHECK(r.stop == StopReason::MaxRounds); // never settles while disturbed
	CHECK(r.disturbance.unreliable);
	CHECK(r.disturbance.left_out == 6);	// every 512-bit pair: none of it remains
	CHECK(r.series[0].encrypt.size() == 6); // kept, to be shown
	const Ranking rk = l.ranking(r);
	REQUIRE(rk.winner);
	CHECK(*rk.winner == 0); // first in the preference order, not by speed
	CHECK(rk.entries.front().reason.find("the measurement was disturbed, so speed played no "
					     "part") != std::string::npos);
	CHECK(rk.entries[1].status == RankStatus::Tied);
	CHECK(disturbance_summary(r.disturbance).find("the policy's preference order decides") !=
	      std::string::npos);
}
