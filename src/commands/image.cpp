#include "commands/image.hpp"

#include <memory>
#include <ostream>

#include <CLI/CLI.hpp>

#include "domain/format/size.hpp"
#include "system/block/image_file.hpp"
#include "system/block/loop_detach.hpp"
#include "system/block/loop_device.hpp"

namespace luksfit::commands {
namespace {

struct Options {
	std::string path;
	std::string size;
	bool read_only = false;
	std::string device;
};

ExitCode run_image_create(render::Context &ctx, const Options &o)
{
	const std::uint64_t size = domain::parse_size(o.size).or_fail();
	sys::create_sparse_image(o.path, size).or_fail();
	const std::uint64_t used = sys::allocated_bytes(o.path).or_fail();
	if (ctx.options.json) {
		ctx.emit_json({{"image", o.path}, {"size_bytes", size}, {"allocated_bytes", used}});
		return ExitCode::Ok;
	}
	ctx.out << "created " << o.path << " (" << domain::format_size(size)
		<< ", sparse: " << domain::format_size(used) << " allocated)\n";
	return ExitCode::Ok;
}

ExitCode run_image_attach(render::Context &ctx, const Options &o)
{
	// The device must outlive luksfit: no autoclear, and keep() leaves it attached.
	sys::LoopDevice::Options lo;
	lo.autoclear = false;
	lo.read_only = o.read_only;
	auto loop = sys::LoopDevice::attach(o.path, lo);
	if (!loop)
		fail(Error{loop.error().code, loop.error().message,
			   "check the image path; attaching needs root and a loop driver"});
	const std::string dev = loop->keep();
	if (ctx.options.json) {
		ctx.emit_json({{"image", o.path}, {"device", dev}, {"read_only", o.read_only}});
		return ExitCode::Ok;
	}
	ctx.out << dev << '\n';
	return ExitCode::Ok;
}

ExitCode run_image_detach(render::Context &ctx, const Options &o)
{
	const auto r = sys::detach_loop(o.device);
	if (!r)
		fail(r.error());
	if (ctx.options.json) {
		ctx.emit_json({{"device", r->device}, {"deferred", r->deferred}});
		return ExitCode::Ok;
	}
	if (r->deferred)
		ctx.out << r->device
			<< " is still in use: the kernel detaches it when its last user closes "
			   "it\n";
	else
		ctx.out << "detached " << r->device << '\n';
	return ExitCode::Ok;
}

} // namespace

commands::CommandFn setup_image(CLI::App &sub)
{
	auto o = std::make_shared<Options>();
	sub.require_subcommand(1, 1);
	CLI::App *c = sub.add_subcommand("create", "Create a sparse image file");
	c->add_option("PATH", o->path, "Image file to create (never overwritten)")->required();
	c->add_option("--size", o->size, "Size, e.g. 64M or 1G (binary units)")->required();
	CLI::App *a = sub.add_subcommand(
		"attach", "Attach an image to a loop device that stays after luksfit exits");
	a->add_option("PATH", o->path, "Image file")->required();
	a->add_flag("--read-only", o->read_only, "Attach read-only");
	CLI::App *d = sub.add_subcommand(
		"detach", "Detach a loop device (or every loop device backed by an image)");
	d->add_option("DEV", o->device, "Loop device (/dev/loopN) or image file")->required();
	return [o, c, a](render::Context &ctx) {
		if (c->parsed()) {
			ctx.command = "image create";
			return run_image_create(ctx, *o);
		}
		if (a->parsed()) {
			ctx.command = "image attach";
			return run_image_attach(ctx, *o);
		}
		ctx.command = "image detach";
		return run_image_detach(ctx, *o);
	};
}

} // namespace luksfit::commands
