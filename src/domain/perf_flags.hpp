// dm-crypt performance flags luksfit recommends, and which kernels support them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace luksfit::domain {

struct KernelVersion {
	unsigned major = 0;
	unsigned minor = 0;
	bool operator<(const KernelVersion &o) const
	{
		return major != o.major ? major < o.major : minor < o.minor;
	}
};

// "6.1.0-56-cloud-amd64" -> 6.1; {0, 0} when it does not start with "N.N".
KernelVersion parse_kernel_version(std::string_view release);

// The recommended flags (cryptsetup's names without "--perf-"): no_read_workqueue and
// no_write_workqueue, which bypass dm-crypt's workqueues (dm-crypt 1.22, Linux 5.9). Empty on
// older kernels, where dm-crypt would refuse the table.
std::vector<std::string> supported_perf_flags(std::string_view kernel_release);

// crypttab(5)'s spelling of such a flag: "no_read_workqueue" -> "no-read-workqueue".
std::string crypttab_flag_name(std::string_view cryptsetup_name);

} // namespace luksfit::domain
