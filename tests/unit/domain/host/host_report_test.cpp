#include "catch_compat.hpp"

#include "domain/host/host_report.hpp"
#include "fixture.hpp"

using namespace luksfit::domain;

namespace {

constexpr int kEafnosupport = 97;

bool has(const HostReport &r, const std::string &id, Severity s)
{
	for (const auto &f : r.findings)
		if (f.id == id && f.severity == s)
			return !f.remedy.empty();
	return false;
}

// A healthy host: AF_ALG, dm-crypt 1.24, AES-NI, every keyslot cipher works in user space.
HostFacts healthy()
{
	HostFacts h;
	h.kernel_release = "6.1.0-56-cloud-amd64";
	h.config_source = "/boot/config-6.1.0-56-cloud-amd64";
	h.config = KernelConfig::parse("CONFIG_DM_CRYPT=m\nCONFIG_CRYPTO_USER_API=m\n"
				       "CONFIG_CRYPTO_USER_API_SKCIPHER=m\n");
	h.afalg_types = {{"skcipher", 0}, {"aead", 0}, {"hash", 0}};
	h.splice = "copied";
	h.device_mapper = true;
	h.dm_crypt = Tri::Yes;
	h.dm_crypt_version = TargetVersion{1, 24, 0};
	h.loop = h.keyring = h.lock_dir = Tri::Yes;
	for (const auto &c : default_candidates()) {
		CandidateFacts f;
		f.candidate = c;
		f.kernel_algorithm = kernel_algorithm(c.spec);
		f.driver = CryptoAlg{f.kernel_algorithm,
				     "xts-aes-aesni",
				     "aesni_intel",
				     "skcipher",
				     401,
				     false,
				     true};
		f.afalg_reaches_driver = Tri::Yes;
		f.keyslot_without_afalg = Tri::Yes;
		h.candidates.push_back(f);
	}
	return h;
}

} // namespace

TEST_CASE("a healthy host is ready")
{
	const auto r = evaluate_host(healthy());
	CHECK(r.verdict == Verdict::Ready);
	CHECK(worst(r.findings) == Severity::Info);
}

TEST_CASE("the build host's facts: no AF_ALG and no device-mapper is unsupported")
{
	auto h = healthy();
	h.config = KernelConfig::parse(fixture("host-6.18/kernel_config"));
	h.afalg_family = -kEafnosupport;
	h.afalg_types.clear();
	h.device_mapper = false;
	h.device_mapper_available = Tri::No;
	h.dm_crypt = Tri::No;
	h.dm_crypt_version.reset();
	const auto r = evaluate_host(h);
	CHECK(r.verdict == Verdict::Unsupported);
	CHECK(has(r, "afalg-missing", Severity::Warning));
	CHECK(has(r, "dm-missing", Severity::Error));
	CHECK(r.findings[0].message.find("built without CONFIG_CRYPTO_USER_API") !=
	      std::string::npos);
}

TEST_CASE("no AF_ALG alone is degraded, and kernel-only keyslot ciphers are flagged")
{
	auto h = healthy();
	h.afalg_family = -kEafnosupport;
	for (auto &c : h.candidates)
		if (c.candidate.spec.cipher != "aes")
			c.keyslot_without_afalg = Tri::No;
	const auto r = evaluate_host(h);
	CHECK(r.verdict == Verdict::Degraded);
	CHECK(has(r, "afalg-missing", Severity::Warning));
	CHECK(has(r, "keyslot-needs-afalg", Severity::Info));
	CHECK(r.findings[0].message.find("built as a module") != std::string::npos);
}

TEST_CASE("without AF_ALG, a libcryptsetup that cannot do AES-XTS keyslots is unsupported")
{
	auto h = healthy();
	h.afalg_family = -kEafnosupport;
	for (auto &c : h.candidates)
		c.keyslot_without_afalg = Tri::No;
	CHECK(evaluate_host(h).verdict == Verdict::Unsupported);
	h.afalg_family = 0;
	CHECK(evaluate_host(h).verdict == Verdict::Degraded);
}

TEST_CASE("dm-crypt: unknown without root is not a failure, missing target is")
{
	auto h = healthy();
	h.dm_crypt = Tri::Unknown;
	h.dm_crypt_version.reset();
	h.dm_detail = "/dev/mapper/control needs root";
	auto r = evaluate_host(h);
	CHECK(r.verdict == Verdict::Ready);
	CHECK(has(r, "dm-crypt-unknown", Severity::Info));

	h.dm_crypt = Tri::No;
	h.config = KernelConfig::parse("CONFIG_BLK_DEV_DM=y\n# CONFIG_DM_CRYPT is not set\n");
	r = evaluate_host(h);
	CHECK(r.verdict == Verdict::Unsupported);
	CHECK(has(r, "dm-crypt-missing", Severity::Error));
	CHECK(r.findings.back().remedy.find("CONFIG_DM_CRYPT") != std::string::npos);
}

