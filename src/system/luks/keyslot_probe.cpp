#include "system/luks/keyslot_probe.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <libcryptsetup.h>

#include "system/dm/dm_remove.hpp"
#include "system/luks/crypt_device.hpp"
#include "system/os/child_process.hpp"
#include "util/eintr.hpp"
#include "util/unique_fd.hpp"

namespace luksfit::sys {
namespace {

#if defined(__x86_64__)
constexpr std::uint32_t kAuditArch = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
constexpr std::uint32_t kAuditArch = AUDIT_ARCH_AARCH64;
#else
constexpr std::uint32_t kAuditArch = 0; // unknown: the probe reports "unknown"
#endif

// Milliseconds on real hardware. The limit only matters when a probe hangs; it is generous
// because emulators (qemu TCG is 10-50x slower) on a loaded host once took over 30 s for the
// six probes, which share one CPU there.
constexpr int kProbeTimeoutMs = 90000;

// What the child reports through the pipe (plain bytes: same binary on both ends).
struct Report {
	int stage;
	char message[240];
	int slot; // the keyslot that opened (verifications), else -1
};

constexpr std::uint32_t arg_lo(int i)
{
	return static_cast<std::uint32_t>(offsetof(seccomp_data, args) +
					  8 * static_cast<unsigned>(i));
}

// socket(AF_ALG, ...) -> EAFNOSUPPORT; with `block_dm`, device-mapper (type 0xfd) and loop (0x4c)
// ioctls -> EPERM; syscalls of another ABI -> ENOSYS. Everything else is allowed.
int install_filter(bool block_dm)
{
	using F = sock_filter;
	const F prog[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kAuditArch, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_socket, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, arg_lo(0)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_ALG, 0, 7),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EAFNOSUPPORT),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_ioctl, 0, 5),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, arg_lo(1)),
		BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xff00),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0xfd00, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x4c00, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	constexpr unsigned short kLength = sizeof(prog) / sizeof(prog[0]);
	// Without block_dm the program ends after the socket check (its jumps land on the ALLOW
	// that then follows instead of the ioctl checks: same offsets, see the copy below).
	F afalg_only[9];
	std::copy(prog, prog + 8, afalg_only);
	afalg_only[4].jf = 3;
	afalg_only[6].jf = 1;
	afalg_only[8] = prog[kLength - 1];
	sock_fprog fprog{block_dm ? kLength : static_cast<unsigned short>(9),
			 const_cast<F *>(block_dm ? prog : afalg_only)};
	if (kAuditArch == 0)
		return -ENOTSUP;
	if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return -errno;
	if (::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog) != 0)
		return -errno;
	return 0;
}

// "what: reason", the reason being what libcryptsetup logged for `dev`, else strerror.
std::string why(const CryptDevice &dev, int r, const std::string &what)
{
	const std::string logged = dev.last_log_error();
	return what + ": " + (logged.empty() ? std::string(std::strerror(-r)) : logged);
}

// The child's answer: the stage it reached and why it stopped there.
Report report(KeyslotProbeStage stage, const std::string &message)
{
	Report rep{static_cast<int>(stage), {}, -1};
	std::snprintf(rep.message, sizeof(rep.message), "%s", message.c_str());
	return rep;
}

// LUKS1: a header whose volume cipher is the keyslot cipher ("aes" + "cbc-essiv:sha256").
int format_luks1(crypt_device *cd, const KeyslotCipher &c, const char *vk)
{
	const auto dash = c.cipher.find('-');
	if (dash == std::string::npos || c.key_bits == 0 || c.key_bits > 512)
		return -EINVAL;
	const std::string cipher = c.cipher.substr(0, dash), mode = c.cipher.substr(dash + 1);
	return crypt_format(cd, CRYPT_LUKS1, cipher.c_str(), mode.c_str(), nullptr, vk,
			    c.key_bits / 8, nullptr);
}

// LUKS2: an aes-xts data segment and keyslots encrypted with the cipher under test.
int format_luks2(crypt_device *cd, const char *vk, std::size_t vk_size)
{
	crypt_set_metadata_size(cd, 16384, 256 << 10); // fits a 512-bit key's 4000 AF stripes
	crypt_set_data_offset(cd, 2048);	       // 1 MiB, in 512-byte sectors
	return crypt_format(cd, CRYPT_LUKS2, "aes", "xts-plain64", nullptr, vk, vk_size, nullptr);
}

