#include "flows/format/format_execute.hpp"

#include "domain/format/size.hpp"
#include "flows/format/params.hpp"
#include "system/luks/luks_header.hpp"
#include "system/os/signals.hpp"

namespace luksfit::flows {
namespace {

enum class Stage {
	Untouched,     // nothing written yet
	ReadsSame,     // crypt_format failed, and the bytes it may write read back as before
	Unknown,       // crypt_format failed, and they could not be read back
	HeadDamaged,   // crypt_format failed after changing some of them
	HeaderWritten, // crypt_format done
	KeyslotAdded,
	FlagsStored,
	Verified
};

std::string state_of(Stage stage, const std::string &dev, const std::string &uuid,
		     std::uint64_t reach)
{
	const std::string head = "first " + domain::format_size(reach);
	switch (stage) {
	case Stage::Untouched:
		return "nothing was written to " + dev;
	case Stage::ReadsSame:
		return dev + " was not changed (its " + head + " read back as before)";
	case Stage::Unknown:
		return dev + " could not be read back: its " + head +
		       " may have been partly overwritten (data beyond is untouched); see what it "
		       "holds with blkid -p " +
		       dev;
	case Stage::HeadDamaged:
		return "the " + head + " of " + dev +
		       " were partly overwritten (data beyond is untouched) and hold no LUKS2 "
		       "volume: what was there is lost";
	case Stage::HeaderWritten:
		return dev + " now holds a LUKS2 header without a usable keyslot (its " + head +
		       " were overwritten, data beyond is untouched): it cannot be opened; you "
		       "may format it again";
	case Stage::KeyslotAdded:
		return dev + " is a LUKS2 volume (UUID " + uuid +
		       ") that opens with your key, but the "
		       "performance flags are not stored in its header";
	case Stage::FlagsStored:
		return dev + " was formatted (UUID " + uuid +
		       ") but reading it back failed: check it "
		       "with 'cryptsetup luksDump " +
		       dev + "'";
	case Stage::Verified:
		return dev + " is formatted and verified";
	}
	return {};
}

// After a failed crypt_format: did it write anything? Judged by the bytes, not by the error.
Stage after_failed_format(const sys::HeldTarget &target, const std::string &before)
{
	auto now = target.read_head(before.size());
	if (!now)
		return Stage::Unknown;
	return *now == before ? Stage::ReadsSame : Stage::HeadDamaged;
}

} // namespace

FormatOutcome execute_format(sys::HeldTarget &target, std::uint64_t header_reach,
			     const domain::FormatPlan &plan, const SecureBuffer &key,
			     const std::function<void()> &last_check)
{
	Stage stage = Stage::Untouched;
	std::string uuid;
	const std::string &device = target.path();
	try {
		// libcryptsetup opens by path: /proc/self/fd/N reaches the held inode only.
		auto cd = sys::CryptDevice::init(target.fd_path(), device).or_fail();
		const std::string before = target.read_head(header_reach).or_fail();
		last_check();
		// crypt_format's in-use check opens the device O_EXCL: our claim must go for that
		// moment (any mount or mapping in between fails that check), and comes back after.
		target.release_device_claim();
		if (auto formatted = cd.format_luks2(luks_params(plan)); !formatted) {
			stage = after_failed_format(target, before);
			fail(formatted.error());
		}
		stage = Stage::HeaderWritten;
		target.reclaim_device().or_fail();
		uuid = sys::loaded_header(cd).uuid;
		cd.set_keyslot_encryption(plan.keyslot.spec.text(), plan.keyslot.key_bits / 8)
			.or_fail();
		cd.add_keyslot_after_format(key).or_fail();
		stage = Stage::KeyslotAdded;
		if (const std::uint32_t flags = activation_flags(plan))
			cd.set_persistent_flags(flags).or_fail();
		stage = Stage::FlagsStored;

		auto again = sys::CryptDevice::init(target.fd_path(), device).or_fail();
		again.load().or_fail();
		FormatOutcome out;
		out.unlocked_slot = again.check_passphrase(key).or_fail();
		out.header = sys::loaded_header(again);
		const std::string diff = header_mismatch(plan, out.header);
		if (!diff.empty())
			fail(ExitCode::Failed,
			     "the header read back differs from the plan: " + diff);
		return out;
	} catch (const sys::Interrupted &) {
		throw;
	} catch (const Failure &f) {
		Error e = f.error();
		e.message += "; state: " + state_of(stage, device, uuid, header_reach);
		fail(e);
	}
}

} // namespace luksfit::flows
