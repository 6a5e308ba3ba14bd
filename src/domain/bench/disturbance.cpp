#include "domain/bench/disturbance.hpp"

#include <algorithm>
#include <cmath>

namespace luksfit::domain {
namespace {

// Keeps the entries of `v` whose `keep` flag is set.
std::vector<double> kept(const std::vector<double> &v, const std::vector<bool> &keep)
{
	std::vector<double> out;
	for (std::size_t i = 0; i < v.size() && i < keep.size(); ++i)
		if (keep[i])
			out.push_back(v[i]);
	return out;
}

std::string percent(double share)
{
	return std::to_string(static_cast<int>(std::lround(100 * share))) + "%";
}

} // namespace

bool disturbed(double share)
{
	return share < kDisturbedShare;
}

Disturbance screen_disturbed(std::vector<Series> &series,
			     const std::vector<std::vector<double>> &share)
{
	Disturbance d;
	std::vector<std::vector<bool>> keep(series.size());
	for (std::size_t t = 0; t < series.size() && t < share.size(); ++t) {
		const Series &s = series[t];
		const std::size_t n =
			std::min({s.encrypt.size(), s.decrypt.size(), share[t].size()});
		std::size_t clean = 0;
		for (std::size_t i = 0; i < n; ++i) {
			d.lowest_share = std::min(d.lowest_share, share[t][i]);
			keep[t].push_back(!disturbed(share[t][i]));
			clean += keep[t].back() ? 1 : 0;
		}
		d.pairs += n;
		d.left_out += n - clean;
		d.unreliable = d.unreliable || (clean < kMinCleanPairs && clean < n);
	}
	d.unreliable = d.unreliable || static_cast<double>(d.left_out) >
					       kUnreliableShare * static_cast<double>(d.pairs);
	// Unreliable: every figure is kept, to be shown; the preference order ranks them.
	if (d.unreliable || d.left_out == 0)
		return d;
	for (std::size_t t = 0; t < series.size(); ++t) {
		if (keep[t].empty())
			continue;
		series[t].encrypt = kept(series[t].encrypt, keep[t]);
		series[t].decrypt = kept(series[t].decrypt, keep[t]);
	}
	return d;
}

Disturbance merge(const Disturbance &a, const Disturbance &b)
{
	return {a.pairs + b.pairs, a.left_out + b.left_out,
		std::min(a.lowest_share, b.lowest_share), a.unreliable || b.unreliable};
}

std::string disturbance_summary(const Disturbance &d)
{
	if (d.left_out == 0)
		return "";
	std::string s =
		"the machine was busy: " + std::to_string(d.left_out) + " of " +
		std::to_string(d.pairs) +
		" sample pairs were taken while other programs held the CPUs (luksfit's share "
		"below " +
		percent(kDisturbedShare) + ", down to " + percent(d.lowest_share) +
		") and were left out";
	if (d.unreliable)
		s += "; too few undisturbed samples remain to rank by speed, so the policy's "
		     "preference order decides";
	return s;
}

} // namespace luksfit::domain
