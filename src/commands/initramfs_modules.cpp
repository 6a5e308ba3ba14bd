// luksfit initramfs-modules [--crypttab FILE] [--kernel-release KVER | --modules-dir DIR]
//                           [--cipher SPEC]... [DEVICE...]
// Prints the modules (one per line, or --json with the reason for each) that the initramfs
// needs so that dm-crypt can open the volumes' data ciphers. Used by hooks/initramfs-tools
// and hooks/dracut. Exit 4: a device is not LUKS; 1: unknown cipher; 7: the target tree
// lacks a module a cipher needs.
#include "commands/initramfs_modules.hpp"

#include <memory>
#include <ostream>

#include <CLI/CLI.hpp>

#include "domain/boot/cipher_modules.hpp"
#include "domain/boot/crypttab.hpp"
#include "render/initramfs_modules_render.hpp"
#include "system/block/device_tag.hpp"
#include "system/kernel/kernel_info.hpp"
#include "system/kernel/module_tree.hpp"
#include "system/luks/crypt_device.hpp"
#include "system/luks/luks_header.hpp"
#include "system/os/text_file.hpp"
#include "util/text.hpp"

namespace luksfit::commands {
namespace {

struct Options {
	std::string crypttab;
	std::string release;
	std::string modules_dir;
	std::vector<std::string> ciphers;
	std::vector<std::string> devices;
};

// cryptsetup's default cipher for plain-mode crypttab entries without cipher=.
constexpr const char *kPlainDefaultCipher = "aes-cbc-essiv:sha256";

std::string luks_cipher(const std::string &device)
{
	auto cd = sys::CryptDevice::init(device).or_fail();
	cd.load().or_fail();
	return sys::loaded_header(cd).cipher;
}

void add_crypttab(const std::string &path, render::Context &ctx,
		  std::vector<domain::VolumeCipher> &volumes)
{
	const auto text = sys::read_text_file(path).or_fail();
	const auto tab = domain::parse_crypttab(text);
	for (const auto &issue : tab.issues)
		ctx.err << "luksfit: " << path << ":" << issue.line
			<< ": ignored: " << issue.message << '\n';
	for (const auto &e : tab.entries) {
		const std::string source = "crypttab:" + std::to_string(e.line);
		if (e.has_option("tcrypt") || e.has_option("bitlk") || e.has_option("fvault2")) {
			ctx.err << "luksfit: " << path << ":" << e.line << ": " << e.name
				<< ": not a LUKS or plain volume, skipped\n";
			continue;
		}
		if (e.has_option("plain")) {
			const auto cipher = e.option("cipher").value_or(kPlainDefaultCipher);
			volumes.push_back({source, e.name, e.device.text(), cipher});
			continue;
		}
		const std::string tag = e.device.tag();
		const auto device =
			tag.empty() ? e.device.value
				    : sys::find_device_by_tag(tag, e.device.value).or_fail();
		volumes.push_back({source, e.name, device, luks_cipher(device)});
	}
}

domain::InitramfsModulesReport resolve(const Options &opt, render::Context &ctx)
{
	domain::InitramfsModulesReport report;
	if (!opt.crypttab.empty())
		add_crypttab(opt.crypttab, ctx, report.volumes);
	for (const auto &device : opt.devices)
		report.volumes.push_back({"device", {}, device, luks_cipher(device)});
	for (const auto &cipher : opt.ciphers)
		report.volumes.push_back({"--cipher", {}, {}, cipher});
	if (report.volumes.empty() && opt.crypttab.empty())
		fail(ExitCode::Failed, "no volume to resolve modules for",
		     "pass DEVICE, --crypttab FILE or --cipher SPEC");

	std::vector<std::vector<domain::CryptoNeed>> needs;
	for (const auto &v : report.volumes) {
		const auto spec = domain::parse_cipher_spec(v.cipher).or_fail();
		needs.push_back(domain::crypto_needs(spec).or_fail());
	}
	report.modules_dir =
		!opt.modules_dir.empty()
			? opt.modules_dir
			: sys::modules_dir_for(opt.release.empty() ? sys::kernel_release().or_fail()
								   : opt.release);
	const auto files = sys::read_module_tree(report.modules_dir).or_fail();
	const auto index = domain::index_module_tree(files.dep, files.alias, files.builtin,
						     files.builtin_modinfo);
	report.resolution = domain::resolve_modules(index, needs);
	return report;
}

void fail_missing(const domain::InitramfsModulesReport &report)
{
	std::string names = util::join(report.resolution.missing, ", ");
	fail(ExitCode::Unsupported,
	     "the kernel at " + report.modules_dir + " has no module for " + names,
	     "use a kernel built with these crypto algorithms and dm-crypt, or another cipher");
}

ExitCode run_initramfs_modules(render::Context &ctx, const Options &opt)
{
	ctx.command = "initramfs-modules";
	const auto report = resolve(opt, ctx);
	if (!report.resolution.missing.empty())
		fail_missing(report);
	if (ctx.options.json) {
		ctx.emit_json(render::initramfs_modules_json(report));
		return ExitCode::Ok;
	}
	if (ctx.options.verbose > 0)
		render::initramfs_header_text(ctx.err, report);
	render::initramfs_modules_text(ctx.out, report);
	return ExitCode::Ok;
}

} // namespace

commands::CommandFn setup_initramfs_modules(CLI::App &sub)
{
	auto opt = std::make_shared<Options>();
	sub.add_option("--crypttab", opt->crypttab, "Volumes from a crypttab(5) file")
		->type_name("FILE");
	auto *release = sub.add_option("--kernel-release", opt->release,
				       "Target kernel (default: the running one)")
				->type_name("KVER");
	sub.add_option("--modules-dir", opt->modules_dir,
		       "Module tree to resolve against (default: /lib/modules/KVER)")
		->type_name("DIR")
		->excludes(release);
	sub.add_option("--cipher", opt->ciphers,
		       "A data cipher to resolve, e.g. "
		       "xchacha12,aes-adiantum-plain64 (repeatable)")
		->type_name("SPEC");
	sub.add_option("DEVICE", opt->devices, "LUKS devices or image files");
	return [opt](render::Context &ctx) { return run_initramfs_modules(ctx, *opt); };
}

} // namespace luksfit::commands
