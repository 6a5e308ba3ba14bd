#include "domain/bench/sampler.hpp"

#include <algorithm>
#include <cmath>

namespace luksfit::domain {
namespace {

// Quantile of sorted data by linear interpolation (type 7, as R and numpy default).
double quantile(const std::vector<double> &sorted, double p)
{
	if (sorted.empty())
		return 0;
	const double pos = p * static_cast<double>(sorted.size() - 1);
	const auto lo = static_cast<std::size_t>(std::floor(pos));
	const auto hi = static_cast<std::size_t>(std::ceil(pos));
	const double frac = pos - static_cast<double>(lo);
	return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
}

} // namespace

SampleStats summarize(std::vector<double> samples)
{
	SampleStats s;
	if (samples.empty())
		return s;
	std::sort(samples.begin(), samples.end());
	s.count = samples.size();
	s.median = quantile(samples, 0.5);
	s.q1 = quantile(samples, 0.25);
	s.q3 = quantile(samples, 0.75);
	s.min = samples.front();
	s.max = samples.back();
	return s;
}

bool within_noise(const SampleStats &a, const SampleStats &b)
{
	const double diff = std::fabs(a.median - b.median);
	const double noise =
		std::max((a.iqr() + b.iqr()) / 2, kNoiseFloor * std::max(a.median, b.median));
	return diff <= noise;
}

double combined_throughput(double encrypt, double decrypt)
{
	if (encrypt <= 0 || decrypt <= 0)
		return 0;
	return 2 / (1 / encrypt + 1 / decrypt);
}

const char *stop_reason_name(StopReason r)
{
	switch (r) {
	case StopReason::None:
		return "none";
	case StopReason::Settled:
		return "settled";
	case StopReason::MaxRounds:
		return "max-rounds";
	case StopReason::TimeBudget:
		return "time-budget";
	}
	return "none";
}

void StopTracker::round_done(const std::vector<std::vector<std::size_t>> &ranking, bool clean)
{
	++rounds_;
	unchanged_ = (clean && rounds_ > 1 && ranking == last_) ? unchanged_ + 1 : 0;
	last_ = ranking;
}

StopReason StopTracker::should_stop(double elapsed, double round_seconds) const
{
	if (rounds_ >= rule_.min_rounds && unchanged_ >= rule_.stable_rounds)
		return StopReason::Settled;
	if (rounds_ >= rule_.max_rounds)
		return StopReason::MaxRounds;
	// At least one round always runs: a result with no sample at all says nothing.
	if (rounds_ > 0 && elapsed + round_seconds > rule_.time_budget)
		return StopReason::TimeBudget;
	return StopReason::None;
}

} // namespace luksfit::domain
