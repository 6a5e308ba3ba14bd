// The libcryptsetup adapter on an image file: format, keyslot encryption, unlock, read back.
// libcryptsetup processes aes-xts keyslots in userspace, so this needs neither AF_ALG nor
// dm-crypt (docs/compatibility.md, keyslots without AF_ALG).
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
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
		std::string tmpl = (fs::temp_directory_path() / "luksfit-cd.XXXXXX").string();
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

sys::LuksFormatParams fast_params()
{
	sys::LuksFormatParams p;
	p.pbkdf.type = "pbkdf2";
	p.pbkdf.iterations = 1000;
	p.sector_size = 4096;
	p.label = "unit";
	return p;
}

} // namespace

TEST_CASE("format LUKS2 on an image, then unlock and read the parameters back")
{
	Image img(32u << 20);
	auto cd = sys::CryptDevice::init(img.path.string());
	REQUIRE(cd);
	REQUIRE(cd->format_luks2(fast_params()));
	REQUIRE(cd->set_keyslot_encryption("aes-xts-plain64", 64));
	auto slot = cd->add_keyslot_after_format(secret("pass"));
	REQUIRE(slot);
	CHECK(*slot == 0);
	const std::uint32_t flags =
		CRYPT_ACTIVATE_NO_READ_WORKQUEUE | CRYPT_ACTIVATE_NO_WRITE_WORKQUEUE;
	REQUIRE(cd->set_persistent_flags(flags));

	auto again = sys::CryptDevice::init(img.path.string());
	REQUIRE(again);
	REQUIRE(again->load());
	const domain::LuksVolume info = sys::loaded_header(*again);
	CHECK(info.version == 2);
	CHECK(info.cipher == "aes-xts-plain64");
	CHECK(info.key_bits == 64 * 8);
	CHECK(info.sector_size == 4096);
	CHECK(again->persistent_flags().value() == flags);
	CHECK(info.label == "unit");
	CHECK(info.uuid.size() == 36);
	const auto &slots = info.keyslots;
	REQUIRE(slots.size() == 1);
	CHECK(slots[0].encryption == "aes-xts-plain64");
	CHECK(slots[0].key_bits == 64 * 8);
	CHECK(info.persistent_flags ==
	      std::vector<std::string>{"no_read_workqueue", "no_write_workqueue"});

	auto ok = again->check_passphrase(secret("pass"));
	REQUIRE(ok);
	CHECK(*ok == 0);
	auto wrong = again->check_passphrase(secret("wrong"));
	REQUIRE(!wrong);
	CHECK(wrong.error().code == ExitCode::Permission);

	auto json = again->dump_json();
	REQUIRE(json);
	CHECK(json->find("\"keyslots\"") != std::string::npos);
}

TEST_CASE("load on something that is not LUKS is 'wrong device' (exit 4)")
{
	Image img(1u << 20);
	auto cd = sys::CryptDevice::init(img.path.string());
	REQUIRE(cd);
	const auto r = cd->load();
	REQUIRE(!r);
	CHECK(r.error().code == ExitCode::WrongDevice);
	CHECK(r.error().message.find("not a LUKS device") != std::string::npos);
}

TEST_CASE("init on a missing path fails with the path in the message")
{
	auto cd = sys::CryptDevice::init("/nonexistent/luksfit-test");
	REQUIRE(!cd);
	CHECK(cd.error().message.find("/nonexistent/luksfit-test") != std::string::npos);
}

TEST_CASE("activation flag names round-trip")
{
	// dm-crypt's spelling, and the dashed one of luksDump and crypttab.
	CHECK(sys::activation_flag("no_read_workqueue") == CRYPT_ACTIVATE_NO_READ_WORKQUEUE);
	CHECK(sys::activation_flag("no-read-workqueue") == CRYPT_ACTIVATE_NO_READ_WORKQUEUE);
	CHECK(sys::activation_flag("bogus") == 0);
	CHECK(sys::activation_flag_names(CRYPT_ACTIVATE_ALLOW_DISCARDS) ==
	      std::vector<std::string>{"allow_discards"});
	CHECK(sys::activation_flag_names(sys::activation_flag("no_write_workqueue")) ==
	      std::vector<std::string>{"no_write_workqueue"});
}
