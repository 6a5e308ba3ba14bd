#include "system/luks/keyslot_rewrite.hpp"

#include <cerrno>
#include <cstring>

#include <libcryptsetup.h>

#include "system/luks/keyslot_probe.hpp"
#include "system/os/signals.hpp"

namespace luksfit::sys {
namespace {

struct Pbkdf {
	std::string type, hash;
	crypt_pbkdf_type raw{};
};

std::optional<Pbkdf> keyslot_pbkdf(CryptDevice &dev, int slot)
{
	crypt_pbkdf_type pb{};
	if (crypt_keyslot_get_pbkdf(dev.handle(), slot, &pb) != 0 || !pb.type)
		return std::nullopt;
	Pbkdf p;
	p.type = pb.type;
	p.hash = pb.hash ? pb.hash : "sha256";
	p.raw = pb;
	return p;
}

// The PBKDF of the old keyslot, exactly: its costs are reused, not benchmarked again.
int apply_pbkdf(CryptDevice &dev, Pbkdf &p)
{
	p.raw.type = p.type.c_str();
	p.raw.hash = p.hash.c_str();
	p.raw.time_ms = 0;
	p.raw.flags = CRYPT_PBKDF_NO_BENCHMARK;
	return crypt_set_pbkdf_type(dev.handle(), &p.raw);
}

std::string describe(const std::string &cipher, std::size_t key_bytes, const Pbkdf &p)
{
	return cipher + "/" + std::to_string(key_bytes * 8) + ", " + p.type;
}

// Adds a keyslot (at `at`, or any free one) with the current encryption/PBKDF, then proves it
// opens without AF_ALG. On a failed proof the new keyslot is destroyed again. Returns the slot.
Expected<int> add_verified(CryptDevice &dev, const SecureBuffer &key, int at, RewriteResult &res,
			   const std::string &desc)
{
	auto added = dev.add_keyslot_by_passphrase(key, key, at);
	if (!added) {
		res.steps.push_back(
			{"add a keyslot (" + desc + "): " + added.error().message, false});
		return added.error();
	}
	res.steps.push_back({"added keyslot " + std::to_string(*added) + " (" + desc + ")", true});
	const auto v = verify_keyslot_without_afalg(dev.device(), *added, key);
	if (v.works) {
		res.steps.push_back(
			{"verified keyslot " + std::to_string(*added) + " opens without AF_ALG",
			 true});
		return *added;
	}
	res.steps.push_back({"keyslot " + std::to_string(*added) +
				     " does not open without AF_ALG: " + v.message,
			     false});
	const int r = crypt_keyslot_destroy(dev.handle(), *added);
	res.steps.push_back({"removed the unverified keyslot " + std::to_string(*added) +
				     (r < 0 ? std::string(" FAILED: ") + std::strerror(-r) : ""),
			     r >= 0});
	return Error{ExitCode::Failed, "the new keyslot did not verify: " + v.message, {}};
}

bool destroy(CryptDevice &dev, int slot, RewriteResult &res)
{
	const int r = crypt_keyslot_destroy(dev.handle(), slot);
	res.steps.push_back({"removed keyslot " + std::to_string(slot) +
				     (r < 0 ? std::string(" FAILED: ") + std::strerror(-r) : ""),
			     r >= 0});
	return r >= 0;
}

// A new keyslot starts with priority normal: give it the old keyslot's prefer or ignore back
// (numbers libcryptsetup does not define are not written again).
void keep_priority(CryptDevice &dev, int slot, int priority, RewriteResult &res)
{
	if (priority != CRYPT_SLOT_PRIORITY_PREFER && priority != CRYPT_SLOT_PRIORITY_IGNORE)
		return;
	const auto st = dev.set_keyslot_priority(slot, priority);
	const std::string name = priority == CRYPT_SLOT_PRIORITY_PREFER ? "prefer" : "ignore";
	res.steps.push_back({"keyslot " + std::to_string(slot) + " keeps its priority " + name +
				     (st ? "" : " FAILED: " + st.error().message),
			     static_cast<bool>(st)});
	if (!st && res.error.empty())
		res.error = st.error().message;
}

} // namespace

Expected<int> keyslot_opened_by(CryptDevice &dev, const SecureBuffer &key, std::optional<int> slot)
{
	if (!slot)
		return dev.check_passphrase(key);
	const int r = crypt_activate_by_passphrase(dev.handle(), nullptr, *slot, key.chars(),
						   key.size(), 0);
	if (r >= 0)
		return r;
	if (r == -EPERM || r == -ENOENT)
		return Error{ExitCode::Permission,
			     "the key does not open keyslot " + std::to_string(*slot) + " of " +
				     dev.device(),
			     "check the passphrase or key file, or the --key-slot number"};
	return error_from_errno(r, "unlock keyslot " + std::to_string(*slot) + " of " +
					   dev.device() + ": " + dev.last_log_error());
}

RewriteResult rewrite_keyslot(CryptDevice &dev, int slot, const SecureBuffer &key,
			      const std::string &cipher, std::size_t key_bytes)
{
	RewriteResult res;
	res.old_slot = res.final_slot = slot;
	const int priority = crypt_keyslot_get_priority(dev.handle(), slot);
	auto pbkdf = keyslot_pbkdf(dev, slot);
	if (!pbkdf) {
		res.error = "cannot read the PBKDF of keyslot " + std::to_string(slot);
		return res;
	}
	if (const int r = apply_pbkdf(dev, *pbkdf); r < 0) {
		res.error = std::string("cannot reuse the keyslot's PBKDF: ") + std::strerror(-r);
		return res;
	}
	if (auto st = dev.set_keyslot_encryption(cipher, key_bytes); !st) {
		res.error = st.error().message;
		return res;
	}
	const std::string desc = describe(cipher, key_bytes, *pbkdf);
	throw_if_interrupted();
	auto fresh = add_verified(dev, key, -1, res, desc);
	if (!fresh) {
		res.error = fresh.error().message + "; keyslot " + std::to_string(slot) +
			    " is unchanged";
		return res;
	}
	if (!destroy(dev, slot, res)) {
		res.error = "could not remove the old keyslot " + std::to_string(slot) +
			    "; both keyslots work, remove it with: cryptsetup luksKillSlot " +
			    dev.device() + " " + std::to_string(slot);
		res.final_slot = *fresh;
		return res;
	}
	res.rewritten = true;
	res.final_slot = *fresh;
	// Back to the old number (crypttab key-slot=, documentation), with the same guarantees.
	auto back = add_verified(dev, key, slot, res, desc);
	if (!back) {
		res.error = "the key stays in keyslot " + std::to_string(*fresh) +
			    " (moving it back to " + std::to_string(slot) +
			    " failed: " + back.error().message + ")";
		keep_priority(dev, *fresh, priority, res);
		return res;
	}
	keep_priority(dev, slot, priority, res);
	if (destroy(dev, *fresh, res))
		res.final_slot = slot;
	else
		res.error = "keyslot " + std::to_string(*fresh) +
			    " is a working duplicate of keyslot " + std::to_string(slot) +
			    "; remove it with: cryptsetup luksKillSlot " + dev.device() + " " +
			    std::to_string(*fresh);
	return res;
}

} // namespace luksfit::sys
