#include "render/context.hpp"

#include <ostream>

namespace luksfit::render {

void Context::emit_json(const Json &payload) const
{
	Json doc = {{"schema", kJsonSchema}, {"command", command}, {"ok", true}};
	doc.update(payload);
	out << json_text(doc) << '\n';
}

} // namespace luksfit::render
