#include "catch_compat.hpp"

#include "domain/format/device_refusal.hpp"

using namespace luksfit;
using namespace luksfit::domain;

namespace {

TargetFacts blank_disk()
{
	TargetFacts t;
	t.path = "/dev/sdz";
	t.kind = NodeKind::BlockDevice;
	t.size_bytes = 1ull << 30;
	return t;
}

ExitCode code(const TargetFacts &t, bool force = false)
{
	const auto e = format_refusal(t, force, 17u << 20);
	return e ? e->code : ExitCode::Ok;
}

} // namespace

TEST_CASE("a blank, unused, large enough device is accepted")
{
	CHECK(code(blank_disk()) == ExitCode::Ok);
}

TEST_CASE("wrong kinds of target are exit 4")
{
	for (auto kind :
	     {NodeKind::Missing, NodeKind::Directory, NodeKind::CharDevice, NodeKind::Other}) {
		TargetFacts t = blank_disk();
		t.kind = kind;
		CHECK(code(t, true) == ExitCode::WrongDevice);
	}
	TargetFacts small = blank_disk();
	small.size_bytes = 16u << 20;
	CHECK(code(small) == ExitCode::WrongDevice);
}

TEST_CASE("signatures are refused (exit 6) unless --force")
{
	TargetFacts t = blank_disk();
	t.signatures.push_back({"ext4", "filesystem", "1234", "data"});
	CHECK(code(t) == ExitCode::Refused);
	CHECK(format_refusal(t, false, 0)
		      ->message.find("ext4 filesystem labelled 'data' (UUID 1234)") !=
	      std::string::npos);
	CHECK(code(t, true) == ExitCode::Ok);
}

TEST_CASE("mounted, held or busy devices are refused even with --force")
{
	TargetFacts m = blank_disk();
	m.mount_points = {"/mnt"};
	CHECK(code(m, true) == ExitCode::Refused);
	TargetFacts h = blank_disk();
	h.holders = {"dm-0"};
	CHECK(code(h, true) == ExitCode::Refused);
	TargetFacts b = blank_disk();
	b.exclusive_open_failed = true;
	CHECK(code(b, true) == ExitCode::Refused);
	TargetFacts p = blank_disk();
	p.probe_error = "I/O error";
	CHECK(code(p, true) == ExitCode::Refused);
}

TEST_CASE("a busy loop device behind an image is named in the refusal")
{
	TargetFacts t = blank_disk();
	t.path = "/srv/vol.img";
	t.kind = NodeKind::RegularFile;
	t.exclusive_open_failed = true;
	t.busy_device = "/dev/loop3";
	const auto e = format_refusal(t, true, 0);
	REQUIRE(e);
	CHECK(e->code == ExitCode::Refused);
	CHECK(e->message == "/srv/vol.img is in use (/dev/loop3 cannot be opened exclusively)");
	CHECK(e->hint.find("fuser -v /dev/loop3") != std::string::npos);
}

TEST_CASE("the target must hold at the write what was checked and confirmed")
{
	TargetFacts checked = blank_disk();
	checked.signatures.push_back({"ext4", "filesystem", "1234", "data"});
	CHECK_FALSE(change_refusal(checked, checked));

	TargetFacts relabelled = checked;
	relabelled.signatures[0].label = "other";
	auto e = change_refusal(checked, relabelled);
	REQUIRE(e);
	CHECK(e->code == ExitCode::Refused);
	CHECK(e->message.find("changed since it was checked: blkid now finds ext4 filesystem "
			      "labelled 'other'") != std::string::npos);

	TargetFacts wiped = checked;
	wiped.signatures.clear();
	e = change_refusal(checked, wiped);
	REQUIRE(e);
	CHECK(e->message.find("blkid now finds no signature") != std::string::npos);

	TargetFacts more = checked;
	more.signatures.push_back({"dos", "partition table", "", ""});
	CHECK(change_refusal(checked, more));

	TargetFacts grown = checked;
	grown.size_bytes *= 2;
	e = change_refusal(checked, grown);
	REQUIRE(e);
	CHECK(e->message.find("changed size since it was checked (1 GiB, now 2 GiB)") !=
	      std::string::npos);
}
