#include "catch_compat.hpp"

#include "domain/volume/volume_audit.hpp"

using namespace luksfit::domain;

namespace {

LuksVolume adiantum_volume()
{
	LuksVolume v;
	v.path = "/dev/vdb";
	v.version = 2;
	v.cipher = "xchacha12,aes-adiantum-plain64";
	v.key_bits = 256;
	v.sector_size = 4096;
	v.data_offset = 16u << 20;
	v.device_size = 64u << 20;
	v.keyslots = {{0, "argon2id", "", 4, 1048576, 4, "xchacha12,aes-adiantum-plain64", 256},
		      {1, "argon2id", "", 4, 1048576, 4, "aes-xts-plain64", 512}};
	return v;
}

AuditHost host(bool afalg)
{
	AuditHost h;
	h.afalg = afalg;
	h.dm_crypt_version = TargetVersion{1, 24, 0};
	h.keyslot_without_afalg = [](const std::string &c, unsigned) {
		return c.starts_with("aes-") ? Tri::Yes : Tri::No;
	};
	return h;
}

const Finding *find(const VolumeAudit &a, const std::string &id)
{
	for (const auto &f : a.findings)
		if (f.id == id)
			return &f;
	return nullptr;
}

} // namespace

TEST_CASE("an Adiantum keyslot will not unlock once AF_ALG is gone")
{
	const auto a = audit_volume(adiantum_volume(), host(true));
	CHECK(a.keyslots_at_risk == std::vector<int>{0});
	const auto *f = find(a, "keyslot-needs-afalg");
	REQUIRE(f);
	CHECK(f->severity == Severity::Warning);
	CHECK(f->message.find("will not unlock once AF_ALG is gone") != std::string::npos);
	CHECK(f->remedy == "luksfit harden /dev/vdb --key-slot 0 (on a host with AF_ALG)");
}

TEST_CASE("without AF_ALG on this host the same keyslot is an error")
{
	const auto a = audit_volume(adiantum_volume(), host(false));
	const auto *f = find(a, "keyslot-needs-afalg");
	REQUIRE(f);
	CHECK(f->severity == Severity::Error);
	CHECK(worst(a.findings) == Severity::Error);
}

TEST_CASE("a hardened AES-XTS volume with perf flags has nothing to report")
{
	auto v = adiantum_volume();
	v.cipher = "aes-xts-plain64";
	v.key_bits = 512;
	v.keyslots[0].encryption = "aes-xts-plain64";
	v.keyslots[0].key_bits = 512;
	v.persistent_flags = {"no_read_workqueue", "no_write_workqueue"};
	const auto a = audit_volume(v, host(false));
	CHECK(a.findings.empty());
	CHECK(a.keyslots_at_risk.empty());
}

TEST_CASE("LUKS1, weak PBKDF2 and an unsafe data cipher")
{
	LuksVolume v;
	v.path = "old.img";
	v.version = 1;
	v.cipher = "aes-cbc-plain";
	v.key_bits = 256;
	v.device_size = 8u << 20;
	v.data_offset = 4096u * 512;
	v.keyslots = {{0, "pbkdf2", "sha1", 1000, 0, 0, "aes-cbc-plain", 256}};
	const auto a = audit_volume(v, host(true));
	REQUIRE(find(a, "luks1"));
	CHECK(find(a, "luks1")->remedy.find("cryptsetup convert --type luks2 old.img") !=
	      std::string::npos);
	REQUIRE(find(a, "pbkdf2-weak"));
	CHECK(find(a, "pbkdf2-weak")->message.find("1000 iterations") != std::string::npos);
	REQUIRE(find(a, "cipher-unsafe"));
	CHECK(find(a, "cipher-unsafe")->severity == Severity::Error);
	CHECK_FALSE(find(a, "sector-size-512")); // LUKS1 has no sector size choice
	CHECK_FALSE(find(a, "perf-flags-missing"));
}

TEST_CASE("performance: 512-byte sectors where 4096 fit, flags the kernel supports")
{
	auto v = adiantum_volume();
	v.sector_size = 512;
	auto a = audit_volume(v, host(true));
	CHECK(find(a, "sector-size-512"));
	CHECK(find(a, "perf-flags-missing"));
	v.device_size += 512; // data area no longer a multiple of 4096
	auto h = host(true);
	h.dm_crypt_version = TargetVersion{1, 21, 0};
	a = audit_volume(v, h);
	CHECK_FALSE(find(a, "sector-size-512"));
	CHECK_FALSE(find(a, "perf-flags-missing"));
}

TEST_CASE("a cipher in generic C while AES-XTS is accelerated")
{
	auto v = adiantum_volume();
	v.cipher = "serpent-xts-plain64";
	v.key_bits = 512;
	auto h = host(true);
	h.driver_for = [](const std::string &alg) -> std::optional<CryptoAlg> {
		if (alg == "xts(aes)")
			return CryptoAlg{alg, "xts-aes-aesni", "aesni_intel", "skcipher",
					 401, false,	       true};
		return CryptoAlg{alg, "xts(serpent-generic)", "kernel", "skcipher", 100, false,
				 true};
	};
	const auto a = audit_volume(v, h);
	REQUIRE(find(a, "cipher-not-accelerated"));
	CHECK(find(a, "cipher-not-accelerated")->message.find("xts-aes-aesni") !=
	      std::string::npos);
}

TEST_CASE("an image that ends before its data area is truncated")
{
	auto v = adiantum_volume();
	v.device_size = v.data_offset;
	CHECK(find(audit_volume(v, host(true)), "truncated"));
	v.device_size = 0; // unknown size (not a regular file or block device): no claim
	CHECK_FALSE(find(audit_volume(v, host(true)), "truncated"));
}

