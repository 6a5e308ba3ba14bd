#include "system/luks/luks_header.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libcryptsetup.h>
#include <nlohmann/json.hpp>

#include "system/luks/crypt_device.hpp"
#include "system/os/readable_file.hpp"
#include "util/unique_fd.hpp"
#include "util/untrusted_text.hpp"

namespace luksfit::sys {
namespace {

// LUKS magic: "LUKS\xba\xbe" (primary header), "SKUL\xba\xbe" (LUKS2 secondary header).
constexpr std::array<unsigned char, 6> kMagic = {'L', 'U', 'K', 'S', 0xba, 0xbe};
constexpr std::uint64_t kLuks1HeaderBytes = 592;
constexpr std::uint64_t kLuks2MinHeaderBytes = 16384 * 2;
constexpr int kLuks2MaxKeyslots = 32;

Error target_error(const std::string &path, const std::string &what, const std::string &hint)
{
	return Error{ExitCode::WrongDevice, path + ": " + what, hint};
}

struct Probe {
	bool magic = false;
	int version = 0;
	std::uint64_t size = 0;
};

Expected<Probe> peek(const std::string &path)
{
	auto f = open_readable(path, "cannot open " + path + " for reading", ExitCode::WrongDevice,
			       "give a LUKS block device or image file");
	if (!f)
		return f.error();
	const UniqueFd fd = std::move(f->fd);
	Probe p;
	if (S_ISREG(f->st.st_mode))
		p.size = static_cast<std::uint64_t>(f->st.st_size);
	else
		::ioctl(fd.get(), BLKGETSIZE64, &p.size);
	std::array<unsigned char, 8> head{};
	if (::pread(fd.get(), head.data(), head.size(), 0) == static_cast<ssize_t>(head.size())) {
		p.magic = std::memcmp(head.data(), kMagic.data(), kMagic.size()) == 0;
		p.version = (head[6] << 8) | head[7];
	}
	return p;
}

Error load_error(const std::string &path, const Probe &p, int r, const std::string &log)
{
	if (!p.magic)
		return target_error(path, "not a LUKS volume (no LUKS signature)",
				    "give a LUKS device or image file; 'blkid " + path +
					    "' tells what it holds");
	const std::uint64_t need = p.version == 1 ? kLuks1HeaderBytes : kLuks2MinHeaderBytes;
	if (p.size > 0 && log.find("too small") != std::string::npos)
		return target_error(path,
				    "truncated: " + std::to_string(p.size) + " bytes (" + log + ")",
				    "the image is incomplete; copy it again from its source");
	if (p.size < need)
		return target_error(path,
				    "truncated: " + std::to_string(p.size) +
					    " bytes, shorter than a LUKS" +
					    std::to_string(p.version) + " header",
				    "the image is incomplete; restore it from a header backup");
	return target_error(path,
			    "corrupted LUKS" + std::to_string(p.version) + " header (" +
				    std::strerror(-r) + ")",
			    "restore a header backup: cryptsetup luksHeaderRestore " + path +
				    " --header-backup-file FILE");
}

// The UUID goes into crypttab lines and udev properties: anything but the canonical form means
// a damaged or crafted header, and a value that could smuggle in a line of its own.
Error uuid_error(const std::string &path, const std::string &shown)
{
	return target_error(
		path,
		"the LUKS header's UUID '" + shown +
			"' is not a UUID (36 characters, 8-4-4-4-12 hex digits)",
		"the header is damaged or was crafted: check where the disk came from, "
		"restore a header backup or set a new UUID (cryptsetup luksUUID --uuid)");
}

// Where each keyslot stands in libcryptsetup's search order within its priority.
void read_positions(CryptDevice &dev, domain::LuksVolume &h)
{
	std::vector<int> order;
	if (h.version == 1)
		for (const auto &k : h.keyslots)
			order.push_back(k.slot); // LUKS1 tries its eight keyslots by number
	else if (auto json = dev.dump_json())
		order = luks2_keyslot_order(*json);
	for (auto &k : h.keyslots) {
		const auto it = std::find(order.begin(), order.end(), k.slot);
		k.position = it == order.end() ? -1 : static_cast<int>(it - order.begin());
	}
}

void read_keyslots(CryptDevice &dev, domain::LuksVolume &h)
{
	crypt_device *cd = dev.handle();
	const int max = crypt_keyslot_max(h.version == 1 ? CRYPT_LUKS1 : CRYPT_LUKS2);
	for (int s = 0; s < max; ++s) {
		const crypt_keyslot_info st = crypt_keyslot_status(cd, s);
		if (st != CRYPT_SLOT_ACTIVE && st != CRYPT_SLOT_ACTIVE_LAST)
			continue;
		domain::VolumeKeyslot k;
		k.slot = s;
		crypt_pbkdf_type pb{};
		if (crypt_keyslot_get_pbkdf(cd, s, &pb) == 0) {
			k.pbkdf = header_text(pb.type);
			k.hash = k.pbkdf == CRYPT_KDF_PBKDF2 ? header_text(pb.hash) : "";
			k.iterations = pb.iterations;
			k.memory_kb = pb.max_memory_kb;
			k.parallel = pb.parallel_threads;
		}
		std::size_t ks_key = 0;
		if (const char *enc = crypt_keyslot_get_encryption(cd, s, &ks_key)) {
			k.encryption = header_text(enc);
			k.key_bits = static_cast<unsigned>(ks_key * 8);
		}
		k.priority = crypt_keyslot_get_priority(cd, s);
		h.keyslots.push_back(std::move(k));
	}
	read_positions(dev, h);
}

void read_flags(crypt_device *cd, domain::LuksVolume &h)
{
	std::uint32_t flags = 0;
	if (h.version != 2 || crypt_persistent_flags_get(cd, CRYPT_FLAGS_ACTIVATION, &flags) != 0)
		return;
	h.persistent_flags = activation_flag_names(flags);
}

} // namespace

std::vector<int> luks2_keyslot_order(std::string_view json)
{
	// Hostile text (from the disk, through libcryptsetup): no exceptions, no trust in keys.
	const auto doc = nlohmann::ordered_json::parse(json, nullptr, false);
	if (doc.is_discarded() || !doc.is_object())
		return {};
	const auto slots = doc.find("keyslots");
	if (slots == doc.end() || !slots->is_object())
		return {};
	std::vector<int> order;
	for (const auto &item : slots->items()) {
		const std::string &key = item.key();
		int n = -1;
		const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), n);
		const bool canonical = !key.empty() && (key.size() == 1 || key[0] != '0');
		if (ec != std::errc{} || end != key.data() + key.size() || !canonical || n < 0 ||
		    n >= kLuks2MaxKeyslots ||
		    std::find(order.begin(), order.end(), n) != order.end())
			continue;
		order.push_back(n);
	}
	return order;
}

