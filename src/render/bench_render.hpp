// Output of `bench`: the human table and the JSON payload.
#pragma once

#include <iosfwd>

#include "cli/context.hpp"
#include "domain/bench_report.hpp"
#include "domain/ranking.hpp"

namespace luksfit::render {

cli::Json stats_json(const domain::SampleStats &s);
cli::Json bench_json(const domain::BenchReport &r, const domain::Ranking &ranking);
void bench_human(std::ostream &out, const domain::BenchReport &r, const domain::Ranking &ranking);

} // namespace luksfit::render
