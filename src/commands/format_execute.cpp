#include "commands/format_execute.hpp"

#include "commands/params.hpp"
#include "system/signals.hpp"

namespace luksfit::commands {
namespace {

enum class Stage { Untouched, HeaderWritten, KeyslotAdded, FlagsStored, Verified };

std::string state_of(Stage stage, const std::string &dev, const std::string &uuid)
{
	switch (stage) {
	case Stage::Untouched:
		return dev + " was not changed";
	case Stage::HeaderWritten:
		return dev + " now holds a LUKS2 header without a usable keyslot (its first 16 MiB were "
			     "overwritten, data beyond is untouched): it cannot be opened; format it again";
	case Stage::KeyslotAdded:
		return dev + " is a LUKS2 volume (UUID " + uuid + ") that opens with your key, but the "
			     "performance flags are not stored in its header";
	case Stage::FlagsStored:
		return dev + " was formatted (UUID " + uuid + ") but reading it back failed: check it "
			     "with 'cryptsetup luksDump " + dev + "'";
	case Stage::Verified:
		return dev + " is formatted and verified";
	}
	return {};
}

} // namespace

FormatOutcome execute_format(const std::string &device, const domain::FormatPlan &plan,
			     const SecureBuffer &key)
{
	Stage stage = Stage::Untouched;
	std::string uuid;
	try {
		auto cd = sys::CryptDevice::init(device).or_fail();
		stage = Stage::HeaderWritten; // crypt_format may wipe the header area before failing
		cd.format_luks2(luks_params(plan)).or_fail();
		uuid = cd.info().uuid;
		cd.set_keyslot_encryption(plan.keyslot.spec.text(), plan.keyslot.key_bits / 8).or_fail();
		cd.add_keyslot_after_format(key).or_fail();
		stage = Stage::KeyslotAdded;
		if (const std::uint32_t flags = activation_flags(plan))
			cd.set_persistent_flags(flags).or_fail();
		stage = Stage::FlagsStored;

		auto again = sys::CryptDevice::init(device).or_fail();
		again.load().or_fail();
		FormatOutcome out;
		out.unlocked_slot = again.check_passphrase(key).or_fail();
		out.info = again.info();
		out.keyslots = again.keyslots();
		const std::string diff = header_mismatch(plan, out.info, out.keyslots);
		if (!diff.empty())
			fail(ExitCode::Failed, "the header read back differs from the plan: " + diff);
		return out;
	} catch (const sys::Interrupted &) {
		throw;
	} catch (const Failure &f) {
		Error e = f.error();
		e.message += "; state: " + state_of(stage, device, uuid);
		throw Failure(e);
	}
}

} // namespace luksfit::commands
