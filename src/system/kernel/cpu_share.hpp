// How much CPU a benchmark sample had, from the kernel's CPU time accounts: a sample taken
// while other programs held the CPUs measured the machine's load as much as the cipher
// (domain/bench/disturbance.hpp).
#pragma once

#include <cstdint>
#include <optional>

namespace luksfit::sys {

// Reads, at each call, the share of a CPU left to luksfit since the previous call:
// min(1, online CPUs x (1 - others)), where `others` is the part of all CPUs' time that other
// processes spent in user space (all CPUs' user+nice time from /proc/stat, less this
// process's own user time, less a tick and a half for the accounts' granularity) or that a
// hypervisor stole. Kernel threads (dm-crypt's workers, the I/O luksfit causes) do not count
// against it. nullopt when an account cannot be read. Under qemu without KVM (TCG) a busy
// host shows neither as other processes nor as steal: only the guest's own load counts there.
class CpuShareMeter
{
public:
	CpuShareMeter();
	std::optional<double> read();

private:
	struct Ticks {
		std::uint64_t busy = 0;	     // user + nice + steal, all CPUs
		std::uint64_t total = 0;     // every field, all CPUs
		std::uint64_t self_user = 0; // this process, in the same ticks
	};
	static std::optional<Ticks> now();
	std::optional<Ticks> last_;
};

} // namespace luksfit::sys
