#include "commands/version.hpp"

#include <ostream>

#include "luksfit_config.h"
#include "system/kernel_info.hpp"
#include "system/libcryptsetup.hpp"

namespace luksfit::commands {

ExitCode show_version(cli::Context &ctx)
{
	const std::string lib = sys::libcryptsetup_version();
	const std::string kernel = sys::kernel_release();
	ctx.command = "version";
	if (ctx.options.json) {
		ctx.emit_json({{"luksfit", LUKSFIT_VERSION}, {"libcryptsetup", lib}, {"kernel", kernel}});
		return ExitCode::Ok;
	}
	ctx.out << "luksfit " << LUKSFIT_VERSION << '\n'
		<< "libcryptsetup " << lib << '\n'
		<< "kernel " << kernel << '\n';
	return ExitCode::Ok;
}

} // namespace luksfit::commands
