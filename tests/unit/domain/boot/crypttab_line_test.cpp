#include "catch_compat.hpp"

#include "domain/boot/crypttab_line.hpp"
#include "domain/host/perf_flags.hpp"
#include "util/error.hpp"

using namespace luksfit::domain;

namespace {

CrypttabLineRequest request()
{
	CrypttabLineRequest r;
	r.name = "data";
	r.uuid = "0b5c1d2e-77aa-4bcd-9e01-23456789abcd";
	r.perf_flags = {"no_read_workqueue", "no_write_workqueue"};
	return r;
}

} // namespace

TEST_CASE("crypttab line: UUID, no key file, luks and the kernel's flags")
{
	const auto l = build_crypttab_line(request());
	CHECK(l.text == "data UUID=0b5c1d2e-77aa-4bcd-9e01-23456789abcd none "
			"luks,no-read-workqueue,no-write-workqueue");
	CHECK(l.options ==
	      std::vector<std::string>{"luks", "no-read-workqueue", "no-write-workqueue"});
	CHECK(l.from_header.empty());
}

TEST_CASE("crypttab line: --initrd, --discard, key file, old kernel")
{
	auto r = request();
	r.initrd = true;
	r.discard = true;
	r.keyfile = "/etc/keys/data.key";
	r.perf_flags = choose_perf_flags(TargetVersion{1, 19, 0}).flags; // predates the flags
	CHECK(build_crypttab_line(r).text == "data UUID=0b5c1d2e-77aa-4bcd-9e01-23456789abcd "
					     "/etc/keys/data.key luks,discard,x-initrd.attach");
	r.perf_flags = choose_perf_flags(TargetVersion{1, 24, 0}).flags; // Debian 6.1
	CHECK(build_crypttab_line(r).options ==
	      std::vector<std::string>{"luks", "no-read-workqueue", "no-write-workqueue", "discard",
				       "x-initrd.attach"});
}

TEST_CASE("crypttab line: flags the LUKS2 header stores are left out")
{
	auto r = request();
	r.discard = true;
	r.persistent_flags = {"no_read_workqueue", "allow_discards"};
	const auto l = build_crypttab_line(r);
	CHECK(l.options == std::vector<std::string>{"luks", "no-write-workqueue"});
	CHECK(l.from_header == std::vector<std::string>{"no-read-workqueue", "discard"});

	r.persistent_flags = {"no_read_workqueue", "no_write_workqueue"};
	r.discard = false;
	CHECK(build_crypttab_line(r).text ==
	      "data UUID=0b5c1d2e-77aa-4bcd-9e01-23456789abcd none luks");
}

TEST_CASE("crypttab line: names and key files that cannot be crypttab fields")
{
	CHECK_FALSE(crypttab_name_problem("data"));
	CHECK_FALSE(crypttab_name_problem("luks-0b5c"));
	CHECK(crypttab_name_problem(""));
	CHECK(crypttab_name_problem("a/b"));
	CHECK(crypttab_name_problem("a b"));
	CHECK(crypttab_name_problem("a\tb"));
	CHECK(crypttab_name_problem("#data"));
	CHECK(crypttab_name_problem(".."));
	CHECK_FALSE(crypttab_keyfile_problem("/etc/keys/k"));
	CHECK(crypttab_keyfile_problem("/etc/my keys/k"));
	CHECK(crypttab_keyfile_problem(""));
}

TEST_CASE("crypttab line: control characters and bytes that are not UTF-8 are refused")
{
	for (const char *bad : {"a\nb", "a\rb", "a\vb", "a\fb", "a\x1b[31m", "a\x7f", "a\xff",
				"a\xc2\x85"
				"b"}) {
		CHECK(crypttab_name_problem(bad));
		CHECK(crypttab_keyfile_problem(std::string("/etc/keys/") + bad));
	}
	CHECK_FALSE(crypttab_name_problem("d\xc3\xa4ten")); // UTF-8 text is fine
	CHECK(crypttab_name_problem("a\nb")->find("control characters") != std::string::npos);
}

