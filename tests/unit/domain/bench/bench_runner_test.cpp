#include <map>

#include "catch_compat.hpp"

#include "domain/bench/bench_runner.hpp"
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
	return RunHooks{[&e] { return e.clock; }, {}, {}};
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
