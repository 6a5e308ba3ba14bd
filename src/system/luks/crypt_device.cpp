#include "system/luks/crypt_device.hpp"

#include <cerrno>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

#include <libcryptsetup.h>

#include "system/os/readable_file.hpp"
#include "util/text.hpp"
#include "util/unique_handle.hpp"
#include "util/untrusted_text.hpp"

namespace luksfit::sys {

// Heap state, so libcryptsetup's log callback pointer stays valid when the handle moves.
struct CryptDevice::State {
	util::UniqueHandle<crypt_device, crypt_free> cd;
	std::string last_error;
	std::string opened_as; // the path crypt_init got, when messages show another name
};

namespace {

void collect_log(int level, const char *msg, void *usrptr)
{
	if (level != CRYPT_LOG_ERROR || !msg || !usrptr)
		return;
	std::string_view text(msg);
	while (!text.empty() && (text.back() == '\n' || text.back() == '.'))
		text.remove_suffix(1);
	// The log quotes header fields (a cipher name, a UUID): escaped like them.
	*static_cast<std::string *>(usrptr) = util::printable(text);
}

// Messages logged before a handle exists (crypt_init failures) and by static calls.
std::string g_global_error;

void install_global_log()
{
	crypt_set_log_callback(nullptr, collect_log, &g_global_error);
}

std::string with_reason(std::string message, const std::string &reason)
{
	if (!reason.empty())
		message += " (libcryptsetup: " + reason + ")";
	return message;
}

} // namespace

CryptDevice::CryptDevice(std::unique_ptr<State> state, std::string device)
    : state_(std::move(state)), device_(std::move(device))
{
	crypt_set_log_callback(state_->cd.get(), collect_log, &state_->last_error);
}

CryptDevice::CryptDevice(CryptDevice &&) noexcept = default;
CryptDevice &CryptDevice::operator=(CryptDevice &&) noexcept = default;
CryptDevice::~CryptDevice() = default;

struct crypt_device *CryptDevice::handle() noexcept
{
	return state_ ? state_->cd.get() : nullptr;
}

std::string CryptDevice::last_log_error() const
{
	if (!state_)
		return {};
	return util::replace_all(state_->last_error, state_->opened_as, device_);
}

Error CryptDevice::failure(int r, const std::string &what, std::string hint) const
{
	Error e = error_from_errno(r, what + " " + device_, std::move(hint));
	e.message = with_reason(std::move(e.message), last_log_error());
	return e;
}

Expected<CryptDevice> CryptDevice::init(const std::string &device, const std::string &shown_as)
{
	install_global_log();
	g_global_error.clear();
	auto state = std::make_unique<State>();
	const std::string &name = shown_as.empty() ? device : shown_as;
	// Checked here, not left to crypt_init: opening a FIFO for reading would wait for good.
	if (auto f = open_readable(device, name, ExitCode::WrongDevice,
				   "check the path: give a block device or image file");
	    !f)
		return f.error();
	const int r = crypt_init(state->cd.out(), device.c_str());
	if (r < 0) {
		state->cd.release(); // crypt_init left nothing to free
		Error e = error_from_errno(r, "open " + name, "check the device path");
		e.message = with_reason(std::move(e.message),
					util::replace_all(g_global_error, device, name));
		return e;
	}
	if (!shown_as.empty())
		state->opened_as = device;
	return CryptDevice(std::move(state), name);
}

Expected<CryptDevice> CryptDevice::init_by_name(const std::string &name)
{
	install_global_log();
	g_global_error.clear();
	auto state = std::make_unique<State>();
	const int r = crypt_init_by_name(state->cd.out(), name.c_str());
	if (r < 0) {
		state->cd.release(); // crypt_init_by_name left nothing to free
		Error e = error_from_errno(
			r, "mapping " + name,
			"list the active mappings with 'dmsetup ls --target crypt'");
		if (r == -ENODEV)
			e.message = "no active mapping named " + name;
		e.message = with_reason(std::move(e.message), g_global_error);
		return e;
	}
	const char *dev = crypt_get_device_name(state->cd.get());
	return CryptDevice(std::move(state), dev ? dev : name);
}

Status CryptDevice::load()
{
	const int r = crypt_load(handle(), CRYPT_LUKS, nullptr);
	if (r == -EINVAL || r == -EIO) {
		Error e{ExitCode::WrongDevice,
			device_ + " is not a LUKS device (no valid header could be read)",
			"check the device; 'blkid' shows what it holds"};
		e.message = with_reason(std::move(e.message), last_log_error());
		return e;
	}
	if (r < 0)
		return failure(r, "read the LUKS header of");
	return Done{};
}

Status CryptDevice::format_luks2(const LuksFormatParams &p)
{
	crypt_pbkdf_type pbkdf{};
	pbkdf.type = p.pbkdf.type.c_str();
	pbkdf.hash = p.pbkdf.hash.c_str();
	pbkdf.time_ms = p.pbkdf.time_ms;
	pbkdf.iterations = p.pbkdf.iterations;
	if (p.pbkdf.type != CRYPT_KDF_PBKDF2) {
		pbkdf.max_memory_kb = p.pbkdf.max_memory_kb;
		pbkdf.parallel_threads = p.pbkdf.parallel_threads;
	}
	if (p.pbkdf.iterations)
		pbkdf.flags |= CRYPT_PBKDF_NO_BENCHMARK;
	int r = crypt_set_pbkdf_type(handle(), &pbkdf);
	if (r < 0)
		return failure(r, "set PBKDF " + p.pbkdf.type + " for");

	crypt_params_luks2 params{};
	params.pbkdf = &pbkdf;
	params.sector_size = p.sector_size;
	params.data_alignment = p.data_alignment_sectors;
	params.label = p.label ? p.label->c_str() : nullptr;
	r = crypt_format(handle(), CRYPT_LUKS2, p.cipher.c_str(), p.cipher_mode.c_str(),
			 p.uuid ? p.uuid->c_str() : nullptr, nullptr, p.volume_key_bytes, &params);
	if (r < 0)
		return failure(r, "format " + p.cipher + "-" + p.cipher_mode + " on");
	return Done{};
}

Status CryptDevice::set_keyslot_encryption(const std::string &cipher_spec, std::size_t key_bytes)
{
	const int r = crypt_keyslot_set_encryption(handle(), cipher_spec.c_str(), key_bytes);
	if (r < 0)
		return failure(r, "set keyslot encryption " + cipher_spec + " on");
	return Done{};
}

Expected<int> CryptDevice::add_keyslot_after_format(const SecureBuffer &passphrase)
{
	const int r = crypt_keyslot_add_by_volume_key(handle(), CRYPT_ANY_SLOT, nullptr, 0,
						      passphrase.chars(), passphrase.size());
	if (r < 0)
		return failure(r, "add a keyslot to");
	return r;
}

Expected<int> CryptDevice::add_keyslot_by_passphrase(const SecureBuffer &existing,
						     const SecureBuffer &fresh, int slot)
{
	const int r = crypt_keyslot_add_by_passphrase(handle(), slot < 0 ? CRYPT_ANY_SLOT : slot,
						      existing.chars(), existing.size(),
						      fresh.chars(), fresh.size());
	if (r == -EPERM)
		return Error{ExitCode::Permission,
			     "no keyslot of " + device_ + " opens with this key",
			     "check the passphrase or key file"};
	if (r < 0)
		return failure(r, "add a keyslot to");
	return r;
}

Status CryptDevice::set_keyslot_priority(int slot, int priority)
{
	const int r = crypt_keyslot_set_priority(handle(), slot,
						 static_cast<crypt_keyslot_priority>(priority));
	if (r < 0)
		return failure(r, "set the priority of keyslot " + std::to_string(slot) + " of");
	return Done{};
}

Expected<int> CryptDevice::activate(const std::string &name, const SecureBuffer &passphrase,
				    std::uint32_t flags)
{
	const int r = crypt_activate_by_passphrase(handle(), name.empty() ? nullptr : name.c_str(),
						   CRYPT_ANY_SLOT, passphrase.chars(),
						   passphrase.size(), flags);
	if (r >= 0)
		return r;
	if (r == -EPERM)
		return Error{ExitCode::Permission,
			     "no key available with this passphrase for " + device_,
			     "check the passphrase or key file"};
	if (r == -EEXIST)
		return Error{ExitCode::Busy, "a mapping named " + name + " already exists",
			     "close it first ('luksfit close " + name + "') or pick another name"};
	if (r == -EBUSY)
		return failure(r, "activate",
			       "the device is in use (mounted or mapped elsewhere?)");
	if (name.empty())
		return failure(r, "unlock a keyslot of");
	return failure(r, "activate " + name + " from");
}

Status CryptDevice::deactivate(const std::string &name)
{
	auto cd = init_by_name(name);
	if (!cd)
		return cd.error();
	const int r = crypt_deactivate(cd->handle(), name.c_str());
	if (r == -EBUSY)
		return Error{ExitCode::Busy, "mapping " + name + " is in use",
			     "unmount it (and stop what holds it) before closing"};
	if (r < 0)
		return cd->failure(r, "close " + name + " on");
	return Done{};
}

Status CryptDevice::set_persistent_flags(std::uint32_t flags)
{
	const int r = crypt_persistent_flags_set(handle(), CRYPT_FLAGS_ACTIVATION, flags);
	if (r < 0)
		return failure(r, "store activation flags in the header of");
	return Done{};
}

Expected<std::uint32_t> CryptDevice::persistent_flags()
{
	std::uint32_t flags = 0;
	const int r = crypt_persistent_flags_get(handle(), CRYPT_FLAGS_ACTIVATION, &flags);
	if (r < 0)
		return failure(r, "read activation flags of");
	return flags;
}

Expected<std::string> CryptDevice::dump_json()
{
	const char *json = nullptr;
	const int r = crypt_dump_json(handle(), &json, 0);
	if (r < 0 || !json)
		return failure(r < 0 ? r : -EINVAL, "dump the LUKS2 metadata of");
	return std::string(json);
}

ActiveMapping::~ActiveMapping()
{
	if (!name_.empty())
		(void)close();
}

Status ActiveMapping::close()
{
	if (name_.empty())
		return Done{};
	Status r = CryptDevice::deactivate(name_);
	for (int attempt = 0; !r && r.error().code == ExitCode::Busy && attempt < 20; ++attempt) {
		::usleep(100000); // udev's blkid may still have it open for a moment
		r = CryptDevice::deactivate(name_);
	}
	if (r)
		name_.clear();
	return r;
}

namespace {

struct FlagName {
	std::uint32_t flag;
	const char *name;
};

// The dm-crypt table option names, as `dmsetup table`, `cryptsetup status` and cryptsetup's
// --perf-* options spell them (luksDump and crypttab use dashes instead). luksfit's JSON and
// reports use these everywhere.
constexpr FlagName kFlagNames[] = {
	{CRYPT_ACTIVATE_ALLOW_DISCARDS, "allow_discards"},
	{CRYPT_ACTIVATE_SAME_CPU_CRYPT, "same_cpu_crypt"},
	{CRYPT_ACTIVATE_SUBMIT_FROM_CRYPT_CPUS, "submit_from_crypt_cpus"},
	{CRYPT_ACTIVATE_NO_READ_WORKQUEUE, "no_read_workqueue"},
	{CRYPT_ACTIVATE_NO_WRITE_WORKQUEUE, "no_write_workqueue"},
	{CRYPT_ACTIVATE_NO_JOURNAL, "no_journal"},
	{CRYPT_ACTIVATE_READONLY, "readonly"},
};

} // namespace

std::string header_text(const char *s)
{
	return s ? util::printable(s) : std::string();
}

static_assert(kActivateReadOnly == CRYPT_ACTIVATE_READONLY);

std::vector<std::string> activation_flag_names(std::uint32_t flags)
{
	std::vector<std::string> out;
	for (const auto &f : kFlagNames)
		if (flags & f.flag)
			out.emplace_back(f.name);
	return out;
}

std::uint32_t activation_flag(const std::string &name)
{
	std::string dm = name; // also the dashed spelling of luksDump and crypttab
	for (char &c : dm)
		if (c == '-')
			c = '_';
	for (const auto &f : kFlagNames)
		if (dm == f.name)
			return f.flag;
	return 0;
}

} // namespace luksfit::sys