TEST_CASE("a keyslot the boot search never reaches: an at-risk keyslot is tried first")
{
	auto v = adiantum_volume(); // keyslot 0 needs AF_ALG, keyslot 1 does not
	v.keyslots[0].position = 0;
	v.keyslots[1].position = 1;
	auto a = audit_volume(v, host(true));
	REQUIRE(a.boot_order.size() == 2);
	CHECK(a.boot_order[1].slot == 1);
	CHECK(a.boot_order[1].blocked_by == std::vector<int>{0});
	const auto *f = find(a, "keyslot-blocked-at-boot");
	REQUIRE(f);
	CHECK(f->severity == Severity::Warning);
	CHECK(f->message.find("keyslot 1 (aes-xts-plain64) will not unlock at boot once AF_ALG "
			      "is gone") == 0);
	CHECK(f->message.find("tries keyslot 0 first, which needs AF_ALG") != std::string::npos);
	CHECK(f->remedy == "luksfit harden /dev/vdb --key-slot 1 (with keyslot 1's key), or "
			   "cryptsetup config --priority prefer --key-slot 1 /dev/vdb");

	const auto without_afalg = audit_volume(v, host(false)); // find() points into it
	f = find(without_afalg, "keyslot-blocked-at-boot");
	REQUIRE(f);
	CHECK(f->severity == Severity::Error);
	CHECK(f->message.find("cannot be unlocked here without a key slot") != std::string::npos);

	v.keyslots[0].priority = kPriorityPrefer; // needs demoting as well
	v.keyslots[0].position = 1;
	v.keyslots[1].position = 0;
	const auto demoting = audit_volume(v, host(true));
	f = find(demoting, "keyslot-blocked-at-boot");
	REQUIRE(f);
	CHECK(f->remedy.ends_with(
		" and cryptsetup config --priority normal --key-slot 0 /dev/vdb"));
}

TEST_CASE("no boot-order finding when the safe keyslot comes first or the at-risk one never")
{
	auto v = adiantum_volume();
	v.keyslots[0].position = 0;
	v.keyslots[1].position = 1;
	v.keyslots[1].priority = kPriorityPrefer; // what harden stores
	auto a = audit_volume(v, host(true));
	CHECK_FALSE(find(a, "keyslot-blocked-at-boot"));
	CHECK(a.boot_order.front().slot == 1);
	CHECK(find(a, "keyslot-needs-afalg")); // keyslot 0 itself is still at risk

	v.keyslots[1].priority = kPriorityNormal;
	v.keyslots[0].priority = kPriorityIgnore;
	a = audit_volume(v, host(true));
	CHECK_FALSE(find(a, "keyslot-blocked-at-boot"));
	CHECK_FALSE(a.boot_order.back().position);
}

TEST_CASE("libcryptsetup before 2.8.7 with dm-crypt here: the finding names both remedies")
{
	auto h = host(true);
	h.dm_crypt = Tri::Yes;
	h.root = true;
	h.libcryptsetup = "2.6.1";
	const auto a = audit_volume(adiantum_volume(), h);
	const auto *f = find(a, "keyslot-needs-afalg");
	REQUIRE(f);
	CHECK(f->message.find("no dm-crypt fallback for LUKS2 keyslots") != std::string::npos);
	CHECK(f->remedy.find("luksfit harden /dev/vdb --key-slot 0") != std::string::npos);
	CHECK(f->remedy.find("upgrade cryptsetup to 2.8.7 or later (libcryptsetup 2.6.1 here)") !=
	      std::string::npos);
	REQUIRE(a.unlock.keyslots.size() == 2);
	CHECK(a.unlock.keyslots[0].here.path == UnlockPath::Afalg);
	CHECK(a.unlock.keyslots[0].without_afalg.opens == false);
}

TEST_CASE("libcryptsetup 2.8.8, root: the keyslot opens through dm-crypt, only as root")
{
	auto h = host(false);
	h.dm_crypt = Tri::Yes;
	h.root = true;
	h.libcryptsetup = "2.8.8";
	h.keyslot_paths = [](const LuksVolume &, const VolumeKeyslot &k) {
		return k.encryption.starts_with("aes-") ? KeyslotPaths{Tri::Yes, Tri::Unknown, ""}
							: KeyslotPaths{Tri::No, Tri::Yes, ""};
	};
	const auto a = audit_volume(adiantum_volume(), h);
	CHECK(a.keyslots_at_risk.empty());
	CHECK_FALSE(find(a, "keyslot-needs-afalg"));
	const auto *f = find(a, "keyslot-needs-root");
	REQUIRE(f);
	CHECK(f->severity == Severity::Info);
	CHECK(a.unlock.keyslots[0].here.path == UnlockPath::DmCrypt);
	CHECK(a.unlock.keyslots[0].here.opens == true);
}

TEST_CASE("no dm-crypt: no upgrade remedy (a temporary mapping cannot help)")
{
	auto h = host(true);
	h.dm_crypt = Tri::No;
	h.libcryptsetup = "2.6.1";
	const auto a = audit_volume(adiantum_volume(), h);
	const auto *f = find(a, "keyslot-needs-afalg");
	REQUIRE(f);
	CHECK(f->remedy.find("upgrade") == std::string::npos);
	CHECK(a.unlock.keyslots[1].here.opens == false);
	CHECK(a.unlock.keyslots[1].here.path == UnlockPath::Userspace);
}
