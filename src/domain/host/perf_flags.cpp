#include "domain/host/perf_flags.hpp"

#include <algorithm>

#include "util/text.hpp"

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

PerfFlagChoice decide_perf_flags(const FlagEvidence &evidence,
				 const std::optional<TargetVersion> &v,
				 const std::string &unknown_why)
{
	if (!evidence.measured) {
		PerfFlagChoice t = choose_perf_flags(v, unknown_why);
		t.reason += "; not measured (" + evidence.unmeasured_why + ")";
		return t;
	}
	// Measured under this kernel release (the cache key): its dm-crypt applied them, also
	// where its version cannot be read now (not root).
	if (!v)
		return *evidence.measured;
	PerfFlagChoice c{{}, evidence.measured->reason};
	std::vector<std::string> left_out;
	for (const auto &f : evidence.measured->flags)
		(supports(*v, f) ? c.flags : left_out).push_back(f);
	if (left_out.empty())
		return c;
	c.reason = (c.flags.empty() ? "none: " : "") + c.reason + "; left out " +
		   util::join(left_out, " ") + ": dm-crypt " + v->text() + " does not support " +
		   (left_out.size() > 1 ? "them" : "it");
	return c;
}

std::string perf_flags_text(const PerfFlagChoice &c)
{
	if (c.flags.empty())
		return c.reason.rfind("none", 0) == 0 ? c.reason : "none (" + c.reason + ")";
	return util::join(c.flags, " ") + (c.reason.empty() ? "" : " (" + c.reason + ")");
}

std::string crypttab_flag_name(std::string_view cryptsetup_name)
{
	std::string out(cryptsetup_name);
	std::replace(out.begin(), out.end(), '_', '-');
	return out;
}

} // namespace luksfit::domain
