#include <sstream>

#include "catch_compat.hpp"

#include "render/volume_audit_render.hpp"

using namespace luksfit;

TEST_CASE("volume audit and target error JSON")
{
	domain::LuksVolume v;
	v.path = "a.img";
	v.cipher = "aes-xts-plain64";
	v.key_bits = 512;
	v.keyslots = {{0, "pbkdf2", "sha256", 1000, 0, 0, "aes-xts-plain64", 512}};
	const auto a = domain::audit_volume(v, domain::AuditHost{});
	const auto j = render::volume_audit_json(a);
	CHECK(j["readable"] == true);
	CHECK(j["keyslots"][0]["pbkdf"] == "pbkdf2");
	CHECK(j["keyslots"][0]["hash"] == "sha256");
	CHECK(j["keyslots"][0]["encryption"] == "aes-xts-plain64");
	CHECK(j["findings"][0]["id"] == "pbkdf2-weak");
	const auto e = render::target_error_json({"b.img", "b.img: not a LUKS volume", "hint"});
	CHECK(e["readable"] == false);
	CHECK(e["error"]["message"] == "b.img: not a LUKS volume");
}
