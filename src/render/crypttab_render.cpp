#include "render/crypttab_render.hpp"

#include <ostream>

namespace luksfit::render {

void crypttab_text(std::ostream &out, std::ostream &err, const domain::CrypttabResult &r,
		   bool verbose)
{
	if (verbose) {
		err << "luksfit: performance flags: " << r.flags_basis << '\n';
		for (const auto &o : r.line.from_header)
			err << "luksfit: " << o << " left out: the LUKS2 header stores it\n";
	}
	if (r.conflict)
		err << "luksfit: warning: " << r.file << ": " << r.conflict->message
		    << "; --write would refuse this line\n";
	if (!r.written) {
		out << r.line.text << '\n';
		return;
	}
	out << (r.created ? "created " : "added to ") << r.file << " (line " << r.line_number
	    << "):\n"
	    << r.line.text << '\n';
	if (!r.backup.empty())
		out << "previous version kept in " << r.backup << '\n';
}

render::Json crypttab_json(const domain::CrypttabResult &r)
{
	render::Json j = {
		{"device", r.device},
		{"name", r.name},
		{"uuid", r.uuid},
		{"line", r.line.text},
		{"options", r.line.options},
		{"from_header", r.line.from_header},
		{"flags_basis", r.flags_basis},
		{"crypttab", r.file},
		{"written", r.written},
		{"created", r.created},
		{"backup", r.backup.empty() ? render::Json(nullptr) : render::Json(r.backup)}};
	j["conflict"] = r.conflict ? render::Json{{"line", r.conflict->line},
						  {"message", r.conflict->message}}
				   : render::Json(nullptr);
	if (r.written)
		j["line_number"] = r.line_number;
	return j;
}

} // namespace luksfit::render
