// Findings shared by the host report and the volume audit: what was found, how bad it is, and
// the one line that fixes it.
#pragma once

#include <string>
#include <vector>

namespace luksfit::domain {

enum class Severity { Info, Warning, Error };

struct Finding {
	Severity severity = Severity::Info;
	std::string id;	     // stable, for scripts: "afalg-missing", "keyslot-needs-afalg", ...
	std::string message; // what was found
	std::string remedy;  // one line: what to do
};

// A fact luksfit could establish, could rule out, or could not find out (e.g. needs root).
enum class Tri { Yes, No, Unknown };

const char *severity_name(Severity s); // "info", "warning", "error"
const char *tri_name(Tri t);	       // "yes", "no", "unknown"

// The worst severity present, Info when there is none.
Severity worst(const std::vector<Finding> &findings);

} // namespace luksfit::domain
