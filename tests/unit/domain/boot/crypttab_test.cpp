#include "catch_compat.hpp"

#include "domain/boot/crypttab.hpp"

using namespace luksfit::domain;

TEST_CASE("crypttab: comments, blank lines, tags, paths, keyfile and options")
{
	const auto tab = parse_crypttab(
		"# <target> <source> <key file> <options>\n"
		"\n"
		"root UUID=0b5c-77 none luks,discard\n"
		"  data\tPARTUUID=abc-1\t/etc/keys/data.key  luks,keyscript=decrypt_keyctl\n"
		"swap /dev/sdb2 /dev/urandom plain,cipher=aes-xts-plain64,size=256,swap\n"
		"home LABEL=home -\n"
		"bare PARTLABEL=bare\n"
		"   # indented comment\n"
		"lonely\n");
	REQUIRE(tab.entries.size() == 5);
	const auto &root = tab.entries[0];
	CHECK(root.name == "root");
	CHECK(root.device.kind == DeviceRefKind::Uuid);
	CHECK(root.device.value == "0b5c-77");
	CHECK(root.device.text() == "UUID=0b5c-77");
	CHECK_FALSE(root.keyfile);
	CHECK(root.has_option("luks"));
	CHECK(root.has_option("discard"));
	CHECK_FALSE(root.has_option("plain"));
	CHECK(root.line == 3);

	const auto &data = tab.entries[1];
	CHECK(data.device.kind == DeviceRefKind::PartUuid);
	CHECK(data.keyfile == "/etc/keys/data.key");
	CHECK(data.option("keyscript") == "decrypt_keyctl");

	const auto &swap = tab.entries[2];
	CHECK(swap.device.kind == DeviceRefKind::Path);
	CHECK(swap.device.value == "/dev/sdb2");
	CHECK(swap.option("cipher") == "aes-xts-plain64");
	CHECK(swap.option("size") == "256");
	CHECK(swap.option("swap") == "");

	CHECK(tab.entries[3].device.kind == DeviceRefKind::Label);
	CHECK_FALSE(tab.entries[3].keyfile);
	CHECK(tab.entries[3].options.empty());
	CHECK(tab.entries[4].device.kind == DeviceRefKind::PartLabel);
	CHECK(tab.entries[4].device.text() == "PARTLABEL=bare");

	REQUIRE(tab.issues.size() == 1);
	CHECK(tab.issues[0].line == 9);
}

TEST_CASE("crypttab: empty input and a last line without newline")
{
	CHECK(parse_crypttab("").entries.empty());
	const auto tab = parse_crypttab("x /dev/loop0");
	REQUIRE(tab.entries.size() == 1);
	CHECK(tab.entries[0].device.value == "/dev/loop0");
}
