// The header adapter's keyslot order and priorities, on image files with AES keyslots (which
// libcryptsetup processes in userspace: no AF_ALG, no dm-crypt needed).
#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>

#include "catch_compat.hpp"
#include <libcryptsetup.h>

#include "system/luks/crypt_device.hpp"
#include "system/luks/luks_header.hpp"

using namespace luksfit;
namespace fs = std::filesystem;

namespace {

struct Image {
	fs::path path;
	explicit Image(std::uintmax_t size)
	{
		std::string tmpl = (fs::temp_directory_path() / "luksfit-lh.XXXXXX").string();
		const int fd = ::mkstemp(tmpl.data());
		REQUIRE(fd >= 0);
		REQUIRE(::ftruncate(fd, static_cast<off_t>(size)) == 0);
		::close(fd);
		path = tmpl;
	}
	~Image() { fs::remove(path); }
};

SecureBuffer secret(const std::string &s)
{
	SecureBuffer b;
	b.append(s.data(), s.size());
	return b;
}

const domain::VolumeKeyslot &slot(const domain::LuksVolume &h, int n)
{
	for (const auto &k : h.keyslots)
		if (k.slot == n)
			return k;
	FAIL("no keyslot " << n);
	return h.keyslots.front();
}

} // namespace

TEST_CASE("keyslot order from the metadata JSON, hostile keys left out")
{
	CHECK(sys::luks2_keyslot_order(R"({"keyslots":{"2":{},"0":{},"31":{}}})") ==
	      std::vector<int>{2, 0, 31});
	CHECK(sys::luks2_keyslot_order(
		      R"({"keyslots":{"01":{},"32":{},"-1":{},"1a":{},"":{},"7":{},"7":{}}})") ==
	      std::vector<int>{7});
	CHECK(sys::luks2_keyslot_order(R"({"keyslots":[1,2]})").empty());
	CHECK(sys::luks2_keyslot_order(R"({"keyslots":{"1":{})").empty()); // truncated
	CHECK(sys::luks2_keyslot_order("[]").empty());
	CHECK(sys::luks2_keyslot_order("").empty());
}

TEST_CASE("a keyslot removed and added again goes last in the header; priorities read back")
{
	Image img(8u << 20);
	auto cd = sys::CryptDevice::init(img.path.string());
	REQUIRE(cd);
	sys::LuksFormatParams p;
	p.pbkdf.type = "pbkdf2";
	p.pbkdf.iterations = 1000;
	REQUIRE(crypt_set_metadata_size(cd->handle(), 16384, 2u << 20) == 0);
	REQUIRE(cd->format_luks2(p));
	REQUIRE(cd->set_keyslot_encryption("aes-xts-plain64", 64));
	REQUIRE(cd->add_keyslot_after_format(secret("k0")));
	REQUIRE(cd->add_keyslot_by_passphrase(secret("k0"), secret("k1")));
	REQUIRE(cd->add_keyslot_by_passphrase(secret("k0"), secret("k2")));
	REQUIRE(crypt_keyslot_destroy(cd->handle(), 0) == 0);
	REQUIRE(*cd->add_keyslot_by_passphrase(secret("k1"), secret("k0"), 0) == 0);
	REQUIRE(cd->set_keyslot_priority(2, CRYPT_SLOT_PRIORITY_PREFER));
	REQUIRE(cd->set_keyslot_priority(1, CRYPT_SLOT_PRIORITY_IGNORE));

	const auto h = sys::read_luks_header(img.path.string());
	REQUIRE(h);
	REQUIRE(h->keyslots.size() == 3);
	CHECK(slot(*h, 1).position == 0);
	CHECK(slot(*h, 2).position == 1);
	CHECK(slot(*h, 0).position == 2);
	CHECK(slot(*h, 0).priority == CRYPT_SLOT_PRIORITY_NORMAL);
	CHECK(slot(*h, 1).priority == CRYPT_SLOT_PRIORITY_IGNORE);
	CHECK(slot(*h, 2).priority == CRYPT_SLOT_PRIORITY_PREFER);

	// libcryptsetup's own search agrees: prefer (2) first, ignore (1) never.
	auto again = sys::CryptDevice::init(img.path.string());
	REQUIRE(again);
	REQUIRE(again->load());
	CHECK(*again->check_passphrase(secret("k2")) == 2);
	CHECK(*again->check_passphrase(secret("k0")) == 0);
	CHECK(again->check_passphrase(secret("k1")).error().code == ExitCode::Permission);
}
