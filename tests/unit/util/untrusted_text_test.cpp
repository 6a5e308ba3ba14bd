#include <string>

#include "catch_compat.hpp"

#include "util/untrusted_text.hpp"

using namespace luksfit::util;

TEST_CASE("printable: plain text and valid UTF-8 pass unchanged")
{
	CHECK(printable("aes-xts-plain64") == "aes-xts-plain64");
	CHECK(printable("") == "");
	CHECK(printable("Daten \xc3\xa4\xc3\xb6\xc3\xbc \xe2\x82\xac \xf0\x9f\x94\x91") ==
	      "Daten \xc3\xa4\xc3\xb6\xc3\xbc \xe2\x82\xac \xf0\x9f\x94\x91");
	CHECK(printable("a\\x1b") == "a\\x1b"); // a backslash stays: escaping twice is a no-op
}

TEST_CASE("printable: control characters, ESC and DEL become \\xNN")
{
	CHECK(printable("q\nevil /dev/sda /k luks\n#") == "q\\x0aevil /dev/sda /k luks\\x0a#");
	CHECK(printable("\x1b[31mred\x1b[0m") == "\\x1b[31mred\\x1b[0m");
	CHECK(printable("a\tb\rc\x7f") == "a\\x09b\\x0dc\\x7f");
	CHECK(printable(std::string("a\0b", 3)) == "a\\x00b");
}

struct Case {
	std::string raw, shown;
};

TEST_CASE("printable: C1 controls and invisible or bidi characters are escaped")
{
	const Case cases[] = {
		{"\u009b31m", "\\xc2\\x9b31m"},			   // CSI, C1's ESC [
		{"abc\u202efdp.exe", "abc\\xe2\\x80\\xaefdp.exe"}, // right-to-left override
		{"a\u200bb", "a\\xe2\\x80\\x8bb"},		   // zero width space
		{"\ufeffx", "\\xef\\xbb\\xbfx"},		   // byte order mark
		{"a\u2028b", "a\\xe2\\x80\\xa8b"},		   // line separator
	};
	for (const auto &c : cases)
		CHECK(printable(c.raw) == c.shown);
}

TEST_CASE("printable: bytes that are not UTF-8 are escaped one by one")
{
	const Case cases[] = {
		{"\xff\xfe", "\\xff\\xfe"},
		{"a\xc3", "a\\xc3"},			      // cut short
		{"\xc3(", "\\xc3("},			      // bad continuation byte
		{"\xc0\xaf", "\\xc0\\xaf"},		      // overlong '/'
		{"\xed\xa0\x80", "\\xed\\xa0\\x80"},	      // surrogate U+D800
		{"\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"}, // beyond U+10FFFF
		{"\x80xyz", "\\x80xyz"},		      // stray continuation byte
	};
	for (const auto &c : cases)
		CHECK(printable(c.raw) == c.shown);
}

TEST_CASE("printable: escaping twice changes nothing")
{
	for (const std::string s : {"q\nevil", "\x1b]0;title\x07", "\xff\xc2\x9b", "\\x1b"})
		CHECK(printable(printable(s)) == printable(s));
}

TEST_CASE("is_printable agrees with printable")
{
	CHECK(is_printable("data"));
	CHECK(is_printable("/etc/keys/d\xc3\xa4ta.key"));
	CHECK_FALSE(is_printable("a\nb"));
	CHECK_FALSE(is_printable("\x1b[2J"));
	CHECK_FALSE(is_printable("\xff"));
	CHECK_FALSE(is_printable("\xe2\x80\xae"));
}

TEST_CASE("is_canonical_uuid: 8-4-4-4-12 hex digits only")
{
	CHECK(is_canonical_uuid("0b5c1d2e-77aa-4bcd-9e01-23456789abcd"));
	CHECK(is_canonical_uuid("0B5C1D2E-77AA-4BCD-9E01-23456789ABCD"));
	CHECK_FALSE(is_canonical_uuid(""));
	CHECK_FALSE(is_canonical_uuid("q\nevil /dev/sda /k luks\n#"));
	// no dashes; 37 characters; not hex; a dash moved; a newline
	CHECK_FALSE(is_canonical_uuid("0b5c1d2e77aa4bcd9e0123456789abcd"));
	CHECK_FALSE(is_canonical_uuid("0b5c1d2e-77aa-4bcd-9e01-23456789abcd "));
	CHECK_FALSE(is_canonical_uuid("0b5c1d2e-77aa-4bcd-9e01-23456789abcg"));
	CHECK_FALSE(is_canonical_uuid("0b5c1d2e-77aa-4bcd-9e0123-456789abcd"));
	CHECK_FALSE(is_canonical_uuid("0b5c1d2e-77aa-4bcd-9e01-2345\n789abcd"));
}
