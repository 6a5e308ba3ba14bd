// The libcryptsetup version: parsed from the library's own debug message (run time), else the
// version built against, and how check and --version word it.
#include <regex>
#include <string>

#include "catch_compat.hpp"

#include "domain/host/host_report.hpp"
#include "luksfit_config.h"
#include "system/luks/libcryptsetup.hpp"

using namespace luksfit;

TEST_CASE("version_from_log_line takes the version from libcryptsetup's backend message")
{
	// Worded so since 2.0; later releases name their Argon2 inside the parentheses.
	CHECK(sys::version_from_log_line(
		      "Crypto backend (OpenSSL 3.0.17 1 Jul 2025 [default]"
		      "[legacy]) initialized in cryptsetup library version 2.6.1.") == "2.6.1");
	CHECK(sys::version_from_log_line("Crypto backend (OpenSSL 3.5.1 1 Jul 2025 [default], "
					 "argon2 [cryptsetup libargon2]) initialized in cryptsetup "
					 "library version 2.8.0-rc1.") == "2.8.0-rc1");
	CHECK_FALSE(sys::version_from_log_line("Detected kernel Linux 6.18.44 x86_64."));
	CHECK_FALSE(sys::version_from_log_line("initialized in cryptsetup library version ."));
	CHECK_FALSE(sys::version_from_log_line("initialized in cryptsetup library version 2."));
	CHECK_FALSE(sys::version_from_log_line("initialized in cryptsetup library version x2.7"));
	// A runaway string is cut: at most 32 characters are taken.
	const auto runaway = sys::version_from_log_line(
		"initialized in cryptsetup library version 2." + std::string(100, '9'));
	REQUIRE(runaway);
	CHECK(*runaway == "2." + std::string(30, '9'));
}

TEST_CASE("the library in use reports its version once per process, then the build's is used")
{
	// First crypto start of this process: the debug message comes, with the linked library's
	// version (Debian's libcryptsetup-dev and libcryptsetup12 come from one source package).
	const auto first = sys::query_libcryptsetup_version();
	CHECK(first.runtime);
	CHECK(std::regex_match(first.version, std::regex(R"(2\.[0-9]+\.[0-9]+.*)")));
	CHECK(first.build == LIBCRYPTSETUP_BUILD_VERSION);
	CHECK(first.version == first.build);
	// libcryptsetup logs it once per process: asked again, the build version stands in.
	const auto again = sys::query_libcryptsetup_version();
	CHECK_FALSE(again.runtime);
	CHECK(again.version == LIBCRYPTSETUP_BUILD_VERSION);
}

TEST_CASE("libcryptsetup_version_text says where the version comes from")
{
	CHECK(domain::libcryptsetup_version_text("2.7.5", true, "2.7.5") ==
	      "2.7.5 (reported by the library at run time)");
	CHECK(domain::libcryptsetup_version_text("2.8.8", true, "2.7.5") ==
	      "2.8.8 (reported by the library at run time; built against 2.7.5)");
	CHECK(domain::libcryptsetup_version_text("2.6.1", false, "2.6.1") ==
	      "2.6.1 (built against; the library did not report its version)");
}