TEST_CASE("an old dm-crypt, AF_ALG refusing dm-crypt's driver, generic AES")
{
	auto h = healthy();
	h.dm_crypt_version = TargetVersion{1, 21, 0};
	h.candidates[0].afalg_reaches_driver = Tri::No;
	h.candidates[0].driver->driver = "xts(ecb(aes-generic))";
	h.candidates[0].driver->module = "kernel";
	const auto r = evaluate_host(h);
	CHECK(has(r, "dm-crypt-old", Severity::Info));
	CHECK(has(r, "afalg-not-dm-driver", Severity::Warning));
	CHECK(has(r, "aes-not-accelerated", Severity::Warning));
	CHECK(r.verdict == Verdict::Degraded);
}

TEST_CASE("missing loop, keyring, skcipher type and unreadable config")
{
	auto h = healthy();
	h.loop = Tri::No;
	h.keyring = Tri::No;
	h.afalg_types["skcipher"] = -2;
	h.config_source.clear();
	h.config = KernelConfig{};
	const auto r = evaluate_host(h);
	CHECK(has(r, "loop-missing", Severity::Warning));
	CHECK(has(r, "keyring-missing", Severity::Warning));
	CHECK(has(r, "afalg-no-skcipher", Severity::Warning));
	CHECK(has(r, "kernel-config-unknown", Severity::Info));
	h.loop = Tri::Unknown; // exists, but not openable unprivileged: not a finding
	h.keyring = Tri::Yes;
	h.afalg_types["skcipher"] = 0;
	CHECK(evaluate_host(h).verdict == Verdict::Ready);
}

TEST_CASE("kernel log lines about AF_ALG deprecation are picked out")
{
	const auto lines = afalg_deprecation_lines(
		"[    1.0] virtio_blk virtio1: [vda] 65536 512-byte logical blocks\n"
		"[    2.0] af_alg: AF_ALG is deprecated and will be removed\n"
		"[    3.0] algif_skcipher: loaded\n"
		"[    4.0] something deprecated unrelated\n");
	REQUIRE(lines.size() == 1);
	CHECK(lines[0].find("af_alg:") != std::string::npos);
	auto h = healthy();
	h.afalg_log_lines = lines;
	CHECK(evaluate_host(h).verdict == Verdict::Degraded);
}

TEST_CASE("device-mapper not loaded yet but installed as modules is not a failure")
{
	auto h = healthy();
	h.device_mapper = false;
	h.device_mapper_available = Tri::Yes;
	h.dm_crypt = Tri::Unknown;
	h.dm_crypt_version.reset();
	h.dm_detail = "device-mapper not loaded yet; dm-crypt module installed, loads on first use";
	auto r = evaluate_host(h);
	CHECK(r.verdict == Verdict::Ready);
	CHECK(has(r, "dm-crypt-unknown", Severity::Info));
	h.dm_crypt = Tri::No; // the no-dmcrypt lab variant: dm-crypt.ko removed
	h.dm_detail = "the dm-crypt module is not installed";
	r = evaluate_host(h);
	CHECK(r.verdict == Verdict::Unsupported);
	CHECK(has(r, "dm-crypt-missing", Severity::Error));
}

TEST_CASE("AF_ALG on Linux 7.2 and later: deprecated, said as a notice")
{
	auto h = healthy();
	h.kernel_release = "7.2.0-1-cloud-amd64";
	const auto r = evaluate_host(h);
	CHECK(has(r, "afalg-deprecated", Severity::Info));
	CHECK(r.verdict == Verdict::Ready);
	for (const auto &f : r.findings)
		if (f.id == "afalg-deprecated")
			CHECK(f.message.find("Documentation/crypto/userspace-if.rst") !=
			      std::string::npos);
	h.kernel_release = "6.18.44-fc-v657";
	CHECK_FALSE(has(evaluate_host(h), "afalg-deprecated", Severity::Info));
	h.kernel_release = "7.2.0-1-cloud-amd64";
	h.afalg_family = -kEafnosupport; // gone already: afalg-missing says it
	CHECK_FALSE(has(evaluate_host(h), "afalg-deprecated", Severity::Info));
}

TEST_CASE("kernel versions from releases")
{
	CHECK(kernel_version("7.2.0-1-cloud-amd64") == std::pair{7u, 2u});
	CHECK(kernel_version("6.18.44-fc-v657") == std::pair{6u, 18u});
	CHECK(kernel_version("10.0") == std::pair{10u, 0u});
	CHECK_FALSE(kernel_version("unknown (uname: x)").has_value());
}
