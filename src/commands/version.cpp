#include "commands/version.hpp"

#include <ostream>

#include "domain/host/host_report.hpp"
#include "flows/host/host_facts.hpp"
#include "luksfit_config.h"
#include "system/luks/libcryptsetup.hpp"

namespace luksfit::commands {

ExitCode run_version(render::Context &ctx)
{
	const auto &lib = sys::libcryptsetup_version();
	const std::string kernel = flows::kernel_release_text();
	ctx.command = "version";
	if (ctx.options.json) {
		ctx.emit_json({{"luksfit", LUKSFIT_VERSION},
			       {"libcryptsetup", lib.version},
			       {"libcryptsetup_source", lib.runtime ? "runtime" : "build"},
			       {"libcryptsetup_build", lib.build},
			       {"kernel", kernel}});
		return ExitCode::Ok;
	}
	ctx.out << "luksfit " << LUKSFIT_VERSION << '\n'
		<< "libcryptsetup "
		<< domain::libcryptsetup_version_text(lib.version, lib.runtime, lib.build) << '\n'
		<< "kernel " << kernel << '\n';
	return ExitCode::Ok;
}

} // namespace luksfit::commands
