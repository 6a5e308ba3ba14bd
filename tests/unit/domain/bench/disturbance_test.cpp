#include "catch_compat.hpp"

#include "domain/bench/disturbance.hpp"

using namespace luksfit::domain;

namespace {

Series series(std::vector<double> v)
{
	return Series{v, v};
}

} // namespace

TEST_CASE("a pair during which luksfit had less than 85 % of a CPU is left out")
{
	std::vector<Series> s = {series({100, 50, 100, 100, 100}), series({90, 90, 90, 90, 90})};
	const std::vector<std::vector<double>> ref = {{1.0, 0.6, 1.0, 0.99, 1.0},
						      {1.0, 0.84, 1.0, 0.86, 1.0}};
	const Disturbance d = screen_disturbed(s, ref);
	CHECK(d.pairs == 10);
	CHECK(d.left_out == 2);
	CHECK(d.lowest_share == Approx(0.6));
	CHECK_FALSE(d.unreliable);
	CHECK(s[0].encrypt == std::vector<double>{100, 100, 100, 100});
	CHECK(s[1].decrypt == std::vector<double>{90, 90, 90, 90});
	CHECK(disturbance_summary(d) ==
	      "the machine was busy: 2 of 10 sample pairs were taken while other programs held the "
	      "CPUs (luksfit's share below 85%, down to 60%) and were left out");
}

TEST_CASE("too much left out: unreliable, every figure kept")
{
	std::vector<Series> s = {series({100, 50, 50}), series({90, 45, 45})};
	const std::vector<std::vector<double>> ref = {{1.0, 0.5, 0.5}, {1.0, 0.5, 0.5}};
	const Disturbance d = screen_disturbed(s, ref);
	CHECK(d.left_out == 4);
	CHECK(d.unreliable);
	CHECK(s[0].encrypt.size() == 3);
	CHECK(disturbance_summary(d).find("; too few undisturbed samples remain to rank by speed, "
					  "so the policy's preference order decides") !=
	      std::string::npos);

	// One target left with a single pair (of several) is unreliable too.
	std::vector<Series> one = {series({100, 100, 100, 100}), series({1, 2, 3, 4})};
	const Disturbance d1 = screen_disturbed(one, {{1.0, 0.5, 0.5, 0.5}, {1.0, 1.0, 1.0, 1.0}});
	CHECK(d1.left_out == 3);
	CHECK(d1.unreliable);
}

TEST_CASE("an undisturbed run changes nothing and says nothing; no readings, no screening")
{
	std::vector<Series> s = {series({100, 101, 99})};
	CHECK(screen_disturbed(s, {{1.0, 0.9, 1.0}}).left_out == 0);
	CHECK(s[0].encrypt.size() == 3);
	const Disturbance none = screen_disturbed(s, {});
	CHECK(none.pairs == 0);
	CHECK(disturbance_summary(none).empty());
	// A short run (one round) is not unreliable for being short.
	std::vector<Series> short_run = {series({100})};
	CHECK_FALSE(screen_disturbed(short_run, {{1.0}}).unreliable);
}

TEST_CASE("the two phases of a run in one account")
{
	const Disturbance m = merge({10, 1, 0.7, false}, {6, 4, 0.4, true});
	CHECK(m.pairs == 16);
	CHECK(m.left_out == 5);
	CHECK(m.lowest_share == Approx(0.4));
	CHECK(m.unreliable);
}
