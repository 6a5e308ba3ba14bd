// What every command gets: the global options and where output goes.
#pragma once

#include <iosfwd>
#include <string>

#include <nlohmann/json.hpp>

namespace luksfit::cli {

// Keys keep their insertion order, so every document starts with "schema".
using Json = nlohmann::ordered_json;

struct GlobalOptions {
	bool json = false; // one JSON document on stdout instead of human output
	int verbose = 0;   // -v count: extra diagnostics on stderr
};

// Borrowed streams: the caller (main, or a unit test) owns them.
struct Context {
	GlobalOptions options;
	std::ostream &out;
	std::ostream &err;
	std::string command; // name of the running (sub)command, for the JSON envelope

	// Writes the success document {"schema":1,"command":...,"ok":true, ...payload}.
	void emit_json(const Json &payload) const;
};

// The text of a document luksfit prints (indented); never throws on bytes that are not UTF-8.
std::string json_text(const Json &doc);

// JSON schema version of every document luksfit prints.
inline constexpr int kJsonSchema = 1;

} // namespace luksfit::cli