Expected<int> luks_signature(const std::string &path)
{
	const auto p = peek(path);
	if (!p)
		return p.error();
	return p->magic ? p->version : 0;
}

domain::LuksVolume loaded_header(CryptDevice &dev)
{
	crypt_device *cd = dev.handle();
	domain::LuksVolume h;
	h.path = dev.device();
	const char *type = crypt_get_type(cd);
	h.version = type && std::strcmp(type, CRYPT_LUKS1) == 0 ? 1 : 2;
	h.cipher = header_text(crypt_get_cipher(cd)) + "-" + header_text(crypt_get_cipher_mode(cd));
	h.key_bits = static_cast<unsigned>(std::max(crypt_get_volume_key_size(cd), 0) * 8);
	h.sector_size = static_cast<unsigned>(std::max(crypt_get_sector_size(cd), 0));
	h.data_offset = crypt_get_data_offset(cd) * 512;
	h.uuid = header_text(crypt_get_uuid(cd));
	if (h.version == 2) {
		h.label = header_text(crypt_get_label(cd));
		h.subsystem = header_text(crypt_get_subsystem(cd));
	}
	read_keyslots(dev, h);
	read_flags(cd, h);
	return h;
}

Expected<domain::LuksVolume> read_luks_header(const std::string &path)
{
	auto p = peek(path);
	if (!p)
		return p.error();
	crypt_metadata_locking(nullptr, 0); // no lock file: reading must leave no trace
	auto dev = CryptDevice::init(path);
	if (!dev)
		return dev.error();
	// Any LUKS version; CryptDevice::load() would hide the truncated/corrupted distinction.
	if (const int r = crypt_load(dev->handle(), CRYPT_LUKS, nullptr); r < 0)
		return load_error(path, *p, r, dev->last_log_error());
	domain::LuksVolume h = loaded_header(*dev);
	h.path = path;
	h.device_size = p->size;
	if (!util::is_canonical_uuid(h.uuid))
		return uuid_error(path, h.uuid);
	return h;
}

} // namespace luksfit::sys
