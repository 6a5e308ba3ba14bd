// RAII over libcryptsetup's `struct crypt_device *` (crypt_init .. crypt_free), with the
// operations luksfit needs: format LUKS2, add keyslots, choose keyslot encryption, activate,
// deactivate, persistent flags, and reading the parameters back.
//
// Every failure comes back as an Error built from libcryptsetup's -errno through
// error_from_errno(), with a message naming the operation and the device, plus the last error
// libcryptsetup logged (it logs its reasons, e.g. "Cannot use ... for keyslot encryption").
// Known meanings are made precise: -EPERM from an unlock is a wrong passphrase (exit 2),
// -EINVAL from load is "not a LUKS device" (exit 4), -EEXIST/-EBUSY on activation is exit 5.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "util/expected.hpp"
#include "util/secure_buffer.hpp"

struct crypt_device;

namespace luksfit::sys {

struct PbkdfParams {
	std::string type = "argon2id";	       // "argon2id", "argon2i" or "pbkdf2"
	std::string hash = "sha256";	       // for pbkdf2 (and the LUKS2 digest)
	std::uint32_t time_ms = 2000;	       // unlock time target (cryptsetup's default: 2000 ms)
	std::uint32_t max_memory_kb = 1048576; // argon2 memory cap (cryptsetup's default: 1 GiB)
	std::uint32_t parallel_threads = 4;    // argon2 lanes (cryptsetup's default: 4)
	std::uint32_t iterations = 0; // fixed cost instead of a benchmark (tests); 0 = benchmark
};

struct LuksFormatParams {
	std::string cipher = "aes"; // crypt_format's cipher, e.g. "aes", "xchacha12,aes"
	std::string cipher_mode = "xts-plain64"; // e.g. "xts-plain64", "adiantum-plain64"
	std::size_t volume_key_bytes = 64;	 // 512-bit key for aes-xts
	std::uint32_t sector_size = 4096;
	PbkdfParams pbkdf;
	std::optional<std::string> uuid;
	std::optional<std::string> label;
	std::size_t data_alignment_sectors = 0; // 512-byte sectors; 0 = libcryptsetup's default
};

class CryptDevice
{
public:
	// crypt_init on a block device or an image file (libcryptsetup attaches a loop itself
	// when it must, e.g. to activate a file). `shown_as`: the name for messages when `device`
	// is a /proc/self/fd/N path to a held target (libcryptsetup's own messages too).
	static Expected<CryptDevice> init(const std::string &device,
					  const std::string &shown_as = {});
	// crypt_init_by_name: the device behind an active mapping /dev/mapper/NAME.
	static Expected<CryptDevice> init_by_name(const std::string &name);

	CryptDevice(CryptDevice &&) noexcept;
	CryptDevice &operator=(CryptDevice &&) noexcept;
	CryptDevice(const CryptDevice &) = delete;
	CryptDevice &operator=(const CryptDevice &) = delete;
	~CryptDevice();

	// crypt_load(CRYPT_LUKS): LUKS1 or LUKS2. Not LUKS: exit 4 "not a LUKS device".
	Status load();

	// crypt_set_pbkdf_type + crypt_format(CRYPT_LUKS2) with a generated volume key. Writes
	// the header (and wipes the header area) of the device.
	Status format_luks2(const LuksFormatParams &params);

	// crypt_keyslot_set_encryption: cipher of keyslots added AFTER this call (LUKS2 only).
	Status set_keyslot_encryption(const std::string &cipher_spec, std::size_t key_bytes);

	// A new keyslot for the volume key of a device formatted by this handle (right after
	// format_luks2, the only time the volume key is in memory). Returns the slot number.
	Expected<int> add_keyslot_after_format(const SecureBuffer &passphrase);
	// A new keyslot unlocked by an existing passphrase. Returns the slot number.
	Expected<int> add_keyslot_by_passphrase(const SecureBuffer &existing,
						const SecureBuffer &fresh, int slot = -1);

	// crypt_keyslot_set_priority (LUKS2): 2 prefer, 1 normal, 0 ignore. Unlocking without a
	// key slot tries prefer before normal, each in the header's keyslot order; ignore never.
	Status set_keyslot_priority(int slot, int priority);

	// crypt_activate_by_passphrase. `name` empty: only check that the passphrase opens a
	// keyslot (no mapping, no dm-crypt needed). Returns the keyslot that opened.
	Expected<int> activate(const std::string &name, const SecureBuffer &passphrase,
			       std::uint32_t flags);
	Expected<int> check_passphrase(const SecureBuffer &passphrase)
	{
		return activate({}, passphrase, 0);
	}

	// crypt_deactivate of an active mapping.
	static Status deactivate(const std::string &name);

	// CRYPT_FLAGS_ACTIVATION in the LUKS2 header (systemd-cryptsetup and cryptsetup honour
	// them at every activation).
	Status set_persistent_flags(std::uint32_t flags);
	Expected<std::uint32_t> persistent_flags();

	// What the loaded/formatted header says: sys::loaded_header() (luks_header.hpp).
	// crypt_dump_json (the LUKS2 metadata as JSON text).
	Expected<std::string> dump_json();

	const std::string &device() const noexcept { return device_; }
	struct crypt_device *handle() noexcept;
	// The last error libcryptsetup logged on this handle ("" if none).
	std::string last_log_error() const;

private:
	struct State;
	explicit CryptDevice(std::unique_ptr<State> state, std::string device);
	Error failure(int r, const std::string &what, std::string hint = {}) const;

	std::unique_ptr<State> state_;
	std::string device_;
};

// An active mapping /dev/mapper/NAME that this process created: closed on destruction (also
// while unwinding), unless released.
class ActiveMapping
{
public:
	explicit ActiveMapping(std::string name) : name_(std::move(name)) {}
	ActiveMapping(ActiveMapping &&other) noexcept : name_(std::exchange(other.name_, {})) {}
	ActiveMapping &operator=(ActiveMapping &&) = delete;
	ActiveMapping(const ActiveMapping &) = delete;
	ActiveMapping &operator=(const ActiveMapping &) = delete;
	~ActiveMapping();

	const std::string &name() const noexcept { return name_; }
	std::string path() const { return "/dev/mapper/" + name_; }
	// Closes it now (retrying briefly while udev still holds it).
	Status close();
	// Leaves it active past this object's life (luksfit open).
	std::string release() { return std::exchange(name_, {}); }

private:
	std::string name_;
};

// A string libcryptsetup read from a header (UUID, label, cipher...), as util::printable shows
// it: the header is outside data, and its bytes may be terminal escapes. "" for NULL.
std::string header_text(const char *s);

// CRYPT_ACTIVATE_READONLY, for callers that do not see libcryptsetup.h (checked in the .cpp).
inline constexpr std::uint32_t kActivateReadOnly = 1u << 0;

// Decodes a CRYPT_ACTIVATE_* set into dm-crypt's names ("no_read_workqueue", ...), for reports.
std::vector<std::string> activation_flag_names(std::uint32_t flags);
// The reverse, for the flags luksfit knows (either spelling): 0 on unknown names.
std::uint32_t activation_flag(const std::string &name);

} // namespace luksfit::sys
