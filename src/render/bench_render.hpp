// Output of `bench`: the human table and the JSON payload.
#pragma once

#include <iosfwd>

#include "domain/bench/bench_report.hpp"
#include "domain/bench/ranking.hpp"
#include "render/json.hpp"

namespace luksfit::render {

render::Json stats_json(const domain::SampleStats &s);
render::Json bench_json(const domain::BenchReport &r, const domain::Ranking &ranking);
void bench_text(std::ostream &out, const domain::BenchReport &r, const domain::Ranking &ranking);

} // namespace luksfit::render
