#include "catch_compat.hpp"

#include "domain/bench/sampler.hpp"

using namespace luksfit::domain;

TEST_CASE("summarize: median, quartiles by interpolation, min and max")
{
	const SampleStats s = summarize({40, 10, 30, 20, 50});
	CHECK(s.count == 5);
	CHECK(s.median == Approx(30));
	CHECK(s.q1 == Approx(20));
	CHECK(s.q3 == Approx(40));
	CHECK(s.min == Approx(10));
	CHECK(s.max == Approx(50));
	CHECK(s.iqr() == Approx(20));

	const SampleStats even = summarize({1, 2, 3, 4});
	CHECK(even.median == Approx(2.5));
	CHECK(even.q1 == Approx(1.75));
	CHECK(even.q3 == Approx(3.25));

	const SampleStats one = summarize({7});
	CHECK(one.median == Approx(7));
	CHECK(one.iqr() == Approx(0));
	CHECK(summarize({}).count == 0);
}

TEST_CASE("within_noise: spread and the noise floor decide ties")
{
	// Tight series 10 % apart: different.
	CHECK_FALSE(within_noise(summarize({100, 101, 99}), summarize({90, 91, 89})));
	// Wide series 10 % apart: a tie.
	CHECK(within_noise(summarize({80, 100, 120}), summarize({70, 90, 110})));
	// No spread at all (one sample each): 1 % apart is still a tie, 5 % is not.
	CHECK(within_noise(summarize({100}), summarize({99})));
	CHECK_FALSE(within_noise(summarize({100}), summarize({95})));
}

TEST_CASE("combined throughput is the harmonic mean of encryption and decryption")
{
	CHECK(combined_throughput(100, 100) == Approx(100));
	CHECK(combined_throughput(60, 120) == Approx(80));
	CHECK(combined_throughput(0, 120) == Approx(0));
}

TEST_CASE("stopping rule: settled only after min_rounds and a stable ranking")
{
	StopRule rule;
	rule.min_rounds = 3;
	rule.stable_rounds = 2;
	rule.max_rounds = 10;
	rule.time_budget = 100;
	StopTracker t(rule);
	const std::vector<std::vector<std::size_t>> a = {{0}, {}}, b = {{1}, {0}};

	CHECK(t.should_stop(0, 0) == StopReason::None);
	t.round_done(a);
	t.round_done(a);
	CHECK(t.should_stop(1, 1) == StopReason::None); // one unchanged round only
	t.round_done(b);				// ranking changed: count restarts
	CHECK(t.unchanged() == 0);
	t.round_done(b);
	CHECK(t.should_stop(1, 1) == StopReason::None);
	t.round_done(b);
	CHECK(t.should_stop(1, 1) == StopReason::Settled);
}

TEST_CASE("stopping rule: a ranking that stays unchanged still waits for min_rounds")
{
	StopRule rule;
	rule.min_rounds = 4;
	rule.stable_rounds = 1;
	StopTracker t(rule);
	for (int i = 0; i < 3; ++i)
		t.round_done({{0}});
	CHECK(t.should_stop(0, 0) == StopReason::None);
	t.round_done({{0}});
	CHECK(t.should_stop(0, 0) == StopReason::Settled);
}

TEST_CASE("stopping rule: time budget and round limit")
{
	StopRule rule;
	rule.max_rounds = 3;
	rule.time_budget = 10;
	StopTracker t(rule);
	// Before any round the budget never stops the run: a result needs a sample.
	CHECK(t.should_stop(50, 0) == StopReason::None);
	t.round_done({{0}});
	// Another round of 4 s would end at 12 s > 10 s.
	CHECK(t.should_stop(8, 4) == StopReason::TimeBudget);
	CHECK(t.should_stop(5, 4) == StopReason::None);
	t.round_done({{1}});
	t.round_done({{0}});
	CHECK(t.should_stop(0, 0) == StopReason::MaxRounds);
	CHECK(std::string(stop_reason_name(StopReason::TimeBudget)) == "time-budget");
}
