#include "cli/context.hpp"

#include <ostream>

namespace luksfit::cli {

void Context::emit_json(const Json &payload) const
{
	Json doc = {{"schema", kJsonSchema}, {"command", command}, {"ok", true}};
	doc.update(payload);
	out << json_text(doc) << '\n';
}

std::string json_text(const Json &doc)
{
	// A path or a value that is not UTF-8 gets U+FFFD instead of making dump() throw.
	return doc.dump(2, ' ', false, Json::error_handler_t::replace);
}

} // namespace luksfit::cli
