#include "domain/perf_flags.hpp"

#include <algorithm>
#include <charconv>

namespace luksfit::domain {

KernelVersion parse_kernel_version(std::string_view release)
{
	KernelVersion v;
	const char *p = release.data();
	const char *end = p + release.size();
	auto r = std::from_chars(p, end, v.major);
	if (r.ec != std::errc() || r.ptr == end || *r.ptr != '.')
		return {};
	r = std::from_chars(r.ptr + 1, end, v.minor);
	if (r.ec != std::errc())
		return {};
	return v;
}

std::vector<std::string> supported_perf_flags(std::string_view kernel_release)
{
	if (parse_kernel_version(kernel_release) < KernelVersion{5, 9})
		return {};
	return {"no_read_workqueue", "no_write_workqueue"};
}

std::string crypttab_flag_name(std::string_view cryptsetup_name)
{
	std::string out(cryptsetup_name);
	std::replace(out.begin(), out.end(), '_', '-');
	return out;
}

} // namespace luksfit::domain
