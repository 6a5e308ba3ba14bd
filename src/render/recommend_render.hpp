// Output of `recommend`: the human report and the JSON payload.
#pragma once

#include <iosfwd>

#include "domain/bench/recommendation.hpp"
#include "render/json.hpp"

namespace luksfit::render {

render::Json recommend_json(const domain::Recommendation &r);
void recommend_text(std::ostream &out, const domain::Recommendation &r);

} // namespace luksfit::render
