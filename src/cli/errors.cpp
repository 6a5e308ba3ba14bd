#include "cli/errors.hpp"

#include <ostream>

namespace luksfit::cli {

int report(const Context &ctx, const Error &error)
{
	const int code = static_cast<int>(error.code);
	if (ctx.options.json) {
		Json e = {
			{"exit_code", code},
			{"kind", exit_code_name(error.code)},
			{"message", error.message},
		};
		if (!error.hint.empty())
			e["hint"] = error.hint;
		const Json doc = {{"schema", kJsonSchema},
					    {"command", ctx.command},
					    {"ok", false},
					    {"error", e}};
		ctx.out << doc.dump(2) << '\n';
		return code;
	}
	ctx.err << "luksfit: " << error.message << '\n';
	if (!error.hint.empty())
		ctx.err << "hint: " << error.hint << '\n';
	return code;
}

} // namespace luksfit::cli
