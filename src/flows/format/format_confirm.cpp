#include "flows/format/format_confirm.hpp"

#include <ostream>
#include <sstream>

#include "domain/format/size.hpp"
#include "render/format_render.hpp"
#include "system/os/terminal.hpp"

namespace luksfit::flows {

void confirm_format(std::ostream &err, const TargetReport &target, const domain::FormatPlan &plan,
		    bool yes)
{
	if (yes)
		return;
	const std::string &path = target.facts.path;
	if (!sys::have_terminal())
		fail(ExitCode::Refused, "not formatting " + path + " without confirmation",
		     "no terminal to ask on: pass --yes to confirm that its data may be destroyed");
	std::ostringstream text;
	text << "\nWARNING: this overwrites " << path << " ("
	     << domain::format_size(target.facts.size_bytes) << ") irrevocably.\n";
	if (target.facts.signatures.empty())
		text << "  blkid found: no signature\n";
	for (const auto &s : target.facts.signatures)
		text << "  blkid found: " << domain::describe(s) << '\n';
	render::plan_text(text, plan);
	err << text.str();
	err.flush();
	const auto answer = sys::ask_terminal("Are you sure? (Type 'YES' in capital letters): ");
	if (!answer || *answer != "YES")
		fail(ExitCode::Refused, "format of " + path + " not confirmed; nothing was written",
		     "type YES (in capitals) to confirm, or pass --yes");
}

} // namespace luksfit::flows
