#include "domain/bench/ranking.hpp"

#include <algorithm>
#include <cstdio>

#include "util/text.hpp"

namespace luksfit::domain {
namespace {

bool better_tiebreak(const CandidateResult &a, const SampleStats &sa, const CandidateResult &b,
		     const SampleStats &sb)
{
	const int ra = preference_rank(a.candidate);
	const int rb = preference_rank(b.candidate);
	if (ra != rb)
		return ra < rb;
	return sa.median > sb.median;
}

std::string mibs(const SampleStats &s)
{
	return format_mibs(s.median) + " MiB/s";
}

} // namespace

const char *rank_status_name(RankStatus s)
{
	switch (s) {
	case RankStatus::Winner:
		return "winner";
	case RankStatus::Tied:
		return "tied";
	case RankStatus::Slower:
		return "slower";
	case RankStatus::Unavailable:
		return "unavailable";
	case RankStatus::Unsafe:
		return "unsafe";
	}
	return "unavailable";
}

std::string format_mibs(double v)
{
	char buf[32];
	if (v >= 100)
		std::snprintf(buf, sizeof(buf), "%.0f", v);
	else if (v >= 1)
		std::snprintf(buf, sizeof(buf), "%.1f", v);
	else
		std::snprintf(buf, sizeof(buf), "%.2f", v);
	return buf;
}

std::vector<std::vector<std::size_t>> Ranking::key() const
{
	// Only the decision: which candidate wins. Membership of the tie group flickers at the
	// noise boundary without changing the outcome.
	if (!winner)
		return {};
	return {{*winner}};
}

const RankEntry *Ranking::find(std::size_t index) const
{
	for (const auto &e : entries)
		if (e.index == index)
			return &e;
	return nullptr;
}

Ranking rank(const std::vector<CandidateResult> &results, bool fips, bool disturbed)
{
	Ranking r;
	std::vector<RankEntry> measured, unavailable, unsafe;
	for (std::size_t i = 0; i < results.size(); ++i) {
		const CandidateResult &c = results[i];
		RankEntry e{i, RankStatus::Slower, {}, c.samples.combined_stats()};
		if (auto why = safety_violation(c.candidate, fips)) {
			e.status = RankStatus::Unsafe;
			e.reason = "never chosen: " + *why;
			unsafe.push_back(e);
		} else if (!c.available || c.samples.empty()) {
			e.status = RankStatus::Unavailable;
			e.reason =
				"not available here: " +
				(c.unavailable.empty() ? std::string("no sample") : c.unavailable);
			unavailable.push_back(e);
		} else {
			measured.push_back(e);
		}
	}
	std::sort(measured.begin(), measured.end(), [](const RankEntry &a, const RankEntry &b) {
		return a.combined.median > b.combined.median;
	});

	if (!measured.empty()) {
		const SampleStats best = measured.front().combined;
		auto tied = [&](const SampleStats &s) {
			return disturbed || within_noise(best, s);
		};
		// The winner: most preferred among those within the noise of the fastest.
		std::size_t w = 0;
		for (std::size_t j = 1; j < measured.size(); ++j) {
			if (!tied(measured[j].combined))
				continue;
			if (better_tiebreak(results[measured[j].index], measured[j].combined,
					    results[measured[w].index], measured[w].combined))
				w = j;
		}
		RankEntry win = measured[w];
		measured.erase(measured.begin() + static_cast<std::ptrdiff_t>(w));
		const std::string wlabel = results[win.index].candidate.label();
		std::vector<std::string> tied_labels;
		for (auto &e : measured) {
			const std::string label = results[e.index].candidate.label();
			if (tied(e.combined)) {
				e.status = RankStatus::Tied;
				tied_labels.push_back(label);
				e.reason =
					mibs(e.combined) + " vs " + mibs(win.combined) + " for " +
					wlabel +
					(disturbed ? ": not ranked by speed (the measurement was "
						     "disturbed); "
						   : ": within the measured noise; ") +
					wlabel + " comes first in the policy's preference order";
			} else {
				e.status = RankStatus::Slower;
				e.reason = "slower: " + mibs(e.combined) + " vs " +
					   mibs(win.combined) + " for " + wlabel +
					   ", beyond the measured noise";
			}
		}
		win.status = RankStatus::Winner;
		if (disturbed) {
			win.reason =
				mibs(win.combined) +
				", first in the policy's preference order among those measured: "
				"the measurement was disturbed, so speed played no part";
		} else if (tied_labels.empty()) {
			win.reason = "fastest (" + mibs(win.combined) +
				     "), ahead of every other "
				     "candidate beyond the measured noise";
		} else {
			std::string list = util::join(tied_labels, ", ");
			win.reason = mibs(win.combined) + ", within the measured noise of " + list +
				     "; first of them in the policy's preference order";
		}
		r.winner = win.index;
		r.entries.push_back(win);
	}
	for (auto *group : {&measured, &unavailable, &unsafe})
		r.entries.insert(r.entries.end(), group->begin(), group->end());
	return r;
}

} // namespace luksfit::domain
