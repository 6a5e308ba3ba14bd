#include "catch_compat.hpp"

#include "domain/format/format_plan.hpp"

using namespace luksfit::domain;

namespace {

FormatHostFacts host(bool fips = false)
{
	FormatHostFacts h;
	h.fips = fips;
	h.dm_crypt = TargetVersion{1, 24, 0}; // the lab's Debian 6.1
	return h;
}

Topology disk(std::uint64_t size = 1ull << 30)
{
	Topology t;
	t.size_bytes = size;
	return t;
}

} // namespace

TEST_CASE("defaults: aes-xts-plain64/512, sector 4096, argon2id, perf flags, no fallback")
{
	const auto p = plan_format(FormatRequest{}, host(), disk());
	REQUIRE(p);
	CHECK(p->data.label() == "aes-xts-plain64/512");
	CHECK(p->sector_size == 4096);
	CHECK(p->pbkdf.type == "argon2id");
	CHECK(p->pbkdf.memory_kib == 1048576);
	CHECK(!p->keyslot_fallback);
	CHECK(p->keyslot == p->data);
	CHECK(p->perf_flags == std::vector<std::string>{"no_read_workqueue", "no_write_workqueue"});
}

TEST_CASE("kernel-only data ciphers get aes-xts-plain64/512 keyslots")
{
	for (const char *c : {"xchacha12,aes-adiantum-plain64", "serpent-xts-plain64"}) {
		FormatRequest r;
		r.cipher = c;
		r.key_bits = std::string(c).find("adiantum") != std::string::npos ? 256 : 512;
		const auto p = plan_format(r, host(), disk());
		REQUIRE(p);
		CHECK(p->keyslot_fallback);
		CHECK(p->keyslot.label() == "aes-xts-plain64/512");
		CHECK(p->keyslot_reason.find("without AF_ALG") != std::string::npos);
	}
}

TEST_CASE("unsafe explicit parameters are refused with the reason (exit 1)")
{
	FormatRequest r;
	r.cipher = "aes-ecb";
	r.key_bits = 256;
	const auto p = plan_format(r, host(), disk());
	REQUIRE(!p);
	CHECK(p.error().code == luksfit::ExitCode::Failed);
	CHECK(p.error().message.find("ECB") != std::string::npos);
}

TEST_CASE("FIPS mode forces PBKDF2 and refuses argon2id and non-AES")
{
	const auto p = plan_format(FormatRequest{}, host(true), disk());
	REQUIRE(p);
	CHECK(p->pbkdf.type == "pbkdf2");
	FormatRequest argon;
	argon.pbkdf = "argon2id";
	CHECK(!plan_format(argon, host(true), disk()));
	FormatRequest serpent;
	serpent.cipher = "serpent-xts-plain64";
	CHECK(!plan_format(serpent, host(true), disk()));
}

TEST_CASE("sector size follows the device")
{
	Topology odd = disk((1ull << 30) + 512);
	const auto p = plan_format(FormatRequest{}, host(), odd);
	REQUIRE(p);
	CHECK(p->sector_size == 512);
	CHECK(!p->notes.empty());
	Topology native4k = disk();
	native4k.logical_sector = 4096;
	FormatRequest small;
	small.sector_size = 512;
	CHECK(!plan_format(small, host(), native4k));
	FormatRequest bad;
	bad.sector_size = 3000;
	CHECK(!plan_format(bad, host(), disk()));
}

TEST_CASE("the plan stores no perf flags when the dm-crypt version is unknown or too old")
{
	FormatHostFacts h = host();
	h.dm_crypt.reset();
	h.dm_crypt_unknown = "reading it needs root";
	auto p = plan_format(FormatRequest{}, h, disk());
	REQUIRE(p);
	CHECK(p->perf_flags.empty());
	CHECK(p->perf_flags_reason.find("reading it needs root") != std::string::npos);
	h.dm_crypt = TargetVersion{1, 19, 0}; // e.g. a 5.4 kernel
	p = plan_format(FormatRequest{}, h, disk());
	REQUIRE(p);
	CHECK(p->perf_flags.empty());
	FormatRequest off;
	off.perf_flags = false;
	p = plan_format(off, host(), disk());
	REQUIRE(p);
	CHECK(p->perf_flags.empty());
	CHECK(p->perf_flags_reason == "none: --no-perf-flags");
}

TEST_CASE("the plan stores the flags recommend's measurements chose, not all the target has")
{
	FormatRequest r;
	r.flags_evidence = {PerfFlagChoice{{"no_write_workqueue"}, "measured"}, ""};
	auto p = plan_format(r, host(), disk());
	REQUIRE(p);
	CHECK(p->perf_flags == std::vector<std::string>{"no_write_workqueue"});
	CHECK(p->perf_flags_reason == "measured");
	p = plan_format(FormatRequest{}, host(), disk());
	REQUIRE(p);
	CHECK(p->perf_flags_reason.find("; not measured (the parameters were given on the command "
					"line)") != std::string::npos);
}

TEST_CASE("the equivalent cryptsetup commands")
{
	FormatRequest r;
	r.cipher = "xchacha12,aes-adiantum-plain64";
	r.key_bits = 256;
	r.iter_time_ms = 1000;
	r.pbkdf_memory_kib = 65536;
	const auto p = plan_format(r, host(), disk());
	REQUIRE(p);
	const auto lines = cryptsetup_commands(*p, "/dev/my disk", "-");
	REQUIRE(lines.size() == 2);
	CHECK(lines[0] ==
	      "cryptsetup luksFormat --type luks2 --cipher xchacha12,aes-adiantum-plain64 "
	      "--key-size 256 --sector-size 4096 --pbkdf argon2id --iter-time 1000 "
	      "--pbkdf-memory 65536 --keyslot-cipher aes-xts-plain64 --keyslot-key-size 512 "
	      "--key-file - '/dev/my disk'");
	CHECK(lines[1] == "cryptsetup open --persistent --perf-no_read_workqueue "
			  "--perf-no_write_workqueue --key-file - '/dev/my disk' NAME");
	CHECK(shell_quote("it's") == "'it'\\''s'");
}
