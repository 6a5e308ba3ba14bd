#include <string>
#include <type_traits>

#include "catch_compat.hpp"

#include "util/secure_buffer.hpp"

using luksfit::SecureBuffer;

namespace {

SecureBuffer from(const std::string &s)
{
	SecureBuffer b;
	b.append(s.data(), s.size());
	return b;
}

} // namespace

TEST_CASE("SecureBuffer is move-only")
{
	STATIC_REQUIRE(!std::is_copy_constructible_v<SecureBuffer>);
	STATIC_REQUIRE(!std::is_copy_assignable_v<SecureBuffer>);
	STATIC_REQUIRE(std::is_nothrow_move_constructible_v<SecureBuffer>);
}

TEST_CASE("SecureBuffer keeps bytes across growth and moves")
{
	SecureBuffer b(2);
	const std::string text = "correct horse battery staple";
	b.append(text.data(), text.size());
	CHECK(b.size() == text.size());
	CHECK(std::string(b.chars(), b.size()) == text);

	SecureBuffer moved(std::move(b));
	CHECK(std::string(moved.chars(), moved.size()) == text);
	CHECK(b.size() == 0); // NOLINT(bugprone-use-after-move): moved-from state is defined
	CHECK(b.data() == nullptr);
}

TEST_CASE("SecureBuffer::wipe zeroes the whole storage")
{
	SecureBuffer b = from("secret");
	const unsigned char *p = b.data();
	const std::size_t cap = b.capacity();
	b.wipe();
	CHECK(b.size() == 0);
	for (std::size_t i = 0; i < cap; ++i)
		CHECK(p[i] == 0);
}

TEST_CASE("SecureBuffer::truncate wipes the dropped tail")
{
	SecureBuffer b = from("pass\n");
	b.truncate(4);
	CHECK(std::string(b.chars(), b.size()) == "pass");
	CHECK(b.data()[4] == 0);
}

TEST_CASE("SecureBuffer::equals compares content and length")
{
	CHECK(from("abc").equals(from("abc")));
	CHECK(!from("abc").equals(from("abd")));
	CHECK(!from("abc").equals(from("abcd")));
	CHECK(SecureBuffer().equals(SecureBuffer()));
}
