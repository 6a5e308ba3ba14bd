// The table of subcommands (DESIGN.md's contract), in the order `luksfit --help` lists them.
#include "cli/command.hpp"
#include "commands/bench.hpp"
#include "commands/recommend.hpp"

namespace luksfit::cli {

const std::vector<CommandEntry> &command_table()
{
	static const std::vector<CommandEntry> table = {
		{"check", "Host compatibility report; with TARGETs, audit those LUKS volumes", nullptr},
		{"bench", "Measure candidate ciphers (AF_ALG or real dm-crypt)", commands::setup_bench},
		{"recommend", "The fastest safe choice, as parameters and a cryptsetup line", commands::setup_recommend},
		{"validate", "Full round trip on a loopback test image", nullptr},
		{"format", "Check, validate on a test image, then format DEVICE as LUKS2", nullptr},
		{"open", "Activate a LUKS device with the recommended performance flags", nullptr},
		{"close", "Deactivate a mapping opened by luksfit or cryptsetup", nullptr},
		{"harden", "Make every keyslot unlockable without AF_ALG", nullptr},
		{"image", "Manage loopback test images (create, attach, detach)", nullptr},
		{"udev-probe", "KEY=value facts about a LUKS device, for udev IMPORT{program}", nullptr},
		{"initramfs-modules", "Kernel modules a volume needs to open at boot", nullptr},
	};
	return table;
}

} // namespace luksfit::cli
