#include "catch_compat.hpp"

#include "domain/host/kernel_config.hpp"
#include "fixture.hpp"

using namespace luksfit::domain;

TEST_CASE("the build host's kernel config: no AF_ALG, no device-mapper, loop built in")
{
	const auto cfg = KernelConfig::parse(fixture("host-6.18/kernel_config"));
	CHECK(cfg.known());
	CHECK(cfg.get("CONFIG_CRYPTO_USER_API_SKCIPHER") == Tristate::NotSet);
	CHECK(cfg.get("CONFIG_CRYPTO_USER_API_HASH") == Tristate::NotSet);
	CHECK(cfg.get("CONFIG_CRYPTO_USER_API") == Tristate::NotSet); // absent: deps off
	CHECK(cfg.get("CONFIG_DM_CRYPT") == Tristate::NotSet);
	CHECK(cfg.get("CONFIG_BLK_DEV_LOOP") == Tristate::Builtin);
	CHECK(cfg.get("CONFIG_KEYS") == Tristate::Builtin);
}

TEST_CASE("y, m, not set, string values and an unread config")
{
	const auto cfg = KernelConfig::parse("CONFIG_DM_CRYPT=m\nCONFIG_BLK_DEV_DM=y\n"
					     "# CONFIG_CRYPTO_USER_API_AEAD is not set\n"
					     "CONFIG_LOCALVERSION=\"\"\n# comment\n");
	CHECK(cfg.get("CONFIG_DM_CRYPT") == Tristate::Module);
	CHECK(cfg.get("CONFIG_BLK_DEV_DM") == Tristate::Builtin);
	CHECK(cfg.get("CONFIG_CRYPTO_USER_API_AEAD") == Tristate::NotSet);
	CHECK(cfg.get("CONFIG_LOCALVERSION") == Tristate::Builtin);
	CHECK(KernelConfig{}.get("CONFIG_DM_CRYPT") == Tristate::Unknown);
	CHECK(std::string(tristate_name(Tristate::Module)) == "module");
}

TEST_CASE("the lab's Debian 6.1 config: AF_ALG, device-mapper, dm-crypt and loop are modules")
{
	const auto cfg = KernelConfig::parse(fixture("lab-stock/kernel_config"));
	CHECK(cfg.get("CONFIG_CRYPTO_USER_API") == Tristate::Module);
	CHECK(cfg.get("CONFIG_CRYPTO_USER_API_SKCIPHER") == Tristate::Module);
	CHECK(cfg.get("CONFIG_BLK_DEV_DM") == Tristate::Module);
	CHECK(cfg.get("CONFIG_DM_CRYPT") == Tristate::Module);
	CHECK(cfg.get("CONFIG_BLK_DEV_LOOP") == Tristate::Module);
	CHECK(cfg.get("CONFIG_CRYPTO_USER_API_ENABLE_OBSOLETE") == Tristate::NotSet);
}
