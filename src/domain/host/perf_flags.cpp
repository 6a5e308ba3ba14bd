#include "domain/host/perf_flags.hpp"

#include <algorithm>

namespace luksfit::domain {

const std::vector<std::string> &recommended_perf_flags()
{
	static const std::vector<std::string> flags = {"no_read_workqueue", "no_write_workqueue"};
	return flags;
}

PerfFlagChoice choose_perf_flags(const std::optional<TargetVersion> &v,
				 const std::string &unknown_why)
{
	PerfFlagChoice c;
	if (!v) {
		c.reason = "none: the dm-crypt target version is unknown here" +
			   (unknown_why.empty() ? std::string() : " (" + unknown_why + ")");
		return c;
	}
	for (const auto &f : recommended_perf_flags())
		if (supports(*v, f))
			c.flags.push_back(f);
	c.reason = c.flags.empty() ? "none: dm-crypt " + v->text() +
					     " predates the workqueue flags (1.22.0, Linux 5.9)"
				   : "dm-crypt " + v->text() + " supports them";
	return c;
}

std::string crypttab_flag_name(std::string_view cryptsetup_name)
{
	std::string out(cryptsetup_name);
	std::replace(out.begin(), out.end(), '_', '-');
	return out;
}

} // namespace luksfit::domain
