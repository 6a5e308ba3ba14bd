#include "catch_compat.hpp"

#include "domain/host/perf_flags.hpp"

using namespace luksfit::domain;

TEST_CASE("perf flags follow the dm-crypt target version, not the kernel release")
{
	CHECK(choose_perf_flags(TargetVersion{1, 21, 0}).flags.empty());
	CHECK(choose_perf_flags(TargetVersion{1, 21, 0}).reason.find("predates") !=
	      std::string::npos);
	CHECK(choose_perf_flags(TargetVersion{1, 22, 0}).flags ==
	      std::vector<std::string>{"no_read_workqueue", "no_write_workqueue"});
	CHECK(choose_perf_flags(TargetVersion{1, 26, 0}).flags.size() == 2);
	const auto unknown = choose_perf_flags(std::nullopt, "no device-mapper on this kernel");
	CHECK(unknown.flags.empty());
	CHECK(unknown.reason == "none: the dm-crypt target version is unknown here (no "
				"device-mapper on this kernel)");
}

TEST_CASE("the flags luksfit recommends are dm-crypt features with a known first version")
{
	for (const auto &f : recommended_perf_flags()) {
		CHECK(supports(TargetVersion{1, 22, 0}, f));
		CHECK_FALSE(supports(TargetVersion{1, 21, 9}, f));
	}
}
