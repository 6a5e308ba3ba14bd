#include "catch_compat.hpp"

#include "domain/host/dm_features.hpp"

using namespace luksfit::domain;

TEST_CASE("dm-crypt target versions parse strictly")
{
	CHECK(parse_target_version("1.22.0") == TargetVersion{1, 22, 0});
	CHECK(parse_target_version("1.24.13") == TargetVersion{1, 24, 13});
	CHECK_FALSE(parse_target_version("1.22"));
	CHECK_FALSE(parse_target_version("1.22.0x"));
	CHECK_FALSE(parse_target_version(""));
	CHECK((TargetVersion{1, 18, 1}.text()) == "1.18.1");
}

TEST_CASE("features by dm-crypt version, at their thresholds")
{
	CHECK_FALSE(supports({1, 16, 9}, "sector_size"));
	CHECK(supports({1, 17, 0}, "sector_size"));
	CHECK_FALSE(supports({1, 21, 0}, "no_read_workqueue"));
	CHECK(supports({1, 22, 0}, "no_read_workqueue"));
	CHECK(supports({1, 22, 0}, "no_write_workqueue"));
	CHECK_FALSE(supports({1, 25, 0}, "high_priority"));
	CHECK(supports({1, 26, 0}, "high_priority"));
	CHECK_FALSE(supports({9, 0, 0}, "no_such_feature"));
	CHECK(supported_features({1, 14, 0}).size() == 3);
}

TEST_CASE("the feature table is ordered by version and cites a kernel for each")
{
	const auto &t = dm_crypt_features();
	for (std::size_t i = 1; i < t.size(); ++i)
		CHECK(t[i - 1].since <= t[i].since);
	for (const auto &f : t)
		CHECK(std::string(f.kernel).find('.') != std::string::npos);
}
