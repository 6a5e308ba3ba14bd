#include "cli/context.hpp"

#include <ostream>

namespace luksfit::cli {

void Context::emit_json(const Json &payload) const
{
	Json doc = {{"schema", kJsonSchema}, {"command", command}, {"ok", true}};
	doc.update(payload);
	out << doc.dump(2) << '\n';
}

} // namespace luksfit::cli