// Runs in the child, after the filter is in place. Returns the stage reached and a message.
Report run_probe(const KeyslotCipher &c)
{
	crypt_metadata_locking(nullptr, 0);
	UniqueFd mem(static_cast<int>(::syscall(SYS_memfd_create, "luksfit-keyslot-probe", 0u)));
	if (!mem.valid() || ::ftruncate(mem.get(), 4 << 20) != 0) // LUKS1: 2 MiB of header
		return report(KeyslotProbeStage::Setup,
			      std::string("memfd: ") + std::strerror(errno));
	const std::string path = "/proc/self/fd/" + std::to_string(mem.get());

	auto dev = CryptDevice::init(path);
	if (!dev)
		return report(KeyslotProbeStage::Setup, dev.error().message);
	crypt_device *cd = dev->handle();
	crypt_pbkdf_type pbkdf{CRYPT_KDF_PBKDF2, "sha256", 0, 1000, 0, 0, CRYPT_PBKDF_NO_BENCHMARK};
	crypt_set_pbkdf_type(cd, &pbkdf);
	std::array<char, 64> vk{};
	if (c.luks_version == 1) {
		if (const int r = format_luks1(cd, c, vk.data()); r < 0)
			return report(KeyslotProbeStage::Setup, why(*dev, r, "format LUKS1"));
	} else if (const int r = format_luks2(cd, vk.data(), vk.size()); r < 0) {
		return report(KeyslotProbeStage::Setup, why(*dev, r, "format"));
	} else if (const int e = crypt_keyslot_set_encryption(cd, c.cipher.c_str(), c.key_bits / 8);
		   e < 0) {
		return report(KeyslotProbeStage::AddKey, why(*dev, e, "keyslot encryption"));
	}
	const std::size_t vk_size = c.luks_version == 1 ? c.key_bits / 8 : vk.size();
	static constexpr char kPass[] = "luksfit-probe";
	const int slot = crypt_keyslot_add_by_volume_key(cd, CRYPT_ANY_SLOT, vk.data(), vk_size,
							 kPass, sizeof(kPass) - 1);
	if (slot < 0)
		return report(KeyslotProbeStage::AddKey, why(*dev, slot, "add keyslot"));
	// A NULL name only verifies the passphrase: the keyslot is decrypted, nothing is activated.
	const int r = crypt_activate_by_passphrase(cd, nullptr, slot, kPass, sizeof(kPass) - 1, 0);
	if (r < 0)
		return report(KeyslotProbeStage::Open, why(*dev, r, "open keyslot"));
	return report(KeyslotProbeStage::Done, "");
}

struct Child {
	ChildProcess process; // killed and reaped if collect() never runs (an exception)
	UniqueFd pipe;
	pid_t pid = -1;
	bool dm_allowed = false; // may have made a temporary dm-crypt mapping
};

// Runs `body` in a child process behind the filter; the parent reads its Report.
template <typename Body> Child spawn_filtered(Body body, bool block_dm = true)
{
	int fds[2];
	if (::pipe2(fds, O_CLOEXEC) != 0)
		return {};
	UniqueFd rd(fds[0]), wr(fds[1]);
	const pid_t pid = ::fork();
	if (pid < 0)
		return {};
	if (pid == 0) {
		rd.reset();
		const int r = install_filter(block_dm);
		const Report rep = r < 0 ? report(KeyslotProbeStage::Setup,
						  std::string("seccomp: ") + std::strerror(-r))
					 : body();
		[[maybe_unused]] const ssize_t n = ::write(wr.get(), &rep, sizeof(rep));
		::_exit(0);
	}
	return Child{ChildProcess(pid), std::move(rd), pid, !block_dm};
}

Child spawn(const KeyslotCipher &c, bool block_dm)
{
	return spawn_filtered([&c] { return run_probe(c); }, block_dm);
}

// A child killed before libcryptsetup removed its temporary mapping leaves it (and the loop
// device under it, which clears itself once unused): remove it by the name libcryptsetup
// gives it, "temporary-cryptsetup-PID".
void remove_leftover_mapping(const Child &child)
{
	if (child.dm_allowed && child.pid > 0)
		(void)dm_remove_device("temporary-cryptsetup-" + std::to_string(child.pid));
}

