// The one JSON type of luksfit's output documents, and how a document becomes text.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace luksfit::render {

// Keys keep their insertion order, so every document starts with "schema".
using Json = nlohmann::ordered_json;

// JSON schema version of every document luksfit prints.
inline constexpr int kJsonSchema = 1;

// The text of a document luksfit prints (indented); never throws on bytes that are not UTF-8.
std::string json_text(const Json &doc);

} // namespace luksfit::render
