#include <map>

#include "catch_compat.hpp"

#include "domain/boot/udev_properties.hpp"

using namespace luksfit::domain;

namespace {

LuksVolume volume(const std::string &cipher, unsigned bits, std::vector<std::string> slots)
{
	LuksVolume v;
	v.path = "/dev/loop0";
	v.cipher = cipher;
	v.key_bits = bits;
	v.sector_size = 4096;
	v.data_offset = 16u << 20;
	v.device_size = 64u << 20;
	int n = 0;
	for (auto &s : slots) {
		v.keyslots.push_back({n, "argon2id", "", 4, 1048576, 4, std::move(s), 512,
				      kPriorityNormal, n}); // header order: by number
		++n;
	}
	return v;
}

std::map<std::string, std::string> props(const LuksVolume &v, bool afalg = false)
{
	std::map<std::string, std::string> m;
	for (const auto &p : udev_properties(audit_volume(v, udev_audit_host(afalg, false))))
		m[p.key] = p.value;
	return m;
}

} // namespace

TEST_CASE("an aes-xts volume with aes-xts keyslots: facts, no finding, no advice")
{
	auto m = props(volume("aes-xts-plain64", 512, {"aes-xts-plain64"}));
	CHECK(m["LUKSFIT_LUKS_VERSION"] == "2");
	CHECK(m["LUKSFIT_CIPHER"] == "aes-xts-plain64");
	CHECK(m["LUKSFIT_KEY_SIZE"] == "512");
	CHECK(m["LUKSFIT_SECTOR_SIZE"] == "4096");
	CHECK(m["LUKSFIT_KEYSLOTS"] == "1");
	CHECK(m["LUKSFIT_KEYSLOTS_WITHOUT_AFALG"] == "1");
	CHECK(m["LUKSFIT_AUDIT"] == "ok");
	CHECK(m.count("LUKSFIT_ADVICE") == 0);
	CHECK(m.count("LUKSFIT_FINDINGS") == 0);
}

TEST_CASE("an Adiantum keyslot is assumed to need AF_ALG: advice harden")
{
	auto m = props(volume("xchacha12,aes-adiantum-plain64", 256,
			      {"aes-xts-plain64", "xchacha12,aes-adiantum-plain64"}));
	CHECK(m["LUKSFIT_KEYSLOTS"] == "2");
	CHECK(m["LUKSFIT_KEYSLOTS_WITHOUT_AFALG"] == "0");
	CHECK(m["LUKSFIT_AUDIT"] == "error"); // no AF_ALG on the host: it cannot unlock here
	CHECK(m["LUKSFIT_FINDINGS"] == "keyslot-needs-afalg");
	CHECK(m["LUKSFIT_ADVICE"] == "harden");
	CHECK(props(volume("xchacha12,aes-adiantum-plain64", 256,
			   {"xchacha12,aes-adiantum-plain64"}),
		    true)["LUKSFIT_AUDIT"] == "warning");
}

TEST_CASE("an Adiantum volume whose keyslots fell back to aes-xts needs nothing")
{
	auto m = props(volume("xchacha12,aes-adiantum-plain64", 256, {"aes-xts-plain64"}));
	CHECK(m["LUKSFIT_KEYSLOTS_WITHOUT_AFALG"] == "1");
	CHECK(m["LUKSFIT_AUDIT"] == "ok");
	CHECK(m.count("LUKSFIT_ADVICE") == 0);
}

TEST_CASE("advice follows the worst finding; info findings are listed without advice")
{
	auto v = volume("aes-xts-plain64", 512, {"aes-xts-plain64"});
	v.sector_size = 512;
	auto m = props(v);
	CHECK(m["LUKSFIT_AUDIT"] == "info");
	CHECK(m["LUKSFIT_FINDINGS"] == "sector-size-512");
	CHECK(m.count("LUKSFIT_ADVICE") == 0);

	v.keyslots.push_back({1, "pbkdf2", "sha256", 1000, 0, 0, "aes-xts-plain64", 512});
	m = props(v);
	CHECK(m["LUKSFIT_AUDIT"] == "warning");
	CHECK(m["LUKSFIT_FINDINGS"] == "pbkdf2-weak:sector-size-512");
	CHECK(m["LUKSFIT_ADVICE"] == "convert-key");

	auto weak = volume("des3_ede-cbc-plain", 192, {"aes-xts-plain64"});
	m = props(weak);
	CHECK(m["LUKSFIT_AUDIT"] == "error");
	CHECK(m["LUKSFIT_ADVICE"] == "reencrypt");
}

TEST_CASE("every finding id the audit produces has an advice code")
{
	for (const char *id : {"keyslot-needs-afalg", "keyslot-blocked-at-boot", "pbkdf2-weak",
			       "cipher-unknown", "cipher-unsafe", "luks1", "truncated",
			       "sector-size-512", "perf-flags-missing", "cipher-not-accelerated"}) {
		INFO(id);
		CHECK_FALSE(udev_advice_code(id).empty());
	}
	CHECK(udev_advice_code("no-such-finding").empty());
}

TEST_CASE("a LUKS signature with a header that does not load")
{
	const auto p = udev_invalid_header_properties(2);
	REQUIRE(p.size() == 4);
	CHECK(p[0].key == "LUKSFIT_LUKS_VERSION");
	CHECK(p[0].value == "2");
	CHECK(p[3].key == "LUKSFIT_ADVICE");
	CHECK(p[3].value == "restore");
}
