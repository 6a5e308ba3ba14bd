#include "domain/host/findings.hpp"

namespace luksfit::domain {

const char *severity_name(Severity s)
{
	switch (s) {
	case Severity::Info:
		return "info";
	case Severity::Warning:
		return "warning";
	case Severity::Error:
		return "error";
	}
	return "info";
}

const char *tri_name(Tri t)
{
	switch (t) {
	case Tri::Yes:
		return "yes";
	case Tri::No:
		return "no";
	case Tri::Unknown:
		return "unknown";
	}
	return "unknown";
}

Severity worst(const std::vector<Finding> &findings)
{
	Severity w = Severity::Info;
	for (const Finding &f : findings)
		if (static_cast<int>(f.severity) > static_cast<int>(w))
			w = f.severity;
	return w;
}

} // namespace luksfit::domain
