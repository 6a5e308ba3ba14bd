#include "system/kernel/cpu_share.hpp"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "util/eintr.hpp"
#include "util/unique_fd.hpp"

namespace luksfit::sys {
namespace {

// /proc/stat charges whole clock ticks by sampling while getrusage is exact: a tick and a half
// of slack keeps that granularity from passing for another program.
constexpr double kTickSlack = 1.5;

} // namespace

CpuShareMeter::CpuShareMeter() : last_(now())
{
}

std::optional<CpuShareMeter::Ticks> CpuShareMeter::now()
{
	// The first line of /proc/stat: "cpu  user nice system idle iowait irq softirq steal ...".
	char buf[256] = {};
	{
		UniqueFd fd(::open("/proc/stat", O_RDONLY | O_CLOEXEC));
		if (!fd.valid())
			return std::nullopt;
		const ssize_t n =
			util::retry_eintr([&] { return ::read(fd.get(), buf, sizeof(buf) - 1); });
		if (n <= 0)
			return std::nullopt;
	}
	std::uint64_t f[8] = {};
	if (std::sscanf(buf,
			"cpu %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64
			" %" SCNu64 " %" SCNu64,
			&f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7]) != 8)
		return std::nullopt;
	struct rusage ru {
	};
	const long hz = ::sysconf(_SC_CLK_TCK);
	if (::getrusage(RUSAGE_SELF, &ru) != 0 || hz <= 0)
		return std::nullopt;
	Ticks t;
	t.busy = f[0] + f[1] + f[7];
	for (const std::uint64_t v : f)
		t.total += v;
	const double user_s = static_cast<double>(ru.ru_utime.tv_sec) +
			      static_cast<double>(ru.ru_utime.tv_usec) / 1e6;
	t.self_user = static_cast<std::uint64_t>(user_s * static_cast<double>(hz));
	return t;
}

std::optional<double> CpuShareMeter::read()
{
	const std::optional<Ticks> before = last_;
	last_ = now();
	const long cpus = ::sysconf(_SC_NPROCESSORS_ONLN);
	if (!before || !last_ || last_->total <= before->total || cpus < 1)
		return std::nullopt;
	auto delta = [](std::uint64_t a, std::uint64_t b) {
		return static_cast<double>(a - std::min(a, b));
	};
	const double others =
		std::max(0.0, delta(last_->busy, before->busy) -
				      delta(last_->self_user, before->self_user) - kTickSlack) /
		delta(last_->total, before->total);
	return std::clamp(static_cast<double>(cpus) * (1 - others), 0.0, 1.0);
}

} // namespace luksfit::sys
