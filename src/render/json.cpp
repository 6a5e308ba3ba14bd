#include "render/json.hpp"

namespace luksfit::render {

std::string json_text(const Json &doc)
{
	// A path or a value that is not UTF-8 gets U+FFFD instead of making dump() throw.
	return doc.dump(2, ' ', false, Json::error_handler_t::replace);
}

} // namespace luksfit::render
