// Rendering of `luksfit crypttab`: the line alone on stdout (scripts can use it as is), notes
// on stderr; or one JSON document.
#pragma once

#include <iosfwd>

#include "domain/boot/crypttab_line.hpp"
#include "render/json.hpp"

namespace luksfit::render {

void crypttab_text(std::ostream &out, std::ostream &err, const domain::CrypttabResult &r,
		   bool verbose);
render::Json crypttab_json(const domain::CrypttabResult &r);

} // namespace luksfit::render
