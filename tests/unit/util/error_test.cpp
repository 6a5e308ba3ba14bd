#include <cerrno>
#include <set>

#include "catch_compat.hpp"

#include "util/error.hpp"
#include "util/expected.hpp"

using namespace luksfit;

TEST_CASE("errno maps to cryptsetup-compatible exit codes")
{
	CHECK(exit_code_from_errno(0) == ExitCode::Ok);
	CHECK(exit_code_from_errno(-EACCES) == ExitCode::Permission);
	CHECK(exit_code_from_errno(EPERM) == ExitCode::Permission);
	CHECK(exit_code_from_errno(-ENOMEM) == ExitCode::NoMemory);
	CHECK(exit_code_from_errno(-ENOENT) == ExitCode::WrongDevice);
	CHECK(exit_code_from_errno(-ENOTBLK) == ExitCode::WrongDevice);
	CHECK(exit_code_from_errno(-EBUSY) == ExitCode::Busy);
	CHECK(exit_code_from_errno(-EEXIST) == ExitCode::Busy);
	CHECK(exit_code_from_errno(-EAFNOSUPPORT) == ExitCode::Unsupported);
	CHECK(exit_code_from_errno(-EINVAL) == ExitCode::Failed);
	CHECK(exit_code_from_errno(-EIO) == ExitCode::Failed);
}

TEST_CASE("exit codes have the documented values and distinct names")
{
	CHECK(static_cast<int>(ExitCode::Refused) == 6);
	CHECK(static_cast<int>(ExitCode::Unsupported) == 7);
	CHECK(static_cast<int>(ExitCode::ValidationFailed) == 8);
	std::set<std::string_view> names;
	for (int c = 0; c <= 8; ++c)
		names.insert(exit_code_name(static_cast<ExitCode>(c)));
	CHECK(names.size() == 9);
}

TEST_CASE("error_from_errno names the operation and the system error")
{
	const Error e = error_from_errno(-ENOENT, "open /dev/nope", "check the path");
	CHECK(e.code == ExitCode::WrongDevice);
	CHECK(e.message == "open /dev/nope: No such file or directory");
	CHECK(e.hint == "check the path");
}

TEST_CASE("Expected carries a value or an error, and throws the error on access")
{
	Expected<int> ok = 42;
	REQUIRE(ok);
	CHECK(*ok == 42);
	Expected<int> bad = Error{ExitCode::Busy, "busy", {}};
	CHECK_FALSE(bad);
	CHECK(bad.error().code == ExitCode::Busy);
	CHECK_THROWS_AS(bad.value(), Failure);
}
