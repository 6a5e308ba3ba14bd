// The table of subcommands (the contract README and luksfit(8) document), in the order
// `luksfit --help` lists them.
#include "commands/bench.hpp"
#include "commands/check.hpp"
#include "commands/command.hpp"
#include "commands/crypttab.hpp"
#include "commands/format.hpp"
#include "commands/harden.hpp"
#include "commands/image.hpp"
#include "commands/initramfs_modules.hpp"
#include "commands/open.hpp"
#include "commands/recommend.hpp"
#include "commands/udev_probe.hpp"
#include "commands/validate.hpp"

namespace luksfit::commands {

const std::vector<CommandEntry> &command_table()
{
	static const std::vector<CommandEntry> table = {
		{"check", "Host compatibility report; with TARGETs, audit those LUKS volumes",
		 commands::setup_check},
		{"bench", "Measure candidate ciphers (AF_ALG or real dm-crypt)",
		 commands::setup_bench},
		{"recommend", "The fastest safe choice, as parameters and a cryptsetup line",
		 commands::setup_recommend},
		{"validate", "Full round trip on a loopback test image", commands::setup_validate},
		{"format", "Check, validate on a test image, then format DEVICE as LUKS2",
		 commands::setup_format},
		{"open", "Activate a LUKS device with the recommended performance flags",
		 commands::setup_open},
		{"close", "Deactivate a mapping opened by luksfit or cryptsetup",
		 commands::setup_close},
		{"harden", "Make every keyslot unlockable without AF_ALG", commands::setup_harden},
		{"image", "Manage loopback test images (create, attach, detach)",
		 commands::setup_image},
		{"udev-probe", "KEY=value facts about a LUKS device, for udev IMPORT{program}",
		 commands::setup_udev_probe},
		{"initramfs-modules", "Kernel modules a volume needs to open at boot",
		 commands::setup_initramfs_modules},
		{"crypttab", "The /etc/crypttab line for a LUKS volume (--write adds it)",
		 commands::setup_crypttab},
	};
	return table;
}

} // namespace luksfit::commands
