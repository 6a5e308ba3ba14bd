// Rendering of luksfit harden's outcome (human and JSON).
#pragma once

#include <iosfwd>

#include <nlohmann/json.hpp>

#include "domain/harden.hpp"

namespace luksfit::render {

nlohmann::ordered_json harden_json(const domain::HardenReport &r);
void harden_text(std::ostream &out, const domain::HardenReport &r);

} // namespace luksfit::render
