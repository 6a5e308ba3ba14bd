#include "system/luks_header.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libcryptsetup.h>

#include "system/crypt_device.hpp"
#include "system/readable_file.hpp"
#include "util/unique_fd.hpp"

namespace luksfit::sys {
namespace {

// LUKS magic: "LUKS\xba\xbe" (primary header), "SKUL\xba\xbe" (LUKS2 secondary header).
constexpr std::array<unsigned char, 6> kMagic = {'L', 'U', 'K', 'S', 0xba, 0xbe};
constexpr std::uint64_t kLuks1HeaderBytes = 592;
constexpr std::uint64_t kLuks2MinHeaderBytes = 16384 * 2;

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

void read_keyslots(crypt_device *cd, LuksHeader &h)
{
	const int max = crypt_keyslot_max(h.version == 1 ? CRYPT_LUKS1 : CRYPT_LUKS2);
	for (int s = 0; s < max; ++s) {
		const crypt_keyslot_info st = crypt_keyslot_status(cd, s);
		if (st != CRYPT_SLOT_ACTIVE && st != CRYPT_SLOT_ACTIVE_LAST)
			continue;
		LuksKeyslot k;
		k.slot = s;
		crypt_pbkdf_type pb{};
		if (crypt_keyslot_get_pbkdf(cd, s, &pb) == 0) {
			k.pbkdf = pb.type ? pb.type : "";
			k.hash = pb.hash && k.pbkdf == CRYPT_KDF_PBKDF2 ? pb.hash : "";
			k.iterations = pb.iterations;
			k.memory_kb = pb.max_memory_kb;
			k.parallel = pb.parallel_threads;
		}
		std::size_t ks_key = 0;
		if (const char *enc = crypt_keyslot_get_encryption(cd, s, &ks_key)) {
			k.encryption = enc;
			k.key_bits = static_cast<unsigned>(ks_key * 8);
		}
		h.keyslots.push_back(std::move(k));
	}
}

void read_flags(crypt_device *cd, LuksHeader &h)
{
	std::uint32_t flags = 0;
	if (h.version != 2 || crypt_persistent_flags_get(cd, CRYPT_FLAGS_ACTIVATION, &flags) != 0)
		return;
	h.persistent_flags = activation_flag_names(flags);
}

} // namespace

Expected<int> luks_signature(const std::string &path)
{
	const auto p = peek(path);
	if (!p)
		return p.error();
	return p->magic ? p->version : 0;
}

Expected<LuksHeader> read_luks_header(const std::string &path)
{
	auto p = peek(path);
	if (!p)
		return p.error();
	crypt_metadata_locking(nullptr, 0); // no lock file: reading must leave no trace
	auto dev = CryptDevice::init(path);
	if (!dev)
		return dev.error();
	crypt_device *cd = dev->handle();
	// Any LUKS version; CryptDevice::load() would hide the truncated/corrupted distinction.
	if (const int r = crypt_load(cd, CRYPT_LUKS, nullptr); r < 0)
		return load_error(path, *p, r, dev->last_log_error());

	LuksHeader h;
	h.path = path;
	const char *type = crypt_get_type(cd);
	h.version = type && std::strcmp(type, CRYPT_LUKS1) == 0 ? 1 : 2;
	const char *c = crypt_get_cipher(cd);
	const char *m = crypt_get_cipher_mode(cd);
	h.cipher = std::string(c ? c : "") + "-" + (m ? m : "");
	h.key_bits = static_cast<unsigned>(crypt_get_volume_key_size(cd) * 8);
	h.sector_size = static_cast<unsigned>(crypt_get_sector_size(cd));
	h.data_offset = crypt_get_data_offset(cd) * 512;
	h.device_size = p->size;
	if (const char *u = crypt_get_uuid(cd))
		h.uuid = u;
	if (h.version == 2) {
		if (const char *l = crypt_get_label(cd))
			h.label = l;
		if (const char *s = crypt_get_subsystem(cd))
			h.subsystem = s;
	}
	read_keyslots(cd, h);
	read_flags(cd, h);
	return h;
}

} // namespace luksfit::sys