// Opens keyslot `slot` (CRYPT_ANY_SLOT: any, as boot does) of `device` read-only with `key`
// (in the filtered child).
Report run_verify(const std::string &device, int slot, const SecureBuffer &key)
{
	crypt_metadata_locking(nullptr, 0);
	auto dev = CryptDevice::init(device);
	if (!dev)
		return report(KeyslotProbeStage::Setup, dev.error().message);
	if (auto loaded = dev->load(); !loaded)
		return report(KeyslotProbeStage::Setup, loaded.error().message);
	const int r = crypt_activate_by_passphrase(dev->handle(), nullptr, slot, key.chars(),
						   key.size(), 0);
	if (r < 0)
		return report(KeyslotProbeStage::Open,
			      why(*dev, r,
				  slot == CRYPT_ANY_SLOT ? std::string("open a keyslot")
							 : "open keyslot " + std::to_string(slot)));
	Report rep = report(KeyslotProbeStage::Done, "");
	rep.slot = r;
	return rep;
}

KeyslotProbeResult collect(Child &child, const KeyslotCipher &c,
			   std::chrono::steady_clock::time_point deadline)
{
	KeyslotProbeResult res{c, false, false, KeyslotProbeStage::Setup,
			       "could not start the probe"};
	if (!child.process.valid())
		return res;
	Report rep{};
	std::size_t got = 0;
	auto *bytes = reinterpret_cast<char *>(&rep);
	while (got < sizeof(rep)) {
		const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
			deadline - std::chrono::steady_clock::now());
		pollfd p{child.pipe.get(), POLLIN, 0};
		const int pr = ::poll(&p, 1, static_cast<int>(std::max<long>(0, left.count())));
		if (pr < 0 && errno == EINTR)
			continue; // the deadline is computed again
		if (pr <= 0)
			break;
		const ssize_t n = util::retry_eintr(
			[&] { return ::read(child.pipe.get(), bytes + got, sizeof(rep) - got); });
		if (n <= 0)
			break;
		got += static_cast<std::size_t>(n);
	}
	if (got < sizeof(rep)) {
		child.process.kill_and_reap();
		remove_leftover_mapping(child);
		res.message = "the probe did not answer (crashed or timed out)";
		return res;
	}
	child.process.reap();
	rep.message[sizeof(rep.message) - 1] = '\0';
	res.stage = static_cast<KeyslotProbeStage>(rep.stage);
	res.known = res.stage != KeyslotProbeStage::Setup;
	res.works = res.stage == KeyslotProbeStage::Done;
	res.message = rep.message;
	res.slot = rep.slot;
	return res;
}

} // namespace

KeyslotProbeResult probe_keyslot_without_afalg(const KeyslotCipher &cipher)
{
	return probe_keyslots_without_afalg({cipher}).front();
}

namespace {

std::vector<KeyslotProbeResult> probe_all(const std::vector<KeyslotCipher> &ciphers, bool block_dm)
{
	std::vector<Child> children;
	children.reserve(ciphers.size());
	for (const auto &c : ciphers)
		children.push_back(spawn(c, block_dm));
	const auto deadline =
		std::chrono::steady_clock::now() + std::chrono::milliseconds(kProbeTimeoutMs);
	std::vector<KeyslotProbeResult> out;
	for (std::size_t i = 0; i < ciphers.size(); ++i)
		out.push_back(collect(children[i], ciphers[i], deadline));
	return out;
}

} // namespace

std::vector<KeyslotProbeResult>
probe_keyslots_without_afalg(const std::vector<KeyslotCipher> &ciphers)
{
	return probe_all(ciphers, true);
}

std::vector<KeyslotProbeResult>
probe_keyslots_with_dm_fallback(const std::vector<KeyslotCipher> &ciphers)
{
	// One at a time: each child's mapping is named after it, but loop devices are shared.
	std::vector<KeyslotProbeResult> out;
	for (const auto &c : ciphers)
		out.push_back(probe_all({c}, false).front());
	return out;
}

KeyslotProbeResult verify_keyslot_without_afalg(const std::string &device, int slot,
						const SecureBuffer &key)
{
	Child child = spawn_filtered([&] { return run_verify(device, slot, key); });
	const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
	return collect(child, KeyslotCipher{}, deadline);
}

KeyslotProbeResult verify_boot_unlock_without_afalg(const std::string &device,
						    const SecureBuffer &key)
{
	return verify_keyslot_without_afalg(device, CRYPT_ANY_SLOT, key);
}

const char *keyslot_probe_stage_name(KeyslotProbeStage s)
{
	switch (s) {
	case KeyslotProbeStage::Setup:
		return "setup";
	case KeyslotProbeStage::AddKey:
		return "add-keyslot";
	case KeyslotProbeStage::Open:
		return "open-keyslot";
	case KeyslotProbeStage::Done:
		return "done";
	}
	return "setup";
}

} // namespace luksfit::sys