TEST_CASE("crypttab line: built only from one-word fields and a canonical UUID")
{
	auto r = request();
	r.uuid = "q\nevil /dev/sda /k luks\n#";
	CHECK_THROWS_AS(build_crypttab_line(r), luksfit::Failure);
	try {
		build_crypttab_line(r);
	} catch (const luksfit::Failure &f) {
		CHECK(f.error().code == luksfit::ExitCode::Failed);
		CHECK(f.error().message.find("'q\\x0aevil /dev/sda /k luks\\x0a#'") !=
		      std::string::npos);
	}
	r = request();
	r.name = "data\nevil";
	CHECK_THROWS_AS(build_crypttab_line(r), luksfit::Failure);
	r = request();
	r.keyfile = "/k none luks,keyscript=/tmp/x";
	CHECK_THROWS_AS(build_crypttab_line(r), luksfit::Failure);
	r = request();
	r.perf_flags = {"no_read_workqueue\nx"};
	CHECK_THROWS_AS(build_crypttab_line(r), luksfit::Failure);
}

TEST_CASE("crypttab conflicts: same name, same UUID (any case, by-uuid path), none")
{
	const auto tab =
		parse_crypttab("# data UUID=0b5c1d2e-77aa-4bcd-9e01-23456789abcd none luks\n"
			       "root UUID=11111111-2222-3333-4444-555555555555 none luks\n"
			       "home /dev/disk/by-uuid/0B5C1D2E-77AA-4BCD-9E01-23456789ABCD none\n"
			       "swap /dev/sdb2 /dev/urandom swap\n");
	const std::string uuid = "0b5c1d2e-77aa-4bcd-9e01-23456789abcd";
	auto c = find_crypttab_conflict(tab, "root", "99999999-0000-0000-0000-000000000000");
	REQUIRE(c);
	CHECK(c->line == 2);
	CHECK(c->message == "line 2 already maps 'root'");

	c = find_crypttab_conflict(tab, "data", uuid); // the commented-out line does not count
	REQUIRE(c);
	CHECK(c->line == 3);
	CHECK(c->message.find("as 'home'") != std::string::npos);

	const auto upper = parse_crypttab("x UUID=0B5C1D2E-77AA-4BCD-9E01-23456789ABCD none\n");
	CHECK(find_crypttab_conflict(upper, "data", uuid));
	CHECK_FALSE(find_crypttab_conflict(tab, "data", "99999999-0000-0000-0000-000000000000"));
	CHECK_FALSE(find_crypttab_conflict(parse_crypttab(""), "data", uuid));
}

TEST_CASE("crypttab conflicts: the file's name is shown escaped")
{
	const auto tab =
		parse_crypttab("da\x1b[2Jta UUID=11111111-2222-3333-4444-555555555555 none\n");
	const auto c =
		find_crypttab_conflict(tab, "da\x1b[2Jta", "0b5c1d2e-77aa-4bcd-9e01-23456789abcd");
	REQUIRE(c);
	CHECK(c->message == "line 1 already maps 'da\\x1b[2Jta'");
}

TEST_CASE("crypttab append: existing bytes kept, missing final newline added")
{
	const std::string line = "data UUID=u none luks";
	CHECK(append_crypttab_line("", line) == "data UUID=u none luks\n");
	CHECK(append_crypttab_line("# c\n\troot  UUID=r none luks \n", line) ==
	      "# c\n\troot  UUID=r none luks \ndata UUID=u none luks\n");
	CHECK(append_crypttab_line("# no newline", line) ==
	      "# no newline\ndata UUID=u none luks\n");
	CHECK(append_crypttab_line("a\r\n", line) == "a\r\ndata UUID=u none luks\n");
}

TEST_CASE("perf flags: crypttab spelling")
{
	CHECK(crypttab_flag_name("no_read_workqueue") == "no-read-workqueue");
	CHECK(crypttab_flag_name("no_write_workqueue") == "no-write-workqueue");
}
