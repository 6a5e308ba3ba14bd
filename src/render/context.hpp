// What every command writes to: the global output options and the streams output goes to.
#pragma once

#include <iosfwd>
#include <string>

#include "render/json.hpp"

namespace luksfit::render {

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

} // namespace luksfit::render
