#include "cli/errors.hpp"

#include <ostream>

#include "util/untrusted_text.hpp"

namespace luksfit::cli {

int report(const render::Context &ctx, const Error &error)
{
	const int code = static_cast<int>(error.code);
	if (ctx.options.json) {
		render::Json e = {
			{"exit_code", code},
			{"kind", exit_code_name(error.code)},
			{"message", error.message},
		};
		if (!error.hint.empty())
			e["hint"] = error.hint;
		const render::Json doc = {{"schema", render::kJsonSchema},
					  {"command", ctx.command},
					  {"ok", false},
					  {"error", e}};
		ctx.out << render::json_text(doc) << '\n';
		return code;
	}
	// Messages quote paths, names and header fields: shown escaped, one line each.
	ctx.err << "luksfit: " << util::printable(error.message) << '\n';
	if (!error.hint.empty())
		ctx.err << "hint: " << util::printable(error.hint) << '\n';
	return code;
}

} // namespace luksfit::cli
