// Output of `recommend`: the human report and the JSON payload.
#pragma once

#include <iosfwd>

#include "cli/context.hpp"
#include "domain/recommendation.hpp"

namespace luksfit::render {

cli::Json recommend_json(const domain::Recommendation &r);
void recommend_human(std::ostream &out, const domain::Recommendation &r);

} // namespace luksfit::render
