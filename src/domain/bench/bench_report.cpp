#include "domain/bench/bench_report.hpp"

#include <algorithm>

namespace luksfit::domain {

std::vector<double> Series::combined() const
{
	std::vector<double> out;
	const std::size_t n = std::min(encrypt.size(), decrypt.size());
	for (std::size_t i = 0; i < n; ++i)
		out.push_back(combined_throughput(encrypt[i], decrypt[i]));
	return out;
}

std::string VariantResult::label() const
{
	if (sector_size == 4096 && !no_workqueue)
		return "baseline";
	if (no_workqueue)
		return "no_workqueue";
	return "sector " + std::to_string(sector_size);
}

} // namespace luksfit::domain
