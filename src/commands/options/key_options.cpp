#include "commands/options/key_options.hpp"

#include <ostream>

namespace luksfit::commands {

sys::Key read_device_key(render::Context &ctx, const std::optional<std::string> &key_file,
			 const std::string &device, bool confirm)
{
	sys::KeySource src;
	src.key_file = key_file;
	src.confirm = confirm;
	src.prompt = "Enter passphrase for " + device;
	sys::Key key = sys::read_key(src).or_fail();
	for (const auto &w : key.warnings)
		ctx.err << "luksfit: warning: " << w << '\n';
	return key;
}

} // namespace luksfit::commands
