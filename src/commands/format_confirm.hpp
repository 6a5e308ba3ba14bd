// format's confirmation: a person types YES on the terminal (as cryptsetup asks), or the caller
// passed --yes; with neither, refuse (exit 6).
#pragma once

#include <iosfwd>

#include "commands/format_checks.hpp"

namespace luksfit::commands {

void confirm_format(std::ostream &err, const TargetReport &target,
		    const domain::FormatPlan &plan, bool yes);

} // namespace luksfit::commands
