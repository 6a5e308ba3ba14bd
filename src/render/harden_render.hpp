// Rendering of luksfit harden's outcome (human and JSON).
#pragma once

#include <iosfwd>

#include "domain/volume/harden.hpp"
#include "render/json.hpp"

namespace luksfit::render {

Json harden_json(const domain::HardenReport &r);
void harden_text(std::ostream &out, const domain::HardenReport &r);

} // namespace luksfit::render
