// format's confirmation: a person types YES on the terminal (as cryptsetup asks), or the caller
// passed --yes; with neither, refuse (exit 6).
#pragma once

#include <iosfwd>

#include "flows/format/format_checks.hpp"

namespace luksfit::flows {

void confirm_format(std::ostream &err, const TargetReport &target, const domain::FormatPlan &plan,
		    bool yes);

} // namespace luksfit::flows
