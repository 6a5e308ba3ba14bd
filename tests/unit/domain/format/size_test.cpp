#include "catch_compat.hpp"

#include "domain/format/size.hpp"

using namespace luksfit::domain;

TEST_CASE("sizes parse with binary units")
{
	CHECK(*parse_size("4096") == 4096);
	CHECK(*parse_size("64M") == 64ull << 20);
	CHECK(*parse_size("1G") == 1ull << 30);
	CHECK(*parse_size("512k") == 512ull << 10);
	CHECK(*parse_size("2GiB") == 2ull << 30);
	CHECK(*parse_size("3TB") == 3ull << 40);
}

TEST_CASE("bad sizes are refused with a hint")
{
	for (const char *bad :
	     {"", "0", "M", "1.5G", "-1", "64X", "64MiBs", "99999999999999999999", "20000000T"}) {
		INFO(bad);
		const auto r = parse_size(bad);
		REQUIRE(!r);
		CHECK(r.error().code == luksfit::ExitCode::Failed);
		CHECK(!r.error().hint.empty());
	}
}

TEST_CASE("sizes print in the largest fitting binary unit")
{
	CHECK(format_size(100) == "100 B");
	CHECK(format_size(64ull << 20) == "64 MiB");
	CHECK(format_size(1536) == "1.5 KiB");
}
