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

TEST_CASE("one decision: measured flags where the target supports them, else the target's")
{
	const PerfFlagChoice read_only{{"no_read_workqueue"}, "measured"};
	auto d = decide_perf_flags({read_only, ""}, TargetVersion{1, 24, 0});
	CHECK(d.flags == std::vector<std::string>{"no_read_workqueue"});
	CHECK(d.reason == "measured");
	// Measured under this kernel: kept where its version cannot be read now (not root).
	CHECK(decide_perf_flags({read_only, ""}, std::nullopt, "reading it needs root") ==
	      read_only);
	d = decide_perf_flags({read_only, ""}, TargetVersion{1, 21, 0});
	CHECK(d.flags.empty());
	CHECK(d.reason ==
	      "none: measured; left out no_read_workqueue: dm-crypt 1.21.0 does not support it");
	d = decide_perf_flags({{}, "no usable bench result"}, TargetVersion{1, 24, 0});
	CHECK(d.flags.size() == 2);
	CHECK(d.reason == "dm-crypt 1.24.0 supports them; not measured (no usable bench result)");
	d = decide_perf_flags({{}, "no usable bench result"}, std::nullopt,
			      "reading it needs root");
	CHECK(d.flags.empty());
	CHECK(d.reason == "none: the dm-crypt target version is unknown here (reading it needs "
			  "root); not measured (no usable bench result)");
}

TEST_CASE("the report line: flags and why, or the reason alone starting with none")
{
	CHECK(perf_flags_text({{"no_read_workqueue", "no_write_workqueue"}, "measured"}) ==
	      "no_read_workqueue no_write_workqueue (measured)");
	CHECK(perf_flags_text({{}, "none: the device is rotational"}) ==
	      "none: the device is rotational");
	CHECK(perf_flags_text({{}, "--no-perf-flags"}) == "none (--no-perf-flags)");
}

TEST_CASE("the flags luksfit recommends are dm-crypt features with a known first version")
{
	for (const auto &f : recommended_perf_flags()) {
		CHECK(supports(TargetVersion{1, 22, 0}, f));
		CHECK_FALSE(supports(TargetVersion{1, 21, 9}, f));
	}
}
