#include "catch_compat.hpp"

#include "domain/volume/harden.hpp"

using namespace luksfit::domain;

namespace {

VolumeAudit audited()
{
	LuksVolume v;
	v.path = "/dev/vdb";
	v.cipher = "xchacha12,aes-adiantum-plain64";
	v.key_bits = 256;
	v.keyslots = {{0, "argon2id", "", 4, 1048576, 4, "xchacha12,aes-adiantum-plain64", 256},
		      {1, "pbkdf2", "sha256", 1000, 0, 0, "aes-xts-plain64", 512},
		      {3, "argon2id", "", 4, 1048576, 4, "serpent-xts-plain64", 512},
		      {4, "argon2id", "", 4, 1048576, 4, "camellia-xts-plain64", 512}};
	VolumeAudit a;
	a.volume = v;
	return a;
}

AuditHost host()
{
	AuditHost h;
	h.keyslot_without_afalg = [](const std::string &c, unsigned) {
		if (c.starts_with("camellia"))
			return Tri::Unknown;
		return c.starts_with("aes-") ? Tri::Yes : Tri::No;
	};
	return h;
}

} // namespace

TEST_CASE("the plan lists each keyslot's state and the command fixing those at risk")
{
	const auto r = harden_plan(audited(), host());
	REQUIRE(r.slots.size() == 4);
	CHECK(r.slots[0].state == SlotState::AtRisk);
	CHECK(r.slots[0].fix == harden_command("/dev/vdb", 0));
	CHECK(r.slots[1].state == SlotState::Safe);
	CHECK(r.slots[1].fix.empty());
	CHECK(r.slots[2].state == SlotState::AtRisk);
	CHECK(r.slots[2].fix.find("--key-slot 3") != std::string::npos);
	CHECK(r.slots[3].state == SlotState::Unknown);
	CHECK(any_at_risk(r));
}

TEST_CASE("a rewrite marks only its keyslot; the others keep their fix")
{
	auto r = harden_plan(audited(), host());
	record_rewrite(r, 0, true, "aes-xts-plain64", 512);
	CHECK(r.slots[0].state == SlotState::Rewritten);
	CHECK(r.slots[0].encryption == "aes-xts-plain64");
	CHECK(r.slots[0].key_bits == 512);
	CHECK(r.slots[0].fix.empty());
	CHECK(r.slots[2].state == SlotState::AtRisk);
	CHECK(any_at_risk(r));
	record_rewrite(r, 3, false, "aes-xts-plain64", 512);
	CHECK(r.slots[2].state == SlotState::Failed);
	CHECK(r.slots[2].encryption == "serpent-xts-plain64"); // unchanged on failure
	CHECK_FALSE(any_at_risk(r));
	CHECK(std::string(slot_state_name(SlotState::Failed)) == "failed");
}

TEST_CASE("LUKS1: an explanation and the commands that convert, never a silent change")
{
	LuksVolume v;
	v.path = "old.img";
	v.version = 1;
	v.cipher = "serpent-xts-plain64";
	CHECK(luks1_explanation(v).find(
		      "always encrypted with the data cipher (serpent-xts-plain64)") !=
	      std::string::npos);
	const auto cmd = luks1_convert_command("old.img");
	CHECK(cmd.find("cryptsetup luksHeaderBackup old.img") == 0);
	CHECK(cmd.find("cryptsetup convert --type luks2 old.img") != std::string::npos);
}

TEST_CASE("priority changes are recorded per keyslot and said as steps")
{
	auto r = harden_plan(audited(), host());
	CHECK(r.slots[0].priority == kPriorityNormal);
	record_priority_changes(
		r, {{1, kPriorityNormal, kPriorityPrefer}, {3, kPriorityPrefer, kPriorityNormal}},
		1);
	CHECK(r.slots[1].priority == kPriorityPrefer);
	CHECK(r.slots[2].priority == kPriorityNormal);
	REQUIRE(r.priority_changes.size() == 2);
	REQUIRE(r.steps.size() == 2);
	CHECK(r.steps[0].find("keyslot 1: priority normal -> prefer") == 0);
	CHECK(r.steps[1].find("keyslot 3: priority prefer -> normal (it needs AF_ALG") == 0);
	CHECK(r.steps[1].find("before keyslot 1)") != std::string::npos);
}
